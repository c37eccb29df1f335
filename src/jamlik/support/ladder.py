"""Derive a kommun's step on Preventionspaketet's support ladder from its records.

The step is never typed in: it follows from what actually happened.

* step 1 — the kommun took part in a network meeting, seminar, conference or training;
* step 2 — the county board held a kommundialog with it (or ran a development project
  with it, which always starts from such a dialogue);
* step 3 — the county board visited its leadership (kommunledning, chefsstöd);
* step 4 — an agreement on deepened collaboration was in force.

Support fades: a record counts for ``WINDOW_DAYS`` (two years, the length of one
Stockholmsenkät cycle and of the 2019–2020 deepened collaboration) after its date, so a
kommun visited once five years ago is not shown as still being on step 3. An agreement
counts exactly while it is in force. These are Jämlik's rules; a county that wants a
different window passes ``window_days``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

WINDOW_DAYS = 730


class ActivityKind(enum.StrEnum):
    NETWORK_MEETING = "network_meeting"
    SEMINAR = "seminar"
    CONFERENCE = "conference"
    TRAINING = "training"
    DIALOGUE = "dialogue"
    LEADERSHIP_VISIT = "leadership_visit"
    DEVELOPMENT_PROJECT = "development_project"
    FOLLOW_UP_MEETING = "follow_up_meeting"


#: Ladder step reached by taking part in an activity of each kind (see module docstring).
#: A follow-up meeting belongs to an agreement, so the agreement already gives step 4.
STEP_OF_KIND: dict[ActivityKind, int] = {
    ActivityKind.NETWORK_MEETING: 1,
    ActivityKind.SEMINAR: 1,
    ActivityKind.CONFERENCE: 1,
    ActivityKind.TRAINING: 1,
    ActivityKind.DIALOGUE: 2,
    ActivityKind.DEVELOPMENT_PROJECT: 2,
    ActivityKind.LEADERSHIP_VISIT: 3,
    ActivityKind.FOLLOW_UP_MEETING: 2,
}
AGREEMENT_STEP = 4


@dataclass(frozen=True)
class SupportEvent:
    """One record of support to one kommun."""

    on: date
    kind: ActivityKind


@dataclass(frozen=True)
class AgreementPeriod:
    start: date
    end: date | None  # None: open-ended

    def in_force(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, first: date, last: date) -> bool:
        return self.start <= last and (self.end is None or self.end >= first)


@dataclass(frozen=True)
class StepChange:
    on: date
    step: int  # 0 = no support on record


@dataclass(frozen=True)
class LadderStatus:
    step: int
    since: date | None
    years: dict[int, int]  # calendar year -> highest step reached in that year
    changes: tuple[StepChange, ...]


def step_on(
    day: date,
    events: Iterable[SupportEvent],
    agreements: Iterable[AgreementPeriod],
    *,
    window_days: int = WINDOW_DAYS,
) -> int:
    """The ladder step on ``day``: the highest step of support still within its window."""
    if any(a.in_force(day) for a in agreements):
        return AGREEMENT_STEP
    earliest = day - timedelta(days=window_days)
    steps = [STEP_OF_KIND[e.kind] for e in events if earliest < e.on <= day]
    return max(steps, default=0)


def derive(
    events: Sequence[SupportEvent],
    agreements: Sequence[AgreementPeriod],
    *,
    today: date,
    window_days: int = WINDOW_DAYS,
) -> LadderStatus:
    """Current step, its start, the highest step per calendar year and every change."""
    # The step can only change on an event date, the day after a window or agreement ends,
    # or on an agreement's start; evaluating those days is exact.
    candidates: set[date] = set()
    for event in events:
        candidates.add(event.on)
        candidates.add(event.on + timedelta(days=window_days))
    for period in agreements:
        candidates.add(period.start)
        if period.end is not None:
            candidates.add(period.end + timedelta(days=1))
    changes: list[StepChange] = []
    current = 0
    for day in sorted(d for d in candidates if d <= today):
        step = step_on(day, events, agreements, window_days=window_days)
        if step != current:
            changes.append(StepChange(day, step))
            current = step
    years: dict[int, int] = {}
    for event in events:
        if event.on <= today:
            year = event.on.year
            years[year] = max(years.get(year, 0), STEP_OF_KIND[event.kind])
    first_year = min([e.on.year for e in events] + [a.start.year for a in agreements], default=None)
    if first_year is not None:
        for year in range(first_year, today.year + 1):
            first, last = date(year, 1, 1), min(date(year, 12, 31), today)
            if any(a.overlaps(first, last) for a in agreements):
                years[year] = AGREEMENT_STEP
    since = changes[-1].on if changes and current > 0 else None
    return LadderStatus(current, since, dict(sorted(years.items())), tuple(changes))

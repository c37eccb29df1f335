"""What changed significantly in a kommun since the previous period.

For each indicator the latest value is compared with the value of the period
before it.  The two estimates are independent samples (different years), so
the difference D = latest − previous has standard error
se(D) = √(se₁² + se₂²) and a 95 % interval D ± 1.96 se(D); the change is
significant when that interval leaves out zero (Altman & Bland 2003,
"Interaction revisited: the difference between two estimates", BMJ 326:219;
the same interval as :func:`jamlik.stats.inequality.d`, Ahn et al. 2018, which
does the computing here).  Each standard error is read back from the published
95 % interval as (upper − lower) / (2 × 1.96): exact for symmetric intervals,
a close approximation for the Wilson and Byar intervals of proportions and
rates.  Values without an interval (counts, means, indices) and suppressed
values are not tested.

The result is polarity-aware: a significant rise of an indicator where high
is good is an improvement, of one where low is good a deterioration; an
indicator without polarity only "rose" or "fell".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from jamlik.stats.inequality import d as difference

#: z for a two-sided 95 % interval, to read a standard error back from one.
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Change:
    """A significant change of one indicator between two periods."""

    indicator_id: int
    previous_period: str
    period: str
    previous: float
    latest: float
    #: ``better``, ``worse`` (polarity high/low) or ``up``, ``down`` (neutral).
    direction: str

    @property
    def difference(self) -> float:
        return self.latest - self.previous


def _se(lower: float, upper: float) -> float:
    return (upper - lower) / (2 * Z95)


def significant_change(
    previous: tuple[float, float, float],
    latest: tuple[float, float, float],
    polarity: str,
) -> str | None:
    """The direction of a significant change from ``previous`` to ``latest``, each
    ``(value, lower95, upper95)``; ``None`` when the change is not significant or
    cannot be tested (a missing number or an interval of no width on both sides)."""
    numbers = [*previous, *latest]
    if any(x is None or not math.isfinite(float(x)) for x in numbers):
        return None
    (v0, l0, u0), (v1, l1, u1) = previous, latest
    se = [_se(l1, u1), _se(l0, u0)]
    if min(se) < 0 or max(se) == 0:
        return None
    found = difference([v1, v0], se=se, favourable_indicator=1)
    if not float(found["lowerci"].iloc[0]) > 0:
        return None
    rose = v1 > v0
    if polarity == "high":
        return "better" if rose else "worse"
    if polarity == "low":
        return "worse" if rose else "better"
    return "up" if rose else "down"


def changes_since_previous(own: pd.DataFrame, polarity: dict[int, str]) -> list[Change]:
    """The significant changes in ``own`` (one area's ``total`` rows, every period;
    columns as :func:`jamlik.indicators.queries.observation_frame`), one per indicator
    whose two latest periods with a published interval differ significantly.

    ``polarity`` maps indicator id → ``high``/``low``/``neutral``; indicators not
    in it are skipped.
    """
    if own.empty:
        return []
    usable = own[
        own["value"].notna()
        & own["lower"].notna()
        & own["upper"].notna()
        & ~own["suppressed"].astype(bool)
    ]
    found = []
    ordered = usable.sort_values(["indicator_id", "period_end", "period_start"])
    for indicator_id, rows in ordered.groupby("indicator_id", sort=True):
        key = int(indicator_id)
        if key not in polarity or len(rows) < 2:
            continue
        before, last = rows.iloc[-2], rows.iloc[-1]
        direction = significant_change(
            (float(before["value"]), float(before["lower"]), float(before["upper"])),
            (float(last["value"]), float(last["lower"]), float(last["upper"])),
            polarity[key],
        )
        if direction is not None:
            found.append(
                Change(
                    key,
                    str(before["period"]),
                    str(last["period"]),
                    float(before["value"]),
                    float(last["value"]),
                    direction,
                )
            )
    return found


def largest_first(changes: list[Change], scale: dict[int, float]) -> list[Change]:
    """``changes`` ordered by the size of the change relative to ``scale`` (an
    indicator's typical size, e.g. its previous value), largest first."""

    def size(c: Change) -> float:
        base = abs(scale.get(c.indicator_id) or 0.0) or 1.0
        return abs(c.difference) / base

    return sorted(changes, key=lambda c: (-size(c), c.indicator_id))

"""Invented follow-up answers for the demo seminars and trainings of the last two years.

Each such activity gets a follow-up link (still open for recent activities, closed for
older ones) and a number of invented answers, marked ``is_demo``: most have five or more,
and the most recent seminar has three, so the pages show the suppression rule (its
link is kept open, to show one). The
participants' kommuner and roles are drawn from the activity's own participants, and
answers at management level lean slightly higher in the later year, so the evaluation
page's process measure has something to show. Deterministic (fixed seed) and idempotent
(earlier demo answers are removed first; links are reused).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction

from jamlik.geo.models import Area
from jamlik.support import followup, followup_services
from jamlik.support.models import ActivityKind, FollowUpAnswer, SupportActivity

SEED = 20260918
FEW = 3
"""Answers to the most recent seminar: fewer than five, to show suppression."""

ACTIONS = [
    "Ta upp resultaten i ledningsgruppen.",
    "Föreslå en gemensam kartläggning med skolan.",
    "Sprida materialet till kollegorna i förvaltningen.",
    "Boka ett uppföljande möte med länsstyrelsen.",
    "Använda checklistan i nästa planeringsomgång.",
]


def today() -> date:
    return date.today()


def _activities(county: Area, now: date) -> list[SupportActivity]:
    return list(
        SupportActivity.objects.filter(
            county=county,
            is_demo=True,
            kind__in=[ActivityKind.SEMINAR, ActivityKind.TRAINING],
            date__year__gte=now.year - 1,
            date__lte=now,
        ).order_by("-date", "pk")
    )


def _score(rng: random.Random, lift: float) -> int:
    """A 1–5 answer centred a little above the middle, raised by ``lift``."""
    return max(1, min(5, round(rng.gauss(3.4 + lift, 0.9))))


def _answers(activity: SupportActivity, count: int, rng: random.Random, now: date) -> list:
    pool = [
        (p.municipality, p.role)
        for p in activity.participations.select_related("municipality")
        for _ in range(max(1, p.count))
    ]
    later = activity.date.year == now.year
    made = []
    for _ in range(count):
        kommun, role = rng.choice(pool)
        if rng.random() < 0.08:
            kommun = None  # "other": from outside the activity's kommuner
        lift = 0.2 if later else 0.0
        if followup.role_group(role) == followup.MANAGEMENT:
            lift += 0.3 if later else 0.1
        raw = {
            followup.USEFULNESS: _score(rng, lift),
            followup.KNOWLEDGE: _score(rng, lift),
            followup.INTENTION: _score(rng, lift - 0.2),
        }
        if rng.random() < 0.4:
            raw[followup.ACTIONS] = rng.choice(ACTIONS)
        made.append(
            FollowUpAnswer(
                activity=activity,
                municipality=kommun,
                role=role,
                answers=followup.clean_answers(raw),
                is_demo=True,
            )
        )
    return made


@transaction.atomic
def seed(progress: Callable[[str], None]) -> None:
    county = Area.objects.get(code="01")
    now = today()
    rng = random.Random(SEED)
    progress("support: removing earlier demo follow-up answers")
    FollowUpAnswer.objects.filter(activity__county=county, is_demo=True).delete()
    activities = _activities(county, now)
    progress(f"support: follow-up of {len(activities)} seminars and trainings")
    few_given = False
    made: list[FollowUpAnswer] = []
    for activity in activities:
        # Open for 30 days after the activity: older links are closed by now.
        closes = (activity.end_date or activity.date) + timedelta(days=followup.OPEN_DAYS)
        followup_services.open_link(activity, closes)
        if not few_given and activity.kind == ActivityKind.SEMINAR:
            count, few_given = FEW, True
            # ...and its link stays open, so the demo shows a link to copy.
            followup_services.open_link(activity, followup.default_closes(activity.date, now))
        else:
            count = rng.randint(6, 14)
        made.extend(_answers(activity, count, rng, now))
    FollowUpAnswer.objects.bulk_create(made)

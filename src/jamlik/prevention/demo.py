"""Invented demo plans for several kommuner in Stockholms län (marked ``is_demo``).

Deterministic and idempotent: earlier demo plans are removed and the same plans are
created again. Indicator targets link to the situation-picture catalogue when it holds
observations for the kommun (baseline = earliest value, target = 10 % better); otherwise
no target is invented.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.apps import apps
from django.db import transaction

from jamlik.geo.models import Area
from jamlik.prevention import services
from jamlik.prevention.models import (
    IndicatorTarget,
    Plan,
    PlanIntervention,
    PlanStatus,
    StepStatus,
)

SEED = 8
NOTE = "Påhittad demoplan (invented demo plan)."

PLANS = [
    # code, title, start, status, steps done, step in progress, prioritised factors
    (
        "0127",
        "Tidiga insatser för barn och unga i Botkyrka",
        date(2025, 3, 1),
        PlanStatus.ACTIVE,
        4,
        5,
        ["academic_failure", "family_conflict", "school_connectedness"],
    ),
    (
        "0186",
        "Trygg uppväxt på Lidingö",
        date(2025, 4, 1),
        PlanStatus.ACTIVE,
        2,
        3,
        ["availability_substances", "parental_attitudes_substances", "early_initiation"],
    ),
    (
        "0188",
        "ANDT- och brottsförebyggande arbete i Norrtälje",
        date(2024, 9, 1),
        PlanStatus.ACTIVE,
        6,
        7,
        [
            "availability_substances",
            "friends_problem_behaviour",
            "low_school_commitment",
            "prosocial_involvement",
        ],
    ),
    (
        "0191",
        "Sigtunas plan för psykisk hälsa bland unga",
        date(2026, 2, 1),
        PlanStatus.DRAFT,
        0,
        1,
        ["bullying_victimisation", "school_connectedness"],
    ),
    (
        "0181",
        "Våldsförebyggande arbete i Södertälje",
        date(2025, 9, 1),
        PlanStatus.ACTIVE,
        3,
        4,
        ["gang_involvement", "family_management", "early_antisocial_behaviour"],
    ),
    (
        "0126",
        "Föräldraskapsstöd i Huddinge",
        date(2026, 1, 15),
        PlanStatus.ACTIVE,
        1,
        2,
        ["family_management", "family_attachment"],
    ),
]

# The demo plans' chosen interventions (step 4): registry key, target group, setting,
# participants per year. Invented numbers; the keys are the shipped registry's.
CHOSEN: dict[str, list[tuple[str, str, str, int]]] = {
    "0127": [
        ("komet", "Föräldrar till barn 3–11 år", "family", 48),
        ("mentors-in-violence-prevention", "Elever i åk 8", "school", 400),
    ],
    "0186": [
        ("orebro-prevention-programme", "Föräldrar till elever i åk 7–9", "school", 300),
        ("stad-responsible-beverage-service", "Serveringspersonal", "community", 80),
    ],
    "0188": [
        ("communities-that-care", "Hela kommunen", "community", 0),
        ("stad-responsible-beverage-service", "Serveringspersonal", "community", 60),
        ("unplugged", "Elever i åk 7", "school", 550),
    ],
    "0191": [
        ("kiva", "Elever i åk 1–9", "school", 2500),
        ("pax-good-behavior-game", "Elever i förskoleklass–åk 3", "school", 600),
    ],
    "0181": [
        ("mentors-in-violence-prevention", "Elever i åk 7–9", "school", 900),
        ("multisystemic-therapy", "Unga 12–17 år med normbrytande beteende", "family", 20),
    ],
    "0126": [("abc-alla-barn-i-centrum", "Föräldrar till barn 3–12 år", "family", 120)],
}


def _chosen(plan: Plan, code: str) -> None:
    registry = {i.key: i for i in services.interventions_for(plan.municipality.parent)}
    star = services.star_for(plan.municipality)
    for key, group, setting, participants in CHOSEN.get(code, []):
        if key not in registry:
            continue
        PlanIntervention.objects.create(
            plan=plan,
            intervention_key=key,
            target_group=group,
            setting=setting,
            participants_per_year=participants or None,
            factors=[f for f in registry[key].factors if f in star.factors],
            start=plan.start + timedelta(days=180),
            notes=NOTE,
        )


@transaction.atomic
def seed(progress: Callable[[str], None]) -> None:
    progress("prevention: interventions registry (starting set)")
    services.install_shipped_interventions()
    progress("prevention: demo plans")
    Plan.objects.filter(is_demo=True).delete()
    rng = random.Random(SEED)
    for code, title, start, status, done, in_progress, factors in PLANS:
        kommun = Area.objects.get(code=code)
        plan = services.create_plan(
            kommun,
            title=title,
            start=start,
            end=date(start.year + 3, start.month, 1),
            summary=NOTE,
            prioritised=factors,
            status=status,
            is_demo=True,
        )
        for view in services.plan_steps(plan):
            number = view.step.number
            step_start = start + timedelta(days=75 * (number - 1))
            if number <= done:
                status_value, ticked = StepStatus.DONE, [t.item_key for _i, t in view.ticks]
            elif number == in_progress:
                keys = [t.item_key for _i, t in view.ticks]
                status_value, ticked = (
                    StepStatus.IN_PROGRESS,
                    keys[: rng.randint(1, max(1, len(keys) - 1))],
                )
            else:
                status_value, ticked = StepStatus.NOT_STARTED, []
            perspectives = {
                note.perspective_key: (True, "Påhittad anteckning: diskuterat i styrgruppen.")
                for _p, note in view.perspectives
                if status_value == StepStatus.DONE
                or (status_value == StepStatus.IN_PROGRESS and rng.random() < 0.5)
            }
            services.update_step(
                view.step,
                status=status_value,
                start=step_start if status_value != StepStatus.NOT_STARTED else None,
                due=step_start + timedelta(days=90),
                notes=NOTE if status_value != StepStatus.NOT_STARTED else "",
                evidence="Påhittat: protokoll från styrgruppen."
                if status_value == StepStatus.DONE
                else "",
                ticked=ticked,
                perspective_notes=perspectives,
            )
        _targets(plan, kommun)
        _chosen(plan, code)


def _targets(plan: Plan, kommun: Area) -> None:
    try:
        observation_model = apps.get_model("indicators", "Observation")
    except LookupError:
        return
    codes = (
        observation_model.objects.filter(
            area=kommun, breakdown="total", category="total", value__isnull=False
        )
        .exclude(indicator__polarity="neutral")
        .order_by("indicator__sort_order", "indicator__code")
        .values_list("indicator__code", flat=True)
        .distinct()
    )
    for code in list(dict.fromkeys(codes))[:2]:
        rows = list(
            observation_model.objects.filter(
                indicator__code=code,
                area=kommun,
                breakdown="total",
                category="total",
                value__isnull=False,
            )
            .select_related("indicator")
            .order_by("period_end", "period")
        )
        first = rows[0]
        better = 0.9 if first.indicator.polarity == "low" else 1.1
        IndicatorTarget.objects.create(
            plan=plan,
            indicator_code=code,
            label=first.indicator.name_sv,
            baseline_value=first.value,
            baseline_period=first.period,
            target_value=round(first.value * better, 2) if first.value else 1.0,
            target_period=str(plan.end.year if plan.end else plan.start.year + 3),
        )

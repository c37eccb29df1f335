"""Small records for the national picture's tests: a county's support, plans and actor
activities, made here so each test knows exactly what a release should hold."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from jamlik.actors.models import Activity
from jamlik.geo.models import Area
from jamlik.prevention import services as prevention
from jamlik.prevention.models import PlanIntervention, StepStatus
from jamlik.support.models import (
    ActivityKind,
    Agreement,
    AgreementStatus,
    Commitment,
    CommitmentStatus,
    Participation,
    Party,
    Phase,
    SupportActivity,
)

KEY = "h5-test-programme"


def kommuner(county: Area, n: int = 2) -> list[Area]:
    return list(Area.objects.municipalities(county.code)[:n])


def support_records(county: Area) -> dict[str, Any]:
    """One joint network meeting (two kommuner), one dialogue (one kommun), one agreement
    in force with a done, an open and a cancelled commitment."""
    a, b = kommuner(county)
    recent = date.today() - timedelta(days=30)
    joint = SupportActivity.objects.create(
        county=county, kind=ActivityKind.NETWORK_MEETING, title="h5 nätverk", date=recent
    )
    for k in (a, b):
        Participation.objects.create(activity=joint, municipality=k, role="official", count=2)
    dialogue = SupportActivity.objects.create(
        county=county, kind=ActivityKind.DIALOGUE, title="h5 dialog", date=recent
    )
    Participation.objects.create(activity=dialogue, municipality=b, role="manager", count=1)
    agreement = Agreement.objects.create(
        county=county,
        municipality=a,
        title="h5 överenskommelse",
        parties="Länsstyrelsen och kommunen",
        start=recent,
        goals="Mål",
        status=AgreementStatus.ACTIVE,
    )
    for status in (CommitmentStatus.DONE, CommitmentStatus.OPEN, CommitmentStatus.CANCELLED):
        Commitment.objects.create(
            agreement=agreement, phase=Phase.DURING, party=Party.BOTH, text=status, status=status
        )
    return {"a": a, "b": b, "agreement": agreement}


def plan(kommun: Area, *, done: int = 0, title: str = "h5 plan", key: str = KEY) -> Any:
    p = prevention.create_plan(kommun, title=title, start=date(2025, 1, 1), status="active")
    p.steps.filter(number__lte=done).update(status=StepStatus.DONE)
    if key:
        PlanIntervention.objects.create(plan=p, intervention_key=key, target_group="unga")
    return p


def activity(kommun: Area, key: str = KEY) -> Activity:
    return Activity.objects.create(
        area=kommun, title="h5 insats", orientation="prevention", intervention_key=key
    )

"""Plans, users and roles for the plan-sharing tests (exchange of experience, issue 18)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jamlik.accounts.models import RoleKind
from jamlik.accounts.services import create_user, grant_role
from jamlik.prevention import services
from jamlik.prevention.models import IndicatorTarget, PlanIntervention, PlanStatus

SECRET_SUMMARY = "Hemlig sammanfattning om Tornparken"
SECRET_NOTES = "Hemliga stegnoteringar om styrgruppen"
SECRET_INTERVENTION = "Lokala läxhjälpen Kvarnbacken"
TARGET_LABEL = "Andel elever med behörighet (påhittad)"


@pytest.fixture
def people(users, geography) -> dict[str, Any]:  # noqa: ANN001
    """The demo users plus a county 03 admin, a partner of county 01, a user without roles."""
    from jamlik.actors.models import Actor

    county01 = geography.get(code="01")
    county03 = geography.get(code="03")
    admin03 = create_user("h5-lan03", "x-not-used-x")
    grant_role(admin03, RoleKind.COUNTY_ADMIN, county03)
    actor = Actor.objects.create(
        name="H5 regionens folkhälsoenhet",
        area=county01,
        county=county01,
        actor_type="region",
        level="regional",
    )
    partner = create_user("h5-partner", "x-not-used-x")
    grant_role(partner, RoleKind.PARTNER, county01, actor=actor)
    partner03_actor = Actor.objects.create(
        name="H5 Uppsala partner",
        area=county03,
        county=county03,
        actor_type="region",
        level="regional",
    )
    partner03 = create_user("h5-partner03", "x-not-used-x")
    grant_role(partner03, RoleKind.PARTNER, county03, actor=partner03_actor)
    nobody = create_user("h5-nobody", "x-not-used-x")
    return {
        **users,
        "lan03": admin03,
        "partner": partner,
        "partner03": partner03,
        "nobody": nobody,
    }


@pytest.fixture
def shared_plans(geography) -> dict[str, Any]:  # noqa: ANN001
    """Botkyrka's plan with a summary, step notes, a local intervention and a target;
    Lidingö's plain plan."""
    botkyrka = services.create_plan(
        geography.get(code="0127"),
        title="H5 Botkyrkas delningsplan",
        summary=SECRET_SUMMARY,
        start=date(2026, 1, 1),
        prioritised=["family_conflict", "school_connectedness"],
        status=PlanStatus.ACTIVE,
    )
    first = services.plan_steps(botkyrka)[0].step
    services.update_step(
        first,
        status="done",
        start=None,
        due=None,
        notes=SECRET_NOTES,
        evidence="",
        ticked=[],
        perspective_notes={},
    )
    PlanIntervention.objects.create(plan=botkyrka, local_name=SECRET_INTERVENTION)
    IndicatorTarget.objects.create(
        plan=botkyrka,
        indicator_code="H5X",
        label=TARGET_LABEL,
        baseline_value=10.0,
        baseline_period="2020",
        target_value=20.0,
        target_period="2028",
        current_value=21.0,
        current_period="2025",
    )
    lidingo = services.create_plan(
        geography.get(code="0186"),
        title="H5 Lidingös delningsplan",
        start=date(2026, 1, 1),
        status=PlanStatus.DRAFT,
    )
    botkyrka.refresh_from_db()
    return {"botkyrka": botkyrka, "lidingo": lidingo}

"""Shared fixtures of the plan-dialogue tests: Botkyrka's and Lidingö's plans, a partner."""

from __future__ import annotations

from datetime import date

import pytest

from jamlik.accounts.models import RoleKind
from jamlik.accounts.services import grant_role
from jamlik.prevention import services
from jamlik.prevention.models import PlanStatus


@pytest.fixture
def plan(geography):  # noqa: ANN001
    return services.create_plan(
        geography.get(code="0127"),
        title="Dialogplan Botkyrka",
        start=date(2026, 1, 1),
        status=PlanStatus.ACTIVE,
    )


@pytest.fixture
def other_plan(geography):  # noqa: ANN001
    return services.create_plan(
        geography.get(code="0186"), title="Dialogplan Lidingö", start=date(2026, 1, 1)
    )


@pytest.fixture
def step3(plan):  # noqa: ANN001
    return plan.steps.get(number=3)


@pytest.fixture
def partner(users, geography):  # noqa: ANN001
    """The demo "region" user with a partner role in Stockholms län for a test organisation."""
    from jamlik.actors.models import Actor

    county = geography.get(code="01")
    actor = Actor.objects.create(
        name="Regionens testenhet",
        area=county,
        county=county,
        actor_type="region",
        level="regional",
    )
    user = users["region"]
    user.roles.filter(kind=RoleKind.PARTNER).delete()
    grant_role(user, RoleKind.PARTNER, county, actor=actor)
    for cached in ("_jamlik_roles", "_jamlik_partner_actors"):
        if hasattr(user, cached):
            delattr(user, cached)
    return user


@pytest.fixture
def other_county_admin(db, geography):  # noqa: ANN001
    from jamlik.accounts.services import create_user

    user = create_user("dialog-lan03", "x-test-pass-123", email="lan03@example.se")
    grant_role(user, RoleKind.COUNTY_ADMIN, geography.get(code="03"))
    return user

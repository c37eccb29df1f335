"""Actors, a partner user and joint activities for the joint-support tests (issue 18, H1).

Names carry "H1" so that the tests find their own records in a database that may also
hold the demo.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from jamlik.accounts.models import RoleKind
from jamlik.accounts.services import create_user, grant_role
from jamlik.support import services
from jamlik.support.models import ActivityKind, OrganiserRole, ParticipantRole


def make_actor(area: Any, name: str, actor_type: str, **extra: Any) -> Any:
    from jamlik.actors.models import Actor

    return Actor.objects.create(
        name=name, area=area, county=area, actor_type=actor_type, level="regional", **extra
    )


@pytest.fixture
def actors(geography) -> dict[str, Any]:  # noqa: ANN001
    county01 = geography.get(code="01")
    county03 = geography.get(code="03")
    board = make_actor(county01, "H1 Länsstyrelsen", "county_board")
    return {
        "board": board,
        "unit": make_actor(
            county01, "H1 Länsstyrelsen, enheten", "county_board_unit", part_of=board
        ),
        "region": make_actor(county01, "H1 Regionens folkhälsoenhet", "region"),
        "kf": make_actor(county01, "H1 Kommunförbundet", "municipal"),
        "uppsala": make_actor(county03, "H1 Region Uppsala", "region"),
    }


@pytest.fixture
def partner(actors, users) -> Any:  # noqa: ANN001
    """A partner of county 01 acting for the region's public-health unit."""
    user = create_user("h1-partner", "x-not-used-x")
    grant_role(user, RoleKind.PARTNER, actors["region"].area, actor=actors["region"])
    return user


def _activity(county: Any, kommun: Any, title: str, kind: str, organisers: list) -> Any:
    return services.save_activity(
        county,
        {"kind": kind, "title": title, "date": date(2026, 3, 1), "support_type": "knowledge"},
        [services.ParticipationInput(kommun, ParticipantRole.OFFICIAL, 2)],
        organisers=organisers,
    )


@pytest.fixture
def joint(geography, actors) -> dict[str, Any]:  # noqa: ANN001
    """Botkyrka: a joint seminar (board + region); Nacka: the board alone; Botkyrka and
    Nacka: a dialogue with the kommunförbund; Uppsala (03): an activity of its region."""
    county = geography.get(code="01")
    botkyrka = geography.get(code="0127")
    nacka = geography.get(code="0182")
    lead = services.OrganiserInput(actors["unit"], OrganiserRole.LEAD, Decimal("8"))
    seminar = _activity(
        county,
        botkyrka,
        "H1 gemensamt seminarium",
        ActivityKind.SEMINAR,
        [
            lead,
            services.OrganiserInput(actors["region"], OrganiserRole.CO_ORGANISER, Decimal("4.5")),
        ],
    )
    alone = _activity(county, nacka, "H1 länsstyrelsen ensam", ActivityKind.TRAINING, [lead])
    dialogue = services.save_activity(
        county,
        {"kind": ActivityKind.DIALOGUE, "title": "H1 dialog", "date": date(2026, 4, 1)},
        [
            services.ParticipationInput(botkyrka, ParticipantRole.MANAGER, 1),
            services.ParticipationInput(nacka, ParticipantRole.MANAGER, 1),
        ],
        organisers=[
            services.OrganiserInput(actors["board"], OrganiserRole.LEAD),
            services.OrganiserInput(actors["kf"], OrganiserRole.CO_ORGANISER),
        ],
    )
    uppsala_county = geography.get(code="03")
    uppsala_kommun = geography.filter(parent=uppsala_county, level="municipality").first()
    uppsala = _activity(
        uppsala_county,
        uppsala_kommun,
        "H1 Uppsala seminarium",
        ActivityKind.SEMINAR,
        [services.OrganiserInput(actors["uppsala"], OrganiserRole.LEAD)],
    )
    return {
        "county": county,
        "botkyrka": botkyrka,
        "nacka": nacka,
        "seminar": seminar,
        "alone": alone,
        "dialogue": dialogue,
        "uppsala": uppsala,
    }

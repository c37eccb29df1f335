"""Demo users for the demo county (Stockholms län). Invented accounts, one password."""

from __future__ import annotations

from collections.abc import Callable

from jamlik.accounts.models import RoleKind
from jamlik.accounts.services import create_user, grant_role
from jamlik.geo.models import Area

DEMO_PASSWORD = "jamlik-demo"
DEMO_COUNTY = "01"

# username, description, role, area code
DEMO_USERS: list[tuple[str, str, RoleKind | None, str | None]] = [
    ("admin", "superuser (national administrator)", None, None),
    ("lan01", "county administrator, Stockholms län", RoleKind.COUNTY_ADMIN, "01"),
    ("botkyrka", "municipal editor, Botkyrka (0127)", RoleKind.EDITOR, "0127"),
    ("lidingo", "municipal editor, Lidingö (0186)", RoleKind.EDITOR, "0186"),
    ("viewer", "viewer, Stockholms län", RoleKind.VIEWER, "01"),
    # The partner role names an actor-map organisation, so the support demo grants it
    # once the actor map exists (jamlik.support.demo).
    ("region", "partner: the region's public-health unit, Stockholms län", RoleKind.PARTNER, "01"),
]


def seed(progress: Callable[[str], None]) -> None:
    progress("demo users")
    for username, _desc, kind, code in DEMO_USERS:
        user = create_user(
            username, DEMO_PASSWORD, email=f"{username}@example.se", superuser=kind is None
        )
        if kind is not None and kind != RoleKind.PARTNER:
            grant_role(user, kind, Area.objects.get(code=code))

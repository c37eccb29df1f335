"""Queries and changes about users and roles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from jamlik.accounts.models import Role, RoleKind
from jamlik.geo.models import Area, AreaLevel


def areas_user_can_edit(user: Any) -> list[Area]:
    """Kommuner (and their districts' parents) whose records ``user`` may change."""
    if not user.is_authenticated:
        return []
    if user.is_superuser or user.roles.filter(kind=RoleKind.NATIONAL).exists():
        return list(Area.objects.municipalities())
    county_ids = user.roles.filter(kind=RoleKind.COUNTY_ADMIN).values_list("area_id", flat=True)
    editor_ids = user.roles.filter(kind=RoleKind.EDITOR).values_list("area_id", flat=True)
    return list(
        Area.objects.filter(level=AreaLevel.MUNICIPALITY)
        .filter(Q(parent_id__in=list(county_ids)) | Q(pk__in=list(editor_ids)))
        .order_by("code")
    )


def counties_user_administers(user: Any) -> list[Area]:
    if not user.is_authenticated:
        return []
    if user.is_superuser or user.roles.filter(kind=RoleKind.NATIONAL).exists():
        return list(Area.objects.counties())
    return list(
        Area.objects.filter(roles__user=user, roles__kind=RoleKind.COUNTY_ADMIN).order_by("code")
    )


ROLE_LEVELS = {
    RoleKind.COUNTY_ADMIN: {AreaLevel.COUNTY},
    RoleKind.EDITOR: {AreaLevel.MUNICIPALITY},
    RoleKind.VIEWER: {AreaLevel.COUNTY, AreaLevel.MUNICIPALITY},
    RoleKind.PARTNER: {AreaLevel.COUNTY},
}


@transaction.atomic
def grant_role(user: Any, kind: RoleKind, area: Area | None, actor: Any = None) -> Role:
    """Give ``user`` a role, checking that the area fits the role.

    A partner role needs the actor-map organisation the user acts for (``actor``), in
    the same län; other roles take none.
    """
    if (kind == RoleKind.PARTNER) != (actor is not None):
        raise ValueError("A partner role, and only a partner role, names an organisation.")
    if actor is not None and area is not None and actor.county_id != area.pk:
        raise ValueError(f"{actor} is not in {area}.")
    if kind == RoleKind.NATIONAL:
        area = None
    else:
        allowed = ROLE_LEVELS[kind]
        if area is None or area.level not in allowed:
            names = " or ".join(sorted(str(level) for level in allowed))
            raise ValueError(f"A {kind.label} role needs a {names} area; got {area}.")
    role, _ = Role.objects.get_or_create(user=user, kind=kind, area=area, actor=actor)
    return role


def create_user(username: str, password: str, *, email: str = "", superuser: bool = False) -> Any:
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    if created or not user.check_password(password):
        user.set_password(password)
    if email and not user.email:
        user.email = email
    user.is_superuser = user.is_staff = superuser
    user.save()
    return user

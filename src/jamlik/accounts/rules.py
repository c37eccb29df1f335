"""Object-level permissions as ``rules`` predicates; the object is always an ``Area``.

* ``jamlik.edit_area``: change an area's records — the area's county administrator or an
  editor of that kommun (a district counts as its kommun).
* ``jamlik.view_area_unpublished``: see drafts and unpublished answers — any role for that
  kommun or its län.
* ``jamlik.admin_county``: county-level administration (rounds, support, agreements).
* ``jamlik.admin_national``: the national roll-up (superuser or national role).
"""

from __future__ import annotations

from typing import Any

import rules

from jamlik.accounts.models import RoleKind


def _scope(area: Any) -> tuple[int | None, int | None]:
    """(kommun id, län id) for an area; a län has no kommun id."""
    if area is None:
        return None, None
    if area.level == "district":
        area = area.parent
    if area.level == "municipality":
        return area.pk, area.parent_id
    if area.level == "county":
        return None, area.pk
    return None, None


def _roles(user: Any) -> list[tuple[str, int | None]]:
    cached = getattr(user, "_jamlik_roles", None)
    if cached is None:
        cached = list(user.roles.values_list("kind", "area_id"))
        user._jamlik_roles = cached
    return cached


@rules.predicate
def is_national(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_superuser or any(k == RoleKind.NATIONAL for k, _ in _roles(user)))
    )


def _holds(user: Any, area: Any, kind: RoleKind, level: str) -> bool:
    """Whether ``user`` has a ``kind`` role on the area's kommun or län (``level``)."""
    if not user.is_authenticated or area is None:
        return False
    kommun, county = _scope(area)
    target = kommun if level == "municipality" else county
    return target is not None and (kind, target) in _roles(user)


@rules.predicate
def is_county_admin_of(user: Any, area: Any) -> bool:
    return _holds(user, area, RoleKind.COUNTY_ADMIN, "county")


@rules.predicate
def is_editor_of(user: Any, area: Any) -> bool:
    return _holds(user, area, RoleKind.EDITOR, "municipality")


@rules.predicate
def has_any_role_in(user: Any, area: Any) -> bool:
    if not user.is_authenticated or area is None:
        return False
    kommun, county = _scope(area)
    mine = {a for _k, a in _roles(user)}
    return (kommun is not None and kommun in mine) or (county is not None and county in mine)


rules.add_perm("jamlik.edit_area", is_national | is_county_admin_of | is_editor_of)
rules.add_perm("jamlik.view_area_unpublished", is_national | has_any_role_in)
rules.add_perm("jamlik.admin_county", is_national | is_county_admin_of)
rules.add_perm("jamlik.admin_national", is_national)

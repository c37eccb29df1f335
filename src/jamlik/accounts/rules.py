"""Object-level permissions as ``rules`` predicates; the object is always an ``Area``.

* ``jamlik.edit_area``: change an area's records — the area's county administrator or an
  editor of that kommun (a district counts as its kommun).
* ``jamlik.view_area_unpublished``: see drafts and unpublished answers — any role for that
  kommun or its län.
* ``jamlik.admin_county``: county-level administration (rounds, support, agreements).
* ``jamlik.admin_national``: the national roll-up (superuser or national role).
* ``jamlik.partner_county``: a partner organisation's role in a län. It grants nothing by
  itself beyond what the pages check per record (the activities its organisation takes
  part in, plans shared with the county); a partner role never counts as "any role" for
  ``view_area_unpublished``.
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


def partner_actor_ids(user: Any) -> set[int]:
    """The actor-map organisations ``user`` acts for through partner roles (cached)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_jamlik_partner_actors", None)
    if cached is None:
        cached = set(
            user.roles.filter(kind=RoleKind.PARTNER, actor__isnull=False).values_list(
                "actor_id", flat=True
            )
        )
        user._jamlik_partner_actors = cached
    return cached


@rules.predicate
def is_partner_in(user: Any, area: Any) -> bool:
    return _holds(user, area, RoleKind.PARTNER, "county")


@rules.predicate
def has_any_role_in(user: Any, area: Any) -> bool:
    """Any role but a partner's on the area's kommun or län."""
    if not user.is_authenticated or area is None:
        return False
    kommun, county = _scope(area)
    mine = {a for k, a in _roles(user) if k != RoleKind.PARTNER}
    return (kommun is not None and kommun in mine) or (county is not None and county in mine)


rules.add_perm("jamlik.edit_area", is_national | is_county_admin_of | is_editor_of)
rules.add_perm("jamlik.view_area_unpublished", is_national | has_any_role_in)
rules.add_perm("jamlik.admin_county", is_national | is_county_admin_of)
rules.add_perm("jamlik.admin_national", is_national)
rules.add_perm("jamlik.partner_county", is_partner_in)

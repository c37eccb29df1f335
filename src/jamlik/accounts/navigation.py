"""Where a user's role lets them go: the links the menu and pages offer, per role.

A link that leads to a refusal (403, or a login page for a page that needs a role) is
noise for the people who follow it, so the main menu and in-page links ask here first.
Each rule restates the permission check of the view it links to, by calling the same
predicates (``jamlik.accounts.rules``) and services, so the menu and the view agree.

Nav rules have the signature ``rule(user, url) -> str | None``: the URL to link (the
default ``url``, perhaps with the user's own län or kommun) or None to leave the item out.
An app names its rule as the third element of a ``nav_items`` entry (a dotted path, so
``apps.py`` imports nothing at start-up).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jamlik.accounts.rules import is_national
from jamlik.accounts.services import areas_user_can_edit, counties_user_administers
from jamlik.geo.models import Area, AreaLevel


def _role_pairs(user: Any) -> list[tuple[str, Area]]:
    """(role kind, area) for each of the user's roles with an area, read once per request
    and kept on the user object: the menu asks several rules, each wants the areas."""
    cached = getattr(user, "_jamlik_role_pairs", None)
    if cached is None:
        cached = [
            (role.kind, role.area)
            for role in user.roles.select_related("area")
            if role.area is not None
        ]
        user._jamlik_role_pairs = cached
    return cached


def role_areas(user: Any) -> list[Area]:
    """The counties and kommuner the user holds a role for, counties first, by code."""
    if not user.is_authenticated:
        return []
    areas = {area for _kind, area in _role_pairs(user)}
    level_order = {AreaLevel.COUNTY: 0, AreaLevel.MUNICIPALITY: 1}
    return sorted(areas, key=lambda a: (level_order.get(a.level, 2), a.code))


def support_link(user: Any, url: str) -> str | None:
    """The support ladder: a län's ladder for national and län roles, a kommun's for kommun
    roles, and for a partner organisation (which may not open the ladder) the list of the
    activities it helps to organise.

    ``support:ladder`` needs ``jamlik.view_area_unpublished`` on the län (any role held
    on the län itself); ``support:municipality`` needs it on the kommun, which a kommun
    editor or viewer holds. Anonymous visitors would be sent to log in: no link.
    """
    from jamlik.accounts.models import RoleKind

    if not user.is_authenticated:
        return None
    if is_national(user):
        return url
    pairs = sorted(_role_pairs(user), key=lambda pair: pair[1].code)
    for kind, area in pairs:
        if area.level == AreaLevel.COUNTY and kind != RoleKind.PARTNER:
            return url if area.code == "01" else f"{url}?lan={area.code}"
    for kind, area in pairs:
        if area.level == AreaLevel.MUNICIPALITY and kind != RoleKind.PARTNER:
            return reverse("support:municipality", args=[area.code])
    for kind, area in pairs:  # a partner opens only its own activities (support.access)
        if kind == RoleKind.PARTNER:
            return f"{reverse('support:activities')}?lan={area.code}"
    return None


def edits_in(user: Any, county: Area | None = None) -> bool:
    """Whether the user may change records in ``county`` (any county when None).

    The same rule as the actor map's import and edit pages (``jamlik.actors.forms.
    editable_areas``): a län the user administers or a kommun they may edit.
    """
    if not user.is_authenticated:
        return False
    areas = list(counties_user_administers(user)) + list(areas_user_can_edit(user))
    if county is not None:
        areas = [a for a in areas if a.pk == county.pk or a.parent_id == county.pk]
    return bool(areas)


def sees_unpublished(user: Any, area: Area | None) -> bool:
    """``jamlik.view_area_unpublished`` on the area: drafts, county records, contacts."""
    return bool(user.is_authenticated and area is not None) and bool(
        user.has_perm("jamlik.view_area_unpublished", area)
    )


def works_in(user: Any, county: Area | None = None) -> bool:
    """A role in the county or one of its kommuner (any county when None).

    The rule of the actor map's inventory rounds: they are for the people who answer
    or run them, so a visitor without a role there is refused.
    """
    if not user.is_authenticated:
        return False
    if county is None:
        return is_national(user) or bool(role_areas(user))
    return sees_unpublished(user, county) or edits_in(user, county)


def own_indicators_link(user: Any, url: str) -> str | None:
    """The county's own indicators (``indicators:own-home``, which leads a county
    administrator to their län's list and shows a national administrator the counties):
    for holders of ``jamlik.admin_county`` on some län. Reads only the roles the
    permission check already cached, so the menu costs no query."""
    from jamlik.accounts.models import RoleKind
    from jamlik.accounts.rules import _roles

    if not user.is_authenticated:
        return None
    if is_national(user) or any(k == RoleKind.COUNTY_ADMIN for k, _a in _roles(user)):
        return url
    return None


def entry_link(user: Any, url: str) -> str | None:
    """Web data entry (``indicators:entry``): anyone who may edit a kommun's records, the
    same test as the view (``areas_user_can_edit``: national administrators, county
    administrators and kommun editors), read from the roles already loaded."""
    from jamlik.accounts.models import RoleKind
    from jamlik.accounts.rules import _roles

    if not user.is_authenticated:
        return None
    editing = (RoleKind.COUNTY_ADMIN, RoleKind.EDITOR)
    if is_national(user) or any(k in editing for k, _a in _roles(user)):
        return url
    return None


def completeness_link(user: Any, url: str) -> str | None:
    """The county's data-entry completeness (``indicators:completeness``, needs
    ``jamlik.admin_county`` on the län): a county administrator's own län, Stockholms län
    for national administrators. ``url`` (the entry page) is only the menu's default."""
    from jamlik.accounts.models import RoleKind

    if not user.is_authenticated:
        return None
    counties = sorted(
        area.code
        for kind, area in _role_pairs(user)
        if kind == RoleKind.COUNTY_ADMIN and area.level == AreaLevel.COUNTY
    )
    if not counties and not is_national(user):
        return None
    code = "01" if not counties or "01" in counties else counties[0]
    return reverse("indicators:completeness", args=[code])


def survey_link(user: Any, url: str) -> str | None:
    """The youth survey's import page for a county administrator (``surveys:county`` needs
    ``jamlik.admin_county`` on the län); the kommun profiles are linked from each kommun's
    situation picture, so others get no menu item."""
    if not user.is_authenticated:
        return None
    for area in role_areas(user):
        if area.level == AreaLevel.COUNTY and user.has_perm("jamlik.admin_county", area):
            return reverse("surveys:county", args=[area.code])
    return url if is_national(user) else None


def upward_national_link(user: Any, url: str) -> str | None:
    """Reporting upward (``upward:index``) as the national administrator sees it: the
    templates and each county's status (the view refuses everyone else)."""
    return url if user.is_authenticated and is_national(user) else None


def upward_county_link(user: Any, url: str) -> str | None:
    """Reporting to the national level for a county administrator (not a national one,
    who has the item above): the same page, listing their county's reports."""
    from jamlik.accounts.models import RoleKind
    from jamlik.accounts.rules import _roles

    if not user.is_authenticated or is_national(user):
        return None
    return url if any(k == RoleKind.COUNTY_ADMIN for k, _a in _roles(user)) else None


def national_picture_link(user: Any, url: str) -> str | None:
    """The national picture's hub (``national:hub``) for national administrators; county
    administrators may read it too, but reach it from their county's release page."""
    return url if user.is_authenticated and is_national(user) else None


def county_report_link(user: Any, url: str) -> str | None:
    """The county report: a county administrator, who writes it, goes straight to the
    county's report for this year; a national administrator to the list of counties
    (``reports:county-report-home``)."""
    from datetime import date

    if not user.is_authenticated:
        return None
    for area in role_areas(user):
        if area.level == AreaLevel.COUNTY and user.has_perm("jamlik.admin_county", area):
            return reverse("reports:county-report", args=[area.code, date.today().year])
    return url if is_national(user) else None

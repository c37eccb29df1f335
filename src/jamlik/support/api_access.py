"""Refusals and area lookups shared by the support and prevention JSON APIs.

The API answers anonymous callers with 401 and callers without the permission
with 403 (never a login redirect), and an unknown area code with 404 naming it.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError

from jamlik.geo.models import Area


def allow(request: HttpRequest, perm: str, area: Area) -> None:
    """Raise 401 for anonymous callers and 403 unless the user holds ``perm`` on ``area``."""
    if not request.user.is_authenticated:
        raise HttpError(401, "Log in first.")
    if not request.user.has_perm(perm, area):
        raise HttpError(403, "You do not have permission for this area.")


def allow_activities(request: HttpRequest, county: Area) -> None:
    """Like :func:`allow` for a county's support activities, which a partner organisation
    may also read (its own ones only: ``jamlik.support.access.visible_activities``)."""
    from jamlik.support.access import sees_all_support

    if not request.user.is_authenticated:
        raise HttpError(401, "Log in first.")
    if not (
        sees_all_support(request.user, county)
        or request.user.has_perm("jamlik.partner_county", county)
    ):
        raise HttpError(403, "You do not have permission for this area.")


def area_or_404(code: str, level: str) -> Area:
    """The area of ``level`` with ``code``, or a 404 naming what was asked for."""
    area = Area.objects.filter(code=code, level=level).first()
    if area is None:
        raise HttpError(404, f"No {level} with code {code!r}.")
    return area

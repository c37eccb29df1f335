"""The support section on kommun and county pages (only for users with a role there)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _

from jamlik.core.sections import Section
from jamlik.geo.models import Area, AreaLevel
from jamlik.support import services


def area_sections(area: Area, request: HttpRequest) -> list[Section]:
    if not request.user.has_perm("jamlik.view_area_unpublished", area):
        return []
    today = date.today()
    if area.level == AreaLevel.MUNICIPALITY:
        row = services.ladder_for_municipality(area, today, request.LANGUAGE_CODE)
        return [
            Section(
                title=_("Support from the county board"),
                template="support/section_municipality.html",
                context={
                    "row": row,
                    "agreements": services.Agreement.objects.filter(municipality=area),
                },
                anchor="support",
            )
        ]
    if area.level == AreaLevel.COUNTY:
        rows = services.ladder_for_county(area, today)
        counts = [(n, sum(r.status.step == n for r in rows)) for n in range(0, 5)]
        return [
            Section(
                title=_("Support ladder"),
                template="support/section_county.html",
                context={"counts": counts, "county": area, "demo": any(r.is_demo for r in rows)},
                anchor="support",
            )
        ]
    return []

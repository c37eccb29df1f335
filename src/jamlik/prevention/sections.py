"""The plans section on kommun and county pages (only for users with a role there)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from jamlik.core.sections import Section
from jamlik.geo.models import Area, AreaLevel
from jamlik.prevention import services


def area_sections(area: Area, request: HttpRequest) -> list[Section]:
    if not request.user.has_perm("jamlik.view_area_unpublished", area):
        return []
    if area.level == AreaLevel.MUNICIPALITY:
        plans = [(p, services.plan_progress(p)) for p in services.plans_for_municipality(area)]
        return [
            Section(
                title=_("Plans through the eight steps"),
                template="prevention/section_municipality.html",
                context={
                    "plans": plans,
                    "can_edit": request.user.has_perm("jamlik.edit_area", area),
                    "demo": any(p.is_demo for p, _pr in plans),
                    "factor_count": len(services.prioritised_factors(area)),
                },
                anchor="plans",
            )
        ]
    if area.level == AreaLevel.COUNTY:
        plans = list(services.plans_for_county(area))
        return [
            Section(
                title=_("Plans through the eight steps"),
                template="prevention/section_county.html",
                context={
                    "plan_count": len(plans),
                    "kommun_count": len({p.municipality_id for p in plans}),
                    "county": area,
                    "demo": any(p.is_demo for p in plans),
                },
                anchor="plans",
            )
        ]
    return []

"""The socioeconomic section on kommun and county pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from jamlik.core.sections import Section
from jamlik.economics import services
from jamlik.geo.models import AreaLevel


def area_sections(area: Any, request: HttpRequest) -> list[Section]:
    """Scenarios of a kommun (or of every kommun in a county) the visitor may see."""
    if area.level == AreaLevel.MUNICIPALITY:
        scenarios = list(services.visible_scenarios(request.user, area))
        can_create = services.can_edit(request.user, area)
    elif area.level == AreaLevel.COUNTY:
        scenarios = list(services.visible_scenarios(request.user).filter(area__parent=area))
        can_create = False
    else:
        return []
    if not scenarios and not can_create:
        return []
    return [
        Section(
            title=_("Socioeconomic scenarios"),
            template="economics/_section.html",
            context={
                "economic_scenarios": scenarios,
                "can_create": can_create,
                "any_demo": any(s.is_demo for s in scenarios),
            },
            anchor="economics",
        )
    ]

"""The lägesbild sections on the geo app's kommun and county pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from jamlik.core.sections import Section
from jamlik.geo.models import AreaLevel
from jamlik.indicators.services import comparisons_for_area


def area_sections(area: Any, request: HttpRequest) -> list[Section]:
    """A short summary: how many indicators are better, similar or worse, with links.

    Cheap on purpose (a few queries): the full picture is one click away.
    """
    if area.level == AreaLevel.MUNICIPALITY:
        link = reverse("indicators:profile", args=[area.code])
    elif area.level == AreaLevel.COUNTY:
        link = reverse("indicators:overview", args=[area.code])
    else:
        return []
    summary: dict[str, list[Any]] = {}
    if area.level == AreaLevel.MUNICIPALITY:
        for indicator, comparison, period in comparisons_for_area(
            area, user=getattr(request, "user", None)
        ):
            summary.setdefault(str(comparison), []).append((indicator, period))
    return [
        Section(
            title=_("Situation picture"),
            template="indicators/_area_section.html",
            context={
                "link": link,
                "worse": summary.get("much_worse", []) + summary.get("worse", []),
                "counts": {
                    "better": len(summary.get("better", [])) + len(summary.get("much_better", [])),
                    "similar": len(summary.get("similar", [])),
                    "worse": len(summary.get("worse", [])) + len(summary.get("much_worse", [])),
                },
                "is_kommun": area.level == AreaLevel.MUNICIPALITY,
            },
            anchor="lagesbild",
        )
    ]

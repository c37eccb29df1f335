"""``{% mandatory_source_notes %}``: the sources' mandatory notes for a page's figures.

Used by ``indicators/_source_notes.html`` so that a page needs one include
line, not a change to its view (see :mod:`jamlik.indicators.source_notes`).
"""

from __future__ import annotations

from typing import Any

from django import template

from jamlik.indicators.source_notes import mandatory_notes

register = template.Library()


def _ids(value: Any) -> list[int]:
    if value is None or value == "":
        return []
    items = value if isinstance(value, list | tuple | set) else [value]
    return [int(getattr(item, "pk", item)) for item in items if item is not None]


@register.simple_tag
def mandatory_source_notes(indicator: Any = None, area: Any = None) -> list[str]:
    """Notes for ``indicator`` (one or several; every indicator when none) and, when
    ``area`` is given, the figures of that area and the areas above it."""
    area_ids = None
    if area:
        area_ids = []
        node = area
        while node is not None:
            area_ids.append(node.pk)
            node = node.parent
    indicators = _ids(indicator)
    if not indicators:
        from jamlik.indicators.models import Indicator

        indicators = list(Indicator.objects.values_list("pk", flat=True))
    return mandatory_notes(indicators, area_ids)

"""Areas API: the geography hierarchy.

Each call is one query for the areas (plus one to check ``parent``): whether an area has
a boundary is asked of the database (``boundary IS NOT NULL``) instead of loading each
GeoJSON geometry, and the parent's code comes from a join, not a query per area.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from jamlik.geo.models import Area

router = Router(tags=["areas"])


class AreaOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None
    tile_x: int | None
    tile_y: int | None
    has_boundary: bool


#: The columns of :class:`AreaOut`, read straight from the database (``parent`` renamed).
COLUMNS = ("code", "name", "level", "parent__code", "tile_x", "tile_y", "has_boundary")


def area_rows(queryset: QuerySet[Area]) -> list[dict[str, Any]]:
    """``queryset`` as :class:`AreaOut` dictionaries, ordered by code, in one query."""
    rows = (
        queryset.annotate(
            has_boundary=ExpressionWrapper(Q(boundary__isnull=False), output_field=BooleanField())
        )
        .order_by("code")
        .values(*COLUMNS)
    )
    return [{**row, "parent": row.pop("parent__code")} for row in rows]


@router.get("", response=list[AreaOut], summary="List areas")
def list_areas(
    request: HttpRequest, parent: str | None = None, level: str | None = None
) -> list[dict[str, Any]]:
    """Areas, optionally the children of ``parent`` (e.g. ``parent=01`` gives Stockholms län's kommuner)."""
    qs = Area.objects.all()
    if parent is not None:
        qs = qs.filter(parent=get_object_or_404(Area.objects.only("pk"), code=parent))
    if level is not None:
        qs = qs.filter(level=level)
    return area_rows(qs)


@router.get("/{code}", response=AreaOut, summary="One area")
def get_area(request: HttpRequest, code: str) -> dict[str, Any]:
    found = area_rows(Area.objects.filter(code=code))
    if not found:
        raise Http404("No Area matches the given query.")
    return found[0]

"""Areas API: the geography hierarchy."""

from __future__ import annotations

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


def _out(area: Area, parent_code: str | None) -> AreaOut:
    return AreaOut(
        code=area.code,
        name=area.name,
        level=area.level,
        parent=parent_code,
        tile_x=area.tile_x,
        tile_y=area.tile_y,
        has_boundary=area.boundary is not None,
    )


@router.get("", response=list[AreaOut], summary="List areas")
def list_areas(request, parent: str | None = None, level: str | None = None) -> list[AreaOut]:
    """Areas, optionally the children of ``parent`` (e.g. ``parent=01`` gives Stockholms län's kommuner)."""
    qs = Area.objects.select_related("parent").defer("boundary")
    if parent is not None:
        get_object_or_404(Area, code=parent)
        qs = qs.filter(parent__code=parent)
    if level is not None:
        qs = qs.filter(level=level)
    return [_out(a, a.parent.code if a.parent else None) for a in qs.order_by("code")]


@router.get("/{code}", response=AreaOut, summary="One area")
def get_area(request, code: str) -> AreaOut:
    area = get_object_or_404(Area.objects.select_related("parent"), code=code)
    return _out(area, area.parent.code if area.parent else None)

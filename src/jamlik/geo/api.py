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
from ninja.errors import HttpError

from jamlik.geo import peers
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


class KommungruppOut(Schema):
    code: str
    name_sv: str
    name_en: str
    #: Number of kommuner in the group, this one included.
    size: int


class NeighbourOut(Schema):
    code: str
    name: str
    #: Euclidean distance over the indicators' z-scores (standard deviations).
    distance: float


class PeersOut(Schema):
    code: str
    name: str
    kommungrupp: KommungruppOut | None
    #: The indicators similar kommuner are found on, and the period used of each.
    indicators: list[str]
    periods: dict[str, str]
    k: int
    neighbours: list[NeighbourOut]
    #: Kommuner with published values for every indicator (neighbours are sought among
    #: them) and those left out for lacking one.
    searched: int
    left_out: list[str]


@router.get("/{code}/peers", response=PeersOut, summary="A kommun's peer groups")
def area_peers(request: HttpRequest, code: str, k: int = peers.DEFAULT_K) -> dict[str, Any]:
    """The kommun's SKR kommungrupp (2023) and its ``k`` most similar kommuner on the
    latest published values (see /metoder/#liknande-kommuner), nearest first."""
    area = Area.objects.filter(code=code).values("code", "name", "level").first()
    if area is None:
        raise Http404("No Area matches the given query.")
    if area["level"] != "municipality":
        raise HttpError(422, f"code: {code} is not a kommun; peer groups are for kommuner only.")
    if not 1 <= k <= 50:
        raise HttpError(422, f"k: {k} is outside 1–50.")
    group = peers.group_of(code)
    table = peers.neighbour_table()
    found = peers.nearest(table.values, code, k)
    names = dict(Area.objects.filter(code__in=[n.code for n in found]).values_list("code", "name"))
    return {
        "code": area["code"],
        "name": area["name"],
        "kommungrupp": None
        if group is None
        else {
            "code": group.code,
            "name_sv": group.name_sv,
            "name_en": group.name_en,
            "size": len(peers.members(group.code)),
        },
        "indicators": [i.code for i in peers.PEER_INDICATORS],
        "periods": table.periods,
        "k": k,
        "neighbours": [
            {"code": n.code, "name": names.get(n.code, ""), "distance": round(n.distance, 4)}
            for n in found
        ],
        "searched": len(table.values),
        "left_out": list(table.left_out),
    }

"""Indicators API: the catalogue and disclosure-controlled observations (JSON or CSV).

``/api/v1/indicators`` lists the catalogue; ``/api/v1/observations`` returns
observations for one or more indicators, filtered by area, period and
breakdown, as JSON or (``format=csv``) as a CSV file.  Rows come from the
protected public table, where disclosure control was applied over the whole
table a row belongs to, so a narrow query cannot reveal what a wide one hides.
JSON pages are read in SQL a page at a time and CSV is streamed
(:mod:`jamlik.indicators.api_pages`), so neither loads every matching row.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import NinjaJSONEncoder

from jamlik.core.csv_stream import streaming_csv_response
from jamlik.geo.models import Area
from jamlik.indicators.api_pages import (
    ObservationFilter,
    any_demo,
    cells_with_dimensions,
    iter_rows,
    plan_for,
    read_page,
    stored_cells,
)
from jamlik.indicators.cross_tables import category_order
from jamlik.indicators.labels import breakdown_label, cell_label
from jamlik.indicators.models import Indicator
from jamlik.indicators.public import MAX_INDICATORS
from jamlik.indicators.queries import visibility_for
from jamlik.sources.observations import DIMENSION_SEPARATOR, TOTAL, split_breakdown

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    code: str
    name_sv: str
    name_en: str
    definition_sv: str
    definition_en: str
    value_type: str
    unit: str
    multiplier: int
    polarity: str
    target_areas: list[int]
    problem_areas: list[str]
    source: str
    source_id: str
    disclosure_threshold: int
    #: The county whose own indicator this is (its code); null for the shared catalogue.
    owner: str | None = None
    #: The id the county chose; every definition version shares it ("" in the catalogue).
    series: str = ""
    #: Definition version within the series: a changed definition starts a new one.
    series_version: int = 1
    #: False for an older definition: its values stay, new ones go to the current version.
    current: bool = True
    #: The code of the previous definition version, if any.
    previous: str | None = None
    factors: list[str] = []


class ObservationOut(Schema):
    indicator: str
    area: str
    area_name: str
    period: str
    breakdown: str
    category: str
    numerator: float | None
    denominator: float | None
    value: float | None
    lower: float | None
    upper: float | None
    note: str
    source: str
    suppressed: bool
    is_demo: bool
    published: bool
    #: The source's status symbol: "" (a value), "unavailable" (..), "none" (-: nothing to
    #: report) or "confidential" (.), so a missing value says why it is missing.
    status: str
    #: The source's mandatory notes on the table the row comes from, joined by " | ".
    source_notes: str


class ObservationPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[ObservationOut]


def _indicator_out(ind: Indicator) -> IndicatorOut:
    return IndicatorOut(
        code=ind.code,
        name_sv=ind.name_sv,
        name_en=ind.name_en,
        definition_sv=ind.definition_sv,
        definition_en=ind.definition_en,
        value_type=ind.value_type,
        unit=ind.unit_label,
        multiplier=ind.multiplier,
        polarity=ind.polarity,
        target_areas=list(ind.target_areas),
        problem_areas=list(ind.problem_areas),
        source=ind.source,
        source_id=ind.source_id,
        disclosure_threshold=ind.disclosure_threshold,
        owner=ind.owner.code if ind.owner_id else None,
        series=ind.series,
        series_version=ind.series_version,
        current=ind.current,
        previous=ind.previous.code if ind.previous_id else None,
        factors=list(ind.factors),
    )


@router.get("/indicators", response=list[IndicatorOut], summary="The indicator catalogue")
def list_indicators(
    request: HttpRequest, target_area: int | None = None, county: str | None = None
) -> list[IndicatorOut]:
    """Every indicator, optionally only those of one målområde (1-8; 0 = outcomes).

    Counties' own indicators are listed too (``owner`` is the county's code); with
    ``county`` (a län code) only the shared catalogue and that county's own indicators
    in their current definition, as the county's pages show them."""
    from jamlik.indicators.own import indicators_for

    query = Indicator.objects.select_related("owner", "previous")
    if county is not None:
        area = Area.objects.filter(code=county, level="county").first()
        if area is None:
            raise HttpError(400, f"county: {county!r} is not a län code (01-25)")
        ids = [i.pk for i in indicators_for(area)]
        query = query.filter(pk__in=ids)
    indicators = list(query)
    if target_area is not None:
        indicators = [
            i
            for i in indicators
            if (target_area in i.target_areas) or (target_area == 0 and not i.target_areas)
        ]
    return [_indicator_out(i) for i in indicators]


@router.get("/indicators/{code}", response=IndicatorOut, summary="One indicator")
def get_indicator(request: HttpRequest, code: str) -> IndicatorOut:
    return _indicator_out(
        get_object_or_404(Indicator.objects.select_related("owner", "previous"), code=code)
    )


CSV_COLUMNS = [(k, k) for k in ObservationOut.model_fields]


def _dimensions(raw: list[str]) -> dict[str, str]:
    """``name:category`` filters as a mapping; a clear 400 for anything else."""
    out: dict[str, str] = {}
    for item in raw:
        name, sep, category = item.partition(":")
        name, category = name.strip(), category.strip()
        if not sep or not name or not category or DIMENSION_SEPARATOR in item:
            raise HttpError(
                400,
                f"dimension must be name:category, e.g. sex:female (got {item!r}); "
                f"repeat it for several dimensions.",
            )
        if out.get(name, category) != category:
            raise HttpError(400, f"dimension {name!r} is given twice with different categories.")
        out[name] = category
    return out


class CategoryOut(Schema):
    category: str
    #: The category of each dimension (``{"age": "65-84", "sex": "female"}``).
    dimensions: dict[str, str]
    label_sv: str
    label_en: str


class BreakdownOut(Schema):
    breakdown: str
    #: The dimensions of the breakdown, in name order (one for a single breakdown).
    dimensions: list[str]
    label_sv: str
    label_en: str
    categories: list[CategoryOut]


@router.get(
    "/indicators/{code}/breakdowns",
    response=list[BreakdownOut],
    summary="The breakdowns and categories of one indicator",
)
def list_breakdowns(request: HttpRequest, code: str) -> list[BreakdownOut]:
    """Every breakdown stored for the indicator (``total`` first, single dimensions, then
    cross tables such as ``age*sex``), with its categories and their Swedish and
    English names: the values the ``breakdown``, ``category`` and ``dimension``
    filters of ``/api/v1/observations`` take."""
    indicator = get_object_or_404(Indicator, code=code)
    by_breakdown: dict[str, list[str]] = {}
    for _i, breakdown, category in stored_cells([indicator.pk], visibility_for(request.user)):
        by_breakdown.setdefault(breakdown, []).append(category)
    order = sorted(by_breakdown, key=lambda b: (b != TOTAL, b.count(DIMENSION_SEPARATOR), b))

    def labels(function: Any, *args: str) -> dict[str, str]:
        out = {}
        for language in ("sv", "en"):
            with translation.override(language):
                out[f"label_{language}"] = function(*args)
        return out

    return [
        BreakdownOut(
            breakdown=b,
            dimensions=[] if b == TOTAL else b.split(DIMENSION_SEPARATOR),
            **labels(breakdown_label, b),
            categories=[
                CategoryOut(
                    category=c,
                    dimensions=split_breakdown(b, c),
                    **labels(cell_label, b, c),
                )
                for c in sorted(
                    by_breakdown[b],
                    key=lambda c, b=b: [
                        category_order(d, part) for d, part in split_breakdown(b, c).items()
                    ],
                )
            ],
        )
        for b in order
    ]


@router.get("/observations", response=ObservationPage, summary="Observations (JSON or CSV)")
def list_observations(
    request: HttpRequest,
    indicator: str,
    area: str | None = None,
    period: str | None = None,
    breakdown: str | None = None,
    category: str | None = None,
    dimension: Annotated[
        list[str] | None,
        Query(
            None,
            description=(
                "name:category, repeatable: rows split by that dimension into that "
                "category (sex:female); name:total for rows not split by it."
            ),
            examples=["sex:female"],
        ),
    ] = None,
    format: str = "json",
    limit: int = 1000,
    offset: int = 0,
) -> Any:
    """Observations of up to ten indicators (comma-separated ids).

    Filters: ``area`` (comma-separated codes), ``period`` (a label such as
    ``2024`` or ``2021-2024``), ``breakdown`` (``total``, ``sex``,
    ``education``…, or a cross table of several dimensions joined by ``*`` in
    name order: ``age*sex``, whose categories are joined the same way:
    ``65-84*female``) and ``category``.  ``dimension=name:category``, repeated
    for several, keeps the rows split by that dimension into that category,
    whatever other dimensions they have (``dimension=sex:female`` gives the
    women of the sex margin and of every cross table with sex);
    ``dimension=age:total`` keeps rows not split by age.  The breakdowns and
    categories of an indicator are listed at
    ``/api/v1/indicators/{code}/breakdowns``.  ``format=csv`` returns every matching
    row as CSV (UTF-8 with BOM); JSON is paged with ``limit`` (≤ 5000) and
    ``offset``.  Suppressed counts are returned as null with ``suppressed``
    true.  Only published data is returned, except that a signed-in user with
    a role for an area also gets that area's unpublished imports
    (``published`` false).
    """
    codes = [c.strip() for c in indicator.split(",") if c.strip()]
    if not codes or len(codes) > MAX_INDICATORS:
        raise HttpError(400, f"Give between 1 and {MAX_INDICATORS} indicator ids, comma-separated.")
    if format not in ("json", "csv"):
        raise HttpError(400, "format must be 'json' or 'csv'.")
    if not 1 <= limit <= 5000 or offset < 0:
        raise HttpError(400, "limit must be 1-5000 and offset 0 or more.")
    indicators = dict(Indicator.objects.filter(code__in=codes).order_by().values_list("pk", "code"))
    unknown = sorted(set(codes) - set(indicators.values()))
    if unknown:
        raise HttpError(404, f"Unknown indicator(s): {', '.join(unknown)}.")
    area_ids = None
    if area:
        wanted_areas = [c.strip() for c in area.split(",")]
        area_ids = tuple(
            Area.objects.filter(code__in=wanted_areas).order_by().values_list("pk", flat=True)
        )
    cells = None
    if dimension:
        wanted_dimensions = _dimensions(dimension)
        cells = cells_with_dimensions(
            stored_cells(list(indicators), visibility_for(request.user)), wanted_dimensions
        )
    wanted = ObservationFilter(indicators, area_ids, period, breakdown, category, cells)
    visibility = visibility_for(request.user)
    plan = plan_for(wanted, visibility)
    if format == "csv":
        demo = any_demo(wanted, visibility)
        rows = iter_rows(wanted, visibility, plan)
        return streaming_csv_response("observations.csv", CSV_COLUMNS, rows, demo=demo)
    page = {
        "count": plan.count,
        "limit": limit,
        "offset": offset,
        "results": read_page(wanted, visibility, plan, offset, limit),
    }
    # The rows already have ObservationOut's fields, types and order (tests check the
    # schema), so they are written as they are: validating every row again cost 2/3 of
    # a page's time.
    return HttpResponse(
        json.dumps(page, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8"
    )

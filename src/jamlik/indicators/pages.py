"""Context for the three lägesbild pages and their CSV downloads.

Views stay thin: each calls one function here, which asks :mod:`analysis`
for the numbers and shapes them into rows for tables, charts and CSV files.
The same rows feed the chart, its data table and its CSV, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from jamlik.geo.maps import MAP_BOUNDARIES, MAP_PARAMETER, MAP_TILES, county_map
from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators import analysis
from jamlik.indicators.labels import (
    METHOD_ANCHORS,
)
from jamlik.indicators.models import Indicator
from jamlik.indicators.presentation import MatrixCells, comparison_marker, tile_class
from jamlik.indicators.viewstate import Benchmark, ViewState


def spark_polyline(values: list[float], width: float = 100, height: float = 24) -> str:
    """Points of a polyline drawing ``values`` left to right in a ``width`` × ``height`` box."""
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = width / (len(values) - 1)
    return " ".join(
        f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"
        for i, v in enumerate(values)
    )


def clean_number(x: Any) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def methods_url(key: str) -> str:
    """Link to the method's anchor on the methods page, in the active language."""
    prefix = "en-" if (get_language() or "sv").startswith("en") else ""
    return reverse("core:methods") + "#" + prefix + METHOD_ANCHORS.get(key, key)


def benchmark_area(area: Area, state: ViewState) -> Area:
    """The comparator: the area's county, or Sweden."""
    if state.benchmark is Benchmark.COUNTRY or area.level == AreaLevel.COUNTRY:
        return Area.objects.country()
    county = area if area.level == AreaLevel.COUNTY else area.county
    return county or Area.objects.country()


# ---------------------------------------------------------------- overview
@dataclass
class OverviewRow:
    """One indicator of the matrix: its benchmark value and its cells, already HTML."""

    indicator: Indicator
    #: The benchmark area's value (NaN when it has none).
    benchmark: float
    #: The row of :attr:`OverviewPage.figures`.
    index: int
    cells_html: SafeString = field(default_factory=lambda: SafeString(""))


@dataclass
class OverviewPage:
    title: str
    parent: Area
    benchmark: Area
    areas: list[Area]
    groups: list[tuple[str, list[OverviewRow]]]
    state: ViewState
    is_demo: bool
    figures: analysis.OverviewFigures
    map: Any = None
    map_indicator: Indicator | None = None
    legend: list[Any] = field(default_factory=list)
    quintile_url: str = ""
    periods: list[str] = field(default_factory=list)
    shapes: list[dict[str, Any]] = field(default_factory=list)


def overview_page(
    parent: Area,
    state: ViewState,
    *,
    user: Any = None,
    with_cells: bool = True,
    map_kind: str = MAP_BOUNDARIES,
) -> OverviewPage:
    """County overview (kommuner of a län) or national overview (all kommuner).

    Published data only, unless ``user`` may see unpublished imports for some kommuner.
    The figures come from :func:`analysis.overview` (cached per publication for the
    public); the cells' HTML is built here in one pass per row (``with_cells``;
    the CSV download needs none).
    """
    from jamlik.indicators.queries import visibility_for

    visibility = visibility_for(user)
    if parent.level == AreaLevel.COUNTRY:
        # no map on the national page: leave the 290 boundaries in the database
        areas = list(Area.objects.municipalities().defer("boundary"))
        bench = parent
        state = ViewState(**{**state.__dict__, "bench": Benchmark.COUNTRY.value})
    else:
        areas = list(Area.objects.municipalities(parent.code))
        bench = benchmark_area(parent, state)
    periods = analysis.available_periods(visibility=visibility)
    if state.period not in periods:
        state = ViewState(**{**state.__dict__, "period": ""})
    result = analysis.overview(
        areas,
        bench,
        sex=state.sex,
        language=get_language() or "sv",
        period=state.period,
        visibility=visibility,
    )
    figures = result.figures
    cells = MatrixCells(analysis.MARKER_KEYS) if with_cells else None
    groups = []
    for group in result.groups:
        rows = []
        for ind in group.indicators:
            i = figures.row(ind.pk)
            row = OverviewRow(ind, float(figures.benchmark[i]), i)
            if cells is not None:
                row.cells_html = cells.row(
                    figures.value[i], figures.marker[i], figures.suppressed[i], figures.published[i]
                )
            rows.append(row)
        groups.append((group.name, rows))
    page = OverviewPage(
        title=parent.name,
        parent=parent,
        benchmark=bench,
        areas=areas,
        groups=groups,
        state=state,
        is_demo=result.is_demo,
        figures=figures,
        periods=periods,
        legend=[
            comparison_marker(c)
            for c in ("better", "similar", "worse", "higher", "lower", "not_compared")
        ],
        quintile_url=methods_url("quantiles"),
    )
    indicators = [row.indicator for _name, rows in groups for row in rows]
    chosen = next((i for i in indicators if i.code == state.indicator), None)
    if parent.level == AreaLevel.COUNTY and indicators and with_cells:
        chosen = chosen or indicators[0]
        i = figures.row(chosen.pk)
        classes, labels = {}, {}
        for j, area in enumerate(areas):
            key = analysis.MARKER_KEYS[figures.marker[i, j]]
            marker = comparison_marker(key)
            classes[area.code] = tile_class(key)
            value = clean_number(figures.value[i, j])
            labels[area.code] = (
                f"{marker.symbol} {value:.1f}".replace(".", ",") if value is not None else "–"
            )
        page.map = county_map(areas, classes=classes, labels=labels, kind=map_kind)
        query = state.to_query()
        page.map.toggle_url = (
            f"{query or '?'}{'&' if query else ''}{MAP_PARAMETER}={MAP_TILES}"
            if page.map.kind == "boundaries"
            else query or "?"
        )
        page.map_indicator = chosen
        if page.map.kind == "boundaries":
            # The shared map draws boundaries uncoloured; colour them here, with
            # the value and comparison in each shape's title as the text cue.
            page.shapes = [
                {
                    "area": area,
                    "path": path,
                    "css": classes.get(area.code, ""),
                    "label": labels.get(area.code, ""),
                }
                for area, path in page.map.shapes
            ]
    return page


def overview_csv_rows(page: OverviewPage) -> list[dict[str, Any]]:
    """One row per indicator and area, with the words of the page's comparisons."""
    figures = page.figures
    labels = [str(comparison_marker(k).label) for k in analysis.MARKER_KEYS]
    rows = []
    for _name, group_rows in page.groups:
        for row in group_rows:
            i = row.index
            period = figures.periods[i]
            benchmark = clean_number(row.benchmark)
            for area, present, value, lower, upper, marker, hidden, public in zip(
                page.areas,
                figures.present[i].tolist(),
                figures.value[i].tolist(),
                figures.lower[i].tolist(),
                figures.upper[i].tolist(),
                figures.marker[i].tolist(),
                figures.suppressed[i].tolist(),
                figures.published[i].tolist(),
                strict=True,
            ):
                rows.append(
                    {
                        "indicator": row.indicator.code,
                        "indicator_name": row.indicator.name,
                        "area": area.code,
                        "area_name": area.name,
                        "period": period if present else "",
                        "value": clean_number(value),
                        "lower": clean_number(lower),
                        "upper": clean_number(upper),
                        "benchmark": benchmark,
                        "comparison": labels[marker],
                        "suppressed": "yes" if hidden else "",
                        "unpublished": "" if public else "yes",
                    }
                )
    return rows


OVERVIEW_CSV_COLUMNS = [
    ("indicator", "indicator"),
    ("indicator_name", "indicator_name"),
    ("area", "area"),
    ("area_name", "area_name"),
    ("period", "period"),
    ("value", "value"),
    ("lower", "lower_95"),
    ("upper", "upper_95"),
    ("benchmark", "benchmark"),
    ("comparison", "comparison"),
    ("suppressed", "suppressed"),
    ("unpublished", "unpublished"),
]

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
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jamlik.core.templatetags.jamlik_format import fmt
from jamlik.geo.maps import county_map
from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators import analysis
from jamlik.indicators.labels import (
    METHOD_ANCHORS,
)
from jamlik.indicators.models import Indicator
from jamlik.indicators.presentation import comparison_marker, tile_class
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
    indicator: Indicator
    benchmark: dict[str, Any] | None
    cells: list[dict[str, Any]]


@dataclass
class OverviewPage:
    title: str
    parent: Area
    benchmark: Area
    areas: list[Area]
    groups: list[tuple[str, list[OverviewRow]]]
    state: ViewState
    is_demo: bool
    map: Any = None
    map_indicator: Indicator | None = None
    legend: list[Any] = field(default_factory=list)
    quintile_url: str = ""
    periods: list[str] = field(default_factory=list)
    shapes: list[dict[str, Any]] = field(default_factory=list)


def _cell(data: dict[str, Any] | None, texts: dict[str, str]) -> dict[str, Any]:
    """One overview cell; its HTML is built here because a template include per
    cell costs too much on the national overview (14 500 cells)."""
    marker = comparison_marker(data.get("comparison") if data else None)
    cell = {
        "value": clean_number(data.get("value")) if data else None,
        "lower": clean_number(data.get("lower")) if data else None,
        "upper": clean_number(data.get("upper")) if data else None,
        "period": data.get("period", "") if data else "",
        "suppressed": bool(data.get("suppressed")) if data else False,
        "marker": marker,
        "published": bool(data.get("published", True)) if data else True,
    }
    if cell["suppressed"]:
        cell["html"] = format_html(
            '<span aria-hidden="true">*</span><span class="ind-sr">{}</span>', texts["suppressed"]
        )
    elif cell["value"] is None:
        cell["html"] = format_html(
            '<span aria-hidden="true">–</span><span class="ind-sr">{}</span>', texts["missing"]
        )
    else:
        cell["html"] = format_html(
            '{}<span class="ind-sym" aria-hidden="true">{}</span><span class="ind-sr">, {}</span>',
            fmt(cell["value"]),
            marker.symbol,
            texts[marker.key],
        )
    if not cell["published"]:
        cell["html"] = format_html(
            '{} <span class="ind-unpublished">{}</span>', cell["html"], texts["unpublished"]
        )
    return cell


def _cell_texts() -> dict[str, str]:
    """Translated cell texts, looked up once per page rather than once per cell."""
    from jamlik.indicators.presentation import COMPARISON_MARKERS, QUINTILE_MARKERS

    texts = {
        m.key: str(m.label) for m in (*COMPARISON_MARKERS.values(), *QUINTILE_MARKERS.values())
    }
    texts["suppressed"] = _("suppressed: too few cases to publish")
    texts["missing"] = _("no value")
    texts["unpublished"] = _("unpublished")
    return texts


def overview_page(parent: Area, state: ViewState, *, user: Any = None) -> OverviewPage:
    """County overview (kommuner of a län) or national overview (all kommuner).

    Published data only, unless ``user`` may see unpublished imports for some kommuner.
    """
    from jamlik.indicators.queries import visibility_for

    visibility = visibility_for(user)
    if parent.level == AreaLevel.COUNTRY:
        areas = list(Area.objects.municipalities())
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
    groups = []
    texts = _cell_texts()
    for group in result.groups:
        rows = [
            OverviewRow(
                ind,
                result.benchmarks.get(ind.pk),
                [_cell(result.cells.get((ind.pk, a.pk)), texts) for a in areas],
            )
            for ind in group.indicators
        ]
        groups.append((group.name, rows))
    page = OverviewPage(
        title=parent.name,
        parent=parent,
        benchmark=bench,
        areas=areas,
        groups=groups,
        state=state,
        is_demo=result.is_demo,
        periods=periods,
        legend=[
            comparison_marker(c)
            for c in ("better", "similar", "worse", "higher", "lower", "not_compared")
        ],
        quintile_url=methods_url("quantiles"),
    )
    indicators = [row.indicator for _name, rows in groups for row in rows]
    chosen = next((i for i in indicators if i.code == state.indicator), None)
    if parent.level == AreaLevel.COUNTY and indicators:
        chosen = chosen or indicators[0]
        classes, labels = {}, {}
        for area in areas:
            cell = result.cells.get((chosen.pk, area.pk))
            marker = comparison_marker(cell.get("comparison") if cell else None)
            classes[area.code] = tile_class(cell.get("comparison") if cell else None)
            value = clean_number(cell.get("value")) if cell else None
            labels[area.code] = (
                f"{marker.symbol} {value:.1f}".replace(".", ",") if value is not None else "–"
            )
        page.map = county_map(areas, classes=classes, labels=labels)
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
    rows = []
    for _name, group_rows in page.groups:
        for row in group_rows:
            for area, cell in zip(page.areas, row.cells, strict=True):
                rows.append(
                    {
                        "indicator": row.indicator.code,
                        "indicator_name": row.indicator.name,
                        "area": area.code,
                        "area_name": area.name,
                        "period": cell.get("period", ""),
                        "value": cell.get("value"),
                        "lower": cell.get("lower"),
                        "upper": cell.get("upper"),
                        "benchmark": clean_number(row.benchmark.get("value"))
                        if row.benchmark
                        else None,
                        "comparison": str(cell["marker"].label),
                        "suppressed": "yes" if cell.get("suppressed") else "",
                        "unpublished": "" if cell.get("published", True) else "yes",
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

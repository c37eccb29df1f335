"""Vega-Lite specifications for the indicator pages (pure functions: rows in, dict out).

Each builder takes plain rows (dicts) that the view also puts in the chart's
data table and CSV, so the picture and the numbers can never disagree.
Intervals are drawn as error bars or bands; the benchmark as a rule; colours
come with a legend and the same symbols the tables use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from jamlik.core.charts import DECIMAL_1, DECIMAL_2, INTEGER, PALETTE, YEAR
from jamlik.indicators.presentation import COMPARISON_MARKERS, QUINTILE_MARKERS
from jamlik.stats.compare import Comparison

Row = Mapping[str, Any]

#: The chart's container carries the accessible name and the data table
#: beside it the numbers, so Vega's own ARIA marks are switched off (empty
#: mark groups would otherwise be unlabelled graphics for screen readers).
A11Y_CONFIG: dict[str, Any] = {"aria": False}


def quiet_marks(spec: dict[str, Any]) -> dict[str, Any]:
    """Set ``aria: false`` on every mark of ``spec`` (and its layers), in place."""
    mark = spec.get("mark")
    if isinstance(mark, str):
        spec["mark"] = {"type": mark, "aria": False}
    elif isinstance(mark, dict):
        mark["aria"] = False
    for layer in spec.get("layer", []):
        quiet_marks(layer)
    return spec


def comparison_scale(rows: Sequence[Row]) -> dict[str, Any]:
    """Colour scale limited to the results present (legend stays short), in legend order.

    Built per call from the markers (comparisons, then quintile rankings), so the
    labels are in the page's language, as in the rows.
    """
    present = {str(r.get("comparison")) for r in rows}
    colours: dict[str, str] = {}
    for marker in [*COMPARISON_MARKERS.values(), *QUINTILE_MARKERS.values()]:
        name = str(marker.label)
        if name in present:
            colours.setdefault(name, marker.colour)
    return {"domain": list(colours), "range": list(colours.values())}


def _values(rows: Sequence[Row]) -> list[dict[str, Any]]:
    return [dict(r) for r in rows]


def _has_interval(rows: Sequence[Row]) -> bool:
    """Whether some row has both interval ends: a layer drawing ``lower``-``upper``
    over rows without any would give Vega an empty ("Infinite") extent."""
    return any(r.get("lower") is not None and r.get("upper") is not None for r in rows)


def _year_axis() -> dict[str, Any]:
    """The x encoding of a chart over years, padded so end points are not cut in half."""
    return {
        "field": "year",
        "type": "quantitative",
        "title": _("Year"),
        "axis": {"format": YEAR, "tickMinStep": 1},
        "scale": {"zero": False, "padding": 8},
    }


def _whiskers(y: dict[str, Any]) -> dict[str, Any]:
    """The 95 % intervals of a horizontal bar chart: a dark rule from ``lower`` to ``upper``."""
    return {
        "mark": {"type": "rule", "color": "#1b1f24"},
        "encoding": {
            "y": y,
            "x": {"field": "lower", "type": "quantitative"},
            "x2": {"field": "upper"},
        },
    }


def _series_scale(names: Sequence[Any]) -> dict[str, Any]:
    """A fixed colour per series, in first-seen order.

    A band or whisker layer colours through its own ``fill``/``stroke`` scale
    with this same domain and range and no legend, so the one legend (from the
    lines) shows the line colours; a shared ``color`` scale with the legend off
    in one layer makes Vega-Lite warn about a conflicting legend.
    """
    domain = list(dict.fromkeys(names))
    return {"domain": domain, "range": [PALETTE[i % len(PALETTE)] for i in range(len(domain))]}


def _banded(rows: Sequence[Row], key: str, scale: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Rows with both interval ends, each with its series' colour in ``band``.

    The band (or whisker) layer paints ``band`` as it is (``scale: null``), so it
    has no scale and no legend: a legend-less channel over the same series would
    be merged with the lines' legend and make Vega-Lite warn of a conflict.
    """
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    return [
        {**r, "band": colours[r.get(key)]}
        for r in rows
        if r.get("lower") is not None and r.get("upper") is not None
    ]


def _order_by_value(rows: Sequence[Row], key: str) -> list[Any]:
    """``key`` of each row, largest value first (rows without a value last).

    Every layer sorts its band axis by this one list: sorting each layer by its
    own x (``"-x"``) gives layers conflicting sorts, which Vega-Lite replaces
    with alphabetical order and a warning.
    """
    ordered = sorted(rows, key=lambda r: (r.get("value") is None, -(r.get("value") or 0)))
    return list(dict.fromkeys(r.get(key) for r in ordered))


def compare_areas_bars(
    rows: Sequence[Row], *, unit: str, benchmark: float | None, benchmark_label: str
) -> dict[str, Any]:
    """Horizontal bars, one per area, with 95 % interval whiskers and the benchmark as a rule.

    Rows: ``area`` (name), ``value``, ``lower``, ``upper``, ``comparison`` (label).
    """
    value_title = f"{_('Value')} ({unit})" if unit else _("Value")
    order = _order_by_value(rows, "area")
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar", "height": {"band": 0.7}},
            "encoding": {
                "y": {"field": "area", "type": "nominal", "sort": order, "title": None},
                "x": {"field": "value", "type": "quantitative", "title": value_title},
                "color": {
                    "field": "comparison",
                    "type": "nominal",
                    "title": _("Compared with %(bench)s") % {"bench": benchmark_label},
                    "scale": comparison_scale(rows),
                },
                "tooltip": [
                    {"field": "area", "title": _("Area")},
                    {"field": "value", "title": _("Value"), "format": DECIMAL_1},
                    {"field": "lower", "title": _("Lower"), "format": DECIMAL_1},
                    {"field": "upper", "title": _("Upper"), "format": DECIMAL_1},
                    {"field": "comparison", "title": _("Comparison")},
                ],
            },
        },
    ]
    if _has_interval(rows):
        layers.append(_whiskers({"field": "area", "type": "nominal", "sort": order}))
    spec: dict[str, Any] = {
        "data": {"values": _values(rows)},
        "height": {"step": 18},
        "layer": layers,
        "config": A11Y_CONFIG,
    }
    if benchmark is not None:
        layers.append(
            {
                "data": {"values": [{"benchmark": benchmark, "label": benchmark_label}]},
                "mark": {"type": "rule", "strokeDash": [6, 4], "color": "#0b4f6c", "size": 2},
                "encoding": {
                    "x": {"field": "benchmark", "type": "quantitative"},
                    "tooltip": [
                        {"field": "label", "title": _("Benchmark")},
                        {"field": "benchmark", "title": _("Value"), "format": DECIMAL_1},
                    ],
                },
            }
        )
    return quiet_marks(spec)


def trend_chart(rows: Sequence[Row], *, unit: str) -> dict[str, Any]:
    """Lines over time per series (an area or a group), with a shaded 95 % band.

    Rows: ``period``, ``year`` (number, the period's last year), ``series``,
    ``value``, ``lower``, ``upper``. The legend is drawn from the lines (colour
    and dash per series), so kommun, county and riket can be told apart even in
    grey; the pale bands carry no legend of their own.
    """
    x = _year_axis()
    scale = _series_scale([r.get("series") for r in rows])
    colour = {"field": "series", "type": "nominal", "scale": scale}
    layers: list[dict[str, Any]] = []
    if _has_interval(rows):
        layers.append(
            {
                "data": {"values": _banded(rows, "series", scale)},
                "mark": {"type": "area", "opacity": 0.18},
                "encoding": {
                    "y": {"field": "lower", "type": "quantitative"},
                    "y2": {"field": "upper"},
                    "fill": {"field": "band", "type": "nominal", "scale": None},
                },
            }
        )
    layers.append(
        {
            "mark": {"type": "line", "strokeWidth": 2.5, "point": {"aria": False, "size": 40}},
            "encoding": {
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "title": unit or _("Value"),
                    "scale": {"zero": False},
                },
                "color": {**colour, "title": _("Series"), "legend": {"symbolType": "stroke"}},
                "strokeDash": {
                    "field": "series",
                    "type": "nominal",
                    "scale": {"domain": scale["domain"]},
                    "title": _("Series"),
                },
                "tooltip": [
                    {"field": "series", "title": _("Series")},
                    {"field": "period", "title": _("Period")},
                    {"field": "value", "title": _("Value"), "format": DECIMAL_1},
                ],
            },
        }
    )
    return quiet_marks(
        {
            "data": {"values": _values(rows)},
            "height": 260,
            "config": A11Y_CONFIG,
            "encoding": {"x": x},
            "layer": layers,
        }
    )


def sparkline(rows: Sequence[Row]) -> dict[str, Any]:
    """A small trend line without axes (rows: ``year``, ``value``)."""
    return quiet_marks(
        {
            "data": {"values": _values(rows)},
            "width": 110,
            "height": 28,
            "mark": {"type": "line", "strokeWidth": 2, "point": False},
            "encoding": {
                "x": {"field": "year", "type": "quantitative", "axis": None},
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "axis": None,
                    "scale": {"zero": False},
                },
            },
            "config": {"view": {"stroke": None}, **A11Y_CONFIG},
        }
    )


def group_bars(rows: Sequence[Row], *, unit: str, overall: float | None) -> dict[str, Any]:
    """Bars per population group (sex, education, district) with intervals.

    Rows: ``group``, ``value``, ``lower``, ``upper``; ``overall`` draws the
    area's whole-population value as a rule.
    """
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar", "color": "#0072B2"},
            "encoding": {
                "y": {"field": "group", "type": "nominal", "title": None, "sort": None},
                "x": {"field": "value", "type": "quantitative", "title": unit or _("Value")},
                "tooltip": [
                    {"field": "group", "title": _("Group")},
                    {"field": "value", "title": _("Value"), "format": DECIMAL_1},
                ],
            },
        },
    ]
    if _has_interval(rows):
        layers.append(_whiskers({"field": "group", "type": "nominal", "sort": None}))
    if overall is not None:
        layers.append(
            {
                "data": {"values": [{"overall": overall}]},
                "mark": {"type": "rule", "strokeDash": [6, 4], "color": "#D55E00", "size": 2},
                "encoding": {"x": {"field": "overall", "type": "quantitative"}},
            }
        )
    return quiet_marks(
        {
            "data": {"values": _values(rows)},
            "height": {"step": 26},
            "layer": layers,
            "config": A11Y_CONFIG,
        }
    )


#: Comparison results inside the 95 % control limits: those points are not labelled.
_INSIDE_LIMITS = (Comparison.SIMILAR, Comparison.NOT_COMPARED)


def funnel_plot(
    points: Sequence[Row], limits: Sequence[Row], *, x_title: str, unit: str
) -> dict[str, Any]:
    """Funnel plot: areas as points against their population, with 95 % and 99.8 % limits.

    ``points``: ``area``, ``x`` (population or events), ``value``, ``comparison``.
    ``limits``: ``x``, ``limit`` (label), ``value`` (one row per limit and x).

    Points outside the 95 % limits carry their kommun's name (Spiegelhalter 2005
    labels the outliers: they are what the reader looks for); every point names
    itself in its tooltip. Both scales are padded so no point sits on the frame.
    """
    inside = {str(COMPARISON_MARKERS[c].label) for c in _INSIDE_LIMITS}
    outliers = [p for p in points if str(p.get("comparison")) not in inside]
    x_scale = {"type": "log", "nice": False, "padding": 14}
    y_scale = {"zero": False, "padding": 14}
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": _values(limits)},
            "mark": {"type": "line", "strokeDash": [4, 3]},
            "encoding": {
                "x": {"field": "x", "type": "quantitative", "title": x_title, "scale": x_scale},
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "title": unit or _("Value"),
                    "scale": y_scale,
                },
                "detail": {"field": "limit"},
                "color": {"value": "#4a5260"},
                "strokeWidth": {"value": 1.2},
            },
        },
        {
            "data": {"values": _values(points)},
            "mark": {"type": "point", "filled": True, "size": 60},
            "encoding": {
                "x": {"field": "x", "type": "quantitative"},
                "y": {"field": "value", "type": "quantitative"},
                "shape": {
                    "field": "comparison",
                    "type": "nominal",
                    "title": _("Comparison"),
                    "scale": {"domain": comparison_scale(points)["domain"]},
                },
                "color": {
                    "field": "comparison",
                    "type": "nominal",
                    "scale": comparison_scale(points),
                    "title": _("Comparison"),
                },
                "tooltip": [
                    {"field": "area", "title": _("Area")},
                    {"field": "value", "title": _("Value"), "format": DECIMAL_1},
                    {"field": "x", "title": x_title, "format": INTEGER},
                    {"field": "comparison", "title": _("Comparison")},
                ],
            },
        },
    ]
    if outliers:
        label = {"type": "text", "align": "left", "baseline": "middle", "dx": 7, "fontSize": 11}
        position = {
            "x": {"field": "x", "type": "quantitative"},
            "y": {"field": "value", "type": "quantitative"},
            "text": {"field": "area"},
        }
        # A white halo under each name keeps it readable where it crosses a limit line.
        layers += [
            {
                "data": {"values": _values(outliers)},
                "mark": {**label, "stroke": "#ffffff", "strokeWidth": 3, "strokeOpacity": 0.9},
                "encoding": position,
            },
            {
                "data": {"values": _values(outliers)},
                "mark": {**label, "color": "#1b1f24"},
                "encoding": position,
            },
        ]
    return quiet_marks({"height": 320, "config": A11Y_CONFIG, "layer": layers})


def gap_trend_chart(rows: Sequence[Row], *, unit: str) -> dict[str, Any]:
    """A gap measure per period (one line per measure) with its 95 % interval as whiskers.

    Rows: ``measure`` (label), ``year``, ``period``, ``value``, ``lower``,
    ``upper``. A rule at 0 marks "no gap"; the measures drawn share the
    indicator's unit (ratios and indices stay in the table).
    """
    x = _year_axis()
    colour = {
        "field": "measure",
        "type": "nominal",
        "title": _("Measure"),
        "scale": _series_scale([r.get("measure") for r in rows]),
    }
    whiskers: list[dict[str, Any]] = []
    if _has_interval(rows):
        whiskers.append(
            {
                "data": {"values": _banded(rows, "measure", colour["scale"])},
                "mark": {"type": "rule"},
                "encoding": {
                    "x": x,
                    "y": {"field": "lower", "type": "quantitative"},
                    "y2": {"field": "upper"},
                    "stroke": {"field": "band", "type": "nominal", "scale": None},
                },
            }
        )
    return quiet_marks(
        {
            "data": {"values": _values(rows)},
            "height": 220,
            "config": A11Y_CONFIG,
            "layer": [
                *whiskers,
                {
                    "mark": {"type": "line", "point": {"aria": False}},
                    "encoding": {
                        "x": x,
                        "y": {
                            "field": "value",
                            "type": "quantitative",
                            "title": unit or _("Value"),
                        },
                        "color": {**colour, "legend": {"symbolType": "stroke"}},
                        "tooltip": [
                            {"field": "measure", "title": _("Measure")},
                            {"field": "period", "title": _("Period")},
                            {"field": "value", "title": _("Estimate"), "format": DECIMAL_2},
                            {"field": "lower", "title": _("Lower"), "format": DECIMAL_2},
                            {"field": "upper", "title": _("Upper"), "format": DECIMAL_2},
                        ],
                    },
                },
                {
                    "data": {"values": [{"zero": 0}]},
                    "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#4a5260"},
                    "encoding": {"y": {"field": "zero", "type": "quantitative"}},
                },
            ],
        }
    )

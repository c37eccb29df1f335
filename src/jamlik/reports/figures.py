"""Figures of the reports: the county map and the gap charts, as standalone SVG.

A report's figure must stand on its own in three formats (WeasyPrint's PDF, a PNG in the
DOCX, and beside its table in the XLSX), so the map is drawn here as one SVG holding both
the county's boundaries (the same :class:`~jamlik.geo.choropleth.Choropleth` as the
county overview, same styles and patterns) and its legend, rather than the page's SVG
plus an HTML legend. Charts are the pages' own Vega-Lite specs drawn by
:func:`jamlik.reports.pdf.print_svg` in the print font, so labels are measured with the
font that draws them and are not clipped.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from jamlik.geo import choropleth
from jamlik.geo.models import Area
from jamlik.reports.document import Block, Figure, Table
from jamlik.reports.pdf import PRINT_FONT, print_svg

#: Breakdowns the county report looks at for gaps, in order (those with published data).
GAP_BREAKDOWNS = ("education", "sex")
#: Gap-over-time charts drawn (the tables hold every indicator).
CHARTED_GAPS = 4


def map_svg(chart: choropleth.Choropleth) -> str:
    """The choropleth with its legend under it, as one standalone SVG document."""
    p = "rmap"
    margin = choropleth.MARGIN
    width = chart.width + 2 * margin
    unit = width / 420  # legend type scales with the drawing (printed about 120 mm wide)
    row = 22 * unit
    legend_entries = [*chart.legend]
    legend_height = row * (len(legend_entries) + 1.6) + (row if chart.highlight else 0)
    height = chart.height + 2 * margin + legend_height
    defs = render_to_string("geo/_choropleth_patterns.html", {"p": p})
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-margin:.0f} {-margin:.0f} '
        f'{width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'font-family="{PRINT_FONT}, sans-serif">',
        f"<title>{escape(chart.title)}</title>",
        f"<defs>{defs}</defs>",
    ]
    for r in chart.regions:
        fill = f"url(#{p}-{r.family})" if r.style.pattern else r.style.fill
        stroke = "#000000" if r.highlighted else r.style.stroke
        dash = f' stroke-dasharray="{r.style.dash}"' if r.style.dash else ""
        parts.append(
            f'<path d="{r.path}" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{r.style.stroke_width:.1f}"{dash} stroke-linejoin="round"/>'
        )
        if r.show_symbol:
            parts.append(_symbol(r.x, r.y, r.value.symbol, 12))
    y = chart.height + margin + row * 0.6
    parts.append(
        f'<text x="0" y="{y + row * 0.5:.1f}" font-size="{13 * unit:.1f}" '
        f'font-weight="700" fill="#1b1f24">{escape(chart.legend_title)}</text>'
    )
    y += row
    for e in legend_entries:
        fill = f"url(#{p}-{e.family})" if e.style.pattern else e.style.fill
        dash = f' stroke-dasharray="{e.style.dash}"' if e.style.dash else ""
        parts.append(
            f'<rect x="0" y="{y + 2 * unit:.1f}" width="{28 * unit:.1f}" '
            f'height="{16 * unit:.1f}" fill="{fill}" stroke="{e.style.stroke}" '
            f'stroke-width="{e.style.stroke_width:.1f}"{dash}/>'
        )
        parts.append(_symbol(14 * unit, y + 10 * unit, e.symbol, 11 * unit))
        label = f"{e.label} · {e.count}"
        parts.append(
            f'<text x="{36 * unit:.1f}" y="{y + 15 * unit:.1f}" font-size="{12 * unit:.1f}" '
            f'fill="#1b1f24">{escape(label)}</text>'
        )
        y += row
    if chart.highlight:
        parts.append(
            f'<rect x="0" y="{y + 2 * unit:.1f}" width="{28 * unit:.1f}" height="{16 * unit:.1f}" '
            f'fill="#ffffff" stroke="#000000" stroke-width="3"/>'
            f'<text x="{36 * unit:.1f}" y="{y + 15 * unit:.1f}" font-size="{12 * unit:.1f}">'
            f"{escape(chart.highlight.name)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _symbol(x: float, y: float, symbol: str, size: float) -> str:
    if not symbol.strip():
        return ""
    text = escape(symbol)
    return (
        f'<g text-anchor="middle" font-size="{size:.1f}" font-weight="700">'
        f'<text x="{x:.1f}" y="{y:.1f}" dy="{size / 3:.1f}" fill="#ffffff" stroke="#ffffff" '
        f'stroke-width="3">{text}</text><text x="{x:.1f}" y="{y:.1f}" dy="{size / 3:.1f}" '
        f'fill="#1b1f24">{text}</text></g>'
    )


def county_map_figure(page: Any) -> Figure:
    """The county overview's map (``page``: :class:`~jamlik.indicators.pages.OverviewPage`)."""
    chart = page.choropleth
    indicator = page.map_indicator
    table = Table(
        key="situation_map",
        title=_("The map's indicator per municipality") + f": {indicator.name}",
        columns=[_("Municipality"), _("Value"), _("Comparison")],
        rows=[
            [r.name, _value(r.value.value), f"{r.value.symbol} {r.value.label}".strip()]
            for r in chart.table_rows
        ],
        source=_("Jämlik, published values (the county overview)."),
    )
    return Figure(
        title=chart.title,
        svg=map_svg(chart),
        alt=_("Map of %(county)s: %(indicator)s per municipality compared with the county.")
        % {"county": page.parent.name, "indicator": indicator.name},
        table=table,
        source=table.source,
    )


def _value(text: str) -> float | str | None:
    """The map's value text back to a number (it was formatted for the page)."""
    if text in ("", "–"):
        return None
    try:
        return float(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except ValueError:
        return text


def gap_figures(county: Area) -> list[Block]:
    """The county's gaps between groups (latest period) and over time, from published data."""
    from jamlik.indicators.gap_blocks import gap_blocks
    from jamlik.indicators.labels import breakdown_label

    gap_rows: list[list[Any]] = []
    trend_rows: list[list[Any]] = []
    charts: list[Figure] = []
    for breakdown in GAP_BREAKDOWNS:
        label = breakdown_label(breakdown)
        for block in gap_blocks(county, breakdown):
            name = block["indicator"].name
            for m in block["measures"]:
                gap_rows.append(
                    [
                        label,
                        name,
                        block["period"],
                        m["label"] + (f", {m['between']}" if m["between"] else ""),
                        m["value"],
                        m["lower"],
                        m["upper"],
                    ]
                )
            trend = block.get("trend")
            if not trend:
                continue
            trend_rows.extend(_trend_rows(label, name, trend["rows"]))
            if len(charts) < CHARTED_GAPS:
                chart = trend["chart"]
                charts.append(
                    Figure(
                        title=f"{chart['title']} ({label.lower()})",
                        svg=print_svg(chart["spec"], width=520),
                        alt=chart["description"],
                        source=_("Jämlik, published values."),
                    )
                )
    source = _("Jämlik, published values for the county; methods: the methods page of Jämlik.")
    blocks: list[Block] = [
        Table(
            key="situation_gaps",
            title=_("Gaps between groups in the county"),
            columns=[
                _("Breakdown"),
                _("Indicator"),
                _("Period"),
                _("Measure"),
                _("Estimate"),
                _("Lower 95 %"),
                _("Upper 95 %"),
            ],
            rows=gap_rows,
            source=source,
            notes=(_("Slope and relative index of inequality where the groups are ordered."),),
        ),
        Table(
            key="situation_gap_trends",
            title=_("Gaps over time"),
            columns=[
                _("Breakdown"),
                _("Indicator"),
                _("Measure"),
                _("Periods"),
                _("Change per year"),
                _("Lower 95 %"),
                _("Upper 95 %"),
                _("The gap"),
            ],
            rows=trend_rows,
            source=source,
            notes=(
                _(
                    "Weighted linear trend of each measure over the published periods; for "
                    "ratios the change of the ratio per year in per cent."
                ),
            ),
        ),
    ]
    blocks.extend(charts)
    return blocks


def _verdicts() -> dict[str, str]:
    from jamlik.indicators.gap_trends import GapChange

    return {
        GapChange.NARROWING: _("narrowing"),
        GapChange.WIDENING: _("widening"),
        GapChange.UNCHANGED: _("no clear change"),
        GapChange.CHANGES_SIGN: _("changes direction"),
        GapChange.CANNOT_BE_CALCULATED: _("cannot be calculated"),
    }


def _trend_rows(breakdown: str, indicator: str, rows: list[dict[str, Any]]) -> list[list[Any]]:
    """One row per measure: the trend of the gap over the periods, as the gap page
    judges it (:func:`jamlik.indicators.gap_trends.gap_trend`, the same test)."""
    import math

    from jamlik.indicators.gap_measures import MEASURES, Scale
    from jamlik.indicators.gap_trends import gap_trend

    verdicts = _verdicts()
    out: list[list[Any]] = []
    for key in dict.fromkeys(r["key"] for r in rows):
        mine = [r for r in rows if r["key"] == key]
        log_scale = key in MEASURES and MEASURES[key].scale is Scale.RELATIVE
        trend = gap_trend(
            [r["year"] for r in mine],
            [r["value"] for r in mine],
            [r["lower"] for r in mine],
            [r["upper"] for r in mine],
            log_scale=log_scale,
        )

        def shown(x: float | None, log_scale: bool = log_scale) -> float | None:
            if x is None:
                return None
            return round(100 * (math.exp(x) - 1), 2) if log_scale else round(x, 3)

        span = f"{trend.first_year}–{trend.last_year}" if trend.first_year is not None else None
        out.append(
            [
                breakdown,
                indicator,
                mine[0]["measure"] + (" (%)" if log_scale else ""),
                span,
                shown(trend.slope),
                shown(trend.lower),
                shown(trend.upper),
                verdicts[trend.change],
            ]
        )
    return out

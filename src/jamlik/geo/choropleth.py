"""A county map coloured by one indicator: what each kommun is filled and outlined with.

Pure: the drawn county (:func:`jamlik.geo.maps.county_map`) and one result per kommun
in, a :class:`Choropleth` out, which ``geo/_choropleth.html`` draws as inline SVG with
its legend and its table (the same picture on the web page and in the PDF).

Colour is never the only cue (WCAG 2.1, 1.4.1 "Use of colour"):

* a kommun *significantly* different from the benchmark (its 95 % interval excludes
  the benchmark) gets a thick outline, solid when better or higher and dashed when worse
  or lower, and a fill pattern (hatching for worse, dots for higher, lines for lower),
  so significance survives greyscale printing and colour-blind reading;
* the comparison's symbol (``+``, ``=``, ``−``, ``↑``, ``↓``) is drawn inside every
  kommun with room for it, and every kommun's accessible name says its name, value and
  comparison in words;
* a map of quintile rankings (means and indices, no interval and so no significance)
  uses a sequential scale of one hue, light (Q1) to dark (Q5), with the Q symbol.

Fills are light enough for the dark symbols and outlines on them (contrast over 3:1,
WCAG 1.4.11); the palette follows the comparison colours of
:mod:`jamlik.indicators.presentation`. Quintile purples are ColorBrewer's "Purples"
(Brewer, Hatchard & Harrower 2003, Cartography and GIS 30), a sequential scheme that
stays ordered in greyscale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from jamlik.geo.maps import CountyMap

#: Symbols are drawn only in kommuner at least this many pixels across.
SYMBOL_ROOM = 16
#: Pixels around the drawing, so that a thick outline at the edge is not cut off.
MARGIN = 4
#: Width of the map in a PDF (a third of an A4 page's height at most for a tall län).
PRINT_WIDTH_MM = 80


@dataclass(frozen=True)
class Style:
    """How one category is drawn; ``pattern`` names a pattern of the template."""

    fill: str
    stroke: str
    stroke_width: float
    dash: str = ""
    pattern: str = ""
    significant: bool = False


#: One style per family; a result's key maps onto its family (see :func:`family`).
STYLES: dict[str, Style] = {
    "better": Style("#9fd8b5", "#0b6e3d", 2.6, significant=True),
    "similar": Style("#fff0b3", "#5c4400", 0.7),
    "worse": Style("#f6b9bc", "#a4161a", 2.6, "5 3", "hatch", significant=True),
    "higher": Style("#b7d7ee", "#0b4f6c", 2.6, "", "dots", significant=True),
    "lower": Style("#dcecf7", "#0b4f6c", 2.6, "5 3", "lines", significant=True),
    "not_compared": Style("#eceff2", "#4a5260", 0.7),
    "quintile_1": Style("#f2f0f7", "#3f007d", 0.7),
    "quintile_2": Style("#dadaeb", "#3f007d", 0.7),
    "quintile_3": Style("#bcbddc", "#3f007d", 0.7),
    "quintile_4": Style("#9e9ac8", "#3f007d", 0.7),
    "quintile_5": Style("#807dba", "#3f007d", 0.7),
}
COMPARISON_ORDER = ("better", "similar", "worse", "higher", "lower", "not_compared")
QUINTILE_ORDER = tuple(f"quintile_{q}" for q in range(1, 6))
#: The patterns, as the template draws them (every style with a pattern needs one).
PATTERNS = ("hatch", "dots", "lines")


def family(key: str) -> str:
    """The style family of a comparison or quintile key (``much_worse`` → ``worse``)."""
    key = key.removeprefix("much_").removeprefix("neutral_")
    return key if key in STYLES else "not_compared"


@dataclass(frozen=True)
class MapValue:
    """One kommun's result as the map shows it (words already translated)."""

    key: str  # comparison or quintile key, e.g. "worse", "quintile_3"
    symbol: str
    label: str  # the comparison in words
    value: str  # the value as text, "–" when there is none


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    path: str
    url: str
    family: str
    style: Style
    value: MapValue
    x: float
    y: float
    show_symbol: bool
    highlighted: bool

    @property
    def fill(self) -> str:
        return self.style.fill

    @property
    def accessible_name(self) -> str:
        return f"{self.name}: {self.value.value}, {self.value.label} ({self.value.symbol})"


@dataclass(frozen=True)
class LegendEntry:
    family: str
    style: Style
    symbol: str
    label: str
    count: int


@dataclass
class Choropleth:
    title: str
    legend_title: str
    width: float
    height: float
    regions: list[Region]
    legend: list[LegendEntry]
    #: ``"comparison"`` (categories with outlines) or ``"quintiles"`` (a sequential scale).
    scale: str
    #: Prefix of the SVG ids, unique per map on a page.
    id_prefix: str = "map"
    highlight: Region | None = None
    patterns: tuple[str, ...] = field(default=PATTERNS)

    @property
    def view_box(self) -> str:
        """The drawing with a margin for the outlines (half a thick stroke and more)."""
        m = MARGIN
        return f"{-m} {-m} {self.width + 2 * m:.0f} {self.height + 2 * m:.0f}"

    @property
    def box_width(self) -> str:
        return f"{self.width + 2 * MARGIN:.0f}"

    @property
    def box_height(self) -> str:
        return f"{self.height + 2 * MARGIN:.0f}"

    @property
    def print_height_mm(self) -> str:
        """Height of the map printed :data:`PRINT_WIDTH_MM` wide (WeasyPrint needs both)."""
        return f"{PRINT_WIDTH_MM * (self.height + 2 * MARGIN) / (self.width + 2 * MARGIN):.1f}"

    @property
    def table_rows(self) -> list[Region]:
        return sorted(self.regions, key=lambda r: r.name)

    @property
    def significant(self) -> list[Region]:
        return [r for r in self.regions if r.style.significant]


def build(
    county: CountyMap,
    values: Mapping[str, MapValue],
    *,
    title: str,
    legend_title: str,
    url_for: Callable[[str], str],
    missing: MapValue,
    words: Callable[[str], tuple[str, str]],
    highlight: str = "",
    id_prefix: str = "map",
) -> Choropleth | None:
    """The choropleth of ``county`` (real boundaries only; ``None`` for the tile grid).

    ``values`` maps kommun codes to results; a kommun without one shows ``missing``.
    ``url_for(code)`` is where a kommun links to; ``words(family)`` gives a legend entry's
    symbol and label; ``highlight`` is a code drawn with a black outline on top of the
    others (the kommun of a printed profile).
    """
    if county.kind != "boundaries":
        return None
    regions = []
    for area, shape in county.drawn:
        value = values.get(area.code, missing)
        fam = family(value.key)
        regions.append(
            Region(
                code=area.code,
                name=area.name,
                path=shape.path,
                url=url_for(area.code),
                family=fam,
                style=STYLES[fam],
                value=value,
                x=shape.x,
                y=shape.y,
                show_symbol=shape.room >= SYMBOL_ROOM and bool(value.symbol.strip()),
                highlighted=area.code == highlight,
            )
        )
    quintiles = any(r.family.startswith("quintile_") for r in regions)
    order = QUINTILE_ORDER + ("not_compared",) if quintiles else COMPARISON_ORDER
    counts = {fam: sum(r.family == fam for r in regions) for fam in order}
    legend = [
        LegendEntry(fam, STYLES[fam], *words(fam), counts[fam]) for fam in order if counts[fam]
    ]
    # Significant outlines drawn last so no neighbour's thin border covers them; the
    # highlighted kommun last of all.
    regions.sort(key=lambda r: (r.highlighted, r.style.significant, r.code))
    return Choropleth(
        title=title,
        legend_title=legend_title,
        width=county.width,
        height=county.height,
        regions=regions,
        legend=legend,
        scale="quintiles" if quintiles else "comparison",
        id_prefix=id_prefix,
        highlight=next((r for r in regions if r.highlighted), None),
    )


def highlighted(chart: Choropleth, code: str) -> Choropleth:
    """``chart`` with kommun ``code`` outlined in black and drawn on top (pure)."""
    regions = sorted(
        (replace(r, highlighted=r.code == code) for r in chart.regions),
        key=lambda r: (r.highlighted, r.style.significant, r.code),
    )
    return replace(
        chart, regions=regions, highlight=next((r for r in regions if r.highlighted), None)
    )

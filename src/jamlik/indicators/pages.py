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
from django.utils.translation import get_language, gettext

from jamlik.core.templatetags.jamlik_format import fmt
from jamlik.geo import choropleth
from jamlik.geo import peers as peers_module
from jamlik.geo.maps import MAP_BOUNDARIES, MAP_PARAMETER, MAP_TILES, county_map
from jamlik.geo.models import Area, AreaLevel
from jamlik.geo.peers import Kommungrupp
from jamlik.indicators import analysis
from jamlik.indicators.labels import (
    METHOD_ANCHORS,
)
from jamlik.indicators.models import Indicator
from jamlik.indicators.own import indicators_for
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


@dataclass(frozen=True)
class PeerArea:
    """A peer kommun as a page lists it (``distance`` for similar kommuner)."""

    code: str
    name: str
    distance: float | None = None
    pk: int = 0


@dataclass
class PeerBenchmark:
    """A peer group as the benchmark: the mean of the peers' published values.

    Stands where an :class:`Area` benchmark stands (``name``, ``code``, ``pk``),
    so pages saying "Compared with …" need no second path.  ``peer_ids`` maps
    each compared kommun to its peers (itself never among them); ``peers`` lists
    the peers of the one kommun in focus (empty on a page of many kommuner).
    """

    kind: str
    name: str
    peer_ids: dict[int, tuple[int, ...]]
    peers: tuple[PeerArea, ...] = ()
    group: Kommungrupp | None = None
    #: Peers of the kommun in focus with at least one published value (set by the page).
    with_values: int | None = None
    #: For similar kommuner: how many kommuner had values for every indicator used,
    #: and how many were left out for lacking one.
    searched: int = 0
    left_out: int = 0
    k: int = peers_module.DEFAULT_K
    pk: None = None
    code: str = ""
    #: True on a page of many kommuner, each compared with its own peers.
    each_own: bool = False
    #: The kommun whose peers are listed.
    focus_name: str = ""

    #: Codes of the listed peers with a published value (``None`` = not asked).
    valued: frozenset[str] | None = None

    @property
    def is_group(self) -> bool:
        return self.kind == Benchmark.GROUP.value

    @property
    def shown_peers(self) -> tuple[PeerArea, ...]:
        """The listed peers, for a kommungrupp only those with values (a group has up
        to 62 other members, and in a county's own data most have none)."""
        if self.is_group and self.valued is not None:
            return tuple(p for p in self.peers if p.code in self.valued)
        return self.peers


def peer_benchmark(
    areas: list[Area], state: ViewState, *, focus: Area | None = None
) -> PeerBenchmark | None:
    """The peer group chosen in ``state`` for each kommun in ``areas``, or ``None`` when
    the benchmark is an area.  With ``focus`` (a kommun) its peers are listed by name.

    Kommungrupp: the other members of the kommun's SKR group
    (:func:`jamlik.geo.peers.members`).  Similar kommuner: the
    :data:`~jamlik.geo.peers.DEFAULT_K` nearest on the latest published values
    (:func:`jamlik.geo.peers.similar`); a kommun without all of them has none.
    """
    from django.utils.translation import gettext as _

    if not state.benchmark.is_peer_group:
        return None
    kommuner = {
        code: (pk, name)
        for pk, code, name in Area.objects.municipalities().values_list("pk", "code", "name")
    }
    peer_ids: dict[int, tuple[int, ...]] = {}
    listed: tuple[PeerArea, ...] = ()
    group = None
    for area in areas:
        if area.level != AreaLevel.MUNICIPALITY:
            continue
        if state.benchmark is Benchmark.GROUP:
            own = peers_module.group_of(area.code)
            found = [(c, None) for c in peers_module.members(own.code)] if own else []
            if focus is not None and area.pk == focus.pk:
                group = own
        else:
            found = [(n.code, n.distance) for n in peers_module.similar(area.code)]
        found = [(c, d) for c, d in found if c != area.code and c in kommuner]
        peer_ids[area.pk] = tuple(kommuner[c][0] for c, _d in found)
        if focus is not None and area.pk == focus.pk:
            listed = tuple(PeerArea(c, kommuner[c][1], d, kommuner[c][0]) for c, d in found)
    many = focus is None
    if state.benchmark is Benchmark.GROUP:
        if group is not None:
            name = _("the municipality group %(name)s (%(code)s)") % {
                "name": group.name(get_language() or "sv"),
                "code": group.code,
            }
        else:
            name = _("each municipality's own municipality group")
    else:
        name = _("similar municipalities")
    peer = PeerBenchmark(
        state.bench,
        name,
        peer_ids,
        listed,
        group,
        each_own=many or len(areas) > 1,
        focus_name=focus.name if focus is not None else "",
    )
    if state.benchmark is Benchmark.PEERS:
        table = peers_module.neighbour_table()
        peer.searched, peer.left_out = len(table.values), len(table.left_out)
    return peer


def peer_values(
    peer: PeerBenchmark, indicator_ids: Any, period_ends: dict[int, int] | None = None
) -> pd.DataFrame:
    """The peers' published rows (public table, whoever reads: a peer benchmark is made
    of published values only), for ``period_ends`` when given (one query)."""
    from jamlik.indicators.queries import Visibility, observation_frame

    ids = sorted({p for group in peer.peer_ids.values() for p in group})
    return observation_frame(
        indicator_ids=indicator_ids,
        area_ids=ids,
        period_ends=period_ends,
        visibility=Visibility.public(),
    )


def benchmark_area(area: Area, state: ViewState) -> Area:
    """The comparator area: the area's county, or Sweden (the county, too, when a peer
    group is chosen: see :func:`peer_benchmark` for that benchmark)."""
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
    #: The benchmark area, or the peer group (:class:`PeerBenchmark`) when one is chosen.
    benchmark: Area | PeerBenchmark
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
    #: The peer group when the benchmark is one (each kommun against its own).
    peers: PeerBenchmark | None = None
    choropleth: choropleth.Choropleth | None = None


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
    # a peer group: each kommun against its own group or similar kommuner
    peers = peer_benchmark(areas, state) if parent.level == AreaLevel.COUNTY else None
    periods = analysis.available_periods(visibility=visibility)
    if state.period not in periods:
        state = ViewState(**{**state.__dict__, "period": ""})
    result = analysis.overview(
        areas,
        bench,
        indicators=indicators_for(parent),
        sex=state.sex,
        language=get_language() or "sv",
        period=state.period,
        visibility=visibility,
        peers=peers.peer_ids if peers else None,
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
        benchmark=peers or bench,
        peers=peers,
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
        classes, labels, values = {}, {}, {}
        for j, area in enumerate(areas):
            key = analysis.MARKER_KEYS[figures.marker[i, j]]
            marker = comparison_marker(key)
            classes[area.code] = tile_class(key)
            value = clean_number(figures.value[i, j])
            labels[area.code] = (
                f"{marker.symbol} {value:.1f}".replace(".", ",") if value is not None else "–"
            )
            values[area.code] = choropleth.MapValue(
                key, marker.symbol, str(marker.label), fmt(value) if value is not None else "–"
            )
        page.map = county_map(areas, classes=classes, labels=labels, kind=map_kind)
        query = state.to_query()
        page.map.toggle_url = (
            f"{query or '?'}{'&' if query else ''}{MAP_PARAMETER}={MAP_TILES}"
            if page.map.kind == "boundaries"
            else query or "?"
        )
        page.map_indicator = chosen
        page.choropleth = overview_choropleth(page.map, values, chosen, bench, query)
    return page


def overview_choropleth(
    county: Any,
    values: dict[str, choropleth.MapValue],
    indicator: Indicator,
    bench: Area,
    query: str,
    *,
    highlight: str = "",
) -> choropleth.Choropleth | None:
    """The county map of ``indicator`` (real boundaries only): fills, outlines, legend.

    Each kommun links to its lokal lägesbild with the page's choices (``query``).
    """
    quintiles = any(v.key.removeprefix("neutral_").startswith("quintile_") for v in values.values())
    not_compared = comparison_marker(None)

    def words(family: str) -> tuple[str, str]:
        marker = comparison_marker(family)
        return marker.symbol, str(marker.label)

    return choropleth.build(
        county,
        values,
        title=gettext("Map: %(name)s") % {"name": indicator.name},
        legend_title=gettext("Quintile in the county, light (Q1) to dark (Q5)")
        if quintiles
        else gettext("Compared with %(bench)s") % {"bench": bench.name},
        url_for=lambda code: reverse("indicators:profile", args=[code]) + query,
        missing=choropleth.MapValue(
            "not_compared", not_compared.symbol, str(not_compared.label), "–"
        ),
        words=words,
        highlight=highlight,
        id_prefix=f"map-{indicator.code}".replace(" ", "-"),
    )


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
            # a peer group: each kommun's own peers' mean
            own = figures.peer_mean[i].tolist() if figures.peer_mean is not None else None
            for j, (area, present, value, lower, upper, marker, hidden, public) in enumerate(
                zip(
                    page.areas,
                    figures.present[i].tolist(),
                    figures.value[i].tolist(),
                    figures.lower[i].tolist(),
                    figures.upper[i].tolist(),
                    figures.marker[i].tolist(),
                    figures.suppressed[i].tolist(),
                    figures.published[i].tolist(),
                    strict=True,
                )
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
                        "benchmark": clean_number(own[j]) if own is not None else benchmark,
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

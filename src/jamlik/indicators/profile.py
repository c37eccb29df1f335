"""The kommun profile (lokal lägesbild): every indicator against län and riket, gaps between groups."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.utils.translation import get_language

from jamlik.geo.models import Area
from jamlik.indicators import analysis
from jamlik.indicators.figure_cache import public_cached
from jamlik.indicators.gap_blocks import GapSection
from jamlik.indicators.models import Indicator
from jamlik.indicators.own import indicators_for
from jamlik.indicators.pages import (
    PeerBenchmark,
    benchmark_area,
    clean_number,
    methods_url,
    peer_benchmark,
    peer_values,
    spark_polyline,
)
from jamlik.indicators.presentation import comparison_marker, trend_marker
from jamlik.indicators.profile_overview import ProfileOverview, overview_figures
from jamlik.indicators.profile_summary import largest_gaps
from jamlik.indicators.publication import public_version
from jamlik.indicators.queries import (
    Visibility,
    latest_rows,
    observation_frame,
    visibility_for,
)
from jamlik.indicators.source_notes import mandatory_notes
from jamlik.indicators.spine import ink_for
from jamlik.indicators.viewstate import ViewState


@dataclass
class ProfileRow:
    indicator: Indicator
    value: float | None
    lower: float | None
    upper: float | None
    period: str
    county: float | None
    country: float | None
    marker: Any
    trend: Any
    spark: list[dict[str, Any]]
    suppressed: bool
    #: False for a value from an import run not yet published (only its
    #: kommun's and county's users see it).
    published: bool = True
    #: With a peer-group benchmark: the mean of the peers' published values for the
    #: same period (itself left out), and how many peers had a value.
    peer_mean: float | None = None
    peer_count: int = 0

    @property
    def spark_points(self) -> str:
        """SVG polyline points (100 × 24 box) of the series, for a small inline trend."""
        return spark_polyline([p["value"] for p in self.spark])


@dataclass
class ProfileFigures:
    """What the profile computes from the observations: the same for every public reader
    between two publications, so it is computed once and cached (see :func:`profile_page`)."""

    county: Area | None
    benchmark: Area
    groups: list[tuple[str, list[ProfileRow]]]
    is_demo: bool
    #: The sources' mandatory notes on these figures (:mod:`jamlik.indicators.source_notes`).
    source_notes: list[str] = field(default_factory=list)
    #: The peer group when the benchmark is one (then also ``benchmark``).
    peers: PeerBenchmark | None = None
    #: Key facts, spine chart, pyramid and changes (:mod:`jamlik.indicators.profile_overview`).
    overview: ProfileOverview | None = None


@dataclass
class ProfilePage:
    area: Area
    county: Area | None
    state: ViewState
    groups: list[tuple[str, list[ProfileRow]]]
    #: The gap blocks of ``state.breakdown``, read when the page or the PDF asks.
    gap_section: GapSection | None
    is_demo: bool
    benchmark: Area
    quintile_url: str = ""
    source_notes: list[str] = field(default_factory=list)
    #: The peer group when the benchmark is one (named and listed on the page).
    peers: PeerBenchmark | None = None
    #: The first screen's figures (see :class:`ProfileFigures`).
    overview: ProfileOverview | None = None
    #: The spine chart's range: the county's kommuner (``lan``) or Sweden's (``riket``).
    spine_scope: str = "lan"

    @property
    def spine_groups(self) -> list[tuple[str, list[tuple[ProfileRow, Any, str]]]]:
        """The rows of each group with their spine bar for :attr:`spine_scope` and the ink
        of the symbol on the row's marker (:func:`jamlik.indicators.spine.ink_for`)."""
        bars = self.overview.spine.get(self.spine_scope, {}) if self.overview else {}
        return [
            (
                name,
                [(row, bars.get(row.indicator.pk), ink_for(row.marker.colour)) for row in rows],
            )
            for name, rows in self.groups
        ]

    @property
    def largest_gaps(self) -> list[Any]:
        """The five largest gaps between groups (:func:`profile_summary.largest_gaps`)."""
        return largest_gaps(self.gaps)

    @property
    def gaps(self) -> list[dict[str, Any]]:
        """The gap blocks (for the PDF and the tests)."""
        return self.gap_section.blocks if self.gap_section else []

    @property
    def gaps_html(self) -> str:
        """The gap blocks as the page shows them (rendered once per publication)."""
        return self.gap_section.html if self.gap_section else ""


def profile_page(
    area: Area,
    state: ViewState,
    *,
    with_gaps: bool = True,
    user: Any = None,
    spine_scope: str = "lan",
) -> ProfilePage:
    """Lokal lägesbild: every indicator for a kommun against län and riket, trends and gaps.

    Shows published data only, unless ``user`` may see the kommun's unpublished imports.
    The figures and the gap blocks are computed once per publication for the public
    (:func:`jamlik.indicators.figure_cache.public_cached`); a reader who may see
    unpublished imports gets them computed afresh.
    """
    visibility = visibility_for(user)
    version = None if visibility.sees_staged else public_version()
    figures = public_cached(
        "kommun-profile",
        (area.pk, state.bench),
        visibility,
        lambda: profile_figures(area, state, visibility),
        version=version,
    )
    return ProfilePage(
        area,
        figures.county,
        state,
        figures.groups,
        GapSection(area, state.breakdown, visibility, version) if with_gaps else None,
        figures.is_demo,
        figures.benchmark,
        methods_url("quantiles"),
        figures.source_notes,
        figures.peers,
        overview=figures.overview,
        spine_scope=spine_scope if spine_scope in ("lan", "riket") else "lan",
    )


def profile_figures(area: Area, state: ViewState, visibility: Visibility) -> ProfileFigures:
    """Every indicator's latest value for ``area`` with its interval, the county's and
    Sweden's, the comparison with the benchmark, the recent trend and the series."""
    # the catalogue and the county's own indicators (none of other counties')
    indicators = analysis.indicator_map(indicators_for(area))
    county = area.county
    country = Area.objects.country()
    peers = peer_benchmark([area], state, focus=area)
    bench = peers or benchmark_area(area, state)
    ids = [area.pk, country.pk] + ([county.pk] if county else [])
    frame = observation_frame(indicator_ids=indicators.keys(), area_ids=ids, visibility=visibility)
    own = frame[frame["area_id"] == area.pk]
    trend_results = analysis.trends(own, indicators)
    latest = latest_rows(frame, among=[area.pk])
    mine = latest[latest["area_id"] == area.pk]
    if peers is not None:
        # the peers' values for each indicator's period shown (one query, published only)
        ends = {
            int(i): int(e) for i, e in zip(mine["indicator_id"], mine["period_end"], strict=True)
        }
        peer_rows = peer_values(peers, indicators.keys(), ends)
        peer_rows = peer_rows.merge(mine[["indicator_id", "period"]], on=["indicator_id", "period"])
        valued = set(peer_rows.loc[peer_rows["value"].notna(), "area_id"].astype(int))
        peers.with_values = len(valued)
        peers.valued = frozenset(p.code for p in peers.peers if p.pk in valued)
        bench_rows = analysis.peer_means(peer_rows, peers.peer_ids)
    else:
        bench_rows = latest[latest["area_id"] == bench.pk]
    compared = analysis.compare_with(
        mine,
        bench_rows,
        indicators,
        quintiles_by=analysis.county_quintiles(mine, indicators, county, visibility=visibility),
    )
    by_indicator = {int(r["indicator_id"]): r for r in compared.to_dict("records")}
    values_at = latest.set_index(["indicator_id", "area_id"])["value"].to_dict()
    sparks = spark_series(own)
    groups = []
    for group in analysis.grouped_by_target_area(list(indicators.values()), get_language() or "sv"):
        rows = []
        for ind in group.indicators:
            r = by_indicator.get(ind.pk)
            rows.append(
                ProfileRow(
                    indicator=ind,
                    value=clean_number(r["value"]) if r else None,
                    lower=clean_number(r["lower"]) if r else None,
                    upper=clean_number(r["upper"]) if r else None,
                    period=r["period"] if r else "",
                    county=clean_number(values_at.get((ind.pk, county.pk))) if county else None,
                    country=clean_number(values_at.get((ind.pk, country.pk))),
                    marker=comparison_marker(r["comparison"] if r else None),
                    trend=trend_marker(trend_results.get(ind.pk)),
                    spark=sparks.get(ind.pk, []),
                    suppressed=bool(r["suppressed"]) if r else False,
                    published=bool(r["published"]) if r else True,
                    peer_mean=clean_number(r["benchmark"]) if r and peers else None,
                    peer_count=int(r["peer_count"]) if r and peers else 0,
                )
            )
        groups.append((group.name, rows))
    is_demo = bool(frame["is_demo"].any()) if not frame.empty else False
    notes = mandatory_notes(indicators.keys(), ids)
    every_row = [row for _name, group_rows in groups for row in group_rows]
    overview = overview_figures(area, county, indicators, own, every_row, visibility)
    return ProfileFigures(county, bench, groups, is_demo, notes, peers, overview=overview)


def spark_series(own: pd.DataFrame) -> dict[int, list[dict[str, Any]]]:
    """Each indicator's series in time order (``{"year", "value"}``, missing values left
    out), from the area's rows; plain arrays, as ``itertuples`` cost a tenth of the page."""
    ordered = own.sort_values("period_end")
    known = ordered[ordered["value"].notna()]
    ids = known["indicator_id"].to_numpy()
    years = known["period_end"].to_numpy()
    values = known["value"].tolist()
    found: dict[int, list[dict[str, Any]]] = {}
    for i, indicator in enumerate(ids.tolist()):
        found.setdefault(int(indicator), []).append({"year": int(years[i]), "value": values[i]})
    return found

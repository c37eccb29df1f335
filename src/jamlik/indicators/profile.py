"""The kommun profile (lokal lägesbild): every indicator against län and riket, gaps between groups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.utils.translation import get_language

from jamlik.geo.models import Area
from jamlik.indicators import analysis
from jamlik.indicators.gap_blocks import gap_blocks
from jamlik.indicators.models import Indicator
from jamlik.indicators.pages import benchmark_area, clean_number, methods_url, spark_polyline
from jamlik.indicators.presentation import comparison_marker, trend_marker
from jamlik.indicators.queries import (
    latest_rows,
    observation_frame,
    visibility_for,
)
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

    @property
    def spark_points(self) -> str:
        """SVG polyline points (100 × 24 box) of the series, for a small inline trend."""
        return spark_polyline([p["value"] for p in self.spark])


@dataclass
class ProfilePage:
    area: Area
    county: Area | None
    state: ViewState
    groups: list[tuple[str, list[ProfileRow]]]
    gaps: list[dict[str, Any]]
    is_demo: bool
    benchmark: Area
    quintile_url: str = ""


def profile_page(
    area: Area, state: ViewState, *, with_gaps: bool = True, user: Any = None
) -> ProfilePage:
    """Lokal lägesbild: every indicator for a kommun against län and riket, trends and gaps.

    Shows published data only, unless ``user`` may see the kommun's unpublished imports.
    """
    visibility = visibility_for(user)
    indicators = analysis.indicator_map()
    county = area.county
    country = Area.objects.country()
    bench = benchmark_area(area, state)
    ids = [area.pk, country.pk] + ([county.pk] if county else [])
    frame = observation_frame(indicator_ids=indicators.keys(), area_ids=ids, visibility=visibility)
    own = frame[frame["area_id"] == area.pk]
    trend_results = analysis.trends(own, indicators)
    latest = latest_rows(frame, among=[area.pk])
    mine = latest[latest["area_id"] == area.pk]
    compared = analysis.compare_with(
        mine,
        latest[latest["area_id"] == bench.pk],
        indicators,
        quintiles_by=analysis.county_quintiles(mine, indicators, county, visibility=visibility),
    )
    by_indicator = {int(r["indicator_id"]): r for r in compared.to_dict("records")}
    values_at = latest.set_index(["indicator_id", "area_id"])["value"].to_dict()
    series = own.sort_values("period_end").groupby("indicator_id")
    sparks = {
        int(k): [
            {"year": int(r.period_end), "value": r.value}
            for r in g.itertuples()
            if pd.notna(r.value)
        ]
        for k, g in series
    }
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
                )
            )
        groups.append((group.name, rows))
    gaps = gap_blocks(area, state.breakdown, visibility=visibility) if with_gaps else []
    return ProfilePage(
        area,
        county,
        state,
        groups,
        gaps,
        bool(frame["is_demo"].any()) if not frame.empty else False,
        bench,
        methods_url("quantiles"),
    )

"""The numbers behind the pages: comparisons, trends, gaps between groups, funnels.

Nothing here re-implements statistics: benchmark comparisons, recent trends,
inequality measures, funnel limits and disclosure control all come from
:mod:`jamlik.stats`; this module chooses the inputs (which areas, which
period, which benchmark) and shapes the outputs for the views.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from jamlik.frameworks import load as load_framework
from jamlik.geo.models import Area
from jamlik.indicators.models import Indicator, ValueType
from jamlik.indicators.queries import (
    Visibility,
    latest_period_ends,
    latest_rows,
    observation_frame,
)
from jamlik.stats import (
    Comparison,
    Polarity,
    TrendDirection,
    compare,
    funnel_limits,
    quantiles,
    trend,
)

POLARITY = {"high": Polarity.HIGH_IS_GOOD, "low": Polarity.LOW_IS_GOOD, "neutral": Polarity.NEUTRAL}
#: Value types whose intervals allow a benchmark comparison.
COMPARABLE = {ValueType.PROPORTION, ValueType.RATE, ValueType.DSR}
#: Value types that usually come without an interval (life expectancy, merit
#: points, indices): ranked in quintiles among the kommuner of their county
#: instead, as Fingertips does for indicators without confidence intervals.
QUINTILE_RANKED = {ValueType.MEAN, ValueType.INDEX}
QUINTILES = 5


def quintile_key(quintile: int, polarity: str) -> str:
    """The comparison code of a quintile ranking: ``quintile_1`` (least favourable)
    … ``quintile_5``; ``neutral_quintile_1`` (lowest) … for indicators without polarity."""
    prefix = "neutral_quintile" if polarity == "neutral" else "quintile"
    return f"{prefix}_{int(quintile)}"


def peer_quintiles(peers: pd.DataFrame, indicators: dict[int, Indicator]) -> dict[Any, str]:
    """Quintile of each area among its peers: ``(indicator id, period, area id) → key``.

    ``peers`` holds one row per area (``indicator_id``, ``period``, ``area_id``,
    ``value``, ``peer_group`` = the kommun's county).  Areas are ranked within
    indicator, period and county with :func:`jamlik.stats.quantiles` (PHE's
    rule, Public Health England 2018), honouring polarity; only value types in
    :data:`QUINTILE_RANKED` are ranked.  This is a ranking, not a test: a
    kommun in the bottom fifth need not differ significantly from the rest.
    """
    if peers.empty:
        return {}
    usable = peers[
        peers["indicator_id"].map(lambda i: indicators[i].value_type in QUINTILE_RANKED)
        & peers["value"].notna()
    ]
    if usable.empty:
        return {}
    polarity = usable["indicator_id"].map(lambda i: POLARITY[indicators[i].polarity])
    groups = (
        usable["indicator_id"].astype(str)
        + "|"
        + usable["period"].astype(str)
        + "|"
        + usable["peer_group"].astype(str)
    )
    table = quantiles(
        usable["value"].to_numpy(dtype=float),
        n_quantiles=QUINTILES,
        polarity=polarity.to_numpy(),
        by=groups.to_numpy(),
    )
    result = {}
    for (ind, period, area), q in zip(
        zip(usable["indicator_id"], usable["period"], usable["area_id"], strict=True),
        table["quantile"],
        strict=True,
    ):
        if pd.notna(q):
            key = (int(ind), str(period), int(area))
            result[key] = quintile_key(int(q), indicators[int(ind)].polarity)
    return result


def with_peer_group(frame: pd.DataFrame, parents: dict[int, int | None]) -> pd.DataFrame:
    """``frame`` with a ``peer_group`` column: each area's parent (a kommun's county)."""
    return frame.assign(peer_group=frame["area_id"].map(lambda a: parents.get(int(a))))


def indicator_map(indicators: Sequence[Indicator] | None = None) -> dict[int, Indicator]:
    items = list(indicators) if indicators is not None else list(Indicator.objects.all())
    return {i.pk: i for i in items}


@dataclass
class TargetGroup:
    """Indicators of one målområde (number 0 = health outcomes and context)."""

    number: int
    name: str
    indicators: list[Indicator] = field(default_factory=list)


def grouped_by_target_area(
    indicators: Sequence[Indicator], language: str = "sv"
) -> list[TargetGroup]:
    """Indicators grouped under the eight målområden, in the framework's order.

    An indicator tagged with several målområden is listed under its first one.
    """
    framework = load_framework("malomraden")
    groups = {
        a.number: TargetGroup(a.number, a.name_en if language.startswith("en") else a.name_sv)
        for a in framework.areas
    }
    outcomes = TargetGroup(
        0,
        "Health outcomes and population"
        if language.startswith("en")
        else "Hälsoutfall och befolkning",
    )
    for indicator in indicators:
        numbers = indicator.target_areas or []
        group = groups.get(numbers[0]) if numbers else None
        (group or outcomes).indicators.append(indicator)
    result = [g for g in groups.values() if g.indicators]
    if outcomes.indicators:
        result.append(outcomes)
    return result


def compare_with(
    frame: pd.DataFrame,
    bench: pd.DataFrame,
    indicators: dict[int, Indicator],
    *,
    quintiles_by: dict[Any, str] | None = None,
) -> pd.DataFrame:
    """Add ``benchmark`` and ``comparison`` to ``frame`` (rows joined on indicator and period).

    ``bench`` has one row per indicator and period (the benchmark area's value).
    Proportions and rates are compared by their intervals.  Means and indices
    get their quintile among the county's kommuner from ``quintiles_by`` (see
    :func:`peer_quintiles`) when given; counts, and anything else without an
    interval, are not compared.
    """
    out = frame.copy()
    bench_values = bench.set_index(["indicator_id", "period"])["value"]
    keys = pd.MultiIndex.from_arrays([out["indicator_id"], out["period"]])
    out["benchmark"] = bench_values.reindex(keys).to_numpy() if len(bench_values) else np.nan
    polarity = out["indicator_id"].map(lambda i: POLARITY[indicators[i].polarity])
    if out.empty:
        out["comparison"] = pd.Series(dtype=object)
        return out
    result = compare(
        out["value"].to_numpy(),
        out["lower"].to_numpy(),
        out["upper"].to_numpy(),
        out["benchmark"].to_numpy(),
        polarity=polarity.to_numpy(),
    )
    comparable = (
        out["indicator_id"].map(lambda i: indicators[i].value_type in COMPARABLE).to_numpy()
    )
    out["comparison"] = np.where(
        comparable, result["comparison"].to_numpy(), Comparison.NOT_COMPARED
    )
    if quintiles_by:
        ranked = [
            quintiles_by.get((int(i), str(p), int(a)))
            for i, p, a in zip(out["indicator_id"], out["period"], out["area_id"], strict=True)
        ]
        out["comparison"] = [
            r if r is not None and not c else v
            for r, c, v in zip(ranked, comparable, out["comparison"], strict=True)
        ]
    return out


def county_quintiles(
    frame: pd.DataFrame,
    indicators: dict[int, Indicator],
    county: Area | None,
    *,
    visibility: Visibility | None = None,
) -> dict[Any, str]:
    """Quintiles among ``county``'s kommuner for the mean/index indicators in ``frame``'s
    periods (one query for those indicators' kommun values, disclosure-controlled)."""
    if county is None or frame.empty:
        return {}
    ranked_ids = [
        i
        for i in frame["indicator_id"].unique()
        if indicators[int(i)].value_type in QUINTILE_RANKED
    ]
    if not ranked_ids:
        return {}
    kommuner = list(Area.objects.municipalities(county.code).values_list("pk", flat=True))
    periods = set(frame["period"].astype(str))
    peers = observation_frame(
        indicator_ids=[int(i) for i in ranked_ids], area_ids=kommuner, visibility=visibility
    )
    peers = peers[peers["period"].isin(periods)]
    return peer_quintiles(peers.assign(peer_group=county.pk), indicators)


@dataclass
class Overview:
    """A matrix of areas × indicators with values compared to a benchmark."""

    areas: list[Area]
    groups: list[TargetGroup]
    cells: dict[tuple[int, int], dict[str, Any]]
    benchmark: Area
    benchmarks: dict[int, dict[str, Any]]
    is_demo: bool


def overview(
    areas: Sequence[Area],
    benchmark: Area,
    *,
    sex: str = "total",
    indicators: Sequence[Indicator] | None = None,
    language: str = "sv",
    period: str = "",
    visibility: Visibility | None = None,
) -> Overview:
    """Latest values (or those of ``period``) of every indicator for ``areas``,
    compared with ``benchmark``.

    Three SQL queries (indicators, latest periods, observations) whatever the
    number of areas, plus one for the unpublished runs.  Means and indices are
    ranked in quintiles among the kommuner of each county.
    """
    visibility = visibility or Visibility.public()
    ind = indicator_map(indicators)
    area_ids = [a.pk for a in areas]
    breakdown = "total" if sex == "total" else "sex"
    ends = (
        None
        if period
        else latest_period_ends(
            indicator_ids=ind.keys(),
            area_ids=area_ids,
            breakdown=breakdown,
            category=sex,
            visibility=visibility,
        )
    )
    frame = observation_frame(
        indicator_ids=ind.keys(),
        area_ids=[*area_ids, benchmark.pk],
        breakdown=breakdown,
        category=sex,
        period=period or None,
        period_ends=ends,
        visibility=visibility,
    )
    frame = latest_rows(frame, among=area_ids)
    bench = frame[frame["area_id"] == benchmark.pk]
    mine = frame[frame["area_id"].isin(area_ids)]
    parents = {a.pk: a.parent_id for a in areas}
    ranks = peer_quintiles(with_peer_group(mine, parents), ind)
    local = compare_with(mine, bench, ind, quintiles_by=ranks)
    cells = {
        (int(r.indicator_id), int(r.area_id)): r._asdict() for r in local.itertuples(index=False)
    }
    benchmarks = {int(r.indicator_id): r._asdict() for r in bench.itertuples(index=False)}
    return Overview(
        areas=list(areas),
        groups=grouped_by_target_area(list(ind.values()), language),
        cells=cells,
        benchmark=benchmark,
        benchmarks=benchmarks,
        is_demo=bool(frame["is_demo"].any()) if not frame.empty else False,
    )


def available_periods(
    indicator_ids: Sequence[int] | None = None, *, visibility: Visibility | None = None
) -> list[str]:
    """Period labels present in the data the reader may see (newest first), for the
    period selectors."""
    import hashlib

    from django.core.cache import cache

    from jamlik.indicators.models import ImportRun, Observation, PublicObservation

    visibility = visibility or Visibility.public()
    # Scanning every observation is too slow per request on a million rows;
    # the answer only changes when an import run adds data or is (un)published,
    # and with what the reader may see, so cache on those.
    latest_run = ImportRun.objects.order_by("-pk").values_list("pk", flat=True).first()
    ids = sorted(indicator_ids) if indicator_ids is not None else None
    scope = hashlib.sha1(  # noqa: S324 - a cache key, not security
        repr(
            (
                sorted(visibility.hidden_runs),
                None if visibility.allowed_areas is None else sorted(visibility.allowed_areas),
            )
        ).encode()
    ).hexdigest()
    key = f"indicators:periods:{latest_run}:{scope}:{ids}"
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    sources = [PublicObservation.objects.all()]
    if visibility.sees_staged:
        sources.append(Observation.objects.filter(visibility.staged_q()))
    rows: set[tuple[str, int, int]] = set()
    for source in sources:
        query = source.filter(breakdown="total")
        if ids is not None:
            query = query.filter(indicator_id__in=ids)
        rows |= set(query.values_list("period", "period_end", "period_start").distinct())
    periods = [p for p, _e, _s in sorted(rows, key=lambda r: (r[1], r[2]), reverse=True)]
    cache.set(key, periods, 3600)
    return periods


def trends(frame: pd.DataFrame, indicators: dict[int, Indicator]) -> dict[int, TrendDirection]:
    """Recent-trend direction per indicator for one area's series (PHE 2018 test)."""
    result: dict[int, TrendDirection] = {}
    usable = frame[frame["value"].notna() & frame["lower"].notna() & frame["upper"].notna()]
    for polarity, part in usable.groupby(
        usable["indicator_id"].map(lambda i: indicators[i].polarity)
    ):
        if part.empty:
            continue
        table = trend(
            part["period_end"].to_numpy(dtype=float),
            part["value"].to_numpy(),
            part["lower"].to_numpy(),
            part["upper"].to_numpy(),
            by=part["indicator_id"].to_numpy(),
            polarity=POLARITY[str(polarity)],
        )
        by_column = "by" if "by" in table.columns else table.columns[0]
        for row in table.itertuples(index=False):
            result[int(getattr(row, by_column))] = TrendDirection(row.direction)
    return result


def funnel(
    indicator: Indicator, frame: pd.DataFrame
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Points and 95 %/99.8 % control limits for a funnel plot (Spiegelhalter 2005).

    Only proportions and crude rates with numerators and denominators qualify;
    otherwise both lists are empty.
    """
    usable = frame[
        frame["numerator"].notna() & frame["denominator"].notna() & frame["value"].notna()
    ]
    if len(usable) < 3 or indicator.value_type not in (ValueType.PROPORTION, ValueType.RATE):
        return [], []
    if indicator.value_type == ValueType.PROPORTION:
        limits = funnel_limits(
            usable["numerator"].to_numpy(),
            usable["denominator"].to_numpy(),
            statistic="proportion",
            multiplier=indicator.multiplier,
        )
        x_column = "population"
        points_x = usable["denominator"]
    else:
        limits = funnel_limits(
            usable["numerator"].to_numpy(),
            usable["denominator"].to_numpy(),
            statistic="rate",
            rate=usable["value"].to_numpy(),
            rate_type="crude",
            multiplier=indicator.multiplier,
        )
        x_column = "events"
        points_x = usable["numerator"]
    limit_rows = []
    # Draw the limits only over the range the areas span (a little wider).
    low_x, high_x = float(points_x.min()) / 2, float(points_x.max()) * 2
    for label, column in (("95 %", "2s"), ("99,8 %", "3s")):
        for side in ("lower", "upper"):
            name = f"{side}_{column}_limit"
            if name not in limits.columns:
                continue
            for x, y in zip(limits[x_column], limits[name], strict=True):
                if pd.notna(y) and low_x <= x <= high_x:
                    limit_rows.append(
                        {"x": float(x), "value": float(y), "limit": f"{side} {label}"}
                    )
    points = [
        {"x": float(x), "value": float(v), "area_id": int(a)}
        for x, v, a in zip(points_x, usable["value"], usable["area_id"], strict=True)
    ]
    return points, limit_rows

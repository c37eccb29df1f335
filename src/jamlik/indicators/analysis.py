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
from jamlik.indicators.figure_cache import public_cached
from jamlik.indicators.models import Indicator, ValueType
from jamlik.indicators.queries import (
    Visibility,
    cache_scope,
    latest_period_ends,
    latest_rows,
    observation_frame,
)
from jamlik.stats import Comparison, Polarity, TrendDirection, funnel_limits
from jamlik.stats.arrays import (
    COMPARISONS,
    DIRECTIONS,
    compare_codes,
    polarity_code,
    quantile_codes,
    trend_codes,
)

POLARITY = {"high": Polarity.HIGH_IS_GOOD, "low": Polarity.LOW_IS_GOOD, "neutral": Polarity.NEUTRAL}
#: Value types whose intervals allow a benchmark comparison.
COMPARABLE = {ValueType.PROPORTION, ValueType.RATE, ValueType.DSR}
#: Value types that usually come without an interval (life expectancy, merit
#: points, indices): ranked in quintiles among the kommuner of their county
#: instead, as Fingertips does for indicators without confidence intervals.
QUINTILE_RANKED = {ValueType.MEAN, ValueType.INDEX}
QUINTILES = 5
#: Seconds computed figures stay cached.  Their key already follows every
#: publication and holds what else they depend on (no names or words), so the
#: timeout only bounds memory held for choices nobody asks for again.
FIGURES_SECONDS = 6 * 3600


def quintile_key(quintile: int, polarity: str) -> str:
    """The comparison code of a quintile ranking: ``quintile_1`` (least favourable)
    … ``quintile_5``; ``neutral_quintile_1`` (lowest) … for indicators without polarity."""
    prefix = "neutral_quintile" if polarity == "neutral" else "quintile"
    return f"{prefix}_{int(quintile)}"


def peer_quintiles(peers: pd.DataFrame, indicators: dict[int, Indicator]) -> dict[Any, str]:
    """Quintile of each area among its peers: ``(indicator id, period, area id) → key``.

    ``peers`` holds one row per area (``indicator_id``, ``period``, ``area_id``,
    ``value``, ``peer_group`` = the kommun's county).  Areas are ranked within
    indicator, period and county with PHE's rule (Public Health England 2018;
    :func:`jamlik.stats.arrays.quantile_codes`, the plain-array path of
    :func:`jamlik.stats.quantiles`), honouring polarity; only value types in
    :data:`QUINTILE_RANKED` are ranked.  This is a ranking, not a test: a
    kommun in the bottom fifth need not differ significantly from the rest.
    """
    if peers.empty:
        return {}
    ranked = {pk for pk, i in indicators.items() if i.value_type in QUINTILE_RANKED}
    usable = peers[peers["indicator_id"].isin(ranked) & peers["value"].notna()]
    if usable.empty:
        return {}
    ids = usable["indicator_id"].to_numpy(dtype=np.int64)
    periods = usable["period"].astype(str).to_numpy()
    areas = usable["area_id"].to_numpy(dtype=np.int64)
    groups = pd.factorize(
        usable["indicator_id"].astype(str) + "|" + periods + "|" + usable["peer_group"].astype(str)
    )[0].astype(np.int64)
    low_is_good = np.array([indicators[int(i)].polarity == "low" for i in ids], dtype=bool)
    found = quantile_codes(
        usable["value"].to_numpy(dtype=float), groups, low_is_good, QUINTILES
    ).tolist()
    return {
        (int(i), str(p), int(a)): quintile_key(int(q), indicators[int(i)].polarity)
        for i, p, a, q in zip(ids.tolist(), periods, areas.tolist(), found, strict=True)
        if q == q  # NaN: too few areas in the group
    }


def with_peer_group(frame: pd.DataFrame, parents: dict[int, int | None]) -> pd.DataFrame:
    """``frame`` with a ``peer_group`` column: each area's parent (a kommun's county)."""
    return frame.assign(peer_group=frame["area_id"].map(parents))


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


def _per_indicator(ids: np.ndarray, values: dict[int, Any], dtype: Any) -> np.ndarray:
    """``values[id]`` for every id in ``ids`` (one lookup per distinct indicator)."""
    unique, inverse = np.unique(ids, return_inverse=True)
    return np.array([values[int(i)] for i in unique], dtype=dtype)[inverse]


def compare_with(
    frame: pd.DataFrame,
    bench: pd.DataFrame,
    indicators: dict[int, Indicator],
    *,
    quintiles_by: dict[Any, str] | None = None,
) -> pd.DataFrame:
    """Add ``benchmark`` and ``comparison`` to ``frame`` (rows joined on indicator and period).

    ``bench`` has one row per indicator and period (the benchmark area's value),
    or, for a peer group, one per indicator, period and compared area
    (``for_area``, with ``count`` peers that had a value; from :func:`peer_means`):
    then ``peer_count`` is added too.
    Proportions and rates are compared by their intervals (PHE 2018, through
    :func:`jamlik.stats.arrays.compare_codes`, the plain-array path of
    :func:`jamlik.stats.compare`).  Means and indices get their quintile among
    the county's kommuner from ``quintiles_by`` (see :func:`peer_quintiles`)
    when given; counts, and anything else without an interval, are not compared.
    """
    out = frame.copy()
    if "for_area" in bench.columns:
        # a peer benchmark: each area against its own peers' mean (see :func:`peer_means`)
        keyed = bench.set_index(["indicator_id", "period", "for_area"])
        keys = pd.MultiIndex.from_arrays([out["indicator_id"], out["period"], out["area_id"]])
        found = keyed.reindex(keys) if len(keyed) else None
        out["benchmark"] = found["value"].to_numpy() if found is not None else np.nan
        out["peer_count"] = (
            found["count"].fillna(0).to_numpy(dtype=np.int64) if found is not None else 0
        )
    else:
        bench_values = bench.set_index(["indicator_id", "period"])["value"]
        keys = pd.MultiIndex.from_arrays([out["indicator_id"], out["period"]])
        out["benchmark"] = bench_values.reindex(keys).to_numpy() if len(bench_values) else np.nan
    if out.empty:
        out["comparison"] = pd.Series(dtype=object)
        return out
    ids = out["indicator_id"].to_numpy(dtype=np.int64)
    polarity = {pk: polarity_code(POLARITY[i.polarity]) for pk, i in indicators.items()}
    comparable = _per_indicator(
        ids, {pk: i.value_type in COMPARABLE for pk, i in indicators.items()}, bool
    )
    codes = compare_codes(
        out["value"].to_numpy(dtype=float),
        out["lower"].to_numpy(dtype=float),
        out["upper"].to_numpy(dtype=float),
        out["benchmark"].to_numpy(dtype=float),
        _per_indicator(ids, polarity, np.int8),
    )
    codes[~comparable] = COMPARISONS.index(Comparison.NOT_COMPARED)
    labels = [c.value for c in COMPARISONS]
    comparison: list[str] = [labels[c] for c in codes.tolist()]
    if quintiles_by:
        for row, (i, p, a) in enumerate(
            zip(ids.tolist(), out["period"].tolist(), out["area_id"].tolist(), strict=True)
        ):
            ranked = quintiles_by.get((i, str(p), int(a)))
            if ranked is not None and not comparable[row]:
                comparison[row] = ranked
    out["comparison"] = np.array(comparison, dtype=object)
    return out


PEER_MEAN_COLUMNS = ["indicator_id", "period", "for_area", "value", "count"]


def peer_means(frame: pd.DataFrame, peers: dict[int, Sequence[int]]) -> pd.DataFrame:
    """The unweighted mean of each area's peers' values, per indicator and period.

    ``frame`` holds the peers' rows (``indicator_id``, ``period``, ``area_id``,
    ``value``); ``peers`` maps each compared area to its peer areas.  The area
    itself never counts among its own peers (Kolada's "genomsnitt för liknande
    kommuner" leaves the kommun out).  Missing and suppressed values are left
    out of the mean; ``count`` says how many peers had a value, and a mean of no
    values is missing (the comparison then says "not compared"), not an error.
    An unweighted mean treats each kommun as one case, as a peer comparison
    asks: how do kommuner like this one fare, not how does their population.
    """
    pairs = pd.DataFrame(
        [(int(a), int(p)) for a, group in peers.items() for p in group if int(p) != int(a)],
        columns=["for_area", "area_id"],
    )
    if pairs.empty or frame.empty:
        return pd.DataFrame(columns=PEER_MEAN_COLUMNS)
    rows = frame[["indicator_id", "period", "area_id", "value"]].astype({"area_id": np.int64})
    joined = pairs.merge(rows, on="area_id")
    if joined.empty:
        return pd.DataFrame(columns=PEER_MEAN_COLUMNS)
    found = (
        joined.groupby(["indicator_id", "period", "for_area"], sort=True)["value"]
        .agg(["mean", "count"])
        .reset_index()
        .rename(columns={"mean": "value"})
    )
    return found[PEER_MEAN_COLUMNS]


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


#: What an overview cell can show: every :class:`Comparison`, then the quintile rankings.
MARKER_KEYS: tuple[str, ...] = (
    *(c.value for c in COMPARISONS),
    *(quintile_key(q, polarity) for polarity in ("high", "neutral") for q in range(1, 6)),
)
_MARKER_CODE = {key: code for code, key in enumerate(MARKER_KEYS)}
NO_MARKER = _MARKER_CODE[Comparison.NOT_COMPARED.value]


@dataclass(frozen=True)
class OverviewFigures:
    """An overview's numbers: rows are indicators, columns areas.

    Plain arrays and no model instances, so that the whole matrix (14 500 cells
    on the national overview) goes into and out of the cache in a millisecond;
    names and words are added per request.  ``present`` marks the cells with
    a row in the data; ``marker`` holds codes into :data:`MARKER_KEYS`;
    ``periods`` the period shown for each indicator; ``benchmark`` the
    benchmark area's value per indicator (NaN when it has none).
    """

    indicator_ids: tuple[int, ...]
    area_ids: tuple[int, ...]
    periods: tuple[str, ...]
    present: np.ndarray
    value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    suppressed: np.ndarray
    published: np.ndarray
    marker: np.ndarray
    benchmark: np.ndarray
    is_demo: bool
    #: With a peer-group benchmark: each cell's peer mean (NaN when no peer had a
    #: value) and how many peers had a value; ``benchmark`` is then all NaN.
    peer_mean: np.ndarray | None = None
    peer_count: np.ndarray | None = None

    def row(self, indicator_id: int) -> int:
        """The row of an indicator."""
        return self.indicator_ids.index(indicator_id)


@dataclass
class Overview:
    """A matrix of areas × indicators with values compared to a benchmark."""

    areas: list[Area]
    groups: list[TargetGroup]
    figures: OverviewFigures
    benchmark: Area
    is_demo: bool


def overview_figures(
    areas: Sequence[Area],
    benchmark: Area,
    indicators: dict[int, Indicator],
    *,
    sex: str = "total",
    period: str = "",
    visibility: Visibility,
    peers: dict[int, tuple[int, ...]] | None = None,
) -> OverviewFigures:
    """Latest values (or those of ``period``) of every indicator for ``areas``, compared with
    ``benchmark``; means and indices ranked in quintiles among the kommuner of each county.

    With ``peers`` (area id → its peers' ids) each area is compared with its own peers'
    mean instead (:func:`peer_means`; their published values only, one query more).

    Two SQL queries (latest periods, observations) whatever the number of areas
    and indicators, plus one each for the staged rows a reader may see.
    """
    area_ids = [a.pk for a in areas]
    breakdown = "total" if sex == "total" else "sex"
    ends = (
        None
        if period
        else latest_period_ends(
            indicator_ids=indicators.keys(),
            area_ids=area_ids,
            breakdown=breakdown,
            category=sex,
            visibility=visibility,
        )
    )
    frame = observation_frame(
        indicator_ids=indicators.keys(),
        area_ids=[*area_ids, benchmark.pk],
        breakdown=breakdown,
        category=sex,
        period=period or None,
        period_ends=ends,
        visibility=visibility,
    )
    frame = latest_rows(frame, among=area_ids)
    mine = frame[frame["area_id"].isin(area_ids)]
    if peers is not None:
        peer_rows = observation_frame(
            indicator_ids=indicators.keys(),
            area_ids=sorted({p for group in peers.values() for p in group}),
            breakdown=breakdown,
            category=sex,
            period=period or None,
            period_ends=ends,
            visibility=Visibility.public(),
        )
        shown = mine[["indicator_id", "period"]].drop_duplicates()
        peer_rows = peer_rows.merge(shown, on=["indicator_id", "period"])
        bench = peer_means(peer_rows, peers)
    else:
        bench = frame[frame["area_id"] == benchmark.pk]
    parents = {a.pk: a.parent_id for a in areas}
    ranks = peer_quintiles(with_peer_group(mine, parents), indicators)
    local = compare_with(mine, bench, indicators, quintiles_by=ranks)

    rows = {pk: i for i, pk in enumerate(indicators)}
    columns = {pk: j for j, pk in enumerate(area_ids)}
    shape = (len(rows), len(columns))
    r = np.array([rows[int(i)] for i in local["indicator_id"]], dtype=np.intp)
    c = np.array([columns[int(a)] for a in local["area_id"]], dtype=np.intp)

    def matrix(column: str, fill: Any, dtype: Any) -> np.ndarray:
        out = np.full(shape, fill, dtype=dtype)
        out[r, c] = local[column].to_numpy(dtype=dtype)
        return out

    present = np.zeros(shape, dtype=bool)
    present[r, c] = True
    marker = np.full(shape, NO_MARKER, dtype=np.int16)
    marker[r, c] = [_MARKER_CODE[str(k)] for k in local["comparison"]]
    periods = [""] * len(rows)
    for i, p in zip(r.tolist(), local["period"].tolist(), strict=True):
        periods[i] = str(p)
    benchmark_values = np.full(len(rows), np.nan)
    if peers is None:
        for i, v in zip(bench["indicator_id"].tolist(), bench["value"].tolist(), strict=True):
            benchmark_values[rows[int(i)]] = v
    return OverviewFigures(
        indicator_ids=tuple(rows),
        area_ids=tuple(area_ids),
        periods=tuple(periods),
        present=present,
        value=matrix("value", np.nan, float),
        lower=matrix("lower", np.nan, float),
        upper=matrix("upper", np.nan, float),
        suppressed=matrix("suppressed", False, bool),
        published=matrix("published", True, bool),
        marker=marker,
        benchmark=benchmark_values,
        is_demo=bool(frame["is_demo"].any()) if not frame.empty else False,
        peer_mean=matrix("benchmark", np.nan, float) if peers is not None else None,
        peer_count=matrix("peer_count", 0, np.int64) if peers is not None else None,
    )


def overview(
    areas: Sequence[Area],
    benchmark: Area,
    *,
    sex: str = "total",
    indicators: Sequence[Indicator] | None = None,
    language: str = "sv",
    period: str = "",
    visibility: Visibility | None = None,
    peers: dict[int, tuple[int, ...]] | None = None,
) -> Overview:
    """Latest values (or those of ``period``) of every indicator for ``areas``,
    compared with ``benchmark`` (see :func:`overview_figures`).

    For the public the figures are computed once per publication and read from
    the cache after that (:func:`jamlik.indicators.figure_cache.public_cached`,
    keyed on the public table's version, the areas, the benchmark, the choices
    and each indicator's polarity and value type, which decide the comparison).
    A reader who may see staged rows always gets them computed afresh.
    """
    visibility = visibility or Visibility.public()
    ind = indicator_map(indicators)
    parts = (
        tuple((a.pk, a.parent_id) for a in areas),
        benchmark.pk,
        sex,
        period,
        tuple((pk, i.polarity, i.value_type) for pk, i in ind.items()),
        None if peers is None else tuple(sorted(peers.items())),
    )
    figures = public_cached(
        "overview-figures",
        parts,
        visibility,
        lambda: overview_figures(
            areas, benchmark, ind, sex=sex, period=period, visibility=visibility, peers=peers
        ),
        timeout=FIGURES_SECONDS,
    )
    return Overview(
        areas=list(areas),
        groups=grouped_by_target_area(list(ind.values()), language),
        figures=figures,
        benchmark=benchmark,
        is_demo=figures.is_demo,
    )


def available_periods(
    indicator_ids: Sequence[int] | None = None, *, visibility: Visibility | None = None
) -> list[str]:
    """Period labels present in the data the reader may see (newest first), for the
    period selectors."""
    from django.core.cache import cache

    from jamlik.indicators.models import Observation, PublicObservation

    visibility = visibility or Visibility.public()
    # Scanning every observation is too slow per request on a million rows;
    # the answer only changes when an import run adds data or is (un)published,
    # and with what the reader may see, so cache on those.
    ids = sorted(indicator_ids) if indicator_ids is not None else None
    key = f"indicators:periods:{cache_scope(visibility)}:{ids}"
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
    """Recent-trend direction per indicator for one area's series (PHE 2018 test, through
    :func:`jamlik.stats.arrays.trend_codes`, the plain-array path of :func:`jamlik.stats.trend`:
    one call for every indicator instead of one per polarity)."""
    usable = frame[frame["value"].notna() & frame["lower"].notna() & frame["upper"].notna()]
    if usable.empty:
        return {}
    groups, ids = pd.factorize(usable["indicator_id"].to_numpy(dtype=np.int64))
    codes = trend_codes(
        usable["period_end"].to_numpy(dtype=float),
        usable["value"].to_numpy(dtype=float),
        usable["lower"].to_numpy(dtype=float),
        usable["upper"].to_numpy(dtype=float),
        groups.astype(np.int64),
        np.array([polarity_code(POLARITY[indicators[int(i)].polarity]) for i in ids]),
    )
    return {int(i): DIRECTIONS[c] for i, c in zip(ids.tolist(), codes.tolist(), strict=True)}


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

"""Funnel plots: control limits and each area's significance band.

Method: Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional
performance. Statistics in Medicine 24, 1185-1202. Control limits at 2 and 3
standard deviations (two-sided 95 % and 99.8 %) are drawn around the overall
average: for proportions the Wilson score limits solved for the area's
proportion (Wilson 1927); for ratios and rates the exact Poisson limits of the
observed count (chi-square relation, Breslow & Day 1987). An area is flagged
when its own interval (exact below 10 events, Byar's from 10) excludes the
average. Conventions (axis range, 100 plotting points, years of data, DSRs
shown only from 10 events) follow PHEindicatormethods ``calculate_funnel_limits``
and ``assign_funnel_significance``; reference values are the
``shared/reference/phe/testdata_funnel_*.csv`` files.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
from scipy import special
from scipy import stats as sps

from jamlik.stats.rates import poisson_limits
from jamlik.stats.validation import (
    FloatArray,
    as_float_array,
    check_at_most,
    check_choice,
    check_multiplier,
    check_non_negative,
    check_positive,
    check_same_length,
    labels,
)

STATISTICS = ("proportion", "ratio", "rate")
RATE_TYPES = ("dsr", "crude")
RATIO_TYPES = ("count", "isr")
POINTS = 100
DSR_MIN_EVENTS = 10
#: One-sided tail probabilities of the 2- and 3-sigma limits (95 % and 99.8 % two-sided).
TAIL_2S = 0.025
TAIL_3S = 0.001


class FunnelSignificance(StrEnum):
    """Where an area falls relative to the funnel's control limits."""

    HIGH_3S = "High (0.001)"
    HIGH_2S = "High (0.025)"
    LOW_3S = "Low (0.001)"
    LOW_2S = "Low (0.025)"
    NOT_SIGNIFICANT = "Not significant"
    NOT_APPLICABLE = "Not applicable for events less than 10 for dsrs"


def _wilson_control(tail: float, n: FloatArray, average: float, side: str) -> FloatArray:
    """Proportion at which the Wilson limit for denominator n touches the average.

    Solving the Wilson (1927) score limit for the observed proportion gives a
    quadratic; this is its lower or upper root.
    """
    z2 = sps.norm.ppf(1 - tail) ** 2
    first = average * (n / z2 + 1)
    root = np.sqrt(
        (-8 * average * (n / z2 + 1)) ** 2
        - 64 * (1 / z2 + 1 / n) * average * (n * (average * (n / z2 + 2) - 1) + z2 * (average - 1))
    )
    last = 1 / z2 + 1 / n
    count = (first - root / 8) / last if side == "low" else (first + root / 8) / last
    return np.asarray(count / n, dtype=np.float64)


def _expected_at_limit(observed: FloatArray, tail: float, side: str) -> FloatArray:
    """Expected count for which ``observed`` sits exactly on a Poisson control limit.

    side "high": P(X <= observed) = tail (the area would be low); side "low":
    P(X >= observed) = tail (the area would be high).
    """
    if side == "high":
        return np.asarray(special.gammaincinv(observed + 1, 1 - tail), dtype=np.float64)
    safe = np.where(observed > 0, observed, 1.0)
    return np.where(observed > 0, special.gammaincinv(safe, tail), 0.0)


def _floor_neat(x: float) -> float:
    if x == 0:
        return 0.0
    digits = len(str(math.floor(x * 0.95))) - 1
    return math.floor(x * 0.95 / 10**digits) * 10**digits


def _ceiling_neat(x: float) -> float:
    if x == 0:
        return 0.0
    digits = len(str(math.ceil(x * 1.05))) - 2
    return math.ceil(x * 1.05 / 10**digits) * 10**digits


def _axis(minimum: float, maximum: float, statistic: str, years: float) -> FloatArray:
    """The 100 x-axis points, spaced geometrically from a neat minimum to a neat maximum."""
    if maximum > 2 * minimum:
        low = 0.0
    elif statistic == "rate":
        low = _floor_neat(minimum / years) * years
    else:
        low = _floor_neat(minimum)
    high = _ceiling_neat(maximum / years) * years if statistic == "rate" else _ceiling_neat(maximum)
    return np.array([low, high])


def _points(low: float, high: float, statistic: str) -> FloatArray:
    points = [max(1.0, low)]
    for j in range(2, POINTS + 1):
        offset = j if statistic in ("proportion", "rate") else j - 1
        previous = points[-1]
        step = float(np.round((high / previous) ** (1 / (101 - offset)) * previous))
        points.append(max(step, previous + 1))
    return np.array(points)


def _rate_denominators(
    numerator: FloatArray,
    rate: FloatArray,
    denominator: FloatArray | None,
    rate_type: str,
    multiplier: float,
) -> FloatArray:
    """Population implied by each rate (numerator / rate x multiplier)."""
    safe_rate = np.where(rate > 0, rate, 1.0)
    derived = np.where(rate > 0, multiplier * numerator / safe_rate, np.nan)
    zero = numerator == 0
    if rate_type == "dsr":
        return np.where(zero, np.nan, derived)
    if zero.any():
        if denominator is None:
            raise ValueError(
                "denominator is required for crude rates when a numerator is zero "
                "(the population cannot be derived from a zero rate)."
            )
        return np.where(zero, denominator, derived)
    return derived


def _inputs(
    numerator: Any, denominator: Any, rate: Any, statistic: str, rate_type: str | None
) -> tuple[FloatArray, FloatArray | None, FloatArray | None]:
    check_choice(statistic, "statistic", STATISTICS)
    x = as_float_array(numerator, "numerator")
    if len(x) == 0:
        raise ValueError(
            "numerator must hold at least one area; got none. A funnel plot compares "
            "areas with their overall average, so give each area's numerator (and "
            "denominator or rate)."
        )
    check_non_negative(x, "numerator")
    n = None if denominator is None else as_float_array(denominator, "denominator")
    if n is not None:
        check_same_length(numerator=x, denominator=n)
        check_positive(n, "denominator")
    r = None
    if statistic == "rate":
        check_choice(rate_type, "rate_type", RATE_TYPES)
        if rate is None:
            raise ValueError("rate is required when statistic is 'rate'.")
        r = as_float_array(rate, "rate")
        check_same_length(numerator=x, rate=r)
        check_non_negative(r, "rate")
        if (x == 0).any() and n is None:
            raise ValueError(
                "denominator is required for rates when a numerator is zero; the "
                "population cannot be derived from a zero rate."
            )
    elif n is None:
        raise ValueError(f"denominator is required when statistic is '{statistic}'.")
    if statistic == "proportion":
        check_at_most(x, n, "numerator", "denominator")  # type: ignore[arg-type]
    return x, n, r


def funnel_limits(
    numerator: Any,
    denominator: Any = None,
    *,
    statistic: str,
    multiplier: float = 100,
    rate: Any = None,
    rate_type: str | None = None,
    ratio_type: str = "count",
    years_of_data: float = 1,
) -> pd.DataFrame:
    """Control limits for a funnel plot (Spiegelhalter 2005), 100 points along the x axis.

    * ``statistic="proportion"``: x axis ``population`` (denominators), limits as
      percentages when ``multiplier=100``.
    * ``statistic="ratio"``: x axis ``observed_events``; ``denominator`` holds the
      expected counts; ``ratio_type`` "count" gives limits as ratio - 1 and "isr"
      as ratio x 100; ``*_exp_events`` give the expected count at each limit.
    * ``statistic="rate"``: x axis ``events``; ``rate`` holds the rates (per
      ``multiplier``), ``rate_type`` "dsr" or "crude"; ``*_population_1_year``
      give the annual population at each limit over ``years_of_data`` years.

    Columns ``lower_2s_limit``, ``upper_2s_limit`` (95 %), ``lower_3s_limit``,
    ``upper_3s_limit`` (99.8 %) and ``baseline``, plus ``value`` (the baseline),
    ``lower``/``upper`` (the 95 % limits), ``statistic`` and ``method``.
    """
    x, n, r = _inputs(numerator, denominator, rate, statistic, rate_type)
    scale = check_multiplier(multiplier)
    if statistic == "ratio":
        check_choice(ratio_type, "ratio_type", RATIO_TYPES)
    years = float(years_of_data)
    if not years > 0:
        raise ValueError(f"years_of_data must be greater than zero; got {years_of_data!r}.")
    if statistic == "rate":
        assert r is not None
        derived = _rate_denominators(x, r, n, str(rate_type), scale)
    else:
        assert n is not None
        derived = n
    average = float(np.sum(x) / np.nansum(derived))
    low, high = _axis(float(np.nanmin(derived)), float(np.nanmax(derived)), statistic, years)
    if statistic == "rate":
        low, high = math.floor(low * average), math.ceil(high * average)
    axis = _points(low, high, statistic)

    columns: dict[str, Any] = {}
    if statistic == "proportion":
        columns["population"] = axis
        for label, tail in (("2s", TAIL_2S), ("3s", TAIL_3S)):
            columns[f"lower_{label}_limit"] = np.maximum(
                0, _wilson_control(tail, axis, average, "low") * scale
            )
            columns[f"upper_{label}_limit"] = np.minimum(
                scale, _wilson_control(tail, axis, average, "high") * scale
            )
        columns["baseline"] = np.full(POINTS, average * scale)
        label_text, method = statistic, "Wilson"
    elif statistic == "ratio":
        columns["observed_events"] = axis
        for label, tail in (("2s", TAIL_2S), ("3s", TAIL_3S)):
            for side, edge in (("lower", "high"), ("upper", "low")):
                expected = _expected_at_limit(axis, tail, edge)
                ratio = axis / expected
                limit = ratio - 1 if ratio_type == "count" else ratio * 100
                columns[f"{side}_{label}_exp_events"] = expected
                columns[f"{side}_{label}_limit"] = limit
        columns["baseline"] = np.full(POINTS, 0.0 if ratio_type == "count" else 100.0)
        label_text, method = f"ratio ({ratio_type})", "Poisson"
    else:
        columns["events"] = axis
        for label, tail in (("2s", TAIL_2S), ("3s", TAIL_3S)):
            for side, edge in (("lower", "high"), ("upper", "low")):
                population = _expected_at_limit(axis, tail, edge) / average
                columns[f"{side}_{label}_population_1_year"] = population / years
                columns[f"{side}_{label}_limit"] = axis / population * scale
        columns["baseline"] = np.full(POINTS, average * scale)
        label_text = f"rate ({rate_type} per {int(scale):,})"
        method = "Poisson"
    out = pd.DataFrame(columns)
    out["value"] = out["baseline"]
    out["lower"] = out["lower_2s_limit"]
    out["upper"] = out["upper_2s_limit"]
    out["statistic"] = label_text
    out["method"] = method
    return out


def funnel_significance(
    numerator: Any,
    denominator: Any = None,
    *,
    statistic: str,
    multiplier: float = 100,
    rate: Any = None,
    rate_type: str | None = None,
) -> pd.DataFrame:
    """Each area's position against the funnel (Spiegelhalter 2005).

    Returns one row per area with ``significance`` (a :class:`FunnelSignificance`
    value such as "High (0.001)"), ``value`` (the area's statistic: proportion
    x ``multiplier``, observed/expected ratio, or the rate) and ``lower``/``upper``:
    for proportions the 95 % control limits at the area's denominator, for
    ratios and rates the area's own 95 % Poisson interval on the same scale.
    DSRs with fewer than 10 events are "not applicable".
    """
    x, n, r = _inputs(numerator, denominator, rate, statistic, rate_type)
    scale = check_multiplier(multiplier)
    bands_order = list(FunnelSignificance)
    significance = np.full(
        len(x), bands_order.index(FunnelSignificance.NOT_SIGNIFICANT), dtype=np.int8
    )
    if statistic == "proportion":
        assert n is not None
        average = float(x.sum() / n.sum())
        p = x / n
        bands = {
            label: (
                _wilson_control(tail, n, average, "low"),
                _wilson_control(tail, n, average, "high"),
            )
            for label, tail in (("2s", TAIL_2S), ("3s", TAIL_3S))
        }
        rules = [
            (p > bands["2s"][1], FunnelSignificance.HIGH_2S),
            (p > bands["3s"][1], FunnelSignificance.HIGH_3S),
            (p < bands["2s"][0], FunnelSignificance.LOW_2S),
            (p < bands["3s"][0], FunnelSignificance.LOW_3S),
        ]
        value, lower, upper = p * scale, bands["2s"][0] * scale, bands["2s"][1] * scale
    else:
        if statistic == "ratio":
            assert n is not None
            base = np.ones(len(x))
            divisor = n
        else:
            assert r is not None
            divisor = _rate_denominators(x, r, n, str(rate_type), scale)
            base = np.full(len(x), x.sum() / np.nansum(divisor))
        limits = {}
        for label, level in (("2s", 0.95), ("3s", 0.998)):
            low, high, _ = poisson_limits(x, level)
            limits[label] = (low / divisor, high / divisor)
        with np.errstate(invalid="ignore"):
            rules = [
                (base > limits["2s"][1], FunnelSignificance.LOW_2S),
                (base > limits["3s"][1], FunnelSignificance.LOW_3S),
                (base < limits["2s"][0], FunnelSignificance.HIGH_2S),
                (base < limits["3s"][0], FunnelSignificance.HIGH_3S),
            ]
        factor = 1.0 if statistic == "ratio" else scale
        with np.errstate(invalid="ignore", divide="ignore"):
            value = x / divisor * factor
        lower, upper = limits["2s"][0] * factor, limits["2s"][1] * factor
    for mask, band in rules:
        significance[mask] = bands_order.index(band)
    if statistic == "rate" and rate_type == "dsr":
        significance[x < DSR_MIN_EVENTS] = bands_order.index(FunnelSignificance.NOT_APPLICABLE)
    return pd.DataFrame(
        {
            "numerator": x,
            "value": value,
            "lower": lower,
            "upper": upper,
            "significance": labels(significance, [b.value for b in bands_order]),
        }
    )

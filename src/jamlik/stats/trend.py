"""Recent trend over the last five points of a series.

Method: the Fingertips recent-trend test (Public Health England 2018, Technical
guide: Fingertips trend markers). On the five most recent points a weighted
linear regression of value on period is fitted with inverse-variance weights
(standard errors from the 95 % limits, SE = (upper - lower) / 3.92); the slope
is significant when (slope / SE(slope))^2 exceeds the chi-square critical value
with 1 degree of freedom at p = 0.002 (99.8 %, about 9.55). The direction must
survive dropping each point in turn (six fits). For proportions with counts and
denominators the chi-square test for trend in proportions is used instead
(Armitage, P. 1955, Biometrics 11, 375-386), with the same robustness rule.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from jamlik.stats.compare import Polarity, as_polarity
from jamlik.stats.validation import FloatArray, as_float_array, check_same_length

POINTS = 5
CONFIDENCE = 0.998
CRITICAL = float(sps.chi2.ppf(CONFIDENCE, 1))
Z95 = float(sps.norm.ppf(0.975))
Z998 = float(sps.norm.ppf(0.999))


class TrendDirection(StrEnum):
    """Result of the recent-trend test, optionally judged by polarity."""

    INCREASING = "increasing"
    DECREASING = "decreasing"
    INCREASING_AND_GETTING_BETTER = "increasing_and_getting_better"
    INCREASING_AND_GETTING_WORSE = "increasing_and_getting_worse"
    DECREASING_AND_GETTING_BETTER = "decreasing_and_getting_better"
    DECREASING_AND_GETTING_WORSE = "decreasing_and_getting_worse"
    NO_SIGNIFICANT_CHANGE = "no_significant_change"
    CANNOT_BE_CALCULATED = "cannot_be_calculated"


def _weighted_slope(x: FloatArray, y: FloatArray, w: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Inverse-variance weighted least-squares slope and its variance, along the last axis."""
    sw = w.sum(axis=-1, keepdims=True)
    xm = (w * x).sum(axis=-1, keepdims=True) / sw
    ym = (w * y).sum(axis=-1, keepdims=True) / sw
    sxx = (w * (x - xm) ** 2).sum(axis=-1)
    slope = (w * (x - xm) * (y - ym)).sum(axis=-1) / sxx
    return slope, 1 / sxx


def _armitage(x: FloatArray, r: FloatArray, n: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Chi-square test for trend in proportions (Armitage 1955): statistic T and its variance."""
    total_n = n.sum(axis=-1, keepdims=True)
    p = r.sum(axis=-1, keepdims=True) / total_n
    xm = (n * x).sum(axis=-1, keepdims=True) / total_n
    t = (r * (x - xm)).sum(axis=-1)
    var = (p * (1 - p))[..., 0] * (n * (x - xm) ** 2).sum(axis=-1)
    return t, var


def _drop_each(a: FloatArray) -> FloatArray:
    """(groups, 5) -> (groups, 5, 4): the series with each point left out in turn."""
    keep = ~np.eye(POINTS, dtype=bool)
    return np.stack([a[:, keep[i]] for i in range(POINTS)], axis=1)


def trend(
    periods: Any,
    values: Any,
    lower: Any = None,
    upper: Any = None,
    *,
    counts: Any = None,
    denominators: Any = None,
    by: Any = None,
    polarity: Polarity | str | None = None,
) -> pd.DataFrame:
    """Recent-trend test on the last five points of each series (PHE 2018).

    ``periods`` are numbers (years); ``values`` with their 95 % ``lower`` and
    ``upper`` limits, or ``counts`` and ``denominators`` for proportions. ``by``
    (optional) labels several series at once. Returns one row per series:
    ``direction`` (:class:`TrendDirection`), ``significant``, ``points``,
    ``chi_square``, and ``value``/``lower``/``upper``: the slope per period with
    its 99.8 % interval (for proportions, the slope of the proportion).
    Fewer than five points gives ``CANNOT_BE_CALCULATED``.
    """
    x = as_float_array(periods, "periods")
    y = as_float_array(values, "values", allow_nan=True)
    use_counts = counts is not None or denominators is not None
    if use_counts:
        if counts is None or denominators is None:
            raise ValueError("give both counts and denominators for the proportion trend test.")
        a = as_float_array(counts, "counts")
        b = as_float_array(denominators, "denominators")
        check_same_length(periods=x, values=y, counts=a, denominators=b)
        if (a < 0).any() or (b <= 0).any() or (a > b).any():
            raise ValueError("counts must be between 0 and their denominators, which must be > 0.")
    else:
        if lower is None or upper is None:
            raise ValueError("give lower and upper (95 % limits), or counts and denominators.")
        a = as_float_array(lower, "lower", allow_nan=True)
        b = as_float_array(upper, "upper", allow_nan=True)
        check_same_length(periods=x, values=y, lower=a, upper=b)
    labels = np.zeros(len(x), dtype=np.int64) if by is None else pd.Series(by).to_numpy()
    if len(labels) != len(x):
        raise ValueError(f"by must have one label per point ({len(x)}); got {len(labels)}.")

    frame = pd.DataFrame({"g": labels, "x": x, "y": y, "a": a, "b": b})
    if use_counts:
        valid = frame[["x", "a", "b"]].notna().all(axis=1)
    else:
        valid = frame[["x", "y", "a", "b"]].notna().all(axis=1) & (frame["b"] > frame["a"])
    frame = frame[valid].sort_values(["g", "x"], kind="stable")
    if frame.duplicated(["g", "x"]).any():
        raise ValueError("periods must not repeat within a series.")
    group_order = pd.unique(pd.Series(labels))
    last = frame.groupby("g", sort=False).tail(POINTS)
    sizes = last.groupby("g", sort=False).size().reindex(group_order, fill_value=0)
    enough = sizes.to_numpy() == POINTS
    full = last[last["g"].isin(sizes.index[enough])]
    order_index = pd.Index(group_order).get_indexer(pd.Index(full["g"]))
    full = full.assign(order=order_index).sort_values(["order", "x"], kind="stable")

    g = int(enough.sum())
    xs = full["x"].to_numpy().reshape(g, POINTS)
    if use_counts:
        r = full["a"].to_numpy().reshape(g, POINTS)
        n = full["b"].to_numpy().reshape(g, POINTS)
        stat, var = _armitage(xs, r, n)
        drop_stat, _ = _armitage(_drop_each(xs), _drop_each(r), _drop_each(n))
        centre = (n * xs).sum(axis=1, keepdims=True) / n.sum(axis=1, keepdims=True)
        sxx = (n * (xs - centre) ** 2).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            chi_square = stat**2 / var
        slope = stat / sxx
        slope_se = np.sqrt(var) / sxx
        direction_stat, robust_stat = stat, drop_stat
    else:
        ys = full["y"].to_numpy().reshape(g, POINTS)
        se = (full["b"].to_numpy() - full["a"].to_numpy()).reshape(g, POINTS) / (2 * Z95)
        w = 1 / se**2
        slope, var = _weighted_slope(xs, ys, w)
        drop_slope, _ = _weighted_slope(_drop_each(xs), _drop_each(ys), _drop_each(w))
        chi_square = slope**2 / var
        slope_se = np.sqrt(var)
        direction_stat, robust_stat = slope, drop_slope

    sign = np.sign(direction_stat)
    robust = (np.sign(robust_stat) == sign[:, None]).all(axis=1)
    significant = (chi_square > CRITICAL) & robust & (sign != 0)
    base = np.where(
        significant,
        np.where(sign > 0, TrendDirection.INCREASING, TrendDirection.DECREASING),
        TrendDirection.NO_SIGNIFICANT_CHANGE,
    ).astype(object)
    if polarity is not None:
        pol = as_polarity(polarity)
        if pol is not Polarity.NEUTRAL:
            up_good = pol is Polarity.HIGH_IS_GOOD
            base[significant & (sign > 0)] = (
                TrendDirection.INCREASING_AND_GETTING_BETTER
                if up_good
                else TrendDirection.INCREASING_AND_GETTING_WORSE
            )
            base[significant & (sign < 0)] = (
                TrendDirection.DECREASING_AND_GETTING_WORSE
                if up_good
                else TrendDirection.DECREASING_AND_GETTING_BETTER
            )

    def spread(values_: Any, fill: Any) -> np.ndarray:
        out = np.full(
            len(group_order), fill, dtype=object if not isinstance(fill, float) else float
        )
        out[enough] = values_
        return out

    result = pd.DataFrame(
        {
            "direction": spread(base, TrendDirection.CANNOT_BE_CALCULATED),
            "significant": spread(significant, False).astype(bool),
            "points": sizes.to_numpy(),
            "chi_square": spread(chi_square, np.nan),
            "value": spread(slope, np.nan),
            "lower": spread(slope - Z998 * slope_se, np.nan),
            "upper": spread(slope + Z998 * slope_se, np.nan),
        }
    )
    if by is not None:
        result.insert(0, "group", list(group_order))
    return result

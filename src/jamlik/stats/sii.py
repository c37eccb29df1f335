"""Slope and relative index of inequality over quantiles, with simulated limits.

Method: Low, A. & Low, A. (2004). Measuring the gap: quantifying and comparing
local health inequalities. Journal of Public Health 26, 388-395. Each quantile
(e.g. deprivation decile) is placed at the mid-point of its share of the
cumulative population (0 = most deprived end, 1 = least deprived end) and the
indicator is regressed on that rank, weighting by population share. The SII is
the fitted difference between rank 1 and rank 0; the RII is their ratio.

Confidence limits come from simulation, as in PHEindicatormethods ``phe_sii``
(version 1.4 onwards): each quantile's value is redrawn many times from a normal
distribution with its standard error (on the log scale for rates, the logit
scale for proportions), the SII is recomputed for every draw and the limits are
percentiles of the results.

With ``transform=True`` rates and proportions are regressed on the log / logit
scale instead, and the results are back-transformed as ``phe_sii`` does with
``transform = TRUE``: the SII is g(b0 + b1) - g(b0) and the RII g(b0 + b1) / g(b0),
where g is exp or the inverse logit, b0 the fitted value at rank 0 and b1 the
slope, both on the transformed scale. The limits are the percentiles of the
simulated *slope*, back-transformed about the midpoint m = b0 + b1 / 2 of the
fitted line: a slope limit s gives g(m + s/2) - g(m - s/2) for the SII and
g(m + s/2) / g(m - s/2) for the RII. (Percentiles of the back-transformed
simulated SIIs would differ from this by a few per cent of the interval's width.)

Reference values: ``shared/reference/phe/SII__testdata_SII.csv`` (point
estimates exact; simulated limits within Monte Carlo error).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from jamlik.stats.validation import (
    FloatArray,
    as_float_array,
    as_group_keys,
    check_choice,
    check_columns,
    check_confidence,
)

VALUE_TYPES = ("normal", "rate", "proportion")
MIN_QUANTILES = 5
MAX_QUANTILES = 100
MIN_REPETITIONS = 1000
#: Input limits are taken to be 95 % limits when the standard error is derived from them.
INPUT_LIMITS_Z = float(sps.norm.ppf(0.975))
#: Simulated values per chunk; keeps memory bounded when many groups are simulated.
CHUNK_CELLS = 4_000_000
NOTE_INCOMPLETE = "not calculated: a quantile is missing or has no value"


def _to_scale(values: FloatArray, value_type: str) -> FloatArray:
    """Values on the scale where their sampling error is normal (log, logit or as is)."""
    if value_type == "rate":
        return np.log(values)
    if value_type == "proportion":
        return np.log(values / (1 - values))
    return values


def _from_scale(values: FloatArray, value_type: str) -> FloatArray:
    if value_type == "rate":
        return np.exp(values)
    if value_type == "proportion":
        return 1 / (1 + np.exp(-values))
    return values


def _fit(y: FloatArray, share: FloatArray, rank: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Population-weighted least squares of y on rank, along the last axis.

    ``y`` is (..., k); ``share`` and ``rank`` broadcast against it. Returns the
    fitted values at rank 0 and rank 1.
    """
    rank_mean = np.sum(share * rank, axis=-1, keepdims=True)
    centred = rank - rank_mean
    sxx = np.sum(share * centred**2, axis=-1)
    y_mean = np.sum(share * y, axis=-1)
    slope = np.sum(share * centred * y, axis=-1) / sxx
    intercept = y_mean - slope * rank_mean[..., 0]
    return intercept, intercept + slope


def _pivoted_ends(
    midpoint: FloatArray, slope: FloatArray, value_type: str
) -> tuple[FloatArray, FloatArray]:
    """Back-transformed ends of a line of ``slope`` through ``midpoint`` (at rank 1/2).

    This is how PHEindicatormethods ``phe_sii`` (``transform = TRUE``) turns a
    limit of the slope on the log / logit scale into a limit of the SII and RII.
    """
    return (
        _from_scale(midpoint - slope / 2, value_type),
        _from_scale(midpoint + slope / 2, value_type),
    )


def sii(
    data: pd.DataFrame,
    *,
    quantile: str,
    population: str,
    value: str,
    se: str | None = None,
    lower: str | None = None,
    upper: str | None = None,
    by: str | Sequence[str] = (),
    value_type: str = "normal",
    confidence: float = 0.95,
    repetitions: int = 100_000,
    rii: bool = False,
    seed: int | None = None,
    multiplier: float = 1,
    transform: bool = False,
) -> pd.DataFrame:
    """Slope index of inequality (Low & Low 2004) per group, with simulated limits.

    ``data`` has one row per group and quantile; ``quantile``, ``population`` and
    ``value`` name its columns. The uncertainty of each value comes from ``se``
    (on the log scale for ``value_type="rate"``, logit scale for
    ``"proportion"``) or from 95 % limits ``lower``/``upper``. ``multiplier``
    scales the SII (100 for percentage points; a negative multiplier reverses
    the direction, and the RII becomes its reciprocal). Returns one row per group:
    ``sii``, ``sii_lower``, ``sii_upper`` (and ``rii``, ``rii_lower``,
    ``rii_upper`` when ``rii=True``), ``intercept`` (fitted value at the most
    deprived end), ``value``/``lower``/``upper`` (the SII again), ``confidence``,
    ``repetitions``, ``note``.

    ``transform=True`` (rates and proportions only) fits the line on the log /
    logit scale and back-transforms the fitted ends and the percentiles of the
    simulated slope, as PHEindicatormethods ``phe_sii`` with ``transform = TRUE``
    (see the module docstring). Unlike ``phe_sii``, ``se`` is accepted here too,
    since it is already on the log / logit scale; a negative ``multiplier`` swaps
    the limits (``phe_sii`` also swaps them for rates when 0 < multiplier < 1).
    """
    check_choice(value_type, "value_type", VALUE_TYPES)
    if transform and value_type == "normal":
        raise ValueError(
            "transform=True needs value_type 'rate' (log scale) or 'proportion' (logit "
            "scale); a value_type 'normal' indicator has no scale to transform to."
        )
    level = check_confidence(confidence)
    if int(repetitions) < MIN_REPETITIONS:
        raise ValueError(
            f"repetitions must be at least {MIN_REPETITIONS} for stable limits; got {repetitions}."
        )
    if not np.isfinite(multiplier) or multiplier == 0:
        raise ValueError(f"multiplier must be a non-zero number; got {multiplier!r}.")
    if se is None and (lower is None or upper is None):
        raise ValueError("give either se or both lower and upper (95 % limits) for each quantile.")
    keys = as_group_keys(by)
    needed = [quantile, population, value, *keys]
    needed += [se] if se is not None else [lower, upper]  # type: ignore[list-item]
    check_columns(data, needed)

    pop = as_float_array(data[population], population, allow_nan=True)
    if (pop[~np.isnan(pop)] <= 0).any():
        raise ValueError(f"{population} must be greater than zero in every quantile.")
    values = as_float_array(data[value], value, allow_nan=True)
    if np.isnan(values).all():
        raise ValueError(f"{value} has no values; give the indicator value of each quantile.")
    if value_type == "proportion":
        # Proportions are simulated on the logit scale, so 0 and 1 themselves are excluded.
        bad = (values <= 0) | (values >= 1)
        if bad.any():
            raise ValueError(
                f"{value} must be a proportion strictly between 0 and 1 when value_type is "
                f"'proportion'; found {float(values[bad][0])!r}."
            )
    if value_type == "rate" and (values[~np.isnan(values)] <= 0).any():
        raise ValueError(f"{value} must be greater than zero when value_type is 'rate'.")
    if se is not None:
        errors = as_float_array(data[se], se, allow_nan=True)
        if (errors[~np.isnan(errors)] < 0).any():
            raise ValueError(f"{se} (standard errors) must be greater than or equal to zero.")
    else:
        low = as_float_array(data[lower], str(lower), allow_nan=True)
        high = as_float_array(data[upper], str(upper), allow_nan=True)
        if value_type == "proportion" and (((low < 0) | (low > 1) | (high < 0) | (high > 1)).any()):
            raise ValueError("lower and upper must be proportions between 0 and 1.")
        errors = (_to_scale(high, value_type) - _to_scale(low, value_type)) / (2 * INPUT_LIMITS_Z)

    frame = pd.DataFrame(
        {"q": as_float_array(data[quantile], quantile), "pop": pop, "y": values, "se": errors}
    )
    quantiles_all = np.unique(frame["q"])
    k = len(quantiles_all)
    if not MIN_QUANTILES <= k <= MAX_QUANTILES:
        raise ValueError(
            f"{quantile} must have between {MIN_QUANTILES} and {MAX_QUANTILES} distinct "
            f"quantiles; got {k}."
        )
    if keys:
        codes, uniques = pd.MultiIndex.from_frame(data[keys]).factorize()
        frame["g"] = np.asarray(codes)
        n_groups = len(uniques)
    else:
        frame["g"] = 0
        n_groups = 1
    frame["qi"] = np.searchsorted(quantiles_all, frame["q"].to_numpy())
    if frame.duplicated(["g", "qi"]).any():
        raise ValueError(f"{quantile} must appear once per group; found a repeated quantile.")

    grid = np.full((3, n_groups, k), np.nan)
    for layer, column in enumerate(("pop", "y", "se")):
        grid[layer, frame["g"].to_numpy(), frame["qi"].to_numpy()] = frame[column].to_numpy()
    complete = ~np.isnan(grid[:3]).any(axis=(0, 2))
    pops, ys, ses = grid[0][complete], grid[1][complete], grid[2][complete]
    share = pops / pops.sum(axis=1, keepdims=True)
    rank = np.cumsum(share, axis=1) - share / 2
    y_scaled = _to_scale(ys, value_type)

    if transform:
        line_bottom, line_top = _fit(y_scaled, share, rank)
        bottom, top = _from_scale(line_bottom, value_type), _from_scale(line_top, value_type)
        midpoint = (line_bottom + line_top) / 2
    else:
        bottom, top = _fit(_from_scale(y_scaled, value_type), share, rank)
    sign = np.sign(multiplier)
    sii_value = (top - bottom) * multiplier
    rii_value = top / bottom if sign > 0 else bottom / top

    rng = np.random.default_rng(seed)
    reps = int(repetitions)
    tail = (1 - level) / 2
    n_valid = int(complete.sum())
    sii_limits = np.empty((n_valid, 2))
    rii_limits = np.empty((n_valid, 2))
    per_chunk = max(1, CHUNK_CELLS // (reps * k))
    for start in range(0, n_valid, per_chunk):
        stop = min(start + per_chunk, n_valid)
        block = slice(start, stop)
        noise = rng.standard_normal((stop - start, reps, k))
        draws = y_scaled[block, None, :] + noise * ses[block, None, :]
        if transform:
            sim_bottom, sim_top = _fit(draws, share[block, None, :], rank[block, None, :])
            slope_limits = np.quantile(sim_top - sim_bottom, [tail, 1 - tail], axis=1)
            # Both back-transformed indices increase with the slope, so the lower
            # slope limit gives the lower SII and RII (before a negative multiplier).
            ends = [_pivoted_ends(midpoint[block], s, value_type) for s in slope_limits]
            sii_ends = [(end_top - end_bottom) * multiplier for end_bottom, end_top in ends]
            rii_ends = [
                end_top / end_bottom if sign > 0 else end_bottom / end_top
                for end_bottom, end_top in ends
            ]
            sii_limits[block] = np.sort(np.column_stack(sii_ends), axis=1)
            rii_limits[block] = np.sort(np.column_stack(rii_ends), axis=1)
            continue
        sim_bottom, sim_top = _fit(
            _from_scale(draws, value_type), share[block, None, :], rank[block, None, :]
        )
        sim_sii = (sim_top - sim_bottom) * multiplier
        sii_limits[block] = np.quantile(sim_sii, [tail, 1 - tail], axis=1).T
        if rii:
            sim_rii = sim_top / sim_bottom if sign > 0 else sim_bottom / sim_top
            rii_limits[block] = np.quantile(sim_rii, [tail, 1 - tail], axis=1).T

    def spread(values_: FloatArray) -> FloatArray:
        full = np.full(n_groups, np.nan)
        full[complete] = values_
        return full

    columns: dict[str, Any] = {
        "sii": spread(sii_value),
        "sii_lower": spread(sii_limits[:, 0]),
        "sii_upper": spread(sii_limits[:, 1]),
    }
    if rii:
        columns.update(
            {
                "rii": spread(rii_value),
                "rii_lower": spread(rii_limits[:, 0]),
                "rii_upper": spread(rii_limits[:, 1]),
            }
        )
    columns["intercept"] = spread(bottom * abs(multiplier))
    columns.update(
        {
            "value": columns["sii"],
            "lower": columns["sii_lower"],
            "upper": columns["sii_upper"],
            "confidence": level,
            "repetitions": reps,
            "value_type": value_type,
            "note": np.where(complete, "", NOTE_INCOMPLETE),
        }
    )
    out = pd.DataFrame(columns)
    if keys:
        first_rows = frame.groupby("g").head(1).sort_values("g").index.to_numpy()
        labels = data[keys].iloc[first_rows].reset_index(drop=True)
        out = pd.concat([labels, out], axis=1)
    return out

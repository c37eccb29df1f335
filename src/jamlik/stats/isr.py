"""Indirectly standardised rates and ratios (SMR) against a reference population.

Method: the expected count is sum(pop_band * ref_count_band / ref_pop_band); the
standardised ratio is observed / expected (Breslow & Day 1987, ch. 2). The
interval is the exact Poisson interval for the observed count below 10 and
Byar's approximation from 10 up (Breslow & Day 1987), divided by the expected
count. The indirectly standardised rate multiplies the ratio by the crude rate
of the reference population. As PHEindicatormethods ``calculate_ISRate`` and
``calculate_ISRatio``; reference values ``shared/reference/phe/DSR_ISR__testresults_ISR.csv``.
A band with zero local population is allowed (it contributes nothing expected).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from jamlik.stats.rates import poisson_limits
from jamlik.stats.validation import (
    as_float_array,
    as_group_keys,
    check_columns,
    check_confidence,
    check_multiplier,
    check_non_negative,
    check_positive,
    factorize_groups,
    group_labels,
)


def _reference_column(
    data: pd.DataFrame, spec: Any, name: str, group_ids: np.ndarray, n_groups: int
) -> np.ndarray:
    """Reference counts/populations as a column of ``data`` or a per-band vector."""
    if isinstance(spec, str):
        check_columns(data, [spec])
        return as_float_array(data[spec], name, allow_nan=True)
    vector = as_float_array(spec, name)
    sizes = np.bincount(group_ids, minlength=n_groups)
    wrong = sizes != len(vector)
    if wrong.any():
        raise ValueError(
            f"{name} must have one value per age band: it has {len(vector)} values but a "
            f"group has {int(sizes[np.flatnonzero(wrong)[0]])} rows."
        )
    order = np.argsort(group_ids, kind="stable")
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    position = np.empty(len(group_ids), dtype=np.int64)
    position[order] = np.arange(len(group_ids)) - np.repeat(starts, sizes)
    return vector[position]


def _indirect(
    data: pd.DataFrame,
    count: str,
    pop: str,
    ref_count: Any,
    ref_pop: Any,
    by: str | Sequence[str],
    confidence: float,
    multiplier: float,
    as_rate: bool,
) -> pd.DataFrame:
    keys = as_group_keys(by)
    check_columns(data, [count, pop, *keys])
    level = check_confidence(confidence)
    scale = check_multiplier(multiplier)
    raw_x = as_float_array(data[count], count, allow_nan=True)
    raw_n = as_float_array(data[pop], pop, allow_nan=True)
    # A band with neither events nor population recorded contributes nothing;
    # a missing count alone means zero events; a missing population alone is an error.
    empty = np.isnan(raw_x) & np.isnan(raw_n)
    if np.isnan(raw_n[~empty]).any():
        position = int(np.flatnonzero(np.isnan(raw_n) & ~empty)[0])
        raise ValueError(
            f"{pop} must not be missing where {count} is given; found NaN at position {position}."
        )
    x = np.where(np.isnan(raw_x), 0.0, raw_x)
    n = np.where(empty, 0.0, raw_n)
    check_non_negative(x, count)
    check_non_negative(n, pop)
    group_ids, n_groups, first_rows = factorize_groups(data, keys)
    if n_groups == 0:
        raise ValueError("data must contain at least one row.")
    rc = _reference_column(data, ref_count, "ref_count", group_ids, n_groups)
    rp = _reference_column(data, ref_pop, "ref_pop", group_ids, n_groups)
    rc = np.where(empty, 0.0, rc)
    rp = np.where(empty & np.isnan(rp), 1.0, rp)
    for values, label in ((rc, "ref_count"), (rp, "ref_pop")):
        if np.isnan(values).any():
            raise ValueError(
                f"{label} must not be missing; found NaN at position "
                f"{int(np.flatnonzero(np.isnan(values))[0])}."
            )
    check_non_negative(rc, "ref_count")
    check_positive(rp, "ref_pop")

    observed = np.asarray(np.bincount(group_ids, weights=x, minlength=n_groups), dtype=np.float64)
    expected = np.asarray(
        np.bincount(group_ids, weights=n * rc / rp, minlength=n_groups), dtype=np.float64
    )
    check_positive(expected, "expected count (sum of pop x ref_count / ref_pop)")
    lower, upper, method = poisson_limits(observed, level)
    if as_rate:
        ref_total_count = np.bincount(group_ids, weights=rc, minlength=n_groups)
        ref_total_pop = np.bincount(group_ids, weights=rp, minlength=n_groups)
        factor = ref_total_count / ref_total_pop * scale
    else:
        factor = np.full(n_groups, scale)
    columns: dict[str, Any] = {"observed": observed, "expected": expected}
    if as_rate:
        columns["ref_rate"] = factor
    columns.update(
        {
            "value": observed / expected * factor,
            "lower": lower / expected * factor,
            "upper": upper / expected * factor,
            "confidence": level,
            "method": method,
        }
    )
    out = pd.DataFrame(columns)
    if keys:
        out = pd.concat([group_labels(data, keys, first_rows), out], axis=1)
    return out


def isr(
    data: pd.DataFrame,
    *,
    count: str,
    pop: str,
    ref_count: Any,
    ref_pop: Any,
    by: str | Sequence[str] = (),
    confidence: float = 0.95,
    multiplier: float = 100_000,
) -> pd.DataFrame:
    """Indirectly standardised rate per group (Breslow & Day 1987).

    ``ref_count`` and ``ref_pop`` are column names of ``data`` or vectors with one
    value per age band (each group then has that many rows in band order).
    Columns: ``observed``, ``expected``, ``ref_rate``, ``value``, ``lower``,
    ``upper``, ``confidence``, ``method`` ("Exact" below 10 observed, else "Byars").
    """
    return _indirect(data, count, pop, ref_count, ref_pop, by, confidence, multiplier, True)


def smr(
    data: pd.DataFrame,
    *,
    count: str,
    pop: str,
    ref_count: Any,
    ref_pop: Any,
    by: str | Sequence[str] = (),
    confidence: float = 0.95,
    multiplier: float = 1,
) -> pd.DataFrame:
    """Standardised ratio observed / expected per group (SMR; Breslow & Day 1987).

    As :func:`isr` but without the reference rate: ``value`` is the ratio times
    ``multiplier`` (1, or 100 for the ratio as a percentage).
    """
    return _indirect(data, count, pop, ref_count, ref_pop, by, confidence, multiplier, False)

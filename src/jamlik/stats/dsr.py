"""Directly standardised rates with Dobson's confidence interval.

Method: Dobson, A. J., Kuulasmaa, K., Eberle, E. & Scherer, J. (1991).
Confidence intervals for weighted sums of Poisson parameters. Statistics in
Medicine 10, 457-462. The interval for the total count O (Byar's limits,
Breslow & Day 1987) is mapped onto the rate through the variance of the DSR:
DSR +/- sqrt(var(DSR) / O) * (O_limit - O).

Events that are not independent (one person with several events) widen the
variance: each band's count x is replaced by sum_k k^2 f_k, where f_k is the
number of persons with k events (PHEindicatormethods ``calculate_dsr`` with
``independent_events = FALSE``).

No value is given when the total count is below 10, as in England's Fingertips.
The European Standard Population 2013 (19 bands, 0-4 ... 90+) is provided as
:data:`ESP2013`. Reference values: ``shared/reference/phe/DSR_ISR__*.csv``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from jamlik.stats.rates import byars_limits
from jamlik.stats.validation import (
    as_float_array,
    as_group_keys,
    check_columns,
    check_confidence,
    check_multiplier,
    check_non_negative,
    check_positive,
    constant_label,
    factorize_groups,
    group_labels,
    labels,
)

METHOD = "Dobson"
METHOD_NON_INDEPENDENT = "Dobson, with confidence adjusted for non-independent events"
MIN_TOTAL_COUNT = 10
NOTE_SMALL = "not calculated: total count below 10"

#: European Standard Population 2013, 19 five-year bands from 0-4 to 90+ (Eurostat 2013).
ESP2013: tuple[int, ...] = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip


def _lowest_age(label: Any) -> float:
    """The age at which a band starts: the label itself if numeric, else its leading number."""
    if isinstance(label, int | float | np.integer | np.floating) and not isinstance(label, bool):
        return float(label)
    match = re.match(r"\s*(\d+(?:\.\d+)?)", str(label))
    if match is None:
        raise ValueError(
            f"age band labels must start with the band's lowest age (e.g. '0-4', '05-09', "
            f"'90+'), so that standard_pop can be matched to them in age order; got "
            f"{label!r}. Rename the bands, or give standard_pop as a mapping from each "
            f"band label to its weight."
        )
    return float(match.group(1))


def _banded_weights(
    data: pd.DataFrame, standard_pop: Any, age_band: str, group_ids: np.ndarray, n_groups: int
) -> np.ndarray:
    """Per-row standard population matched to each row's age band label.

    ``standard_pop`` is a mapping {band label: weight}, or a vector with one
    weight per band in age order (bands sorted by their lowest age), so the
    order of the rows does not matter.
    """
    check_columns(data, [age_band])
    bands = data[age_band]
    if bands.isna().any():
        row = int(np.flatnonzero(bands.isna().to_numpy())[0])
        raise ValueError(f"{age_band} must label every row's age band; row {row} has none.")
    repeated = pd.DataFrame({"group": group_ids, "band": bands.to_numpy()}).duplicated()
    if repeated.any():
        label = bands.iloc[int(np.flatnonzero(repeated.to_numpy())[0])]
        raise ValueError(
            f"{age_band} must list each age band once per group; {label!r} appears twice "
            f"in one group. Sum the rows of a band first, or add the missing grouping to by."
        )
    labels_ = list(pd.unique(bands))
    sizes = np.bincount(group_ids, minlength=n_groups)
    if (sizes != len(labels_)).any():
        group = int(np.flatnonzero(sizes != len(labels_))[0])
        present = set(bands[group_ids == group])
        lacking = [label for label in labels_ if label not in present]
        raise ValueError(
            f"each group must have the same {len(labels_)} age bands ({age_band}); a group "
            f"has {int(sizes[group])}, lacking {lacking!r}. Add the missing bands with "
            f"count 0 and their population."
        )
    if isinstance(standard_pop, Mapping):
        missing = [label for label in labels_ if label not in standard_pop]
        if missing:
            raise ValueError(
                f"standard_pop has no weight for age band {missing[0]!r} ({age_band}); it "
                f"has weights for {list(standard_pop)!r}."
            )
        return as_float_array(bands.map(standard_pop), "standard_pop")
    vector = as_float_array(standard_pop, "standard_pop")
    if len(vector) != len(labels_):
        raise ValueError(
            f"standard_pop has {len(vector)} values but {age_band} has {len(labels_)} age "
            f"bands; give one weight per band, youngest band first."
        )
    lowest = {label: _lowest_age(label) for label in labels_}
    if len(set(lowest.values())) != len(lowest):
        raise ValueError(
            f"two age bands in {age_band} start at the same age ({sorted(labels_, key=str)!r}); "
            f"give standard_pop as a mapping from each band label to its weight."
        )
    position = {label: i for i, label in enumerate(sorted(labels_, key=lowest.__getitem__))}
    return vector[bands.map(position).to_numpy(dtype=np.int64)]


def _standard_weights(
    data: pd.DataFrame,
    standard_pop: Any,
    group_ids: np.ndarray,
    n_groups: int,
    age_band: str | None,
) -> np.ndarray:
    """Per-row standard population: a column name, one vector repeated per group
    (matched by band label when ``age_band`` is given, else by row position), or a
    mapping from band label to weight."""
    if isinstance(standard_pop, str):
        check_columns(data, [standard_pop])
        weights = as_float_array(data[standard_pop], "standard_pop")
    elif age_band is not None:
        weights = _banded_weights(data, standard_pop, age_band, group_ids, n_groups)
    elif isinstance(standard_pop, Mapping):
        raise ValueError(
            "standard_pop maps age band labels to weights, so age_band must name the "
            "column of data that holds each row's band label."
        )
    else:
        vector = as_float_array(standard_pop, "standard_pop")
        sizes = np.bincount(group_ids, minlength=n_groups)
        wrong = sizes != len(vector)
        if wrong.any():
            raise ValueError(
                f"standard_pop must have one value per age band: it has {len(vector)} "
                f"values but a group has {int(sizes[np.flatnonzero(wrong)[0]])} rows. "
                f"Give each group exactly {len(vector)} rows in band order, or pass "
                f"standard_pop as a column of data."
            )
        order = np.argsort(group_ids, kind="stable")
        position = np.empty(len(group_ids), dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        position[order] = np.arange(len(group_ids)) - np.repeat(starts, sizes)
        weights = vector[position]
    check_non_negative(weights, "standard_pop")
    return weights


def _frequency_columns(frequencies: Mapping[int, str] | Sequence[str]) -> dict[int, str]:
    """Normalise ``frequencies`` to {events per person: column}."""
    if isinstance(frequencies, Mapping):
        columns = {int(k): v for k, v in frequencies.items()}
    else:
        columns = {i + 1: column for i, column in enumerate(frequencies)}
    if not columns or any(k < 1 for k in columns):
        raise ValueError(
            "frequencies must map events per person (1, 2, ...) to columns of data; "
            f"got {frequencies!r}."
        )
    return columns


def dsr(
    data: pd.DataFrame,
    *,
    count: str,
    pop: str,
    standard_pop: Any,
    by: str | Sequence[str] = (),
    confidence: float = 0.95,
    multiplier: float = 100_000,
    frequencies: Mapping[int, str] | Sequence[str] | None = None,
    age_band: str | None = None,
) -> pd.DataFrame:
    """Directly standardised rate per group with Dobson et al. (1991) limits.

    ``data`` has one row per group and age band; ``count`` and ``pop`` name its
    columns. ``standard_pop`` is the standard population's weight of each band:

    * a column name of ``data`` (a weight on every row);
    * with ``age_band`` (the column of band labels such as "0-4", "05-09",
      "90+"), a mapping {band label: weight}, or a vector with one weight per
      band in age order (youngest first; the bands are sorted by the age each
      label starts with). Rows are matched to weights by label, so their order
      does not matter; every group must have each band exactly once;
    * without ``age_band``, a vector with one weight per band: each group must
      then have that many rows, *in band order* (the order is not checked).

    ``frequencies`` (optional) names the columns holding the number of persons
    with 1, 2, ... events, for events that are not independent; blanks there
    count as zero. Returns one row per group: ``total_count``, ``total_pop``,
    ``value``, ``lower``, ``upper``, ``confidence``, ``method``, ``note``.
    """
    keys = as_group_keys(by)
    check_columns(data, [count, pop, *keys])
    level = check_confidence(confidence)
    scale = check_multiplier(multiplier)
    # A band with no recorded events is a band with zero events (as in the
    # reference implementation); a missing population is an error.
    x = np.nan_to_num(as_float_array(data[count], count, allow_nan=True), nan=0.0)
    n = as_float_array(data[pop], pop)
    check_non_negative(x, count)
    check_positive(n, pop)

    group_ids, n_groups, first_rows = factorize_groups(data, keys)
    if n_groups == 0:
        raise ValueError("data must contain at least one row.")
    w = _standard_weights(data, standard_pop, group_ids, n_groups, age_band)

    if frequencies is None:
        variance_count = x
        method = METHOD
    else:
        columns = _frequency_columns(frequencies)
        check_columns(data, list(columns.values()))
        variance_count = np.zeros(len(data))
        events = np.zeros(len(data))
        for k, column in columns.items():
            f = as_float_array(data[column].fillna(0), column)
            check_non_negative(f, column)
            variance_count = variance_count + k * k * f
            events = events + k * f
        mismatch = ~np.isclose(events, x)
        if mismatch.any():
            row = int(np.flatnonzero(mismatch)[0])
            raise ValueError(
                f"frequencies must add up to {count}: row {row} has {count}={float(x[row])!r} "
                f"but the persons-by-events columns give {float(events[row])!r} events."
            )
        method = METHOD_NON_INDEPENDENT

    def per_group(values: np.ndarray) -> np.ndarray:
        return np.bincount(group_ids, weights=values, minlength=n_groups)

    total_count = per_group(x)
    total_pop = per_group(n)
    total_weight = per_group(w)
    if (total_weight <= 0).any():
        raise ValueError("standard_pop must have a positive total in every group.")
    value = per_group(w * x / n) / total_weight
    variance = per_group((w / n) ** 2 * variance_count) / total_weight**2
    small = total_count < MIN_TOTAL_COUNT
    safe_count = np.where(small, MIN_TOTAL_COUNT, total_count)
    o_lower, o_upper = byars_limits(safe_count, level)
    spread = np.sqrt(variance / safe_count)
    lower = value + spread * (o_lower - safe_count)
    upper = value + spread * (o_upper - safe_count)

    out = pd.DataFrame(
        {
            "total_count": total_count,
            "total_pop": total_pop,
            "value": np.where(small, np.nan, value * scale),
            "lower": np.where(small, np.nan, lower * scale),
            "upper": np.where(small, np.nan, upper * scale),
            "confidence": level,
            "method": constant_label(method, n_groups),
            "note": labels(small, ["", NOTE_SMALL]),
        }
    )
    if keys:
        out = pd.concat([group_labels(data, keys, first_rows), out], axis=1)
    return out

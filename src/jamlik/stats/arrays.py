"""Plain-array entry points for page-size calls: NumPy arrays in, NumPy arrays of codes out.

Why: the public functions of :mod:`jamlik.stats` check every argument, accept
labels of any kind (text polarities, arbitrary group labels) and return a
DataFrame.  That costs about a millisecond per call whatever the size, 20–45×
the arithmetic itself at 150 rows, and a page of 50 indicators would pay it 50
times.  The pages already hold clean float64 arrays from the database, so they
call these functions instead: no validation beyond what NumPy does, no
DataFrame, integer codes instead of text.

The methods are the same as those of the public functions, computed here
independently in NumPy; ``tests/stats/test_arrays.py`` checks on generated
inputs (hypothesis) that both paths give identical results, and the public
functions stay the ones checked against PHEindicatormethods' reference values:

* :func:`compare_codes` is :func:`jamlik.stats.compare` (interval overlapping
  the benchmark, Public Health England 2018, Technical Guide: Assessing
  statistical significance);
* :func:`quantile_codes` is :func:`jamlik.stats.quantiles` (PHEindicatormethods
  ``phe_quantile``, Public Health England 2018);
* :func:`trend_codes` is :func:`jamlik.stats.trend` with 95 % limits (Fingertips
  recent-trend test, Public Health England 2018: inverse-variance weighted
  regression on the last five points, chi-square at 99.8 %, robust to dropping
  each point).

Codes index the tuples :data:`POLARITIES`, :data:`COMPARISONS` and
:data:`DIRECTIONS` (the enums' declaration order).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from jamlik.stats.compare import _JUDGED, Comparison, Polarity
from jamlik.stats.trend import (
    CRITICAL,
    POINTS,
    Z95,
    TrendDirection,
    _drop_each,
    _weighted_slope,
)
from jamlik.stats.validation import FloatArray

IntArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.int8]

#: Polarity codes: ``POLARITIES[code]`` is the member.
POLARITIES: tuple[Polarity, ...] = tuple(Polarity)
#: Comparison codes: ``COMPARISONS[code]`` is the member.
COMPARISONS: tuple[Comparison, ...] = tuple(Comparison)
#: Trend codes: ``DIRECTIONS[code]`` is the member.
DIRECTIONS: tuple[TrendDirection, ...] = tuple(TrendDirection)


def _outcome_table() -> CodeArray:
    """``table[polarity code, level + 2]``: the comparison code for an interval that lies
    ``level`` steps above (+) or below (−) the benchmark (0 = overlaps it)."""
    table = np.full((len(POLARITIES), 5), COMPARISONS.index(Comparison.SIMILAR), dtype=np.int8)
    for polarity, mapping in _JUDGED.items():
        for step, result in mapping.items():
            table[POLARITIES.index(polarity), step + 2] = COMPARISONS.index(result)
    return table


_OUTCOMES = _outcome_table()
NOT_COMPARED = COMPARISONS.index(Comparison.NOT_COMPARED)


def polarity_code(polarity: Polarity | str) -> int:
    """The code of one polarity (``Polarity`` member or its value)."""
    return POLARITIES.index(Polarity(polarity))


def compare_codes(
    value: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    benchmark: FloatArray,
    polarity: npt.NDArray[np.integer],
    lower998: FloatArray | None = None,
    upper998: FloatArray | None = None,
) -> CodeArray:
    """Comparison code of each area with its benchmark (fast path of
    :func:`jamlik.stats.compare`; Fingertips rule, PHE 2018).

    Float64 arrays of one length; ``polarity`` holds codes into :data:`POLARITIES`
    (one per row).  A row with any input missing is ``NOT_COMPARED``.  Give both
    ``lower998`` and ``upper998`` for the five-level result.
    """
    level = np.where(upper < benchmark, -1, np.where(lower > benchmark, 1, 0))
    missing = np.isnan(value) | np.isnan(lower) | np.isnan(upper) | np.isnan(benchmark)
    if lower998 is not None and upper998 is not None:
        level = np.where(upper998 < benchmark, -2, np.where(lower998 > benchmark, 2, level))
        missing |= np.isnan(lower998) | np.isnan(upper998)
    codes = _OUTCOMES[np.asarray(polarity, dtype=np.intp), level + 2]
    codes[missing] = NOT_COMPARED
    return codes


def _min_ranks(key: FloatArray, groups: IntArray) -> tuple[FloatArray, FloatArray]:
    """Rank of each key within its group (ties share the lowest rank, 1 = smallest) and
    the number of keys in the group; NaN keys get no rank and are not counted."""
    n = len(key)
    rank = np.full(n, np.nan)
    size = np.zeros(n)
    present = np.flatnonzero(~np.isnan(key))
    if not len(present):
        return rank, size
    order = present[np.lexsort((key[present], groups[present]))]
    g, k = groups[order], key[order]
    position = np.arange(len(order))
    new_group = np.r_[True, g[1:] != g[:-1]]
    new_tie = new_group | np.r_[True, k[1:] != k[:-1]]
    group_start = np.maximum.accumulate(np.where(new_group, position, 0))
    tie_start = np.maximum.accumulate(np.where(new_tie, position, 0))
    rank[order] = tie_start - group_start + 1
    starts = np.flatnonzero(new_group)
    counts = np.diff(np.r_[starts, len(order)])
    size[order] = np.repeat(counts, counts)
    return rank, size


def quantile_codes(
    values: FloatArray,
    groups: IntArray,
    low_is_good: npt.NDArray[np.bool_] | bool,
    n_quantiles: int,
) -> FloatArray:
    """Quantile of each value within its group, 1 = least favourable (fast path of
    :func:`jamlik.stats.quantiles`; PHE's ``phe_quantile`` rule, PHE 2018).

    ``groups`` are integer group codes, ``low_is_good`` one flag or one per value
    (the same within a group).  NaN where the value is missing or the group has
    fewer values than quantiles.
    """
    key = np.where(low_is_good, -values, values)
    rank, size = _min_ranks(key, np.asarray(groups, dtype=np.int64))
    q = n_quantiles
    with np.errstate(invalid="ignore", divide="ignore"):
        quantile = np.floor(q + 1 - np.ceil((size + 1 - rank) * q / size))
    return np.where((size < q) | np.isnan(rank), np.nan, quantile)


def trend_codes(
    periods: FloatArray,
    values: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    groups: IntArray,
    polarity: npt.NDArray[np.integer],
) -> CodeArray:
    """Recent-trend code of each series (fast path of :func:`jamlik.stats.trend` with 95 %
    limits; Fingertips recent-trend test, PHE 2018).

    ``groups`` number the series 0 … G−1; ``polarity`` holds one code into
    :data:`POLARITIES` per series (length G).  Points with a missing number or
    an empty interval are left out; a series with fewer than five points left
    cannot be calculated.  Returns one code into :data:`DIRECTIONS` per series.
    Raises :class:`ValueError` when a period repeats within a series, as the
    full function does.
    """
    n_groups = len(polarity)
    out = np.full(n_groups, DIRECTIONS.index(TrendDirection.CANNOT_BE_CALCULATED), dtype=np.int8)
    valid = ~(np.isnan(periods) | np.isnan(values) | np.isnan(lower) | np.isnan(upper))
    valid &= upper > lower
    kept = np.flatnonzero(valid)
    order = kept[np.lexsort((periods[kept], groups[kept]))]
    g = groups[order]
    if len(order) > 1 and ((g[1:] == g[:-1]) & (periods[order][1:] == periods[order][:-1])).any():
        raise ValueError("periods must not repeat within a series.")
    counts = np.bincount(g, minlength=n_groups)
    enough = np.flatnonzero(counts >= POINTS)
    if not len(enough):
        return out
    # The last five points of each long-enough series, oldest first.
    ends = np.cumsum(counts)[enough]
    take = (ends[:, None] - POINTS + np.arange(POINTS)[None, :]).ravel()
    rows = order[take]
    xs = periods[rows].reshape(-1, POINTS)
    ys = values[rows].reshape(-1, POINTS)
    se = (upper[rows] - lower[rows]).reshape(-1, POINTS) / (2 * Z95)
    w = 1 / se**2
    slope, var = _weighted_slope(xs, ys, w)
    drop_slope, _ = _weighted_slope(_drop_each(xs), _drop_each(ys), _drop_each(w))
    chi_square = slope**2 / var
    sign = np.sign(slope)
    robust = (np.sign(drop_slope) == sign[:, None]).all(axis=1)
    significant = (chi_square > CRITICAL) & robust & (sign != 0)
    up, down = significant & (sign > 0), significant & (sign < 0)
    pol = np.asarray(polarity)[enough]
    high = pol == POLARITIES.index(Polarity.HIGH_IS_GOOD)
    low = pol == POLARITIES.index(Polarity.LOW_IS_GOOD)
    code = {d: DIRECTIONS.index(d) for d in DIRECTIONS}
    result = np.full(len(enough), code[TrendDirection.NO_SIGNIFICANT_CHANGE], dtype=np.int8)
    result[up] = code[TrendDirection.INCREASING]
    result[down] = code[TrendDirection.DECREASING]
    result[up & high] = code[TrendDirection.INCREASING_AND_GETTING_BETTER]
    result[up & low] = code[TrendDirection.INCREASING_AND_GETTING_WORSE]
    result[down & high] = code[TrendDirection.DECREASING_AND_GETTING_WORSE]
    result[down & low] = code[TrendDirection.DECREASING_AND_GETTING_BETTER]
    out[enough] = result
    return out

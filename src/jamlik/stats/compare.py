"""Benchmark comparison of an area's value with a comparator (e.g. riket or länet).

Method: the "confidence interval overlapping the reference value" rule used by
England's Fingertips profiles (Public Health England 2018, Technical Guide:
Assessing statistical significance; FingertipsNext ``BenchmarkComparisonEngine``).
If the area's upper limit lies below the benchmark the area is lower, if its
lower limit lies above it the area is higher, otherwise it is similar. The
polarity of the indicator turns higher/lower into better/worse; indicators with
no polarity stay higher/lower. When 99.8 % limits are also given the result has
five levels: outside the 99.8 % limits is "much" better/worse (higher/lower).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from jamlik.stats.validation import as_float_array, check_same_length, labels


class Polarity(StrEnum):
    """Whether a high value of an indicator is desirable."""

    HIGH_IS_GOOD = "high_is_good"
    LOW_IS_GOOD = "low_is_good"
    NEUTRAL = "neutral"


class Comparison(StrEnum):
    """Outcome of comparing an area with a benchmark."""

    MUCH_BETTER = "much_better"
    BETTER = "better"
    SIMILAR = "similar"
    WORSE = "worse"
    MUCH_WORSE = "much_worse"
    MUCH_HIGHER = "much_higher"
    HIGHER = "higher"
    LOWER = "lower"
    MUCH_LOWER = "much_lower"
    NOT_COMPARED = "not_compared"


_JUDGED = {
    Polarity.HIGH_IS_GOOD: {
        2: Comparison.MUCH_BETTER,
        1: Comparison.BETTER,
        -1: Comparison.WORSE,
        -2: Comparison.MUCH_WORSE,
    },
    Polarity.LOW_IS_GOOD: {
        2: Comparison.MUCH_WORSE,
        1: Comparison.WORSE,
        -1: Comparison.BETTER,
        -2: Comparison.MUCH_BETTER,
    },
    Polarity.NEUTRAL: {
        2: Comparison.MUCH_HIGHER,
        1: Comparison.HIGHER,
        -1: Comparison.LOWER,
        -2: Comparison.MUCH_LOWER,
    },
}


def as_polarity(polarity: Polarity | str) -> Polarity:
    """Accept a Polarity or its value ("high_is_good", "low_is_good", "neutral")."""
    try:
        return Polarity(polarity)
    except ValueError:
        raise ValueError(
            f"polarity must be one of {[p.value for p in Polarity]}; got {polarity!r}."
        ) from None


def compare(
    value: Any,
    lower95: Any,
    upper95: Any,
    benchmark: Any,
    *,
    polarity: Polarity | str | Any,
    lower998: Any = None,
    upper998: Any = None,
) -> pd.DataFrame:
    """Compare each area's interval with its benchmark (Fingertips rule, PHE 2018).

    All arguments are array-likes of equal length (``benchmark`` and
    ``polarity`` may be single values). Rows with a missing value, limit or
    benchmark are ``Comparison.NOT_COMPARED``. Returns ``value``, ``lower``,
    ``upper`` (the 95 % limits), ``benchmark`` and ``comparison`` (a text
    column holding :class:`Comparison` values; they compare equal to the
    members, and ``Comparison(text)`` gives the member back).
    """
    values = as_float_array(value, "value", allow_nan=True)
    low = as_float_array(lower95, "lower95", allow_nan=True)
    high = as_float_array(upper95, "upper95", allow_nan=True)
    n = check_same_length(value=values, lower95=low, upper95=high)
    bench = as_float_array(benchmark, "benchmark", allow_nan=True)
    if len(bench) == 1:
        bench = np.full(n, bench[0])
    check_same_length(value=values, benchmark=bench)
    bad = low > high
    if bad.any():
        raise ValueError(
            f"lower95 must not exceed upper95; row {int(np.flatnonzero(bad)[0])} has "
            f"{float(low[bad][0])!r} > {float(high[bad][0])!r}."
        )
    five_level = lower998 is not None or upper998 is not None
    if five_level and (lower998 is None or upper998 is None):
        raise ValueError("give both lower998 and upper998 for the five-level comparison.")

    level = np.where(high < bench, -1, np.where(low > bench, 1, 0))
    missing = np.isnan(values) | np.isnan(low) | np.isnan(high) | np.isnan(bench)
    if five_level:
        low3 = as_float_array(lower998, "lower998", allow_nan=True)
        high3 = as_float_array(upper998, "upper998", allow_nan=True)
        check_same_length(value=values, lower998=low3, upper998=high3)
        level = np.where(high3 < bench, -2, np.where(low3 > bench, 2, level))
        missing |= np.isnan(low3) | np.isnan(high3)

    kinds = list(Polarity)
    if isinstance(polarity, str | Polarity):
        polarity_code = np.full(n, kinds.index(as_polarity(polarity)), dtype=np.int8)
    else:
        raw = pd.Series(np.asarray(pd.Series(polarity).to_numpy(), dtype=object))
        if len(raw) != n:
            raise ValueError(f"polarity must be one value or one per row ({n}); got {len(raw)}.")
        polarity_code = raw.map(lambda p: kinds.index(as_polarity(p))).to_numpy(dtype=np.int8)

    order = list(Comparison)
    outcome = np.full(n, order.index(Comparison.SIMILAR), dtype=np.int8)
    for pol, mapping in _JUDGED.items():
        is_pol = polarity_code == kinds.index(pol)
        for step, result in mapping.items():
            outcome[is_pol & (level == step)] = order.index(result)
    outcome[missing] = order.index(Comparison.NOT_COMPARED)
    return pd.DataFrame(
        {
            "value": values,
            "lower": low,
            "upper": high,
            "benchmark": bench,
            "comparison": labels(outcome, [c.value for c in order]),
        }
    )

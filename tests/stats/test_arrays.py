"""The plain-array fast path gives exactly what the public functions give (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.stats import Comparison, Polarity, TrendDirection, compare, quantiles, trend
from jamlik.stats.arrays import (
    COMPARISONS,
    DIRECTIONS,
    POLARITIES,
    compare_codes,
    polarity_code,
    quantile_codes,
    trend_codes,
)

FAST = settings(max_examples=80, deadline=None)
#: Few distinct values, so ties, equal limits and benchmarks on a limit are common.
coarse = st.one_of(st.just(np.nan), st.integers(-4, 4).map(float))
polarities = st.sampled_from(list(Polarity))


@st.composite
def comparison_rows(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 30))
    rows = []
    for _ in range(n):
        value, width, bench = draw(coarse), draw(st.integers(0, 3)), draw(coarse)
        lower = value - width
        rows.append((value, lower, value + width, bench, draw(polarities)))
    return pd.DataFrame(rows, columns=["value", "lower", "upper", "bench", "polarity"])


@FAST
@given(comparison_rows(), st.booleans())
def test_compare_codes_equal_compare(rows: pd.DataFrame, five_level: bool) -> None:
    wide = {"lower998": rows["lower"] - 1, "upper998": rows["upper"] + 1} if five_level else {}
    full = compare(
        rows["value"],
        rows["lower"],
        rows["upper"],
        rows["bench"],
        polarity=rows["polarity"].to_numpy() if len(rows) else Polarity.NEUTRAL,
        **wide,
    )
    codes = compare_codes(
        rows["value"].to_numpy(float),
        rows["lower"].to_numpy(float),
        rows["upper"].to_numpy(float),
        rows["bench"].to_numpy(float),
        np.array([polarity_code(p) for p in rows["polarity"]], dtype=np.int8),
        **{k: v.to_numpy(float) for k, v in wide.items()},
    )
    assert [COMPARISONS[c] for c in codes] == [Comparison(c) for c in full["comparison"]]


@st.composite
def ranked_groups(draw: st.DrawFn) -> pd.DataFrame:
    n_groups = draw(st.integers(1, 4))
    low_good = [draw(st.booleans()) for _ in range(n_groups)]
    rows = []
    for g in range(n_groups):
        for _ in range(draw(st.integers(0, 14))):
            rows.append((draw(coarse), g, low_good[g]))
    return pd.DataFrame(rows, columns=["value", "group", "low_good"])


@FAST
@given(ranked_groups(), st.integers(2, 6))
def test_quantile_codes_equal_quantiles(rows: pd.DataFrame, q: int) -> None:
    if rows.empty:
        return
    polarity = np.where(rows["low_good"], Polarity.LOW_IS_GOOD, Polarity.HIGH_IS_GOOD)
    full = quantiles(rows["value"], n_quantiles=q, polarity=polarity, by=rows["group"])
    fast = quantile_codes(
        rows["value"].to_numpy(float),
        rows["group"].to_numpy(np.int64),
        rows["low_good"].to_numpy(bool),
        q,
    )
    np.testing.assert_array_equal(fast, full["quantile"].to_numpy())


@st.composite
def series(draw: st.DrawFn) -> tuple[pd.DataFrame, list[Polarity]]:
    n_series = draw(st.integers(1, 4))
    rows = []
    for g in range(n_series):
        years = draw(st.lists(st.integers(2000, 2012), min_size=0, max_size=9, unique=True))
        slope = draw(st.sampled_from([-2.0, 0.0, 0.3, 2.0]))
        for year in draw(st.permutations(years)):
            value = 50 + slope * (year - 2000) + draw(st.floats(-1, 1))
            half = draw(st.one_of(st.just(0.0), st.floats(0.05, 3)))
            missing = draw(st.integers(0, 9)) == 0
            rows.append((g, float(year), np.nan if missing else value, value - half, value + half))
    frame = pd.DataFrame(rows, columns=["group", "year", "value", "lower", "upper"])
    return frame, [draw(polarities) for _ in range(n_series)]


@FAST
@given(series())
def test_trend_codes_equal_trend(drawn: tuple[pd.DataFrame, list[Polarity]]) -> None:
    rows, polarity = drawn
    expected = {}
    for g, pol in enumerate(polarity):
        part = rows[rows["group"] == g]
        if part.empty:
            continue
        table = trend(part["year"], part["value"], part["lower"], part["upper"], polarity=pol)
        expected[g] = TrendDirection(table["direction"].iloc[0])
    codes = trend_codes(
        rows["year"].to_numpy(float),
        rows["value"].to_numpy(float),
        rows["lower"].to_numpy(float),
        rows["upper"].to_numpy(float),
        rows["group"].to_numpy(np.int64),
        np.array([polarity_code(p) for p in polarity], dtype=np.int8),
    )
    assert {g: DIRECTIONS[codes[g]] for g in expected} == expected


def test_trend_codes_refuse_a_repeated_period() -> None:
    with pytest.raises(ValueError, match="repeat"):
        trend_codes(
            np.array([2020.0, 2020.0]),
            np.array([1.0, 2.0]),
            np.array([0.0, 1.0]),
            np.array([2.0, 3.0]),
            np.array([0, 0]),
            np.array([0], dtype=np.int8),
        )


def test_codes_name_the_enums_in_order() -> None:
    assert tuple(Polarity) == POLARITIES
    one = np.array([1.0])
    [code] = compare_codes(one, one, one, np.array([5.0]), np.array([0]))
    assert COMPARISONS[code] is Comparison.WORSE

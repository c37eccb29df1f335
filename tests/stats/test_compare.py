"""Benchmark comparison: the Fingertips rule (PHE 2018), checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from jamlik.stats import Comparison, Polarity, compare


def test_three_levels_follow_polarity():
    value, low, high = [10.0, 12.0, 8.0], [9.0, 11.0, 7.0], [11.0, 13.0, 9.0]
    good_high = compare(value, low, high, 10.0, polarity=Polarity.HIGH_IS_GOOD)["comparison"]
    good_low = compare(value, low, high, 10.0, polarity=Polarity.LOW_IS_GOOD)["comparison"]
    neutral = compare(value, low, high, 10.0, polarity="neutral")["comparison"]
    assert list(good_high) == [Comparison.SIMILAR, Comparison.BETTER, Comparison.WORSE]
    assert list(good_low) == [Comparison.SIMILAR, Comparison.WORSE, Comparison.BETTER]
    assert list(neutral) == [Comparison.SIMILAR, Comparison.HIGHER, Comparison.LOWER]


def test_limit_touching_benchmark_is_similar():
    out = compare([11.0], [10.0], [12.0], [10.0], polarity=Polarity.HIGH_IS_GOOD)
    assert out["comparison"].iloc[0] == Comparison.SIMILAR


def test_five_levels_with_998_limits():
    out = compare(
        [10.0, 14.0, 6.0, 12.5],
        [9.0, 11.5, 5.0, 10.5],
        [11.0, 16.0, 7.5, 14.0],
        10.0,
        polarity=Polarity.HIGH_IS_GOOD,
        lower998=[8.0, 10.5, 4.0, 9.5],
        upper998=[12.0, 17.0, 8.5, 15.0],
    )
    assert list(out["comparison"]) == [
        Comparison.SIMILAR,
        Comparison.MUCH_BETTER,
        Comparison.MUCH_WORSE,
        Comparison.BETTER,
    ]


def test_missing_inputs_are_not_compared():
    out = compare([np.nan, 5.0], [1.0, 4.0], [2.0, 6.0], [3.0, np.nan], polarity="high_is_good")
    assert list(out["comparison"]) == [Comparison.NOT_COMPARED, Comparison.NOT_COMPARED]


def test_polarity_per_row():
    out = compare(
        [12.0, 12.0], [11.0, 11.0], [13.0, 13.0], 10.0, polarity=["high_is_good", "low_is_good"]
    )
    assert list(out["comparison"]) == [Comparison.BETTER, Comparison.WORSE]


def test_outcomes_are_strings_for_templates():
    out = compare([12.0], [11.0], [13.0], 10.0, polarity="high_is_good")
    assert out["comparison"].iloc[0] == "better"


def test_refusals():
    with pytest.raises(ValueError, match="lower95 must not exceed upper95; row 0 has 3.0 > 2.0"):
        compare([2.5], [3.0], [2.0], 1.0, polarity="neutral")
    with pytest.raises(ValueError, match="polarity must be one of"):
        compare([2.5], [2.0], [3.0], 1.0, polarity="sideways")
    with pytest.raises(ValueError, match="give both lower998 and upper998"):
        compare([2.5], [2.0], [3.0], 1.0, polarity="neutral", lower998=[1.0])

"""Recent-trend test (PHE 2018 trend markers), checked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

from jamlik.stats import Polarity, TrendDirection, trend

YEARS = [2016, 2017, 2018, 2019, 2020]


def test_steady_rise_is_increasing_and_judged_by_polarity():
    values = [10.0, 11.0, 12.0, 13.0, 14.0]
    low = [v - 0.5 for v in values]
    high = [v + 0.5 for v in values]
    plain = trend(YEARS, values, low, high).iloc[0]
    assert plain["direction"] == TrendDirection.INCREASING
    assert plain["significant"]
    assert plain["value"] == pytest.approx(1.0)
    judged = trend(YEARS, values, low, high, polarity=Polarity.LOW_IS_GOOD).iloc[0]
    assert judged["direction"] == TrendDirection.INCREASING_AND_GETTING_WORSE


def test_chi_square_matches_hand_calculation():
    values = np.array([10.0, 10.4, 10.5, 11.2, 11.3])
    se = np.array([0.2, 0.25, 0.2, 0.3, 0.2])
    low, high = values - 1.959963985 * se, values + 1.959963985 * se
    out = trend(YEARS, values, low, high).iloc[0]
    w = 1 / se**2
    x = np.array(YEARS, dtype=float)
    xm = (w * x).sum() / w.sum()
    sxx = (w * (x - xm) ** 2).sum()
    slope = (w * (x - xm) * (values - (w * values).sum() / w.sum())).sum() / sxx
    assert out["value"] == pytest.approx(slope)
    assert out["chi_square"] == pytest.approx(slope**2 * sxx)
    assert out["significant"] == (slope**2 * sxx > sps.chi2.ppf(0.998, 1))


def test_only_last_five_points_are_used():
    years = [2010, *YEARS]
    values = [100.0, 10.0, 10.0, 10.0, 10.0, 10.0]
    out = trend(years, values, [v - 1 for v in values], [v + 1 for v in values]).iloc[0]
    assert out["points"] == 5
    assert out["direction"] == TrendDirection.NO_SIGNIFICANT_CHANGE


def test_one_outlier_driving_the_slope_is_not_significant():
    values = [10.0, 10.0, 10.0, 10.0, 30.0]
    out = trend(YEARS, values, [v - 0.1 for v in values], [v + 0.1 for v in values]).iloc[0]
    # Dropping the last point leaves a flat series: the direction is not robust.
    assert out["direction"] == TrendDirection.NO_SIGNIFICANT_CHANGE


def test_fewer_than_five_points_cannot_be_calculated():
    out = trend(YEARS[:4], [1.0, 2, 3, 4], [0.5, 1.5, 2.5, 3.5], [1.5, 2.5, 3.5, 4.5]).iloc[0]
    assert out["direction"] == TrendDirection.CANNOT_BE_CALCULATED
    assert np.isnan(out["value"])


def test_proportions_use_counts_and_several_series():
    counts = [100, 120, 140, 160, 180, 100, 100, 100, 100, 101]
    out = trend(
        YEARS * 2, [c / 1000 for c in counts], counts=counts, denominators=[1000] * 10,
        by=["a"] * 5 + ["b"] * 5,
    )  # fmt: skip
    assert list(out["group"]) == ["a", "b"]
    assert list(out["direction"]) == [
        TrendDirection.INCREASING,
        TrendDirection.NO_SIGNIFICANT_CHANGE,
    ]
    # Armitage's statistic by hand for series a.
    n = np.full(5, 1000.0)
    r = np.array(counts[:5], dtype=float)
    x = np.array(YEARS, dtype=float)
    p = r.sum() / n.sum()
    xm = (n * x).sum() / n.sum()
    chi = (r * (x - xm)).sum() ** 2 / (p * (1 - p) * (n * (x - xm) ** 2).sum())
    assert out["chi_square"].iloc[0] == pytest.approx(chi)


def test_refusals():
    with pytest.raises(ValueError, match="give lower and upper"):
        trend(YEARS, [1.0] * 5)
    with pytest.raises(ValueError, match="periods must not repeat"):
        trend([1, 1, 2, 3, 4], [1.0] * 5, [0.5] * 5, [1.5] * 5)
    with pytest.raises(ValueError, match="counts must be between 0 and their denominators"):
        trend(YEARS, [1.0] * 5, counts=[5] * 5, denominators=[4] * 5)

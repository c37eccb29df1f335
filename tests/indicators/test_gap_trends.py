"""The gap-over-time verdict: a weighted linear trend and which way 'narrowing' points."""

from __future__ import annotations

import numpy as np
import pytest

from jamlik.indicators.gap_trends import GapChange, gap_trend

YEARS = [2018, 2019, 2020, 2021, 2022, 2023]


def _band(values, half=0.2):  # noqa: ANN001, ANN202
    return [v - half for v in values], [v + half for v in values]


def test_slope_and_interval_match_weighted_least_squares():
    """Reference: numpy's polyfit with weights 1/se and the unscaled covariance."""
    values = [5.0, 4.6, 4.1, 3.9, 3.2, 3.0]
    halves = [0.3, 0.5, 0.4, 0.6, 0.3, 0.5]
    lower = [v - h for v, h in zip(values, halves, strict=True)]
    upper = [v + h for v, h in zip(values, halves, strict=True)]
    se = np.array(halves) / 1.959964
    coef, cov = np.polyfit(YEARS, values, 1, w=1 / se, cov="unscaled")
    residuals = np.array(values) - np.polyval(coef, YEARS)
    dispersion = max(1.0, float(np.sum(residuals**2 / se**2)) / (len(YEARS) - 2))
    trend = gap_trend(YEARS, values, lower, upper)
    assert trend.slope == pytest.approx(coef[0], rel=1e-9), "slope"
    half_width = 1.959964 * np.sqrt(cov[0, 0] * dispersion)
    assert trend.lower == pytest.approx(coef[0] - half_width, rel=1e-5), "lower limit"
    assert trend.upper == pytest.approx(coef[0] + half_width, rel=1e-5), "upper limit"
    assert trend.change is GapChange.NARROWING
    assert (trend.first_year, trend.last_year, trend.periods) == (2018, 2023, 6)


def test_a_negative_gap_moving_toward_zero_is_narrowing():
    values = [-3.0, -2.6, -2.2, -1.8, -1.4, -1.0]  # the value rises, |D| shrinks
    trend = gap_trend(YEARS, values, *_band(values))
    assert trend.slope > 0
    assert trend.change is GapChange.NARROWING


def test_a_negative_gap_moving_away_from_zero_is_widening():
    values = [-1.0, -1.4, -1.8, -2.2, -2.6, -3.0]
    assert gap_trend(YEARS, values, *_band(values)).change is GapChange.WIDENING


def test_a_positive_gap_growing_is_widening():
    values = [1.0, 1.5, 2.0, 2.5, 3.0, 3.5]
    assert gap_trend(YEARS, values, *_band(values)).change is GapChange.WIDENING


def test_unchanged_when_the_interval_includes_zero():
    values = [2.0, 2.3, 1.8, 2.1, 1.9, 2.2]
    trend = gap_trend(YEARS, values, *_band(values, 1.0))
    assert trend.lower <= 0 <= trend.upper
    assert trend.change is GapChange.UNCHANGED


def test_a_gap_that_changes_sign_is_not_judged():
    values = [-1.0, -0.5, 0.1, 0.5, 1.0, 1.5]
    assert gap_trend(YEARS, values, *_band(values, 0.1)).change is GapChange.CHANGES_SIGN


def test_ratios_are_judged_on_the_log_scale():
    ratios = [2.0, 1.8, 1.6, 1.45, 1.3, 1.2]  # toward 1: narrowing
    lower = [r / 1.05 for r in ratios]
    upper = [r * 1.05 for r in ratios]
    trend = gap_trend(YEARS, ratios, lower, upper, log_scale=True)
    assert trend.log_scale and trend.change is GapChange.NARROWING
    below = [1 / r for r in ratios]  # 0.5 → 0.83: also toward 1, also narrowing
    trend = gap_trend(
        YEARS, below, [b / 1.05 for b in below], [b * 1.05 for b in below], log_scale=True
    )
    assert trend.change is GapChange.NARROWING


def test_scatter_beyond_the_intervals_widens_the_slope_interval():
    values = [1.0, 3.0, 1.2, 3.3, 1.5, 3.6]  # far more spread than ±0.1 allows
    trend = gap_trend(YEARS, values, *_band(values, 0.1))
    assert trend.change is GapChange.UNCHANGED


def test_too_few_periods_or_missing_intervals_cannot_be_calculated():
    assert gap_trend([2022, 2023], [1.0, 2.0], [0.5, 1.5], [1.5, 2.5]).change is (
        GapChange.CANNOT_BE_CALCULATED
    )
    trend = gap_trend(YEARS[:3], [1.0, 2.0, 3.0], [0.5, None, 2.5], [1.5, None, 3.5])
    assert trend.change is GapChange.CANNOT_BE_CALCULATED and trend.periods == 2

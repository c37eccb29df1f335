"""Design-weighted proportions: Wilson on Kish's effective n (hypothesis properties)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.stats.proportions import proportion
from jamlik.surveys.estimates import proportions_from_sums, weighted_proportion

answers = st.lists(st.integers(0, 1), min_size=1, max_size=300)
weights_for = st.floats(0.05, 80, allow_nan=False, allow_infinity=False)


@st.composite
def weighted(draw):
    y = draw(answers)
    w = draw(st.lists(weights_for, min_size=len(y), max_size=len(y)))
    return np.array(y, dtype=float), np.array(w)


@settings(max_examples=150, deadline=None)
@given(weighted())
def test_interval_contains_the_estimate_and_stays_within_0_100(case):
    y, w = case
    for estimate in (weighted_proportion(y, w), weighted_proportion(y)):
        assert 0 <= estimate.lower <= estimate.value + 1e-9
        assert estimate.value <= estimate.upper + 1e-9
        assert estimate.upper <= 100


@settings(max_examples=150, deadline=None)
@given(answers)
def test_unweighted_equals_the_wilson_proportion_of_jamlik_stats(y):
    estimate = weighted_proportion(y)
    x, n = sum(y), len(y)
    reference = proportion([x], [n], multiplier=100).iloc[0]
    assert (estimate.x, estimate.n) == (x, n)
    assert estimate.value == pytest.approx(reference["value"], abs=1e-12)
    assert estimate.lower == pytest.approx(reference["lower"], abs=1e-12)
    assert estimate.upper == pytest.approx(reference["upper"], abs=1e-12)
    assert estimate.n_eff == n


@settings(max_examples=150, deadline=None)
@given(answers, weights_for)
def test_equal_weights_give_the_unweighted_estimate(y, weight):
    plain = weighted_proportion(y)
    equal = weighted_proportion(y, [weight] * len(y))
    assert equal.value == pytest.approx(plain.value, abs=1e-9)
    assert equal.lower == pytest.approx(plain.lower, abs=1e-9)
    assert equal.upper == pytest.approx(plain.upper, abs=1e-9)
    assert equal.n_eff == pytest.approx(len(y), rel=1e-12)


@settings(max_examples=150, deadline=None)
@given(weighted(), st.floats(0.01, 1000))
def test_scaling_all_weights_changes_nothing(case, factor):
    y, w = case
    base, scaled = weighted_proportion(y, w), weighted_proportion(y, w * factor)
    for field in ("value", "lower", "upper", "n_eff"):
        assert getattr(scaled, field) == pytest.approx(getattr(base, field), rel=1e-9, abs=1e-9)
    assert (scaled.x, scaled.n) == (base.x, base.n)


@settings(max_examples=100, deadline=None)
@given(weighted())
def test_kish_effective_n_is_at_most_n(case):
    y, w = case
    estimate = weighted_proportion(y, w)
    assert estimate.n_eff == pytest.approx(w.sum() ** 2 / (w**2).sum())
    assert 1 - 1e-9 <= estimate.n_eff <= len(y) + 1e-9


def test_a_worked_example():
    # y = 1,0,1,0 with weights 2,1,1,3: p = 3/7; Kish n_eff = 49/15.
    estimate = weighted_proportion([1, 0, 1, 0], [2, 1, 1, 3])
    assert estimate.value == pytest.approx(100 * 3 / 7)
    assert estimate.n_eff == pytest.approx(49 / 15)
    z = 1.959963984540054
    n, p = 49 / 15, 3 / 7
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    assert estimate.lower == pytest.approx(100 * (centre - half))
    assert estimate.upper == pytest.approx(100 * (centre + half))
    assert (estimate.x, estimate.n) == (2, 4)


def test_missing_answers_are_left_out():
    estimate = weighted_proportion([1, np.nan, 0, np.nan], [1, 100, 1, 100])
    assert (estimate.x, estimate.n, estimate.value) == (1, 2, 50.0)


def test_no_answers_give_no_value():
    estimate = weighted_proportion([np.nan, np.nan])
    assert estimate.n == 0 and math.isnan(estimate.value) and estimate.n_eff == 0


@pytest.mark.parametrize(
    ("y", "w", "message"),
    [([1, 2], None, "0, 1 or NaN"), ([1, 0], [1, 0], "positive"), ([1, 0], [1], "length")],
)
def test_bad_input_is_refused(y, w, message):
    with pytest.raises(ValueError, match=message):
        weighted_proportion(y, w)


def test_vectorised_sums_match_one_cell_at_a_time():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 50).astype(float)
    w = rng.uniform(0.5, 3, 50)
    table = proportions_from_sums(
        [y.sum()], [50], [w.sum()], [(w**2).sum()], [(w * y).sum()], weighted=True
    )
    one = weighted_proportion(y, w)
    assert table.loc[0, "value"] == pytest.approx(one.value)
    assert table.loc[0, "lower"] == pytest.approx(one.lower)

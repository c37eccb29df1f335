"""Properties every interval must have, checked on generated inputs (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.stats import ESP2013, dsr, isr, mean, proportion, rate

FAST = settings(max_examples=60, deadline=None)
levels = st.sampled_from([0.90, 0.95, 0.99, 0.998])
counts = st.integers(min_value=0, max_value=50_000)


@st.composite
def numerator_denominator(draw):
    n = draw(st.integers(min_value=1, max_value=100_000))
    x = draw(st.integers(min_value=0, max_value=n))
    return x, n


def _ordered(out: pd.DataFrame) -> bool:
    tol = 1e-9 * np.maximum(1.0, np.abs(out["value"].to_numpy()))
    return bool(
        (out["lower"].to_numpy() <= out["value"].to_numpy() + tol).all()
        and (out["value"].to_numpy() <= out["upper"].to_numpy() + tol).all()
    )


def _width(out: pd.DataFrame) -> float:
    return float(out["upper"].iloc[0] - out["lower"].iloc[0])


@FAST
@given(numerator_denominator(), levels)
def test_proportion_interval_contains_value(pair, level):
    assert _ordered(proportion([pair[0]], [pair[1]], confidence=level))


@FAST
@given(counts, st.integers(min_value=1, max_value=10**7), levels)
def test_rate_interval_contains_value(x, n, level):
    assert _ordered(rate([x], [n], confidence=level))


@FAST
@given(numerator_denominator(), st.integers(min_value=2, max_value=50))
def test_proportion_interval_narrows_as_n_grows(pair, factor):
    x, n = pair
    small = proportion([x], [n])
    large = proportion([x * factor], [n * factor])
    assert _width(large) < _width(small)


@FAST
@given(counts, st.integers(min_value=1, max_value=10**6), st.integers(min_value=2, max_value=50))
def test_rate_interval_narrows_as_n_grows(x, n, factor):
    small = rate([x], [n])
    large = rate([x * factor], [n * factor])
    assert _width(large) < _width(small)


@FAST
@given(numerator_denominator(), counts, st.integers(min_value=1, max_value=10**6))
def test_intervals_widen_with_confidence(pair, x, n):
    for function, args in ((proportion, ([pair[0]], [pair[1]])), (rate, ([x], [n]))):
        widths = [_width(function(*args, confidence=level)) for level in (0.90, 0.95, 0.99, 0.998)]
        assert all(a < b for a, b in zip(widths, widths[1:], strict=False)), function.__name__


@FAST
@given(
    st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=40),
    levels,
)
def test_mean_interval_contains_value(values, level):
    assert _ordered(mean(values, confidence=level))


@FAST
@given(
    st.lists(st.integers(min_value=0, max_value=500), min_size=19, max_size=19),
    st.floats(min_value=0.01, max_value=20),
)
def test_dsr_equals_crude_rate_when_age_structure_equals_standard(deaths, scale):
    standard = np.array(ESP2013, dtype=float)
    data = pd.DataFrame({"count": deaths, "pop": standard * scale})
    out = dsr(data, count="count", pop="pop", standard_pop=ESP2013)
    crude = sum(deaths) / data["pop"].sum() * 100_000
    if sum(deaths) < 10:
        assert np.isnan(out["value"].iloc[0])
    else:
        assert np.isclose(out["value"].iloc[0], crude, rtol=1e-9)
        assert _ordered(out)


@FAST
@given(
    st.lists(st.integers(min_value=0, max_value=2000), min_size=19, max_size=19),
    st.lists(st.integers(min_value=1, max_value=50_000), min_size=19, max_size=19),
    levels,
)
def test_dsr_and_isr_intervals_contain_value(deaths, pops, level):
    data = pd.DataFrame({"count": deaths, "pop": pops})
    out = dsr(data, count="count", pop="pop", standard_pop=ESP2013, confidence=level)
    if sum(deaths) >= 10:
        assert _ordered(out)
    ref_rates = np.linspace(0.001, 0.2, 19)
    standardised = isr(
        data, count="count", pop="pop", ref_count=ref_rates * 1e6, ref_pop=[1e6] * 19,
        confidence=level,
    )  # fmt: skip
    assert _ordered(standardised)

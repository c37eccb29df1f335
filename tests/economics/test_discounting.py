"""Discounting against closed forms and the Aos (WSIPP, 2013) worked example."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamlik.economics.discounting import (
    annuity_factor,
    discount_factors,
    internal_rate_of_return,
    present_value,
)


def test_year_one_is_not_discounted_and_year_two_is_once() -> None:
    factors = discount_factors(0.05, 3)[0]
    assert factors[0] == 1.0
    assert factors[1] == pytest.approx(1 / 1.05)
    assert factors[2] == pytest.approx(1 / 1.05**2)


@given(
    rate=st.floats(min_value=0.0, max_value=0.3),
    years=st.integers(min_value=1, max_value=80),
    amount=st.floats(min_value=0.0, max_value=1e9),
)
def test_constant_flow_matches_annuity_closed_form(rate: float, years: int, amount: float) -> None:
    pv = present_value(np.full(years, amount), rate)
    assert pv == pytest.approx(amount * annuity_factor(rate, years), rel=1e-9, abs=1e-6)


def test_aos_workshop_example_bcr_and_irr() -> None:
    # Aos (WSIPP benefit-cost workshop, 2013): invest 3 000 once, receive 500 a year for
    # 20 years, discount at 3 %: benefit-cost ratio 2.55 and internal rate of return 19.3 %.
    benefits = np.full(20, 500.0)
    bcr = present_value(benefits, 0.03) / 3000.0
    assert bcr == pytest.approx(2.55, abs=0.005), "BCR as published"
    flows = benefits.copy()
    flows[0] -= 3000.0
    irr = internal_rate_of_return(flows)
    assert irr is not None
    assert irr == pytest.approx(0.193, abs=0.0005), "IRR as published"


def test_irr_is_none_without_sign_change() -> None:
    assert internal_rate_of_return(np.full(5, 10.0)) is None
    assert internal_rate_of_return(np.zeros(5)) is None


@given(st.floats(min_value=-0.5, max_value=2.0))
def test_irr_recovers_the_rate_of_a_two_flow_series(rate: float) -> None:
    flows = np.array([-100.0, 100.0 * (1 + rate)])
    irr = internal_rate_of_return(flows)
    assert irr == pytest.approx(rate, abs=1e-7)

"""Analytical properties of the benefit-cost engine."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.economics import reference
from jamlik.economics.examples import (
    NORRTALJE_PUBLISHED_KOMMUN_SEK,
    NORRTALJE_PUBLISHED_REGION_STATE_SEK,
    botkyrka_example,
    norrtalje_example,
)
from jamlik.economics.inputs import PAYERS, EffectMeasure, Payer
from jamlik.economics.model import avoided_risk, compute_flows, evaluate, ramp_profile
from jamlik.economics.parameters import draw, scenario_parameters

from .helpers import one_outcome_scenario


def test_no_effect_gives_no_benefit() -> None:
    for measure in EffectMeasure:
        result = evaluate(one_outcome_scenario(rrr=0.0, measure=measure, cost=50.0))
        assert result.pv_savings == 0.0, measure
        assert all(v == 0.0 for p in PAYERS for v in result.savings_per_year[p])
        assert result.npv == pytest.approx(-result.pv_costs)
        assert result.break_even_year is None


def test_hand_computed_single_cohort() -> None:
    # 100 participants * 10 % risk * 50 % reduction = 5 cases, 1 000 SEK each,
    # in the year of participation, every year for 5 years, undiscounted.
    result = evaluate(one_outcome_scenario())
    assert result.savings_per_year[Payer.KOMMUN] == (5000.0,) * 5
    assert result.pv_savings == pytest.approx(25_000.0)
    assert result.benefit_cost_ratio is None  # nothing was spent


def test_lag_duration_and_decay_shift_and_shape_the_savings() -> None:
    result = evaluate(one_outcome_scenario(lag=1, duration=3, decay=0.5, delivery=1, horizon=6))
    # One cohort of 5 avoided cases starting in year 2, persisting 1, 0.5, 0.25.
    assert result.savings_per_year[Payer.KOMMUN] == pytest.approx(
        (0.0, 5000.0, 2500.0, 1250.0, 0.0, 0.0)
    )


def test_ramp_up_is_linear_and_stops_after_delivery() -> None:
    scenario = one_outcome_scenario(ramp=4, delivery=5, horizon=7)
    assert ramp_profile(scenario.interventions[0], 7).tolist() == [
        0.25,
        0.5,
        0.75,
        1.0,
        1.0,
        0.0,
        0.0,
    ]


def test_payer_shares_sum_to_the_whole() -> None:
    shares = {Payer.KOMMUN: 0.2, Payer.REGION: 0.3, Payer.STAT: 0.4, Payer.OTHER: 0.1}
    result = evaluate(one_outcome_scenario(shares=shares, rate=0.03))
    total_by_outcome = sum(result.pv_savings_by_outcome.values())
    assert sum(r.pv_savings for r in result.by_payer.values()) == pytest.approx(total_by_outcome)
    for payer, share in shares.items():
        assert result.by_payer[payer].pv_savings == pytest.approx(share * total_by_outcome)


def test_discounted_total_matches_closed_form() -> None:
    rate = 0.035
    result = evaluate(one_outcome_scenario(rate=rate, horizon=30, delivery=30, cost=1000.0))
    annuity = (1 - (1 + rate) ** -30) / (1 - 1 / (1 + rate))
    assert result.pv_savings == pytest.approx(5000.0 * annuity)
    assert result.pv_costs == pytest.approx(1000.0 * annuity)
    assert result.benefit_cost_ratio == pytest.approx(5.0)
    assert result.break_even_year == 1


def test_cox_logit_transform() -> None:
    # d = 0 changes nothing; d = ln(OR) / 1.65 (Sánchez-Meca et al., 2003) reproduces an odds ratio.
    base = np.array([0.2])
    assert avoided_risk(EffectMeasure.LOGIT_EFFECT_SIZE, base, np.array([0.0]))[0] == 0.0
    odds_ratio = 0.5
    d = -math.log(odds_ratio) / 1.65
    treated = base[0] - avoided_risk(EffectMeasure.LOGIT_EFFECT_SIZE, base, np.array([d]))[0]
    assert (treated / (1 - treated)) / (0.2 / 0.8) == pytest.approx(odds_ratio)


def test_norrtalje_example_reproduces_published_yearly_savings() -> None:
    result = evaluate(norrtalje_example())
    steady = result.years.index(5)
    kommun = result.savings_per_year[Payer.KOMMUN][steady]
    region_state = (
        result.savings_per_year[Payer.REGION][steady] + result.savings_per_year[Payer.STAT][steady]
    )
    assert kommun == pytest.approx(NORRTALJE_PUBLISHED_KOMMUN_SEK)
    assert region_state == pytest.approx(NORRTALJE_PUBLISHED_REGION_STATE_SEK)
    assert norrtalje_example().illustrative


def test_break_even_year_when_costs_come_first() -> None:
    # Costs 3 000 a year, savings 5 000 a year starting year 3 (lag 2): cumulative net
    # -3000, -6000, -4000, -2000, 0 -> break-even in year 5.
    result = evaluate(one_outcome_scenario(lag=2, cost=3000.0, horizon=8, delivery=8))
    assert result.break_even_year == 5


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_vectorised_engine_matches_plain_loops(seed: int) -> None:
    for scenario in (norrtalje_example(), botkyrka_example()):
        params = scenario_parameters(scenario)
        values = draw(params, 3, np.random.default_rng(seed))
        flows = compute_flows(scenario, values)
        npv = flows.pv_savings - flows.pv_costs
        for row in range(3):
            expected = reference.npv_by_payer(
                scenario, {k: float(v[row]) for k, v in values.items()}
            )
            for i, payer in enumerate(PAYERS):
                assert npv[row, i] == pytest.approx(expected[payer], rel=1e-9, abs=1e-6)


@settings(max_examples=50, deadline=None)
@given(
    participants=st.floats(min_value=0, max_value=1e5),
    risk=st.floats(min_value=0, max_value=1),
    rrr=st.floats(min_value=-1, max_value=1),
    unit_cost=st.floats(min_value=0, max_value=1e7),
    rate=st.floats(min_value=0, max_value=0.2),
    lag=st.integers(min_value=0, max_value=10),
    duration=st.integers(min_value=1, max_value=10),
)
def test_savings_scale_linearly_and_sign_follows_effect(
    participants: float,
    risk: float,
    rrr: float,
    unit_cost: float,
    rate: float,
    lag: int,
    duration: int,
) -> None:
    kwargs = {"risk": risk, "unit_cost": unit_cost, "rate": rate, "lag": lag, "duration": duration}
    one = evaluate(one_outcome_scenario(participants=participants, rrr=rrr, **kwargs))
    two = evaluate(one_outcome_scenario(participants=2 * participants, rrr=rrr, **kwargs))
    assert two.pv_savings == pytest.approx(2 * one.pv_savings, rel=1e-9, abs=1e-6)
    assert one.pv_savings * rrr >= -1e-6  # a harmful effect costs, a helpful one saves

"""Tornado analysis."""

from __future__ import annotations

import dataclasses

import pytest

from jamlik.economics.examples import norrtalje_example
from jamlik.economics.inputs import Estimate, Payer
from jamlik.economics.model import evaluate
from jamlik.economics.sensitivity import tornado

from .helpers import one_outcome_scenario


def test_bars_are_sorted_and_base_is_deterministic_npv() -> None:
    scenario = norrtalje_example()
    result = tornado(scenario)
    assert result.base_npv == pytest.approx(evaluate(scenario).npv)
    swings = [bar.swing for bar in result.bars]
    assert swings == sorted(swings, reverse=True)
    assert all(bar.low_value < bar.high_value for bar in result.bars)


def test_inputs_without_range_are_left_out() -> None:
    result = tornado(one_outcome_scenario())
    assert result.bars == ()


def test_linear_input_swing_matches_hand_calculation() -> None:
    scenario = one_outcome_scenario()
    outcome = dataclasses.replace(scenario.outcomes[0], unit_cost=Estimate(1000, 500, 2000))
    result = tornado(dataclasses.replace(scenario, outcomes=(outcome,)))
    (bar,) = result.bars
    assert bar.parameter_id == "outcome:x:unit_cost"
    # 5 avoided cases a year for 5 years = 25 case-years.
    assert bar.npv_at_low == pytest.approx(25 * 500)
    assert bar.npv_at_high == pytest.approx(25 * 2000)


def test_payer_view_uses_only_that_payers_flows() -> None:
    scenario = norrtalje_example()
    kommun = tornado(scenario, Payer.KOMMUN)
    assert kommun.base_npv == pytest.approx(evaluate(scenario).by_payer[Payer.KOMMUN].npv)

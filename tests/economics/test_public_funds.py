"""The marginal cost of public funds (skattefaktor / deadweight cost of taxation).

The factor weights every saving and cost of kommun, region and stat in the societal
result; the individual's flows and every payer's budget result stay in plain kronor.
"""

from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.economics import reference
from jamlik.economics.examples import botkyrka_example, norrtalje_example
from jamlik.economics.inputs import PAYERS, Estimate, Payer, Scenario
from jamlik.economics.model import compute_flows, evaluate
from jamlik.economics.montecarlo import simulate
from jamlik.economics.parameters import draw, scenario_parameters
from jamlik.economics.sensitivity import tornado
from jamlik.economics.serialization import scenario_from_dict, scenario_to_dict

from .helpers import one_outcome_scenario

ALL_PUBLIC = {Payer.KOMMUN: 0.3, Payer.REGION: 0.3, Payer.STAT: 0.4}
MIXED = {Payer.KOMMUN: 0.2, Payer.REGION: 0.2, Payer.STAT: 0.2, Payer.OTHER: 0.4}


def with_factor(scenario: Scenario, factor: Estimate | None, source: str = "ASEK") -> Scenario:
    return dataclasses.replace(
        scenario,
        public_funds_factor=factor,
        public_funds_factor_source=source if factor is not None else "",
    )


def fully_fixed(scenario: Scenario) -> Scenario:
    """The scenario with every estimate at its central value (no uncertainty at all)."""

    def fix(est: Estimate) -> Estimate:
        return Estimate(est.central)

    iv = scenario.interventions[0]
    return dataclasses.replace(
        scenario,
        discount_rate=fix(scenario.discount_rate),
        outcomes=tuple(
            dataclasses.replace(o, baseline_risk=fix(o.baseline_risk), unit_cost=fix(o.unit_cost))
            for o in scenario.outcomes
        ),
        interventions=(
            dataclasses.replace(
                iv,
                participants_per_year=fix(iv.participants_per_year),
                costs=tuple(
                    dataclasses.replace(c, amount_per_year=fix(c.amount_per_year)) for c in iv.costs
                ),
                effects=tuple(
                    dataclasses.replace(e, size=fix(e.size), decay_per_year=fix(e.decay_per_year))
                    for e in iv.effects
                ),
            ),
        ),
    )


def test_not_applied_means_societal_equals_unadjusted() -> None:
    scenario = botkyrka_example()
    result = evaluate(scenario)
    assert result.public_funds_factor is None
    assert result.societal_pv_savings == result.pv_savings
    assert result.societal_pv_costs == result.pv_costs
    assert result.societal_npv == result.npv
    assert result.societal_benefit_cost_ratio == result.benefit_cost_ratio
    assert "public_funds_factor" not in {p.id for p in scenario_parameters(scenario)}


def test_factor_one_is_identical_to_not_applied() -> None:
    plain = botkyrka_example()
    one = with_factor(plain, Estimate(1.0))
    a, b = evaluate(plain), evaluate(one)
    assert b.public_funds_factor == 1.0
    assert b.societal_npv == a.npv
    assert b.societal_benefit_cost_ratio == a.benefit_cost_ratio
    assert b.by_payer == a.by_payer
    mc_plain, mc_one = simulate(plain, 1000, 9), simulate(one, 1000, 9)
    assert np.array_equal(mc_one.societal_npv_draws, mc_plain.npv_draws)
    assert np.array_equal(mc_one.npv_draws, mc_plain.npv_draws)
    assert tornado(one).base_npv == pytest.approx(tornado(plain).base_npv, rel=1e-15)


@settings(max_examples=40, deadline=None)
@given(
    factor=st.floats(min_value=1.0, max_value=3.0),
    rate=st.floats(min_value=0.0, max_value=0.1),
    rrr=st.floats(min_value=-1.0, max_value=1.0),
    cost=st.floats(min_value=1.0, max_value=1e6),
)
def test_only_tax_financed_payers_scale_by_the_factor(
    factor: float, rate: float, rrr: float, cost: float
) -> None:
    base = one_outcome_scenario(shares=ALL_PUBLIC, rate=rate, rrr=rrr, cost=cost, lag=1)
    plain = evaluate(base)
    adjusted = evaluate(with_factor(base, Estimate(factor)))
    assert adjusted.societal_npv == pytest.approx(factor * plain.npv, rel=1e-12, abs=1e-6)
    assert adjusted.societal_pv_costs == pytest.approx(factor * plain.pv_costs, rel=1e-12)
    # Both sides scale, so the ratio does not move when every payer is public.
    assert adjusted.societal_benefit_cost_ratio == pytest.approx(plain.benefit_cost_ratio)
    # The budgets see plain kronor.
    assert adjusted.npv == plain.npv
    assert adjusted.by_payer == plain.by_payer


def test_individual_payers_flows_are_not_weighted() -> None:
    factor = 1.3
    base = one_outcome_scenario(shares=MIXED, rate=0.03, cost=800.0, horizon=10, delivery=10)
    plain = evaluate(base)
    adjusted = evaluate(with_factor(base, Estimate(factor)))
    other = plain.by_payer[Payer.OTHER]
    public = [plain.by_payer[p] for p in PAYERS if p is not Payer.OTHER]
    assert other.pv_savings > 0  # the individual does gain something here
    assert adjusted.societal_pv_savings == pytest.approx(
        other.pv_savings + factor * sum(r.pv_savings for r in public)
    )
    assert adjusted.societal_pv_costs == pytest.approx(factor * plain.pv_costs)  # kommun pays
    assert adjusted.by_payer[Payer.OTHER] == other
    # Savings that all go to the individual are counted once; the kommun's cost is weighted.
    only_other = one_outcome_scenario(shares={Payer.OTHER: 1.0}, cost=800.0)
    r = evaluate(with_factor(only_other, Estimate(factor)))
    assert r.societal_pv_savings == pytest.approx(r.pv_savings)
    assert r.societal_pv_costs == pytest.approx(factor * r.pv_costs)
    assert r.societal_npv == pytest.approx(r.pv_savings - factor * r.pv_costs)


def test_monte_carlo_without_uncertainty_is_the_deterministic_result() -> None:
    scenario = with_factor(fully_fixed(botkyrka_example()), Estimate(1.3))
    expected = evaluate(scenario)
    result = simulate(scenario, draws=300, seed=4)
    assert result.public_funds_factor_applied
    for value in (result.societal_npv.p05, result.societal_npv.mean, result.societal_npv.p95):
        assert value == pytest.approx(expected.societal_npv, rel=1e-12)
    assert result.societal_benefit_cost_ratio is not None
    assert result.societal_benefit_cost_ratio.p50 == pytest.approx(
        expected.societal_benefit_cost_ratio
    )
    assert result.npv.mean == pytest.approx(expected.npv, rel=1e-12)
    assert expected.societal_npv != pytest.approx(expected.npv)


def test_monte_carlo_draws_the_factor_and_leaves_other_draws_alone() -> None:
    fixed = fully_fixed(one_outcome_scenario(shares=ALL_PUBLIC, cost=1000.0))
    uncertain = with_factor(fixed, Estimate(1.5, 1.0, 2.0))  # WSIPP: 0-100 % deadweight
    result = simulate(uncertain, draws=20_000, seed=11)
    npv = evaluate(fixed).npv
    assert np.all(result.npv_draws == result.npv_draws[0])  # budgets: no factor, no spread
    factors = result.societal_npv_draws / npv
    assert factors.min() >= 1.0 and factors.max() <= 2.0
    assert factors.std() > 0.1
    standard_error = factors.std() / np.sqrt(result.draws)
    assert abs(factors.mean() - 1.5) < 4 * standard_error  # symmetric triangular
    # The factor is drawn last: every other input's draws are unchanged by it.
    norrtalje = norrtalje_example()
    both = simulate(with_factor(norrtalje, Estimate(1.3, 1.1, 1.5)), 2000, 5)
    assert np.array_equal(both.npv_draws, simulate(norrtalje, 2000, 5).npv_draws)
    assert not np.array_equal(both.societal_npv_draws, both.npv_draws)


def test_tornado_swings_the_factor_over_its_range() -> None:
    base = one_outcome_scenario(shares=ALL_PUBLIC, cost=1000.0)
    npv = evaluate(base).npv
    result = tornado(with_factor(base, Estimate(1.3, 1.1, 1.6)))
    assert result.public_funds_factor_applied
    assert result.base_npv == pytest.approx(1.3 * npv)
    (bar,) = result.bars
    assert bar.parameter_id == "public_funds_factor"
    assert (bar.low_value, bar.high_value) == (1.1, 1.6)
    assert bar.npv_at_low == pytest.approx(1.1 * npv)
    assert bar.npv_at_high == pytest.approx(1.6 * npv)
    # A payer's own tornado is in budget kronor, which the factor cannot move.
    kommun = tornado(with_factor(base, Estimate(1.3, 1.1, 1.6)), Payer.KOMMUN)
    assert not kommun.public_funds_factor_applied
    assert kommun.bars == ()
    assert kommun.base_npv == pytest.approx(evaluate(base).by_payer[Payer.KOMMUN].npv)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_vectorised_societal_npv_matches_plain_loops(seed: int) -> None:
    for scenario in (
        with_factor(botkyrka_example(), Estimate(1.3, 1.0, 2.0)),
        with_factor(norrtalje_example(), Estimate(1.5, 1.2, 1.8)),
        botkyrka_example(),
    ):
        values = draw(scenario_parameters(scenario), 3, np.random.default_rng(seed))
        flows = compute_flows(scenario, values)
        societal = flows.societal_pv_savings - flows.societal_pv_costs
        for row in range(3):
            one = {k: float(v[row]) for k, v in values.items()}
            expected = reference.societal_npv(scenario, one)
            assert societal[row] == pytest.approx(expected, rel=1e-9, abs=1e-6)
            by_payer = reference.npv_by_payer(scenario, one)
            for i, payer in enumerate(PAYERS):
                plain = flows.pv_savings[row, i] - flows.pv_costs[row, i]
                assert plain == pytest.approx(by_payer[payer], rel=1e-9, abs=1e-6)


def test_factor_below_one_is_refused() -> None:
    with pytest.raises(
        ValueError,
        match=re.escape("scenario.public_funds_factor.central: must be at least 1.0 (got 0.8)"),
    ):
        with_factor(norrtalje_example(), Estimate(0.8))
    with pytest.raises(
        ValueError,
        match=re.escape("scenario.public_funds_factor.low: must be at least 1.0 (got 0.5)"),
    ):
        with_factor(norrtalje_example(), Estimate(1.3, 0.5, 1.5))
    with pytest.raises(
        ValueError,
        match=re.escape("scenario.public_funds_factor.central: must be at most 3.0 (got 13.0)"),
    ):
        with_factor(norrtalje_example(), Estimate(13.0))


def test_factor_without_source_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r"scenario.public_funds_factor_source: must say where the factor comes"
    ):
        with_factor(norrtalje_example(), Estimate(1.3), source="  ")
    with pytest.raises(
        ValueError,
        match=r"scenario.public_funds_factor_source: names a source but no public_funds_factor",
    ):
        dataclasses.replace(norrtalje_example(), public_funds_factor_source="ASEK")


def test_serialization_round_trip_and_old_scenarios() -> None:
    scenario = with_factor(botkyrka_example(), Estimate(1.3, 1.1, 1.5), "ASEK 7.0, skattefaktor")
    data = json.loads(json.dumps(scenario_to_dict(scenario)))
    assert data["public_funds_factor"] == {
        "central": 1.3,
        "low": 1.1,
        "high": 1.5,
        "distribution": "triangular",
    }
    assert data["public_funds_factor_source"] == "ASEK 7.0, skattefaktor"
    again = scenario_from_dict(data)
    assert again == scenario
    assert evaluate(again).societal_npv == evaluate(scenario).societal_npv
    # A scenario stored before the factor existed has neither key: not applied.
    old = scenario_to_dict(botkyrka_example())
    del old["public_funds_factor"], old["public_funds_factor_source"]
    loaded = scenario_from_dict(old)
    assert loaded.public_funds_factor is None
    assert loaded == botkyrka_example()
    assert scenario_to_dict(botkyrka_example())["public_funds_factor"] is None
    # A bare number is a factor without a range; a bad value is named.
    data["public_funds_factor"] = 1.3
    assert scenario_from_dict(data).public_funds_factor == Estimate(1.3)
    data["public_funds_factor"] = {"central": "1,3"}
    with pytest.raises(ValueError, match=r"public_funds_factor.central: must be a number"):
        scenario_from_dict(data)
    data["public_funds_factor"] = {"central": 1.3}
    data["public_funds_factor_source"] = ""
    with pytest.raises(ValueError, match="scenario.public_funds_factor_source: must say where"):
        scenario_from_dict(data)

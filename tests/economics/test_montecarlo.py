"""Monte Carlo: reproducible, and consistent with the deterministic model."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from jamlik.economics.examples import botkyrka_example, norrtalje_example
from jamlik.economics.inputs import PAYERS, Distribution, Estimate, Payer
from jamlik.economics.model import evaluate
from jamlik.economics.montecarlo import simulate

from .helpers import one_outcome_scenario


def test_without_uncertainty_every_draw_is_the_deterministic_result() -> None:
    scenario = one_outcome_scenario(rate=0.03, cost=2000.0, lag=1, duration=3)
    result = simulate(scenario, draws=500, seed=1)
    expected = evaluate(scenario)
    assert result.npv.mean == pytest.approx(expected.npv)
    assert result.npv.p05 == pytest.approx(expected.npv)
    assert result.npv.p95 == pytest.approx(expected.npv)
    for payer in PAYERS:
        assert result.npv_by_payer[payer].mean == pytest.approx(expected.by_payer[payer].npv)
    assert result.probability_benefits_exceed_costs == 1.0


def test_mean_converges_to_deterministic_when_npv_is_linear_in_the_uncertain_input() -> None:
    # Only the unit cost is uncertain (symmetric triangular), and NPV is linear in it,
    # so E[NPV] = NPV(central). Check within 4 Monte Carlo standard errors.
    base = norrtalje_example()
    outcome = dataclasses.replace(base.outcomes[0], unit_cost=Estimate(350_000, 200_000, 500_000))
    fixed = dataclasses.replace(
        base,
        outcomes=(outcome,),
        discount_rate=Estimate(0.035),
        interventions=(
            dataclasses.replace(
                base.interventions[0],
                participants_per_year=Estimate(800),
                costs=tuple(
                    dataclasses.replace(c, amount_per_year=Estimate(c.amount_per_year.central))
                    for c in base.interventions[0].costs
                ),
                effects=tuple(
                    dataclasses.replace(
                        e, size=Estimate(e.size.central), decay_per_year=Estimate(0.0)
                    )
                    for e in base.interventions[0].effects
                ),
            ),
        ),
    )
    fixed = dataclasses.replace(
        fixed, outcomes=(dataclasses.replace(outcome, baseline_risk=Estimate(0.05)),)
    )
    result = simulate(fixed, draws=20_000, seed=7)
    standard_error = np.std(result.npv_draws) / np.sqrt(result.draws)
    assert abs(result.npv.mean - evaluate(fixed).npv) < 4 * standard_error


def test_same_seed_same_answer_other_seed_other_answer() -> None:
    scenario = botkyrka_example()
    first = simulate(scenario, draws=2000, seed=42)
    again = simulate(scenario, draws=2000, seed=42)
    other = simulate(scenario, draws=2000, seed=43)
    assert np.array_equal(first.npv_draws, again.npv_draws)
    assert first.npv == again.npv
    assert not np.array_equal(first.npv_draws, other.npv_draws)


def test_probabilities_and_intervals_are_coherent() -> None:
    result = simulate(norrtalje_example(), draws=5000, seed=3)
    assert 0.0 <= result.probability_benefits_exceed_costs <= 1.0
    assert result.probability_benefits_exceed_costs == pytest.approx(
        float(np.mean(result.npv_draws > 0))
    )
    for interval in (result.npv, result.pv_savings, *result.npv_by_payer.values()):
        assert interval.p05 <= interval.p50 <= interval.p95
    assert result.benefit_cost_ratio is not None
    assert sum(count for _, _, count in result.histogram(20)) == 5000
    assert result.npv_by_payer[Payer.OTHER].mean == 0.0  # no share of this example falls on others


def test_normal_draws_of_a_relative_risk_reduction_are_clipped_at_one() -> None:
    scenario = one_outcome_scenario()
    effect = dataclasses.replace(
        scenario.interventions[0].effects[0], size=Estimate(0.9, 0.5, 1.0, Distribution.NORMAL)
    )
    scenario = dataclasses.replace(
        scenario,
        interventions=(dataclasses.replace(scenario.interventions[0], effects=(effect,)),),
    )
    result = simulate(scenario, draws=4000, seed=5)
    # 100 * 0.1 * RRR * 1000 * 5 years, RRR <= 1 -> at most 50 000.
    assert result.npv_draws.max() <= 50_000 + 1e-6


def test_draw_count_is_validated() -> None:
    with pytest.raises(ValueError, match=r"draws: must be at least 2 \(got 0\)"):
        simulate(norrtalje_example(), draws=0)

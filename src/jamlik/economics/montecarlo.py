"""Probabilistic analysis: Monte Carlo over every uncertain input.

Following WSIPP's risk analysis (Aos et al., Benefit-Cost Technical
Documentation), each draw takes a value of every uncertain input from its
distribution and recomputes the whole benefit-cost account; the share of
draws in which the present value of savings exceeds that of costs is "the
chance that benefits exceed costs". Draws are seeded (numpy PCG64) and taken
in a fixed parameter order, so the same scenario and seed always give the same
answer. All draws are evaluated at once with numpy.

The public funds factor, when the scenario applies one, is drawn like the other
non-effect inputs (from its low/central/high estimate, WSIPP varying its
deadweight cost of taxation between 0 and 100 %), so the ``societal_*``
summaries carry its uncertainty; the other summaries are in plain kronor as the
budgets see them and do not depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jamlik.economics.discounting import FloatArray
from jamlik.economics.inputs import PAYERS, Payer, Scenario
from jamlik.economics.model import compute_flows
from jamlik.economics.parameters import draw, scenario_parameters
from jamlik.economics.validation import require_int

DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 20_240_601
MAX_DRAWS = 200_000


@dataclass(frozen=True)
class Interval:
    """Mean and percentiles (5th, 50th, 95th) of a simulated quantity."""

    mean: float
    p05: float
    p50: float
    p95: float

    @classmethod
    def of(cls, sample: FloatArray) -> Interval:
        p05, p50, p95 = np.percentile(sample, [5, 50, 95])
        return cls(float(np.mean(sample)), float(p05), float(p50), float(p95))


@dataclass(frozen=True)
class MonteCarloResult:
    """Summary of the simulation; ``npv_draws`` keeps every draw's total NPV.

    ``npv``, ``pv_savings``, ``pv_costs``, ``benefit_cost_ratio`` and the
    probabilities are unadjusted (budget kronor); the ``societal_*`` fields
    weight tax-financed payers by the drawn public funds factor and equal the
    unadjusted ones when the scenario applies no factor.
    """

    draws: int
    seed: int
    npv: Interval
    npv_by_payer: dict[Payer, Interval]
    pv_savings: Interval
    pv_costs: Interval
    benefit_cost_ratio: Interval | None
    probability_benefits_exceed_costs: float
    probability_by_payer: dict[Payer, float]
    npv_draws: FloatArray
    public_funds_factor_applied: bool
    societal_npv: Interval
    societal_benefit_cost_ratio: Interval | None
    probability_societal_benefits_exceed_costs: float
    societal_npv_draws: FloatArray

    def histogram(self, bins: int = 30) -> list[tuple[float, float, int]]:
        """(bin start, bin end, count) of the societal NPV draws.

        These are the total NPV draws when no public funds factor is applied, and
        the NPV with the factor when it is (the figure its uncertainty moves).
        """
        counts, edges = np.histogram(self.societal_npv_draws, bins=bins)
        return [(float(edges[i]), float(edges[i + 1]), int(counts[i])) for i in range(bins)]


def simulate(
    scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
) -> MonteCarloResult:
    """Run ``draws`` simulations of ``scenario`` with random seed ``seed``."""
    require_int(draws, "draws", 2, MAX_DRAWS)
    require_int(seed, "seed", 0)
    rng = np.random.default_rng(seed)
    values = draw(scenario_parameters(scenario), draws, rng)
    flows = compute_flows(scenario, values)
    pv_s, pv_c = flows.pv_savings, flows.pv_costs
    npv_by_payer = pv_s - pv_c
    total_s, total_c = pv_s.sum(axis=1), pv_c.sum(axis=1)
    npv = total_s - total_c
    with_costs = total_c > 0
    bcr = Interval.of(total_s[with_costs] / total_c[with_costs]) if with_costs.any() else None
    society_s, society_c = flows.societal_pv_savings, flows.societal_pv_costs
    society_npv = society_s - society_c
    society_with_costs = society_c > 0
    society_bcr = (
        Interval.of(society_s[society_with_costs] / society_c[society_with_costs])
        if society_with_costs.any()
        else None
    )
    return MonteCarloResult(
        draws=draws,
        seed=seed,
        npv=Interval.of(npv),
        npv_by_payer={p: Interval.of(npv_by_payer[:, i]) for i, p in enumerate(PAYERS)},
        pv_savings=Interval.of(total_s),
        pv_costs=Interval.of(total_c),
        benefit_cost_ratio=bcr,
        probability_benefits_exceed_costs=float(np.mean(total_s > total_c)),
        probability_by_payer={
            p: float(np.mean(npv_by_payer[:, i] > 0)) for i, p in enumerate(PAYERS)
        },
        npv_draws=npv,
        public_funds_factor_applied=scenario.public_funds_factor is not None,
        societal_npv=Interval.of(society_npv),
        societal_benefit_cost_ratio=society_bcr,
        probability_societal_benefits_exceed_costs=float(np.mean(society_s > society_c)),
        societal_npv_draws=society_npv,
    )

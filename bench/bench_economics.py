"""Benchmark: a 10 000-draw Monte Carlo on a 10-outcome scenario.

Times :func:`jamlik.economics.montecarlo.simulate` (numpy, all draws at once)
against a naive loop that evaluates one draw at a time with the plain-Python
model in :mod:`jamlik.economics.reference`. The naive loop runs on a subset of
the same draws (``--naive-draws``) and its time is scaled to the full number
of draws, since its cost is linear in the draws; the results of the two paths
are checked against each other on that subset.

Run: ``.venv/bin/python bench/bench_economics.py``
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from jamlik.economics import reference
from jamlik.economics.inputs import (
    PAYERS,
    CostLine,
    Distribution,
    Effect,
    EffectMeasure,
    Estimate,
    Intervention,
    Outcome,
    Payer,
    Scenario,
)
from jamlik.economics.model import compute_flows
from jamlik.economics.montecarlo import simulate
from jamlik.economics.parameters import draw, scenario_parameters

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Options  # noqa: E402 - beside this file


def ten_outcome_scenario(horizon: int = 30) -> Scenario:
    """A synthetic scenario with 10 outcomes, every input uncertain."""
    outcomes = []
    effects = []
    for k in range(10):
        outcomes.append(
            Outcome(
                key=f"o{k}",
                name=f"Outcome {k}",
                baseline_risk=Estimate(0.05 + 0.01 * k, 0.03 + 0.01 * k, 0.08 + 0.01 * k),
                unit_cost=Estimate(100_000 + 10_000 * k, 50_000, 300_000),
                price_year=2024,
                payer_shares={
                    Payer.KOMMUN: 0.3,
                    Payer.REGION: 0.2,
                    Payer.STAT: 0.4,
                    Payer.OTHER: 0.1,
                },
                duration_years=1 + k,
                lag_years=k % 4,
            )
        )
        measure = (
            EffectMeasure.LOGIT_EFFECT_SIZE if k % 2 else EffectMeasure.RELATIVE_RISK_REDUCTION
        )
        effects.append(
            Effect(
                f"o{k}",
                measure,
                Estimate(0.1, 0.0, 0.2, Distribution.NORMAL),
                Estimate(0.05, 0.0, 0.1),
            )
        )
    return Scenario(
        name="Benchmark",
        price_year=2024,
        horizon_years=horizon,
        discount_rate=Estimate(0.035, 0.01, 0.05),
        discount_rate_source="benchmark",
        outcomes=tuple(outcomes),
        interventions=(
            Intervention(
                name="Benchmark programme",
                participants_per_year=Estimate(500, 400, 600),
                ramp_up_years=3,
                delivery_years=10,
                costs=(
                    CostLine("Staff", Payer.KOMMUN, Estimate(2e6, 1.5e6, 3e6), 1, 10, 2024),
                    CostLine("Care", Payer.REGION, Estimate(5e5, 3e5, 8e5), 1, 10, 2024),
                ),
                effects=tuple(effects),
            ),
        ),
    )


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the benchmark; ``argv`` are command-line options (none when run by bench/run.py)."""
    parser = Options(__doc__)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--naive-draws", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.read(argv)
    scenario = ten_outcome_scenario()

    vector_times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        simulate(scenario, draws=args.draws, seed=1)
        vector_times.append(time.perf_counter() - start)
    vector = min(vector_times)

    params = scenario_parameters(scenario)
    values = draw(params, args.naive_draws, np.random.default_rng(1))
    rows = [{k: float(v[i]) for k, v in values.items()} for i in range(args.naive_draws)]
    start = time.perf_counter()
    naive_npv = [sum(reference.npv_by_payer(scenario, row).values()) for row in rows]
    naive_subset = time.perf_counter() - start
    naive = naive_subset * args.draws / args.naive_draws

    flows = compute_flows(scenario, values)
    vector_npv = (flows.pv_savings - flows.pv_costs).sum(axis=1)
    if not np.allclose(vector_npv, naive_npv, rtol=1e-9):
        raise SystemExit("vectorised and naive results differ")

    ratio = naive / vector
    print(
        f"scenario: 10 outcomes, {scenario.horizon_years}-year horizon, {len(params)} inputs, "
        f"{len(PAYERS)} payers"
    )
    print(
        f"vectorised Monte Carlo, {args.draws} draws: {vector * 1000:.1f} ms (best of {args.repeat})"
    )
    print(
        f"naive per-draw loop: {naive_subset:.2f} s for {args.naive_draws} draws "
        f"-> {naive:.1f} s scaled to {args.draws} draws"
    )
    print(f"speed-up (naive / vectorised): {ratio:.0f}x")
    return {"vectorised_s": vector, "naive_s": naive, "ratio": ratio}


if __name__ == "__main__":
    main(sys.argv[1:])

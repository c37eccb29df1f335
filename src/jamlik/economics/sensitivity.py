"""One-way sensitivity analysis (the tornado chart).

Each uncertain input is set to its low and then its high value while every
other input stays at its central value; the change in net present value shows
which inputs the conclusion hinges on (Briggs, Claxton & Sculpher, 2006,
*Decision Modelling for Health Economic Evaluation*, ch. 4). All 2P + 1 rows
are evaluated in one vectorised pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jamlik.economics.inputs import PAYERS, Payer, Scenario
from jamlik.economics.model import compute_flows
from jamlik.economics.parameters import central_values, scenario_parameters


@dataclass(frozen=True)
class TornadoBar:
    """NPV when one input is at its low and at its high value."""

    parameter_id: str
    label: str
    low_value: float
    high_value: float
    npv_at_low: float
    npv_at_high: float

    @property
    def swing(self) -> float:
        return abs(self.npv_at_high - self.npv_at_low)


@dataclass(frozen=True)
class Tornado:
    """Bars sorted from the widest swing; ``base_npv`` is the central result."""

    payer: Payer | None
    base_npv: float
    bars: tuple[TornadoBar, ...]


def tornado(scenario: Scenario, payer: Payer | None = None) -> Tornado:
    """NPV swings for every input that has a range (``payer=None``: all payers)."""
    params = [p for p in scenario_parameters(scenario) if p.estimate.is_uncertain]
    rows = 1 + 2 * len(params)
    values = central_values(scenario_parameters(scenario), rows)
    for i, p in enumerate(params):
        values[p.id] = values[p.id].copy()
        values[p.id][1 + 2 * i] = p.estimate.lo
        values[p.id][2 + 2 * i] = p.estimate.hi
    flows = compute_flows(scenario, values)
    npv_by_payer = flows.pv_savings - flows.pv_costs
    npv = npv_by_payer.sum(axis=1) if payer is None else npv_by_payer[:, PAYERS.index(payer)]
    bars = [
        TornadoBar(
            parameter_id=p.id,
            label=p.label,
            low_value=p.estimate.lo,
            high_value=p.estimate.hi,
            npv_at_low=float(npv[1 + 2 * i]),
            npv_at_high=float(npv[2 + 2 * i]),
        )
        for i, p in enumerate(params)
    ]
    bars.sort(key=lambda b: (-b.swing, b.parameter_id))
    return Tornado(payer=payer, base_npv=float(np.asarray(npv)[0]), bars=tuple(bars))

"""One-way sensitivity analysis (the tornado chart).

Each uncertain input is set to its low and then its high value while every
other input stays at its central value; the change in net present value shows
which inputs the conclusion hinges on (Briggs, Claxton & Sculpher, 2006,
*Decision Modelling for Health Economic Evaluation*, ch. 4). All 2P + 1 rows
are evaluated in one vectorised pass.

The all-payer tornado swings the societal net present value: with a public
funds factor, tax-financed flows weighted by it (so the factor gets a bar of
its own when it has a range); without one, the plain sum over payers. A single
payer's tornado is in plain kronor, as that payer's budget sees it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jamlik.economics.inputs import PAYERS, Payer, Scenario
from jamlik.economics.model import compute_flows
from jamlik.economics.parameters import PUBLIC_FUNDS_FACTOR, central_values, scenario_parameters


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
    """Bars sorted from the widest swing; ``base_npv`` is the central result.

    ``public_funds_factor_applied`` says whether the NPVs are weighted by the
    public funds factor (only for the all-payer view of a scenario that has one).
    """

    payer: Payer | None
    base_npv: float
    bars: tuple[TornadoBar, ...]
    public_funds_factor_applied: bool = False


def tornado(scenario: Scenario, payer: Payer | None = None) -> Tornado:
    """NPV swings for every input that has a range.

    ``payer=None``: the societal NPV of all payers (with the public funds factor
    when the scenario applies one); otherwise that payer's NPV in plain kronor.
    """
    params = [
        p
        for p in scenario_parameters(scenario)
        if p.estimate.is_uncertain and (payer is None or p.id != PUBLIC_FUNDS_FACTOR)
    ]
    rows = 1 + 2 * len(params)
    values = central_values(scenario_parameters(scenario), rows)
    for i, p in enumerate(params):
        values[p.id] = values[p.id].copy()
        values[p.id][1 + 2 * i] = p.estimate.lo
        values[p.id][2 + 2 * i] = p.estimate.hi
    flows = compute_flows(scenario, values)
    if payer is None:
        npv = flows.societal_pv_savings - flows.societal_pv_costs
    else:
        index = PAYERS.index(payer)
        npv = flows.pv_savings[:, index] - flows.pv_costs[:, index]
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
    return Tornado(
        payer=payer,
        base_npv=float(np.asarray(npv)[0]),
        bars=tuple(bars),
        public_funds_factor_applied=payer is None and scenario.public_funds_factor is not None,
    )

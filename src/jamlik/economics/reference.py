"""A plain, loop-by-loop implementation of the same model for one draw.

It restates the method of :mod:`jamlik.economics.model` with scalar Python
arithmetic and no numpy, year by year and cohort by cohort. Tests compare the
vectorised engine against it, and the benchmark times it as the naive
baseline.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping

from jamlik.economics.inputs import PAYERS, EffectMeasure, Payer, Scenario
from jamlik.economics.model import COX_SCALE


def _discounted_flows(
    scenario: Scenario, values: Mapping[str, float]
) -> Iterator[tuple[Payer, float]]:
    """Every discounted flow as (payer, amount): savings positive, costs negative.

    Each intervention avoids cases among its own participants; the cases of
    different interventions add (see :class:`jamlik.economics.inputs.Scenario`).
    """
    horizon = scenario.horizon_years
    rate = values["discount_rate"]
    for year in range(1, horizon + 1):
        factor = (1.0 + rate) ** -(year - 1)
        for outcome in scenario.outcomes:
            p = values[f"outcome:{outcome.key}:baseline_risk"]
            unit = values[f"outcome:{outcome.key}:unit_cost"] * scenario.price_factor(
                outcome.price_year
            )
            for i, intervention in enumerate(scenario.interventions):
                effects = {e.outcome_key: e for e in intervention.effects}
                effect = effects.get(outcome.key)
                if effect is None:
                    continue
                size = values[f"intervention:{i}:effect:{outcome.key}:size"]
                if effect.measure is EffectMeasure.RELATIVE_RISK_REDUCTION:
                    avoided = p * size
                else:
                    odds = math.exp(-COX_SCALE * size)
                    avoided = p - p * odds / (1.0 - p + p * odds)
                decay = values[f"intervention:{i}:effect:{outcome.key}:decay"]
                cases = 0.0
                for cohort in range(1, intervention.delivery_years + 1):
                    spell_year = year - cohort - outcome.lag_years
                    if 0 <= spell_year < outcome.duration_years:
                        reach = min(1.0, cohort / intervention.ramp_up_years)
                        participants = values[f"intervention:{i}:participants"] * reach
                        cases += participants * avoided * (1.0 - decay) ** spell_year
                for payer, share in outcome.payer_shares.items():
                    yield payer, share * cases * unit * factor
        for i, intervention in enumerate(scenario.interventions):
            for index, line in enumerate(intervention.costs):
                if line.first_year <= year <= line.last_year:
                    amount = values[f"intervention:{i}:cost:{index}:amount"]
                    yield line.payer, -amount * scenario.price_factor(line.price_year) * factor
        for index, line in enumerate(scenario.programme_costs):
            if line.first_year <= year <= line.last_year:
                amount = values[f"programme:cost:{index}:amount"]
                yield line.payer, -amount * scenario.price_factor(line.price_year) * factor


def npv_by_payer(scenario: Scenario, values: Mapping[str, float]) -> dict[Payer, float]:
    """Net present value per payer for one set of parameter values (plain kronor)."""
    result = dict.fromkeys(PAYERS, 0.0)
    for payer, amount in _discounted_flows(scenario, values):
        result[payer] += amount
    return result


def societal_npv(scenario: Scenario, values: Mapping[str, float]) -> float:
    """Net present value for society: each flow of kommun, region or stat times the
    public funds factor, the individual's and others' flows once (no factor: all once)."""
    tax_financed = (Payer.KOMMUN, Payer.REGION, Payer.STAT)
    applied = scenario.public_funds_factor is not None
    total = 0.0
    for payer, amount in _discounted_flows(scenario, values):
        if applied and payer in tax_financed:
            total += values["public_funds_factor"] * amount
        else:
            total += amount
    return total

"""Small scenario builders for the economics tests."""

from __future__ import annotations

from jamlik.economics.inputs import (
    CostLine,
    Effect,
    EffectMeasure,
    Estimate,
    Intervention,
    Outcome,
    Payer,
    Scenario,
)


def one_outcome_scenario(
    *,
    participants: float = 100.0,
    risk: float = 0.1,
    rrr: float = 0.5,
    unit_cost: float = 1000.0,
    shares: dict[Payer, float] | None = None,
    duration: int = 1,
    lag: int = 0,
    decay: float = 0.0,
    ramp: int = 1,
    delivery: int = 5,
    horizon: int = 5,
    rate: float = 0.0,
    cost: float = 0.0,
    measure: EffectMeasure = EffectMeasure.RELATIVE_RISK_REDUCTION,
) -> Scenario:
    outcome = Outcome(
        key="x",
        name="Outcome X",
        baseline_risk=Estimate(risk),
        unit_cost=Estimate(unit_cost),
        price_year=2024,
        payer_shares=shares or {Payer.KOMMUN: 1.0},
        duration_years=duration,
        lag_years=lag,
    )
    costs = (CostLine("Programme", Payer.KOMMUN, Estimate(cost), 1, horizon, 2024),) if cost else ()
    return Scenario(
        name="Test",
        price_year=2024,
        horizon_years=horizon,
        discount_rate=Estimate(rate),
        discount_rate_source="test",
        outcomes=(outcome,),
        intervention=Intervention(
            name="Programme",
            participants_per_year=Estimate(participants),
            ramp_up_years=ramp,
            delivery_years=delivery,
            costs=costs,
            effects=(Effect("x", measure, Estimate(rrr), Estimate(decay)),),
        ),
    )

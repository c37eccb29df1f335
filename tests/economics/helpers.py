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
        interventions=(
            Intervention(
                name="Programme",
                participants_per_year=Estimate(participants),
                ramp_up_years=ramp,
                delivery_years=delivery,
                costs=costs,
                effects=(Effect("x", measure, Estimate(rrr), Estimate(decay)),),
            ),
        ),
    )


def two_interventions_scenario() -> Scenario:
    """Two interventions on shared and own outcomes, with programme costs and price years."""
    from jamlik.economics.inputs import Distribution, ProgrammeCostKind
    from jamlik.economics.price_index import PriceIndex

    outcomes = (
        Outcome(
            "crime",
            "Crime",
            Estimate(0.08, 0.05, 0.12),
            Estimate(200_000, 150_000, 260_000),
            2022,
            {Payer.KOMMUN: 0.3, Payer.STAT: 0.5, Payer.OTHER: 0.2},
            duration_years=3,
            lag_years=2,
            source="made up for a test",
        ),
        Outcome(
            "dropout",
            "School dropout",
            Estimate(0.15, 0.1, 0.2),
            Estimate(120_000, 90_000, 150_000),
            2024,
            {Payer.KOMMUN: 0.6, Payer.REGION: 0.4},
            duration_years=5,
            lag_years=1,
            source="made up for a test",
        ),
    )
    parenting = Intervention(
        name="Parenting programme",
        participants_per_year=Estimate(60, 40, 80),
        ramp_up_years=2,
        delivery_years=6,
        costs=(
            CostLine(
                "Group leaders", Payer.KOMMUN, Estimate(400_000, 300_000, 500_000), 1, 6, 2024
            ),
        ),
        effects=(
            Effect(
                "crime",
                EffectMeasure.LOGIT_EFFECT_SIZE,
                Estimate(0.2, 0.05, 0.35, Distribution.NORMAL),
                Estimate(0.05, 0.0, 0.1),
            ),
            Effect("dropout", EffectMeasure.RELATIVE_RISK_REDUCTION, Estimate(0.1, 0.0, 0.2)),
        ),
    )
    mentoring = Intervention(
        name="School mentoring",
        participants_per_year=Estimate(120, 100, 150),
        ramp_up_years=1,
        delivery_years=8,
        costs=(
            CostLine("Mentors", Payer.KOMMUN, Estimate(900_000, 700_000, 1_100_000), 1, 8, 2022),
            CostLine("Health check", Payer.REGION, Estimate(50_000), 2, 3, 2024),
        ),
        effects=(
            Effect("crime", EffectMeasure.RELATIVE_RISK_REDUCTION, Estimate(0.12, 0.05, 0.2)),
        ),
    )
    return Scenario(
        name="Two interventions",
        price_year=2024,
        horizon_years=12,
        discount_rate=Estimate(0.035, 0.01, 0.05),
        discount_rate_source="test",
        outcomes=outcomes,
        interventions=(parenting, mentoring),
        programme_costs=(
            CostLine(
                "Coordinator",
                Payer.KOMMUN,
                Estimate(600_000, 500_000, 700_000),
                1,
                8,
                2024,
                ProgrammeCostKind.STRUCTURE,
            ),
            CostLine(
                "Follow-up survey",
                Payer.REGION,
                Estimate(100_000),
                2,
                12,
                2022,
                ProgrammeCostKind.SYSTEMATIC,
            ),
        ),
        price_index=PriceIndex("Test KPI", "made up for a test", {2022: 100.0, 2024: 112.0}),
    )

"""Example scenarios, labelled as illustrations.

Display texts are in Swedish, the platform's default language; they are data.

``norrtalje_example`` follows the structure of Uppsala University's analysis
for Länsstyrelsen Stockholm (rapport 2020:23, "Är samverkan för bättre
folkhälsa lönsamt?"): reduced drug use among young people, valued by who pays.
Only the published yearly savings are real: about 1.4 MSEK for the kommun and
4.2 MSEK for region and state. Every other input (reach, risk, effect, unit
cost, payer split between region and state, costs, rate) is invented so that
the steady-state savings reproduce those two figures.

``botkyrka_example`` is wholly invented; it mirrors the kind of question asked
about violence prevention and school completion in Botkyrka.
"""

from __future__ import annotations

from jamlik.economics.inputs import (
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

#: Published yearly savings for Norrtälje (Länsstyrelsen Stockholm 2020:23, via its
#: press release of 2021-02-16): kommun, and region + state together.
NORRTALJE_PUBLISHED_KOMMUN_SEK = 1_400_000
NORRTALJE_PUBLISHED_REGION_STATE_SEK = 4_200_000

INVENTED = "Påhittat för illustration"


def norrtalje_example() -> Scenario:
    """Reduced drug use among young people, Norrtälje-shaped (inputs invented)."""
    drug_use = Outcome(
        key="drug_use",
        name="Narkotikabruk bland unga",
        baseline_risk=Estimate(0.05, 0.03, 0.07),
        # 800 participants * 5 % * 20 % = 8 avoided cases a year, each lasting 2 years
        # -> 16 case-years * 350 000 SEK = 5.6 MSEK a year at steady state.
        unit_cost=Estimate(350_000, 250_000, 500_000),
        price_year=2020,
        payer_shares={Payer.KOMMUN: 0.25, Payer.REGION: 0.30, Payer.STAT: 0.45},
        duration_years=2,
        lag_years=1,
        source=f"{INVENTED}; kalibrerat mot de publicerade 1,4 + 4,2 mnkr per år",
    )
    intervention = Intervention(
        name="Sektorsövergripande ANDT-förebyggande arbete för unga",
        participants_per_year=Estimate(800, 600, 1_000),
        ramp_up_years=2,
        delivery_years=10,
        costs=(
            CostLine(
                "Preventionssamordnare och skolprogram",
                Payer.KOMMUN,
                Estimate(1_200_000, 1_000_000, 1_500_000),
                1,
                10,
                2020,
            ),
            CostLine(
                "Uppstart och utbildning",
                Payer.KOMMUN,
                Estimate(500_000, 400_000, 700_000),
                1,
                1,
                2020,
            ),
            CostLine(
                "Ungdomsmottagningens tid",
                Payer.REGION,
                Estimate(400_000, 300_000, 600_000),
                1,
                10,
                2020,
            ),
        ),
        effects=(
            Effect(
                "drug_use",
                EffectMeasure.RELATIVE_RISK_REDUCTION,
                Estimate(0.20, 0.05, 0.35, Distribution.NORMAL),
                Estimate(0.0, 0.0, 0.2),
                source=INVENTED,
            ),
        ),
    )
    return Scenario(
        name="Norrtälje: minskat narkotikabruk bland unga (illustration)",
        price_year=2020,
        horizon_years=10,
        discount_rate=Estimate(0.035, 0.01, 0.05),
        discount_rate_source=f"{INVENTED}: vald av exemplets författare, ingen rekommendation",
        outcomes=(drug_use,),
        interventions=(intervention,),
        illustrative=True,
        notes=(
            "Strukturen följer Länsstyrelsen Stockholms rapport 2020:23 (Uppsala universitet). "
            "Bara de årliga besparingarna 1,4 mnkr (kommunen) och 4,2 mnkr (region och stat) är "
            "publicerade siffror; alla andra indata är påhittade för illustration."
        ),
    )


def botkyrka_example() -> Scenario:
    """Violence prevention and school completion (every input invented)."""
    no_diploma = Outcome(
        key="no_diploma",
        name="Lämnar gymnasiet utan examen",
        baseline_risk=Estimate(0.25, 0.20, 0.30),
        unit_cost=Estimate(150_000, 100_000, 220_000),
        price_year=2020,
        payer_shares={Payer.KOMMUN: 0.35, Payer.REGION: 0.10, Payer.STAT: 0.45, Payer.OTHER: 0.10},
        duration_years=20,
        lag_years=3,
        source=INVENTED,
    )
    violence = Outcome(
        key="youth_violence",
        name="Våldsbrott bland unga",
        baseline_risk=Estimate(0.04, 0.02, 0.06),
        unit_cost=Estimate(150_000, 100_000, 225_000),
        price_year=2020,
        payer_shares={Payer.KOMMUN: 0.20, Payer.REGION: 0.20, Payer.STAT: 0.40, Payer.OTHER: 0.20},
        duration_years=1,
        lag_years=1,
        source=INVENTED,
    )
    intervention = Intervention(
        name="Våldsförebyggande arbete i skolan med föräldrastöd",
        participants_per_year=Estimate(1_100, 900, 1_300),
        ramp_up_years=3,
        delivery_years=10,
        costs=(
            CostLine(
                "Personal och utbildning för skolprogrammet",
                Payer.KOMMUN,
                Estimate(1_500_000, 1_200_000, 2_000_000),
                1,
                10,
                2020,
            ),
            CostLine(
                "Föräldrastödsgrupper",
                Payer.KOMMUN,
                Estimate(600_000, 400_000, 800_000),
                1,
                10,
                2020,
            ),
        ),
        effects=(
            Effect(
                "no_diploma",
                EffectMeasure.RELATIVE_RISK_REDUCTION,
                Estimate(0.04, -0.02, 0.10, Distribution.NORMAL),
                Estimate(0.02, 0.0, 0.05),
                source=INVENTED,
            ),
            Effect(
                "youth_violence",
                EffectMeasure.LOGIT_EFFECT_SIZE,
                Estimate(0.15, 0.0, 0.30, Distribution.NORMAL),
                source=INVENTED,
            ),
        ),
    )
    return Scenario(
        name="Botkyrka: våldsprevention och fullföljd skolgång (illustration)",
        price_year=2020,
        horizon_years=40,
        discount_rate=Estimate(0.035, 0.01, 0.05),
        discount_rate_source=f"{INVENTED}: vald av exemplets författare, ingen rekommendation",
        outcomes=(no_diploma, violence),
        interventions=(intervention,),
        illustrative=True,
        notes="Alla indata är påhittade för illustration.",
    )

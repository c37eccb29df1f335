"""The library's standard benefit-cost summary per intervention, WSIPP-style.

For each library entry this runs Jämlik's own benefit-cost engine
(:mod:`jamlik.economics.model` and :mod:`jamlik.economics.montecarlo`) on one fixed,
stated case, so that interventions can be compared on equal terms (as WSIPP's
"Benefit-Cost Summary Statistics Per Participant" do; Aos et al., WSIPP Benefit-Cost
Technical Documentation):

* **Standard cohort**: :data:`COHORT` participants, all in one year (year 1), no ramp-up.
* **Costs**: the entry's published cost per participant, times the cohort, paid in year 1
  by the payer the source names.
* **Effects**: the entry's adjusted effect sizes, drawn in the Monte Carlo from a normal
  distribution with the published standard error (central ± 1.96 SE as the 95 % range).
* **Values**: the Swedish unit costs of the outcome (``unit_costs.csv``), per case-year,
  split between payers by the outcome's shares; a case starts ``lag_years`` after
  participation and lasts ``duration_years``.
* **Baseline risk**: only a published Swedish prevalence named in the outcome definition.
* **Prices**: every amount is converted to the last year of SCB's KPI (1980=100,
  annual averages) with the ratio of index levels.
* **Discounting**: :data:`DISCOUNT_RATE` (3.5 % real, as the scenario editor's default,
  after ASEK), no range.
* **Monte Carlo**: :data:`DRAWS` seeded draws (:func:`jamlik.economics.montecarlo.simulate`);
  the probability of a positive NPV is the share of draws in which benefits exceed costs.

Where any input is missing (no cost, no effect, an outcome without a sourced unit cost or
without a published baseline risk, a price year outside the index), the summary lists what
is missing and computes nothing: no ratio is shown rather than one resting on a guess.
The computation is pure and cached on the entry and its outcome definitions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jamlik.economics.inputs import PAYERS
from jamlik.economics.model import evaluate
from jamlik.economics.montecarlo import DEFAULT_SEED, simulate
from jamlik.economics.price_index import PriceIndex, scb_kpi
from jamlik.economics.serialization import scenario_from_dict
from jamlik.economics.unit_costs import UnitCost, unit_costs
from jamlik.prevention.evidence import (
    EvidenceEntry,
    EvidenceLibrary,
    OutcomeDefinition,
    library,
)

#: Participants in the standard cohort (all in year 1).
COHORT = 100
#: Real discount rate of the standard summary (the editor's default, ASEK 3.5 %).
DISCOUNT_RATE = 0.035
DISCOUNT_SOURCE = "Jämlik standard: 3,5 % real (ASEK, Trafikverket)"
#: Monte Carlo draws of the standard summary.
DRAWS = 5_000
#: A normal estimate's 95 % range is central ± Z95 × SE.
Z95 = 1.96


@dataclass(frozen=True)
class Missing:
    """One input the summary needs and the library lacks.

    ``kind`` is ``"cost"``, ``"effects"``, ``"unit_cost"``, ``"baseline_risk"`` or
    ``"price_year"``; ``outcome_key`` names the outcome where it concerns one, and
    ``year`` the price year the index does not cover.
    """

    kind: str
    outcome_key: str = ""
    year: int | None = None


@dataclass(frozen=True)
class BenefitCostSummary:
    """The standard summary of one entry; money in SEK at ``price_year``, discounted.

    ``missing`` is empty exactly when the figures are computed; otherwise every money
    field and probability is ``None``.
    """

    intervention_key: str
    missing: tuple[Missing, ...]
    cohort: int
    discount_rate: float
    price_year: int
    horizon_years: int
    draws: int
    benefits_by_payer: Mapping[str, float] | None = None
    pv_benefits: float | None = None
    pv_costs: float | None = None
    npv: float | None = None
    benefit_cost_ratio: float | None = None
    probability_positive_npv: float | None = None
    npv_p05: float | None = None
    npv_p95: float | None = None

    @property
    def complete(self) -> bool:
        return not self.missing


def _case_year_value(
    outcome: OutcomeDefinition,
    rows: Mapping[str, UnitCost],
    index: PriceIndex,
    price_year: int,
) -> tuple[float | None, list[Missing]]:
    """Sum of the outcome's unit costs per case-year, in ``price_year`` prices."""
    if not outcome.unit_cost_keys:
        return None, [Missing("unit_cost", outcome.key)]
    total = 0.0
    missing: list[Missing] = []
    for key in outcome.unit_cost_keys:
        row = rows.get(key)
        per_year = row.per_case_year if row is not None else None
        if row is None or per_year is None:
            missing.append(Missing("unit_cost", outcome.key))
            continue
        if row.price_year not in index.values:
            missing.append(Missing("price_year", outcome.key, row.price_year))
            continue
        total += per_year * index.factor(row.price_year, price_year)
    return (None, missing) if missing else (total, [])


def scenario_dict(
    entry: EvidenceEntry,
    outcomes: tuple[OutcomeDefinition, ...],
    rows: Mapping[str, UnitCost],
    index: PriceIndex,
) -> tuple[dict[str, Any] | None, tuple[Missing, ...], int]:
    """The standard scenario in the engine's single-intervention dictionary form.

    Returns the dictionary (``None`` when inputs are missing), what is missing, and the
    horizon in years.
    """
    price_year = max(index.values)
    by_key = {o.key: o for o in outcomes}
    missing: list[Missing] = []
    if entry.cost is None:
        missing.append(Missing("cost"))
    elif entry.cost.price_year not in index.values:
        missing.append(Missing("price_year", "", entry.cost.price_year))
    if not entry.effects:
        missing.append(Missing("effects"))
    outcome_dicts: list[dict[str, Any]] = []
    horizon = 1
    for outcome_key in dict.fromkeys(e.outcome_key for e in entry.effects):
        outcome = by_key[outcome_key]
        value, lacking = _case_year_value(outcome, rows, index, price_year)
        missing.extend(lacking)
        if outcome.baseline_risk is None:
            missing.append(Missing("baseline_risk", outcome.key))
        horizon = max(horizon, outcome.lag_years + outcome.duration_years)
        if value is None or outcome.baseline_risk is None:
            continue
        outcome_dicts.append(
            {
                "key": outcome.key,
                "name": outcome.name_sv,
                "baseline_risk": outcome.baseline_risk,
                "unit_cost": value,
                "price_year": price_year,
                "payer_shares": dict(outcome.payer_shares),
                "duration_years": outcome.duration_years,
                "lag_years": outcome.lag_years,
                "source": outcome.baseline_source,
            }
        )
    if missing or entry.cost is None:
        return None, tuple(dict.fromkeys(missing)), horizon
    cost = entry.cost
    amount = cost.per_participant_sek * COHORT * index.factor(cost.price_year, price_year)
    data = {
        "name": f"Standardkohort: {entry.intervention_key}",
        "price_year": price_year,
        "horizon_years": horizon,
        "discount_rate": DISCOUNT_RATE,
        "discount_rate_source": DISCOUNT_SOURCE,
        "outcomes": outcome_dicts,
        "intervention": {
            "name": entry.intervention_key,
            "participants_per_year": COHORT,
            "ramp_up_years": 1,
            "delivery_years": 1,
            "costs": [
                {
                    "label": "Kostnad per deltagare × kohort",
                    "payer": cost.payer,
                    "amount_per_year": amount,
                    "first_year": 1,
                    "last_year": 1,
                    "price_year": price_year,
                }
            ],
            "effects": [
                {
                    "outcome_key": e.outcome_key,
                    "measure": e.measure,
                    "size": {
                        "central": e.adjusted_es,
                        "low": e.adjusted_es - Z95 * e.se,
                        "high": e.adjusted_es + Z95 * e.se,
                        "distribution": "normal",
                    },
                    "source": e.source,
                }
                for e in entry.effects
            ],
        },
    }
    return data, (), horizon


@lru_cache(maxsize=256)
def _summary(
    entry: EvidenceEntry,
    outcomes: tuple[OutcomeDefinition, ...],
    rows: tuple[UnitCost, ...],
) -> BenefitCostSummary:
    index = scb_kpi()
    price_year = max(index.values)
    data, missing, horizon = scenario_dict(entry, outcomes, {r.key: r for r in rows}, index)
    base = {
        "intervention_key": entry.intervention_key,
        "cohort": COHORT,
        "discount_rate": DISCOUNT_RATE,
        "price_year": price_year,
        "horizon_years": horizon,
        "draws": DRAWS,
    }
    if data is None:
        return BenefitCostSummary(missing=missing, **base)
    scenario = scenario_from_dict(data)
    result = evaluate(scenario)
    mc = simulate(scenario, draws=DRAWS, seed=DEFAULT_SEED)
    return BenefitCostSummary(
        missing=(),
        benefits_by_payer={p.value: result.by_payer[p].pv_savings for p in PAYERS},
        pv_benefits=result.pv_savings,
        pv_costs=result.pv_costs,
        npv=result.npv,
        benefit_cost_ratio=result.benefit_cost_ratio,
        probability_positive_npv=mc.probability_benefits_exceed_costs,
        npv_p05=mc.npv.p05,
        npv_p95=mc.npv.p95,
        **base,
    )


def summary_for(
    entry: EvidenceEntry,
    lib: EvidenceLibrary | None = None,
    rows: tuple[UnitCost, ...] | None = None,
) -> BenefitCostSummary:
    """The standard summary of ``entry`` (cached; pure in the entry, outcomes and costs)."""
    lib = lib if lib is not None else library()
    keys = dict.fromkeys(e.outcome_key for e in entry.effects)
    outcomes = tuple(lib.outcomes[k] for k in keys)
    return _summary(entry, outcomes, rows if rows is not None else unit_costs())


@dataclass(frozen=True)
class LeagueRow:
    """One line of the league table: an entry, its summary and its best rating."""

    entry: EvidenceEntry
    summary: BenefitCostSummary


def league(
    lib: EvidenceLibrary | None = None, rows: tuple[UnitCost, ...] | None = None
) -> list[LeagueRow]:
    """Every entry with its summary; complete summaries first, by descending ratio."""
    lib = lib if lib is not None else library()
    out = [LeagueRow(e, summary_for(e, lib, rows)) for e in lib.entries.values()]

    def order(row: LeagueRow) -> tuple[int, float, str]:
        ratio = row.summary.benefit_cost_ratio
        return (0 if ratio is not None else 1, -(ratio or 0.0), row.entry.intervention_key)

    return sorted(out, key=order)

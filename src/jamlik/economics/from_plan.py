"""A benefit-cost scenario made in one step from a prevention plan's chosen interventions.

The plan says *what* the kommun will do (``prevention.PlanIntervention``: a registry
intervention or a local one, with participants per year); the evidence library
(:mod:`jamlik.prevention.evidence`) says what is published about each registry
intervention: its effects on keyed outcomes (an adjusted effect size with its standard
error), what it costs per participant, and per outcome which rows of the unit-cost table
(:mod:`jamlik.economics.unit_costs`) value one case-year, how long a case lasts and who
pays. This module turns the two into the scenario dictionary of :mod:`serialization`.

Rules (the page shows each so nothing is taken on trust or lost without a word):

* One intervention per chosen *registry* intervention with at least one published effect
  on a valued outcome. Local interventions and registry interventions without a
  published effect size are listed as not costed, never dropped silently; so are effects
  on an outcome without a per-case-year unit cost.
* An effect is drawn from a normal distribution with a 95 % interval es ± 1.96·se (the
  library's adjusted effect size and standard error, as in WSIPP's Monte Carlo; Aos et
  al., WSIPP Benefit-Cost Technical Documentation). A relative risk reduction cannot
  exceed 1, so its upper limit is capped there.
* The cost line is the library's cost per participant times the participants per year,
  paid by the library's payer, in the library's price year (the scenario carries SCB's
  KPI to convert it). It follows the central number of participants.
* An outcome's unit cost is the sum of its unit-cost rows' per-case-year amounts, each
  converted to the scenario's price year with the price index (I(to)/I(from)).
* **Baseline risks are never guessed**: the user enters each outcome's baseline risk for
  the kommun's target group. A published Swedish prevalence in the library is shown as a
  hint with its source, not filled in.

The functions here are pure; :mod:`jamlik.economics.views` fetches the rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jamlik.economics.inputs import EffectMeasure, Estimate, Payer
from jamlik.economics.price_index import PriceIndex
from jamlik.economics.serialization import estimate_to_dict
from jamlik.economics.unit_costs import UnitCost
from jamlik.frameworks.types import is_english
from jamlik.prevention.evidence import EffectEstimate, EvidenceLibrary, OutcomeDefinition

#: Two-sided 95 % normal quantile used for es ± 1.96·se.
Z95 = 1.96

#: The discount rate the page starts from, with its source (the user may change both).
DEFAULT_DISCOUNT_RATE = 0.035
DEFAULT_DISCOUNT_RATE_SOURCE = (
    "Trafikverket, ASEK 7.0 (Analysmetod och samhällsekonomiska kalkylvärden för "
    "transportsektorn), kap. 5: real kalkylränta 3,5 procent"
)


@dataclass(frozen=True)
class ChosenIntervention:
    """A plan's chosen intervention as plain data (from ``PlanIntervention``)."""

    id: int
    intervention_key: str
    local_name: str
    participants_per_year: int | None
    registry_name: str = ""

    @property
    def name(self) -> str:
        return self.registry_name or self.local_name or self.intervention_key


@dataclass(frozen=True)
class OutcomePrefill:
    """What the library and the unit-cost table give for one outcome.

    ``unit_cost`` is ``None`` when no per-case-year amount can be computed (no unit-cost
    rows, or a row whose period is not stated); ``problem`` then says why.
    """

    key: str
    name_sv: str
    name_en: str
    unit_cost: float | None
    unit_cost_sources: tuple[str, ...]
    duration_years: int
    lag_years: int
    payer_shares: Mapping[str, float]
    published_baseline: float | None
    baseline_source: str
    note: str
    problem: str = ""

    def name(self, lang: str) -> str:
        return self.name_en if is_english(lang) else self.name_sv


@dataclass(frozen=True)
class CostedIntervention:
    """A chosen registry intervention with published effects on valued outcomes."""

    chosen: ChosenIntervention
    effects: tuple[EffectEstimate, ...]
    cost_per_participant: float | None
    cost_price_year: int | None
    cost_payer: str
    cost_source: str


@dataclass(frozen=True)
class NotCosted:
    """A chosen intervention (or one of its effects) left out, and why.

    ``reason`` is one of :data:`REASONS` (the page words it in the reader's language);
    ``detail`` is the library's own note (``missing``) or the source, when there is one.
    """

    name: str
    reason: str
    plan_intervention: int | None = None
    detail: str = ""

    @property
    def text(self) -> str:
        """The reason in English, with its detail."""
        words = REASONS[self.reason]
        return f"{words} ({self.detail})" if self.detail else words


@dataclass(frozen=True)
class PlanDraft:
    """Everything prefilled from a plan, before the user adds the baseline risks."""

    price_year: int
    interventions: tuple[CostedIntervention, ...]
    outcomes: tuple[OutcomePrefill, ...]
    not_costed: tuple[NotCosted, ...]

    def needs_participants(self) -> list[CostedIntervention]:
        return [c for c in self.interventions if c.chosen.participants_per_year is None]


LOCAL = "local"
NO_EFFECT = "no_effect"
UNDEFINED_OUTCOME = "undefined_outcome"
FURTHER_EFFECT = "further_effect"
NOT_VALUED = "not_valued"

#: Why something is not costed, in English (the page translates by code).
REASONS = {
    LOCAL: "local intervention: not in the registry, no published effect size",
    NO_EFFECT: "no published effect size",
    UNDEFINED_OUTCOME: "outcome not defined in the evidence library",
    FURTHER_EFFECT: "a further published effect on the same outcome; the first is used",
    NOT_VALUED: "no unit cost entered for the outcome: its effect is not counted",
}


def outcome_prefill(
    definition: OutcomeDefinition,
    costs: Mapping[str, UnitCost],
    index: PriceIndex,
    price_year: int,
) -> OutcomePrefill:
    """The outcome's unit cost in ``price_year`` prices: the sum of its unit-cost rows'
    per-case-year amounts, each re-priced with ``index``."""
    total = 0.0
    sources: list[str] = []
    problem = ""
    for key in definition.unit_cost_keys:
        row = costs.get(key)
        if row is None:
            problem = f"unit-cost row '{key}' is not in the table"
            break
        per_year = row.per_case_year
        if per_year is None:
            problem = f"unit-cost row '{key}' states no period, so it has no yearly value"
            break
        total += per_year * index.factor(row.price_year, price_year, name=f"unit cost '{key}'")
        sources.append(f"{row.description_en} ({row.source}, {row.price_year})")
    if not definition.unit_cost_keys:
        problem = definition.note or "no sourced Swedish unit cost"
    return OutcomePrefill(
        key=definition.key,
        name_sv=definition.name_sv,
        name_en=definition.name_en,
        unit_cost=None if problem else total,
        unit_cost_sources=tuple(sources),
        duration_years=definition.duration_years,
        lag_years=definition.lag_years,
        payer_shares=dict(definition.payer_shares),
        published_baseline=definition.baseline_risk,
        baseline_source=definition.baseline_source,
        note=definition.note,
        problem=problem,
    )


def draft_from_plan(
    chosen: Sequence[ChosenIntervention],
    library: EvidenceLibrary,
    costs: Mapping[str, UnitCost],
    index: PriceIndex,
    price_year: int,
) -> PlanDraft:
    """Which chosen interventions can be costed, with what, and which cannot (and why).

    Outcomes whose unit cost the table cannot give are kept with ``unit_cost=None``:
    the page asks the user for one (with its source), and :func:`scenario_inputs`
    leaves out, in words, the effects on outcomes still without one.
    """
    outcomes: dict[str, OutcomePrefill] = {}
    costed: list[CostedIntervention] = []
    left_out: list[NotCosted] = []
    for item in chosen:
        if not item.intervention_key:
            left_out.append(NotCosted(item.name, LOCAL, item.id))
            continue
        entry = library.entries.get(item.intervention_key)
        if entry is None or not entry.effects:
            detail = entry.missing if entry is not None else ""
            left_out.append(NotCosted(item.name, NO_EFFECT, item.id, detail))
            continue
        usable: list[EffectEstimate] = []
        for effect in entry.effects:
            definition = library.outcomes.get(effect.outcome_key)
            if definition is None:
                name = f"{item.name}: {effect.outcome_key}"
                left_out.append(NotCosted(name, UNDEFINED_OUTCOME, item.id))
                continue
            if any(u.outcome_key == effect.outcome_key for u in usable):
                # One effect per outcome and intervention: the first listed is used.
                name = f"{item.name}: {definition.name_en}"
                left_out.append(NotCosted(name, FURTHER_EFFECT, item.id, effect.source))
                continue
            if definition.key not in outcomes:
                outcomes[definition.key] = outcome_prefill(definition, costs, index, price_year)
            usable.append(effect)
        if not usable:
            left_out.append(NotCosted(item.name, NO_EFFECT, item.id, entry.missing))
            continue
        cost = entry.cost
        costed.append(
            CostedIntervention(
                chosen=item,
                effects=tuple(usable),
                cost_per_participant=cost.per_participant_sek if cost else None,
                cost_price_year=cost.price_year if cost else None,
                cost_payer=cost.payer if cost else "",
                cost_source=cost.source if cost else "",
            )
        )
    return PlanDraft(price_year, tuple(costed), tuple(outcomes.values()), tuple(left_out))


def effect_estimate(effect: EffectEstimate) -> dict[str, Any]:
    """The library's effect as a normal estimate es ± 1.96·se (an RRR capped at 1)."""
    es, half = effect.adjusted_es, Z95 * effect.se
    high = es + half
    if effect.measure == EffectMeasure.RELATIVE_RISK_REDUCTION.value:
        high = min(high, 1.0)
    return {"central": es, "low": es - half, "high": high, "distribution": "normal"}


def _unique_names(draft: PlanDraft) -> list[str]:
    """Intervention names made unique (a plan may choose one programme twice)."""
    seen: dict[str, int] = {}
    names = []
    for c in draft.interventions:
        base = c.chosen.name
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base} ({seen[base]})")
    return names


def scenario_inputs(
    draft: PlanDraft,
    *,
    name: str,
    lang: str,
    horizon_years: int,
    delivery_years: int,
    discount_rate: float,
    discount_rate_source: str,
    baseline_risks: Mapping[str, float],
    participants: Mapping[int, float],
    index: PriceIndex,
    programme_costs: Sequence[Mapping[str, Any]] = (),
    notes: str = "",
    unit_costs: Mapping[str, tuple[float, str]] | None = None,
) -> dict[str, Any]:
    """The scenario dictionary (see :mod:`serialization`) from a draft and the user's
    answers: ``baseline_risks`` per outcome key (shares 0..1), ``participants`` per
    plan-intervention id for those the plan gives none, the horizon, the years of
    delivery and the discount rate. ``unit_costs`` gives the user's (amount, source) for
    outcomes the table cannot value; effects on outcomes with neither are left out and
    listed in the notes, as is everything in ``draft.not_costed`` (nothing is lost
    without a word). Raises ``KeyError`` naming a missing answer."""
    entered = unit_costs or {}
    outcomes = []
    for o in draft.outcomes:
        if o.unit_cost is not None:
            amount, source = o.unit_cost, "; ".join(o.unit_cost_sources)
        elif o.key in entered:
            amount, source = entered[o.key]
        else:
            continue
        risk = baseline_risks[o.key]
        outcomes.append(
            {
                "key": o.key,
                "name": o.name(lang),
                "baseline_risk": {"central": risk, "low": risk, "high": risk},
                "unit_cost": {"central": amount, "low": amount, "high": amount},
                "price_year": draft.price_year,
                "payer_shares": {k: v for k, v in o.payer_shares.items() if v},
                "duration_years": o.duration_years,
                "lag_years": o.lag_years,
                "source": source,
            }
        )
    valued = {o["key"] for o in outcomes}
    left_out = list(draft.not_costed)
    interventions = []
    for c, iv_name in zip(draft.interventions, _unique_names(draft), strict=True):
        effects = [e for e in c.effects if e.outcome_key in valued]
        left_out += [
            NotCosted(f"{iv_name}: {e.outcome_key}", NOT_VALUED, c.chosen.id)
            for e in c.effects
            if e.outcome_key not in valued
        ]
        if not effects:
            continue
        planned = c.chosen.participants_per_year
        count = float(planned) if planned is not None else float(participants[c.chosen.id])
        costs = []
        if c.cost_per_participant is not None and c.cost_price_year is not None:
            amount = c.cost_per_participant * float(count)
            costs.append(
                {
                    "label": f"{iv_name}: {c.cost_per_participant:.0f} SEK × {count:g}",
                    "payer": Payer(c.cost_payer).value,
                    "amount_per_year": estimate_to_dict_plain(amount),
                    "first_year": 1,
                    "last_year": delivery_years,
                    "price_year": c.cost_price_year,
                }
            )
        interventions.append(
            {
                "name": iv_name,
                "participants_per_year": estimate_to_dict_plain(float(count)),
                "ramp_up_years": 1,
                "delivery_years": delivery_years,
                "costs": costs,
                "effects": [
                    {
                        "outcome_key": e.outcome_key,
                        "measure": e.measure,
                        "size": effect_estimate(e),
                        "decay_per_year": estimate_to_dict_plain(0.0),
                        "source": e.source,
                    }
                    for e in effects
                ],
                "registry_key": c.chosen.intervention_key,
                "plan_intervention": c.chosen.id,
            }
        )
    return {
        "name": name,
        "price_year": draft.price_year,
        "horizon_years": horizon_years,
        "discount_rate": estimate_to_dict_plain(discount_rate),
        "discount_rate_source": discount_rate_source,
        "public_funds_factor": None,
        "public_funds_factor_source": "",
        "illustrative": False,
        "notes": "\n".join(
            [notes, *[f"Not costed: {n.name}: {n.text}." for n in left_out]]
        ).strip(),
        "price_index": {
            "name": index.name,
            "source": index.source,
            "values": {str(y): v for y, v in sorted(index.values.items())},
        },
        "outcomes": outcomes,
        "interventions": interventions,
        "programme_costs": list(programme_costs),
    }


def estimate_to_dict_plain(value: float) -> dict[str, Any]:
    """A fixed number in the stored estimate form."""
    return estimate_to_dict(Estimate(value))

"""The benefit-cost engine: avoided cases, savings and costs by payer and year.

Method (after Aos et al., WSIPP Benefit-Cost Technical Documentation, and the
Swedish socioeconomic-account tradition of Nilsson & Wadeskog, 2008):

* A scenario holds one or more interventions i. Cohort c (c = 1..delivery_i)
  of intervention i has N_i * ramp_i(c) participants, where
  ramp_i(c) = min(1, c / ramp_up_i).
* For outcome k, each participant avoids the outcome with probability
  p_k - p'_k, where p_k is the baseline risk and p'_k the risk with the
  intervention: p'_k = p_k (1 - RRR) for a relative risk reduction, or
  p'_k = p_k e^(-1.65 d) / (1 - p_k + p_k e^(-1.65 d)) for a Cox logit effect
  size d (Cox, 1970; Sánchez-Meca, Marín-Martínez & Chacón-Moscoso, 2003),
  positive d meaning fewer cases.
* The avoided cases of cohort c would have started in year c + lag_k and
  lasted duration_k years; in the j-th year of that spell a share
  (1 - decay_k)^j of them is still avoided.
* Each avoided case-year saves the unit cost, split by payer shares.
* Interventions reach different groups, so their avoided cases of an outcome
  add: cases_k = sum over i of the cases intervention i avoids among its own
  participants (each with the outcome's baseline risk and its own effect).
* Costs are each intervention's cost lines plus the programme-level costs
  (structure and systematic quality work, the "struktur + insatser +
  systematik" of the Norrtälje analysis, Länsstyrelsen Stockholm rapport
  2020:23), which belong to no single intervention.
* Flows are discounted with (1 + r)^-(t-1) (see :mod:`discounting`).
* The marginal cost of public funds (optional, see :func:`payer_weights`):
  in the societal result every saving and cost of a tax-financed payer
  (kommun, region, stat) is multiplied by the factor lambda, while the
  individual's and other actors' flows count once:
  societal PV = sum over payers p of w_p * PV_p, with w_p = lambda for
  tax-financed payers and 1 otherwise. WSIPP applies such a deadweight cost of
  taxation (50 cents per dollar, varied 0-100 % in its Monte Carlo) to
  taxpayer-borne costs and benefits (Benefit-Cost Technical Documentation);
  Trafikverket's ASEK multiplies tax-financed flows by a "skattefaktor" of 1.3.

The engine works on many parameter rows at once (numpy broadcasting), which is
what makes a 10 000-draw Monte Carlo cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jamlik.economics.discounting import FloatArray, discount_factors, internal_rate_of_return
from jamlik.economics.inputs import (
    PAYERS,
    TAX_FINANCED_PAYERS,
    CostLine,
    EffectMeasure,
    Intervention,
    Payer,
    Scenario,
)
from jamlik.economics.parameters import (
    PUBLIC_FUNDS_FACTOR,
    ParameterValues,
    central_values,
    cost_id,
    effect_id,
    participants_id,
    programme_cost_id,
    scenario_parameters,
)

#: Scale factor of the Cox logit transform (pi / sqrt(3) ≈ 1.65 rounded as in the literature).
COX_SCALE = 1.65


@dataclass(frozen=True)
class Flows:
    """Undiscounted yearly flows for S parameter rows.

    ``savings`` and ``costs`` have shape (S, payers, years); ``discount`` has
    shape (S, years); ``avoided_case_years`` has shape (S, outcomes, years);
    ``weights`` has shape (S, payers): each payer's multiplier in the societal
    result (see :func:`payer_weights`).
    """

    savings: FloatArray
    costs: FloatArray
    discount: FloatArray
    avoided_case_years: FloatArray
    savings_by_outcome: FloatArray  # (S, outcomes, years), all payers together
    weights: FloatArray
    savings_by_intervention: FloatArray  # (S, interventions, years), all payers together
    costs_by_intervention: FloatArray  # (S, interventions, years), all payers together
    programme_costs: FloatArray  # (S, years), all payers together

    @property
    def pv_savings(self) -> FloatArray:
        """(S, payers) present value of savings."""
        out: FloatArray = np.einsum("spt,st->sp", self.savings, self.discount)
        return out

    @property
    def pv_costs(self) -> FloatArray:
        out: FloatArray = np.einsum("spt,st->sp", self.costs, self.discount)
        return out

    @property
    def societal_pv_savings(self) -> FloatArray:
        """(S,) present value of savings for society, each payer weighted.

        Weights of 1 leave the products exact, so without a factor this is
        bit for bit ``pv_savings.sum(axis=1)``.
        """
        out: FloatArray = (self.pv_savings * self.weights).sum(axis=1)
        return out

    @property
    def societal_pv_costs(self) -> FloatArray:
        """(S,) present value of costs for society, each payer weighted."""
        out: FloatArray = (self.pv_costs * self.weights).sum(axis=1)
        return out


def ramp_profile(intervention: Intervention, horizon: int) -> FloatArray:
    """Share of full reach for each cohort year 1..horizon (0 after delivery ends)."""
    years = np.arange(1, horizon + 1, dtype=np.float64)
    ramp = np.minimum(1.0, years / intervention.ramp_up_years)
    ramp[years > intervention.delivery_years] = 0.0
    return ramp


def _cohort_matrix(ramp: FloatArray, lag: int) -> FloatArray:
    """T[j, t] = ramp of the cohort whose spell is in its j-th year in year t.

    A cohort joining in year c starts its spell in year c + lag, so in year t
    the spell year is j = t - c - lag, i.e. c = t - j - lag (all 0-based).
    """
    horizon = ramp.shape[0]
    j = np.arange(horizon)[:, None]
    t = np.arange(horizon)[None, :]
    c = t - j - lag
    valid = c >= 0
    out: FloatArray = np.where(valid, ramp[np.clip(c, 0, horizon - 1)], 0.0)
    return out


def avoided_risk(measure: EffectMeasure, baseline: FloatArray, size: FloatArray) -> FloatArray:
    """Probability per participant that the outcome is avoided (p - p')."""
    if measure is EffectMeasure.RELATIVE_RISK_REDUCTION:
        out: FloatArray = baseline * size
        return out
    odds_factor = np.exp(-COX_SCALE * size)
    treated = baseline * odds_factor / (1.0 - baseline + baseline * odds_factor)
    out = baseline - treated
    return out


def payer_weights(scenario: Scenario, values: ParameterValues, rows: int) -> FloatArray:
    """(S, payers) multiplier of each payer's flows in the societal result.

    A krona of a tax-financed payer's cost must be raised in tax, and taxes
    distort work and consumption, so it costs society more than a krona (the
    marginal cost of public funds); a krona such a payer saves spares the same
    extra cost. Hence both savings and costs of kommun, region and stat are
    weighted by the factor, and the individual's and other actors' flows by 1
    (WSIPP, Benefit-Cost Technical Documentation: deadweight cost of taxation on
    taxpayer costs and benefits; Trafikverket, ASEK: skattefaktor for
    tax-financed flows). Without a factor every weight is 1, so the societal
    result equals the sum of the payers' budget results.
    """
    weights = np.ones((rows, len(PAYERS)))
    if scenario.public_funds_factor is None:
        return weights
    factor = np.asarray(values[PUBLIC_FUNDS_FACTOR], dtype=np.float64)
    for i, payer in enumerate(PAYERS):
        if payer in TAX_FINANCED_PAYERS:
            weights[:, i] = factor
    return weights


def compute_flows(scenario: Scenario, values: ParameterValues) -> Flows:
    """Yearly flows for every parameter row in ``values`` (each an array of length S)."""
    horizon = scenario.horizon_years
    rows = int(np.asarray(values["discount_rate"]).shape[0])
    payer_index = {payer: i for i, payer in enumerate(PAYERS)}
    n_iv = len(scenario.interventions)
    shares = np.zeros((len(scenario.outcomes), len(PAYERS)))
    costs = np.zeros((rows, len(PAYERS), horizon))
    case_years = np.zeros((rows, len(scenario.outcomes), horizon))
    by_outcome = np.zeros((rows, len(scenario.outcomes), horizon))
    by_intervention = np.zeros((rows, n_iv, horizon))
    iv_costs = np.zeros((rows, n_iv, horizon))
    programme = np.zeros((rows, horizon))
    spell_years = np.arange(horizon, dtype=np.float64)
    ramps = [ramp_profile(iv, horizon) for iv in scenario.interventions]

    for k, outcome in enumerate(scenario.outcomes):
        for payer, share in outcome.payer_shares.items():
            shares[k, payer_index[payer]] = share
        baseline = values[f"outcome:{outcome.key}:baseline_risk"]
        unit_cost = values[f"outcome:{outcome.key}:unit_cost"] * scenario.price_factor(
            outcome.price_year
        )
        for i, iv in enumerate(scenario.interventions):
            effect = next((e for e in iv.effects if e.outcome_key == outcome.key), None)
            if effect is None:
                continue  # no effect of this intervention on this outcome
            size = values[effect_id(i, outcome.key, "size")]
            decay = values[effect_id(i, outcome.key, "decay")]
            persistence = np.power(1.0 - decay[:, None], spell_years[None, :])
            persistence[:, outcome.duration_years :] = 0.0
            spread = persistence @ _cohort_matrix(ramps[i], outcome.lag_years)  # (S, years)
            participants = values[participants_id(i)]
            cases = (participants * avoided_risk(effect.measure, baseline, size))[:, None] * spread
            case_years[:, k, :] += cases
            money = cases * unit_cost[:, None]
            by_outcome[:, k, :] += money
            by_intervention[:, i, :] += money
    # Split every outcome's savings between payers in one matrix product.
    savings = np.ascontiguousarray(
        np.matmul(by_outcome.transpose(0, 2, 1), shares).transpose(0, 2, 1)
    )

    years = np.arange(1, horizon + 1)
    lines: list[tuple[CostLine, str, int | None]] = [
        (line, cost_id(i, j), i)
        for i, iv in enumerate(scenario.interventions)
        for j, line in enumerate(iv.costs)
    ]
    lines += [(line, programme_cost_id(j), None) for j, line in enumerate(scenario.programme_costs)]
    for line, parameter, owner in lines:
        active = ((years >= line.first_year) & (years <= line.last_year)).astype(np.float64)
        amount = values[parameter] * scenario.price_factor(line.price_year)
        flow = amount[:, None] * active[None, :]
        costs[:, payer_index[line.payer], :] += flow
        if owner is None:
            programme += flow
        else:
            iv_costs[:, owner, :] += flow

    return Flows(
        savings=savings,
        costs=costs,
        discount=discount_factors(values["discount_rate"], horizon),
        avoided_case_years=case_years,
        savings_by_outcome=by_outcome,
        weights=payer_weights(scenario, values, rows),
        savings_by_intervention=by_intervention,
        costs_by_intervention=iv_costs,
        programme_costs=programme,
    )


@dataclass(frozen=True)
class InterventionResult:
    """One intervention's contribution: the present value of the savings from the
    cases it avoids and of its own cost lines (all payers, plain kronor)."""

    name: str
    pv_savings: float
    pv_costs: float

    @property
    def npv(self) -> float:
        return self.pv_savings - self.pv_costs


@dataclass(frozen=True)
class PayerResult:
    """Present values for one payer."""

    payer: Payer
    pv_savings: float
    pv_costs: float

    @property
    def npv(self) -> float:
        return self.pv_savings - self.pv_costs


@dataclass(frozen=True)
class Result:
    """The deterministic answer for a scenario at its central inputs.

    Money is in SEK at the scenario's price year; per-year series are
    undiscounted, present values are discounted to year 1.

    Which figures carry the public funds factor: only the ``societal_*`` ones.
    ``by_payer``, ``by_intervention`` (each intervention's savings and own
    costs; their sums plus ``programme_pv_costs`` give the totals), the per-year series, ``pv_savings``, ``pv_costs``, ``npv``,
    ``benefit_cost_ratio``, the break-even year and the internal rate of return
    are plain kronor as the budgets see them (the unadjusted result).
    ``societal_pv_savings`` and ``societal_pv_costs`` weight each payer's
    present values by :func:`payer_weights` (the factor for kommun, region and
    stat, 1 for the individual and others); without a factor they equal the
    unadjusted totals.
    """

    years: tuple[int, ...]
    discount_rate: float
    savings_per_year: dict[Payer, tuple[float, ...]]
    costs_per_year: dict[Payer, tuple[float, ...]]
    by_payer: dict[Payer, PayerResult]
    avoided_case_years: dict[str, tuple[float, ...]]
    pv_savings_by_outcome: dict[str, float]
    pv_savings: float
    pv_costs: float
    break_even_year: int | None
    internal_rate_of_return: float | None
    public_funds_factor: float | None
    societal_pv_savings: float
    societal_pv_costs: float
    by_intervention: tuple[InterventionResult, ...] = ()
    programme_pv_costs: float = 0.0

    @property
    def npv(self) -> float:
        return self.pv_savings - self.pv_costs

    @property
    def benefit_cost_ratio(self) -> float | None:
        """PV savings / PV costs; ``None`` when the intervention costs nothing."""
        return self.pv_savings / self.pv_costs if self.pv_costs > 0 else None

    @property
    def societal_npv(self) -> float:
        """Net present value for society, with the public funds factor when applied."""
        return self.societal_pv_savings - self.societal_pv_costs

    @property
    def societal_benefit_cost_ratio(self) -> float | None:
        """Weighted PV savings / weighted PV costs; ``None`` without costs."""
        if self.societal_pv_costs > 0:
            return self.societal_pv_savings / self.societal_pv_costs
        return None

    @property
    def net_per_year(self) -> tuple[float, ...]:
        return tuple(
            sum(self.savings_per_year[p][i] - self.costs_per_year[p][i] for p in PAYERS)
            for i in range(len(self.years))
        )


def break_even_year(net: FloatArray, discount: FloatArray, savings: FloatArray) -> int | None:
    """First year from which cumulative discounted net flow stays at or above zero.

    Only counts once some saving has arrived, so a scenario with no flows at
    all has no break-even year.
    """
    cumulative = np.cumsum(net * discount)
    cumulative_savings = np.cumsum(savings)
    suffix_min = np.minimum.accumulate(cumulative[::-1])[::-1]
    ok = (suffix_min >= -1e-9) & (cumulative_savings > 0)
    hits = np.flatnonzero(ok)
    return int(hits[0]) + 1 if hits.size else None


def evaluate(scenario: Scenario) -> Result:
    """Deterministic result at the central value of every input."""
    flows = compute_flows(scenario, central_values(scenario_parameters(scenario)))
    savings, costs = flows.savings[0], flows.costs[0]
    pv_s, pv_c = flows.pv_savings[0], flows.pv_costs[0]
    net = savings.sum(axis=0) - costs.sum(axis=0)
    pv_by_outcome = flows.savings_by_outcome[0] @ flows.discount[0]
    return Result(
        years=tuple(range(1, scenario.horizon_years + 1)),
        discount_rate=float(scenario.discount_rate.central),
        savings_per_year={p: tuple(map(float, savings[i])) for i, p in enumerate(PAYERS)},
        costs_per_year={p: tuple(map(float, costs[i])) for i, p in enumerate(PAYERS)},
        by_payer={p: PayerResult(p, float(pv_s[i]), float(pv_c[i])) for i, p in enumerate(PAYERS)},
        avoided_case_years={
            o.key: tuple(map(float, flows.avoided_case_years[0, k]))
            for k, o in enumerate(scenario.outcomes)
        },
        pv_savings_by_outcome={
            o.key: float(pv_by_outcome[k]) for k, o in enumerate(scenario.outcomes)
        },
        pv_savings=float(pv_s.sum()),
        pv_costs=float(pv_c.sum()),
        break_even_year=break_even_year(net, flows.discount[0], savings.sum(axis=0)),
        internal_rate_of_return=internal_rate_of_return(net),
        public_funds_factor=None
        if scenario.public_funds_factor is None
        else float(scenario.public_funds_factor.central),
        societal_pv_savings=float(flows.societal_pv_savings[0]),
        societal_pv_costs=float(flows.societal_pv_costs[0]),
        by_intervention=tuple(
            InterventionResult(
                iv.name,
                float(flows.savings_by_intervention[0, i] @ flows.discount[0]),
                float(flows.costs_by_intervention[0, i] @ flows.discount[0]),
            )
            for i, iv in enumerate(scenario.interventions)
        ),
        programme_pv_costs=float(flows.programme_costs[0] @ flows.discount[0]),
    )

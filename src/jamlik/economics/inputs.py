"""Typed, validated inputs of a prevention benefit-cost scenario.

The structure follows the benefit-cost approach of the Washington State
Institute for Public Policy (Aos et al., WSIPP Benefit-Cost Technical
Documentation): outcomes the intervention changes, a value per avoided case
split by who pays, the intervention's costs by payer and year, and an effect
per outcome with its uncertainty. Swedish payers replace the US perspectives:
kommun, region, stat and the individual/other actors (the "välfärdstårta" of
Nilsson & Wadeskog, 2008).

All dataclasses are frozen; a :class:`Scenario` validates itself and its parts
on construction and refuses bad input with a :class:`ValueError` that names the
input, the rule and the value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from jamlik.economics.price_index import PriceIndex
from jamlik.economics.validation import (
    fail,
    require,
    require_finite,
    require_int,
    require_probability,
)

#: Tolerance for payer shares summing to one (shares are typed as percentages
#: or decimals with a few digits, so 1e-6 is generous but still catches errors).
SHARE_TOLERANCE = 1e-6

#: Largest yearly decay of an effect. A decay of 1 (everything lost after one year) is
#: the same as a duration of one year; keeping it below 1 keeps (1 - decay)^j defined
#: for every j, also in the exported spreadsheet formulas.
MAX_DECAY = 0.99

#: Longest horizon accepted: a working life plus childhood.
MAX_HORIZON_YEARS = 80

#: Bounds of the marginal cost of public funds (see :attr:`Scenario.public_funds_factor`).
#: Below 1 would say taxes cost society less than the kronor raised; published estimates
#: lie well inside 1-2 (WSIPP's 0-100 % deadweight range), so 3 only catches typing errors
#: such as 13 for 1.3.
MIN_PUBLIC_FUNDS_FACTOR = 1.0
MAX_PUBLIC_FUNDS_FACTOR = 3.0


class Payer(StrEnum):
    """Who bears a cost or receives a saving."""

    KOMMUN = "kommun"
    REGION = "region"
    STAT = "stat"
    OTHER = "other"  # the individual, employers, insurers, crime victims


PAYERS: tuple[Payer, ...] = tuple(Payer)

#: Payers whose money is raised by taxation: the public funds factor applies to their
#: flows. The individual and other actors (employers, insurers, victims) are not tax-financed.
TAX_FINANCED_PAYERS: frozenset[Payer] = frozenset({Payer.KOMMUN, Payer.REGION, Payer.STAT})


class ProgrammeCostKind(StrEnum):
    """What a programme-level cost pays for, outside any single intervention.

    The Norrtälje analysis (Länsstyrelsen Stockholm, rapport 2020:23) costs a
    prevention programme as "struktur + insatser + systematik": the structure that
    holds the work together (coordination, steering, data and analysis), the
    interventions themselves, and the systematic quality work (mapping, follow-up).
    The interventions carry their own cost lines; these are the other two.
    """

    STRUCTURE = "structure"
    SYSTEMATIC = "systematic"


class Distribution(StrEnum):
    """Shape used to draw an uncertain input in the Monte Carlo analysis."""

    TRIANGULAR = "triangular"  # low, most likely, high
    NORMAL = "normal"  # central with a 95 % interval low..high (e.g. an effect size and its SE)


class EffectMeasure(StrEnum):
    """How the effect of the intervention on an outcome is expressed."""

    RELATIVE_RISK_REDUCTION = "rrr"  # share of the baseline cases avoided (0.2 = 20 % fewer)
    LOGIT_EFFECT_SIZE = "d_cox"  # standardised effect on a yes/no outcome (Cox logit d)


@dataclass(frozen=True)
class Estimate:
    """A number with its plausible range: ``low <= central <= high``.

    ``low`` and ``high`` default to ``central`` (no uncertainty). The range is
    what the tornado analysis swings over and what the Monte Carlo draws from.
    """

    central: float
    low: float | None = None
    high: float | None = None
    distribution: Distribution = Distribution.TRIANGULAR

    def __post_init__(self) -> None:
        if self.low is None:
            object.__setattr__(self, "low", self.central)
        if self.high is None:
            object.__setattr__(self, "high", self.central)

    @property
    def lo(self) -> float:
        return float(self.low if self.low is not None else self.central)

    @property
    def hi(self) -> float:
        return float(self.high if self.high is not None else self.central)

    @property
    def is_uncertain(self) -> bool:
        return self.lo < self.hi

    def check(
        self, name: str, *, minimum: float | None = None, maximum: float | None = None
    ) -> None:
        """Validate under the name of the input that holds this estimate."""
        for part, value in (("central", self.central), ("low", self.lo), ("high", self.hi)):
            require_finite(value, f"{name}.{part}")
            if minimum is not None:
                rule = "must not be negative" if minimum == 0 else f"must be at least {minimum}"
                require(value >= minimum, f"{name}.{part}", rule, value)
            if maximum is not None:
                require(value <= maximum, f"{name}.{part}", f"must be at most {maximum}", value)
        require(
            self.lo <= self.central <= self.hi,
            name,
            "low <= central <= high must hold",
            (self.lo, self.central, self.hi),
        )
        require(
            isinstance(self.distribution, Distribution),
            f"{name}.distribution",
            f"must be one of {[d.value for d in Distribution]}",
            self.distribution,
        )


def _check_shares(shares: Mapping[Payer, float], name: str) -> None:
    for payer, share in shares.items():
        require(isinstance(payer, Payer), f"{name}", "keys must be payers", payer)
        require_probability(share, f"{name}[{payer.value}]")
    total = math.fsum(shares.values())
    require(abs(total - 1.0) <= SHARE_TOLERANCE, name, "shares must sum to 1", round(total, 9))


@dataclass(frozen=True)
class Outcome:
    """A problem prevention can avoid, and what one case of it costs per year.

    ``baseline_risk`` is the probability that a participant develops the
    outcome without the intervention. ``unit_cost`` is the cost per case and
    year (SEK, in ``price_year`` prices), split between payers by
    ``payer_shares``. A case lasts ``duration_years`` and starts ``lag_years``
    after the year of participation.
    """

    key: str
    name: str
    baseline_risk: Estimate
    unit_cost: Estimate
    price_year: int
    payer_shares: Mapping[Payer, float]
    duration_years: int = 1
    lag_years: int = 0
    source: str = ""

    def __post_init__(self) -> None:
        require(
            bool(self.key) and self.key.replace("_", "").replace("-", "").isalnum(),
            "outcome.key",
            "must be a non-empty word of letters, digits, - or _",
            self.key,
        )
        label = f"outcome '{self.key}'"
        require(bool(self.name.strip()), f"{label}.name", "must not be empty", self.name)
        self.baseline_risk.check(f"{label}.baseline_risk", minimum=0, maximum=1)
        self.unit_cost.check(f"{label}.unit_cost", minimum=0)
        require_int(self.price_year, f"{label}.price_year", 1900, 2200)
        _check_shares(self.payer_shares, f"{label}.payer_shares")
        require_int(self.duration_years, f"{label}.duration_years", 1, MAX_HORIZON_YEARS)
        require_int(self.lag_years, f"{label}.lag_years", 0, MAX_HORIZON_YEARS)


@dataclass(frozen=True)
class Effect:
    """The intervention's effect on one outcome.

    A relative risk reduction must be at most 1 (a negative value is a harmful
    effect). ``decay_per_year`` is the share of the avoided cases that each
    year nonetheless turn into cases (WSIPP models such effect-size decay); it must
    stay below 1 (use a one-year duration for an effect that lasts a single year).
    """

    outcome_key: str
    measure: EffectMeasure
    size: Estimate
    decay_per_year: Estimate = field(default_factory=lambda: Estimate(0.0))
    source: str = ""

    def __post_init__(self) -> None:
        label = f"effect on '{self.outcome_key}'"
        require(
            isinstance(self.measure, EffectMeasure),
            f"{label}.measure",
            f"must be one of {[m.value for m in EffectMeasure]}",
            self.measure,
        )
        if self.measure is EffectMeasure.RELATIVE_RISK_REDUCTION:
            self.size.check(f"{label}.size", maximum=1)
        else:
            self.size.check(f"{label}.size")
        self.decay_per_year.check(f"{label}.decay_per_year", minimum=0, maximum=MAX_DECAY)


@dataclass(frozen=True)
class CostLine:
    """A cost borne by one payer, per year, from ``first_year`` to ``last_year``
    (inclusive, counted from 1 = the first year of the scenario).

    ``kind`` is ``None`` for a cost of an intervention and a
    :class:`ProgrammeCostKind` for a programme-level cost.
    """

    label: str
    payer: Payer
    amount_per_year: Estimate
    first_year: int
    last_year: int
    price_year: int
    kind: ProgrammeCostKind | None = None

    def check(self, index: int, horizon: int, where: str = "costs") -> None:
        name = f"{where}[{index}] '{self.label}'"
        require(
            bool(self.label.strip()), f"{where}[{index}].label", "must not be empty", self.label
        )
        require(isinstance(self.payer, Payer), f"{name}.payer", "must be a payer", self.payer)
        self.amount_per_year.check(f"{name}.amount_per_year", minimum=0)
        require_int(self.first_year, f"{name}.first_year", 1, horizon)
        require_int(self.last_year, f"{name}.last_year", self.first_year, horizon)
        require_int(self.price_year, f"{name}.price_year", 1900, 2200)


@dataclass(frozen=True)
class Intervention:
    """What is done, for how many, at what cost, with which effects.

    Reach grows linearly to ``participants_per_year`` over ``ramp_up_years``
    and new participants join for ``delivery_years`` years.
    """

    name: str
    participants_per_year: Estimate
    ramp_up_years: int
    delivery_years: int
    costs: tuple[CostLine, ...]
    effects: tuple[Effect, ...]

    def check(self, horizon: int, outcome_keys: set[str], index: int = 0) -> None:
        here = f"interventions[{index}]"
        require(bool(self.name.strip()), f"{here}.name", "must not be empty", self.name)
        label = f"{here} '{self.name}'"
        self.participants_per_year.check(f"{label}.participants_per_year", minimum=0)
        require_int(self.ramp_up_years, f"{label}.ramp_up_years", 1, MAX_HORIZON_YEARS)
        require_int(self.delivery_years, f"{label}.delivery_years", 1, horizon)
        for number, line in enumerate(self.costs):
            require(
                line.kind is None,
                f"{label}.costs[{number}].kind",
                "an intervention's cost has no programme kind; put it among the programme costs",
                line.kind,
            )
            line.check(number, horizon, f"{label}.costs")
        seen: set[str] = set()
        for effect in self.effects:
            key = effect.outcome_key
            require(
                key in outcome_keys,
                f"{label}: effect on '{key}'",
                f"must name one of the scenario's outcomes {sorted(outcome_keys)}",
                key,
            )
            require(
                key not in seen, f"{label}: effect on '{key}'", "only one effect per outcome", key
            )
            seen.add(key)


@dataclass(frozen=True)
class Scenario:
    """A complete benefit-cost question: outcomes, interventions, horizon, rate.

    A scenario holds one or more ``interventions`` (names unique) and optional
    ``programme_costs``: costs of the programme as a whole, of kind
    :class:`ProgrammeCostKind` (structure or systematic quality work), which
    belong to no single intervention. Effects of different interventions on the
    same outcome add: each intervention reaches its own participants (different
    groups), so the cases each avoids among its participants are summed. Two
    interventions given to the same people would need a combined effect instead,
    which this model does not estimate; enter them as one intervention.

    ``discount_rate`` is a real annual rate; the user chooses it and names its
    source in ``discount_rate_source``. Every money amount is converted to
    ``price_year`` prices with ``price_index`` when its own price year differs.

    ``public_funds_factor`` is the optional marginal cost of public funds: what a
    krona raised in tax costs society, the krona itself plus the deadweight loss
    of the tax. When given, the savings and costs of the tax-financed payers
    (:data:`TAX_FINANCED_PAYERS`: kommun, region, stat) are multiplied by it in
    the *societal* result; each payer's own budget result stays in plain kronor
    (see :mod:`jamlik.economics.model`). ``None`` means not applied. The user
    chooses the value and names its source in ``public_funds_factor_source``, as
    for the discount rate; examples to cite are the "skattefaktor" of 1.3 in
    Trafikverket's ASEK (Analysmetod och samhällsekonomiska kalkylvärden för
    transportsektorn) and the deadweight cost of taxation of 50 cents per dollar
    (a factor of 1.5, varied 0-100 % in the Monte Carlo) in WSIPP's Benefit-Cost
    Technical Documentation (Washington State Institute for Public Policy).
    """

    name: str
    price_year: int
    horizon_years: int
    discount_rate: Estimate
    discount_rate_source: str
    outcomes: tuple[Outcome, ...]
    interventions: tuple[Intervention, ...]
    programme_costs: tuple[CostLine, ...] = ()
    price_index: PriceIndex | None = None
    illustrative: bool = False
    notes: str = ""
    public_funds_factor: Estimate | None = None
    public_funds_factor_source: str = ""

    def __post_init__(self) -> None:
        require(bool(self.name.strip()), "scenario.name", "must not be empty", self.name)
        require_int(self.price_year, "scenario.price_year", 1900, 2200)
        require_int(self.horizon_years, "scenario.horizon_years", 1, MAX_HORIZON_YEARS)
        self.discount_rate.check("scenario.discount_rate", minimum=0, maximum=0.5)
        require(
            bool(self.discount_rate_source.strip()),
            "scenario.discount_rate_source",
            "must say where the rate comes from (e.g. a guideline or a council decision)",
            self.discount_rate_source,
        )
        self._check_public_funds_factor()
        require(len(self.outcomes) > 0, "scenario.outcomes", "at least one outcome", 0)
        keys = [o.key for o in self.outcomes]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        require(not duplicates, "scenario.outcomes", "keys must be unique", duplicates)
        require(
            isinstance(self.interventions, tuple) and len(self.interventions) > 0,
            "scenario.interventions",
            "at least one intervention",
            len(self.interventions)
            if isinstance(self.interventions, tuple)
            else self.interventions,
        )
        names = [iv.name.strip() for iv in self.interventions]
        repeated = sorted({n for n in names if names.count(n) > 1})
        require(not repeated, "scenario.interventions", "names must be unique", repeated)
        for index, intervention in enumerate(self.interventions):
            intervention.check(self.horizon_years, set(keys), index)
        for index, line in enumerate(self.programme_costs):
            require(
                isinstance(line.kind, ProgrammeCostKind),
                f"programme_costs[{index}].kind",
                f"must be one of {[k.value for k in ProgrammeCostKind]}",
                line.kind,
            )
            line.check(index, self.horizon_years, "programme_costs")
        for outcome in self.outcomes:
            self._check_price_year(outcome.price_year, f"outcome '{outcome.key}'.price_year")
        for i, intervention in enumerate(self.interventions):
            for index, line in enumerate(intervention.costs):
                self._check_price_year(
                    line.price_year, f"interventions[{i}].costs[{index}].price_year"
                )
        for index, line in enumerate(self.programme_costs):
            self._check_price_year(line.price_year, f"programme_costs[{index}].price_year")

    def _check_public_funds_factor(self) -> None:
        factor, source = self.public_funds_factor, self.public_funds_factor_source
        require(
            isinstance(source, str),
            "scenario.public_funds_factor_source",
            "must be text",
            source,
        )
        if factor is None:
            require(
                not source.strip(),
                "scenario.public_funds_factor_source",
                "names a source but no public_funds_factor is given; "
                "enter the factor or leave the source empty",
                source,
            )
            return
        require(
            isinstance(factor, Estimate),
            "scenario.public_funds_factor",
            "must be an estimate (central, low, high) or None",
            factor,
        )
        factor.check(
            "scenario.public_funds_factor",
            minimum=MIN_PUBLIC_FUNDS_FACTOR,
            maximum=MAX_PUBLIC_FUNDS_FACTOR,
        )
        require(
            bool(source.strip()),
            "scenario.public_funds_factor_source",
            "must say where the factor comes from (e.g. ASEK's skattefaktor or WSIPP)",
            source,
        )

    def _check_price_year(self, year: int, name: str) -> None:
        if year == self.price_year:
            return
        if self.price_index is None:
            raise fail(
                name,
                f"differs from the scenario price year {self.price_year}; "
                "supply a price index (e.g. SCB KPI annual averages) to convert it",
                year,
            )
        self.price_index.factor(year, self.price_year, name=name)

    def price_factor(self, year: int) -> float:
        """Multiplier from ``year`` prices to the scenario's price year."""
        if year == self.price_year or self.price_index is None:
            return 1.0
        return self.price_index.factor(year, self.price_year)

    @property
    def all_costs(self) -> tuple[CostLine, ...]:
        """Every cost line: each intervention's in order, then the programme costs."""
        lines = [line for iv in self.interventions for line in iv.costs]
        return (*lines, *self.programme_costs)

    def outcome(self, key: str) -> Outcome:
        for outcome in self.outcomes:
            if outcome.key == key:
                return outcome
        raise fail("outcome", "no such outcome in the scenario", key)

"""The evidence library: published effect sizes and costs per registry intervention.

Shipped as package data (``data/evidence.toml``), in the manner of the Washington State
Institute for Public Policy's benefit-cost results (Aos et al., WSIPP Benefit-Cost
Technical Documentation): per intervention and outcome the *adjusted* effect size and its
standard error from a cited meta-analysis or trial, the follow-up time, and the evidence
ratings of the registries that have judged it; and a cost per participant with its
source and price year. Only published figures are entered, each with its citation;
where none is published the field is left empty and the entry says so, rather than
holding an invented number.

Outcomes are keyed (``OutcomeDefinition``): each names what one case costs through a row
of the unit-cost table (``jamlik.economics.unit_costs``), how long a case lasts, and who
pays. Baseline risks belong to the kommun and its target group and are entered by the
user when a scenario is made; an outcome carries a ``baseline_risk`` only where a
published Swedish prevalence exists, with its ``baseline_source``, and only then does the
library's standard benefit-cost summary (:mod:`jamlik.prevention.evidence_bca`) use it.

This module holds the types and the loader. Contract used by the linked chain and the
economics (keep it stable):

* :func:`library` -> :class:`EvidenceLibrary` (cached), with ``.outcomes`` (key ->
  :class:`OutcomeDefinition`) and ``.entries`` (intervention key -> :class:`EvidenceEntry`).
* :func:`evidence_for` (intervention key) -> :class:`EvidenceEntry` or ``None``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).with_name("data") / "evidence.toml"


MEASURES = ("d_cox", "rrr")
PAYER_KEYS = ("kommun", "region", "stat", "other")


@dataclass(frozen=True)
class OutcomeDefinition:
    """An outcome prevention can avoid, and how one case of it is valued.

    ``unit_cost_keys`` name rows of the unit-cost table whose per-case-year amounts are
    summed for one case-year; ``payer_shares`` split it (kommun, region, stat, other; sum 1).
    An empty ``unit_cost_keys`` means no sourced Swedish unit cost exists yet; ``note``
    says so. ``baseline_risk`` is a published Swedish prevalence (share of the target
    group with the outcome without intervention) named by ``baseline_source``; ``None``
    where none was found.
    """

    key: str
    name_sv: str
    name_en: str
    unit_cost_keys: tuple[str, ...]
    duration_years: int
    lag_years: int
    payer_shares: Mapping[str, float] = field(hash=False)
    note: str = ""
    baseline_risk: float | None = None
    baseline_source: str = ""


@dataclass(frozen=True)
class EffectEstimate:
    """A published effect on one outcome.

    ``measure`` is ``"d_cox"`` (a standardised mean difference on a yes/no outcome,
    Cox-transformed in the engine) or ``"rrr"`` (a relative risk reduction); positive
    means fewer cases. ``adjusted_es``/``se`` are the figures the benefit-cost summary
    uses; ``unadjusted_es`` is the meta-analysis' own random-effects estimate if given.
    WSIPP reports a fall in an unwanted outcome as a negative effect size; the library
    stores it with the sign turned so that positive always means fewer cases (the
    ``note`` says when that was done). ``n_effect_sizes`` and ``treatment_n`` are
    WSIPP's "No. of effect sizes" and "Treatment N" where the source gives them.
    """

    outcome_key: str
    measure: str
    adjusted_es: float
    se: float
    followup_years: float | None
    n_studies: int | None
    source: str
    unadjusted_es: float | None = None
    note: str = ""
    n_effect_sizes: int | None = None
    treatment_n: int | None = None


@dataclass(frozen=True)
class Rating:
    """One registry's judgement (e.g. Blueprints "Model", Socialstyrelsen's Metodguiden)."""

    registry: str
    rating: str
    year: int | None
    url: str = ""


@dataclass(frozen=True)
class CostEstimate:
    """What the intervention costs per participant, in ``price_year`` kronor."""

    per_participant_sek: float
    price_year: int
    payer: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class PublishedResult:
    """A benefit-cost result as its publisher printed it (e.g. WSIPP's summary table).

    Kept in the publisher's currency and base year and shown beside, never mixed with,
    the library's own Swedish summary: the benefits behind it are valued for another
    country. ``benefits`` holds the publisher's perspectives (e.g. taxpayers,
    participants, others, indirect) as (name, amount) pairs.
    """

    source: str
    currency: str
    base_year: int | None
    benefit_cost_ratio: float | None
    net_benefit: float | None
    chance_benefits_exceed_costs: float | None
    cost_per_participant: float | None = None
    benefits: tuple[tuple[str, float], ...] = ()
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class EvidenceEntry:
    """Everything published that the library holds for one registry intervention.

    ``missing`` says in words what is not published (or not yet entered) and why the
    figures are empty, so the page can show it instead of a silent gap.
    """

    intervention_key: str
    effects: tuple[EffectEstimate, ...] = ()
    ratings: tuple[Rating, ...] = ()
    cost: CostEstimate | None = None
    missing: str = ""
    published_results: tuple[PublishedResult, ...] = ()


@dataclass(frozen=True)
class EvidenceLibrary:
    outcomes: Mapping[str, OutcomeDefinition] = field(default_factory=dict)
    entries: Mapping[str, EvidenceEntry] = field(default_factory=dict)


class LibraryError(ValueError):
    """A fault in the evidence library, naming the entry (or outcome) and the field."""


def _fail(where: str, field_name: str, rule: str, value: Any) -> LibraryError:
    return LibraryError(f"evidence.toml {where}, field '{field_name}': {rule} (got {value!r})")


class _Reader:
    """Typed access to one TOML table, every refusal naming the table and the field."""

    def __init__(self, raw: Any, where: str) -> None:
        if not isinstance(raw, Mapping):
            raise LibraryError(f"evidence.toml {where}: must be a table (got {raw!r})")
        self.raw = raw
        self.where = where

    def _get(self, name: str, required: bool) -> Any:
        if name not in self.raw:
            if required:
                raise _fail(self.where, name, "is required", None)
            return None
        return self.raw[name]

    def text(self, name: str, *, required: bool = True, empty: bool = False) -> str:
        value = self._get(name, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise _fail(self.where, name, "must be text", value)
        if not empty and required and not value.strip():
            raise _fail(self.where, name, "must not be empty", value)
        return value

    def number(
        self,
        name: str,
        *,
        required: bool = True,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float | None:
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(self.where, name, "must be a number", value)
        if minimum is not None and value < minimum:
            raise _fail(self.where, name, f"must be at least {minimum}", value)
        if maximum is not None and value > maximum:
            raise _fail(self.where, name, f"must be at most {maximum}", value)
        return float(value)

    def integer(
        self, name: str, *, required: bool = True, minimum: int = 0, maximum: int | None = None
    ) -> int | None:
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(self.where, name, "must be a whole number", value)
        if value < minimum or (maximum is not None and value > maximum):
            raise _fail(self.where, name, f"must be between {minimum} and {maximum}", value)
        return value

    def tables(self, name: str) -> list[Any]:
        value = self._get(name, False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise _fail(self.where, name, "must be a list of tables", value)
        return value


def _outcome(raw: Any, index: int) -> OutcomeDefinition:
    r = _Reader(raw, f"outcomes[{index}]")
    key = r.text("key")
    r.where = f"outcome '{key}'"
    keys = r._get("unit_cost_keys", True)
    if not isinstance(keys, list) or not all(isinstance(k, str) and k for k in keys):
        raise _fail(r.where, "unit_cost_keys", "must be a list of unit-cost keys", keys)
    shares_raw = r._get("payer_shares", True)
    if not isinstance(shares_raw, Mapping):
        raise _fail(r.where, "payer_shares", "must be a table of payer = share", shares_raw)
    shares: dict[str, float] = {}
    for payer, share in shares_raw.items():
        if payer not in PAYER_KEYS:
            raise _fail(
                r.where, f"payer_shares.{payer}", f"payer must be one of {list(PAYER_KEYS)}", payer
            )
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
            raise _fail(r.where, f"payer_shares.{payer}", "must be a share between 0 and 1", share)
        shares[payer] = float(share)
    if abs(sum(shares.values()) - 1.0) > 1e-9:
        raise _fail(r.where, "payer_shares", "shares must sum to 1", shares)
    baseline = r.number("baseline_risk", required=False, minimum=0.0, maximum=1.0)
    baseline_source = r.text("baseline_source", required=False)
    if baseline is not None and not baseline_source.strip():
        raise _fail(r.where, "baseline_source", "a baseline risk needs its published source", "")
    return OutcomeDefinition(
        key=key,
        name_sv=r.text("name_sv"),
        name_en=r.text("name_en"),
        unit_cost_keys=tuple(keys),
        duration_years=int(r.integer("duration_years", minimum=1, maximum=80) or 1),
        lag_years=int(r.integer("lag_years", minimum=0, maximum=80) or 0),
        payer_shares=shares,
        note=r.text("note", required=False),
        baseline_risk=baseline,
        baseline_source=baseline_source,
    )


def _effect(raw: Any, where: str, outcomes: Mapping[str, OutcomeDefinition]) -> EffectEstimate:
    r = _Reader(raw, where)
    key = r.text("outcome_key")
    if key not in outcomes:
        raise _fail(where, "outcome_key", f"must name a defined outcome {sorted(outcomes)}", key)
    measure = r.text("measure")
    if measure not in MEASURES:
        raise _fail(where, "measure", f"must be one of {list(MEASURES)}", measure)
    return EffectEstimate(
        outcome_key=key,
        measure=measure,
        adjusted_es=float(r.number("adjusted_es") or 0.0),
        se=float(r.number("se", minimum=0.0) or 0.0),
        followup_years=r.number("followup_years", required=False, minimum=0.0),
        n_studies=r.integer("n_studies", required=False, minimum=1),
        source=r.text("source"),
        unadjusted_es=r.number("unadjusted_es", required=False),
        note=r.text("note", required=False),
        n_effect_sizes=r.integer("n_effect_sizes", required=False, minimum=1),
        treatment_n=r.integer("treatment_n", required=False, minimum=1),
    )


def _rating(raw: Any, where: str) -> Rating:
    r = _Reader(raw, where)
    return Rating(
        registry=r.text("registry"),
        rating=r.text("rating"),
        year=r.integer("year", required=False, minimum=1900, maximum=2200),
        url=r.text("url", required=False),
    )


def _cost(raw: Any, where: str) -> CostEstimate:
    r = _Reader(raw, where)
    payer = r.text("payer")
    if payer not in PAYER_KEYS:
        raise _fail(where, "payer", f"must be one of {list(PAYER_KEYS)}", payer)
    return CostEstimate(
        per_participant_sek=float(r.number("per_participant_sek", minimum=0.0) or 0.0),
        price_year=int(r.integer("price_year", minimum=1900, maximum=2200) or 0),
        payer=payer,
        source=r.text("source"),
        note=r.text("note", required=False),
    )


def _published(raw: Any, where: str) -> PublishedResult:
    r = _Reader(raw, where)
    benefits_raw = r._get("benefits", False) or {}
    if not isinstance(benefits_raw, Mapping):
        raise _fail(where, "benefits", "must be a table of perspective = amount", benefits_raw)
    benefits = []
    for name, amount in benefits_raw.items():
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            raise _fail(where, f"benefits.{name}", "must be a number", amount)
        benefits.append((str(name), float(amount)))
    return PublishedResult(
        source=r.text("source"),
        currency=r.text("currency"),
        base_year=r.integer("base_year", required=False, minimum=1900, maximum=2200),
        benefit_cost_ratio=r.number("benefit_cost_ratio", required=False),
        net_benefit=r.number("net_benefit", required=False),
        chance_benefits_exceed_costs=r.number(
            "chance_benefits_exceed_costs", required=False, minimum=0.0, maximum=1.0
        ),
        cost_per_participant=r.number("cost_per_participant", required=False, minimum=0.0),
        benefits=tuple(benefits),
        url=r.text("url", required=False),
        note=r.text("note", required=False),
    )


def _entry(raw: Any, index: int, outcomes: Mapping[str, OutcomeDefinition]) -> EvidenceEntry:
    r = _Reader(raw, f"entries[{index}]")
    key = r.text("intervention_key")
    here = f"entry '{key}'"
    r.where = here
    effects = tuple(
        _effect(e, f"{here} effects[{i}]", outcomes) for i, e in enumerate(r.tables("effects"))
    )
    ratings = tuple(_rating(x, f"{here} ratings[{i}]") for i, x in enumerate(r.tables("ratings")))
    cost_raw = r._get("cost", False)
    cost = _cost(cost_raw, f"{here} cost") if cost_raw is not None else None
    published = tuple(
        _published(x, f"{here} published_results[{i}]")
        for i, x in enumerate(r.tables("published_results"))
    )
    missing = r.text("missing", required=False)
    if not effects and not missing.strip():
        raise _fail(here, "missing", "an entry without effects must say what is missing", missing)
    return EvidenceEntry(
        intervention_key=key,
        effects=effects,
        ratings=ratings,
        cost=cost,
        missing=missing,
        published_results=published,
    )


def parse_library(data: Mapping[str, object]) -> EvidenceLibrary:
    """Build and validate the library from the TOML structure.

    Refusals are :class:`LibraryError` (a ``ValueError``) naming the entry or outcome and
    the field, e.g. ``entry 'kiva' effects[0], field 'outcome_key'``. Checks: every
    required field is present and typed; an effect names a defined outcome and a known
    measure; payer shares sum to 1; a baseline risk has its source; keys are unique; an
    entry without effects says in ``missing`` why.
    """
    r = _Reader(data, "top level")
    outcomes: dict[str, OutcomeDefinition] = {}
    for index, raw in enumerate(r.tables("outcomes")):
        outcome = _outcome(raw, index)
        if outcome.key in outcomes:
            raise _fail(f"outcomes[{index}]", "key", "is defined twice", outcome.key)
        outcomes[outcome.key] = outcome
    entries: dict[str, EvidenceEntry] = {}
    for index, raw in enumerate(r.tables("entries")):
        entry = _entry(raw, index, outcomes)
        if entry.intervention_key in entries:
            raise _fail(
                f"entries[{index}]", "intervention_key", "is entered twice", entry.intervention_key
            )
        entries[entry.intervention_key] = entry
    return EvidenceLibrary(outcomes=outcomes, entries=entries)


@cache
def library() -> EvidenceLibrary:
    """The shipped library; empty until ``data/evidence.toml`` exists."""
    if not DATA_FILE.exists():
        return EvidenceLibrary()
    with DATA_FILE.open("rb") as handle:
        return parse_library(tomllib.load(handle))


def evidence_for(intervention_key: str) -> EvidenceEntry | None:
    return library().entries.get(intervention_key)

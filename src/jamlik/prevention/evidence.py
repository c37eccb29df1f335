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
pays. Baseline risks are *not* here: they belong to the kommun and its target group and
are entered by the user when a scenario is made.

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

DATA_FILE = Path(__file__).with_name("data") / "evidence.toml"


@dataclass(frozen=True)
class OutcomeDefinition:
    """An outcome prevention can avoid, and how one case of it is valued.

    ``unit_cost_keys`` name rows of the unit-cost table whose per-case-year amounts are
    summed for one case-year; ``payer_shares`` split it (kommun, region, stat, other; sum 1).
    """

    key: str
    name_sv: str
    name_en: str
    unit_cost_keys: tuple[str, ...]
    duration_years: int
    lag_years: int
    payer_shares: Mapping[str, float]
    note: str = ""


@dataclass(frozen=True)
class EffectEstimate:
    """A published effect on one outcome.

    ``measure`` is ``"d_cox"`` (a standardised mean difference on a yes/no outcome,
    Cox-transformed in the engine) or ``"rrr"`` (a relative risk reduction); positive
    means fewer cases. ``adjusted_es``/``se`` are the figures the benefit-cost summary
    uses; ``unadjusted_es`` is the meta-analysis' own random-effects estimate if given.
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


@dataclass(frozen=True)
class EvidenceLibrary:
    outcomes: Mapping[str, OutcomeDefinition] = field(default_factory=dict)
    entries: Mapping[str, EvidenceEntry] = field(default_factory=dict)


def parse_library(data: Mapping[str, object]) -> EvidenceLibrary:
    """Build the library from the TOML structure (validated by the evidence-library work)."""
    raise NotImplementedError("written by the evidence-library task")


@cache
def library() -> EvidenceLibrary:
    """The shipped library; empty until ``data/evidence.toml`` exists."""
    if not DATA_FILE.exists():
        return EvidenceLibrary()
    with DATA_FILE.open("rb") as handle:
        return parse_library(tomllib.load(handle))


def evidence_for(intervention_key: str) -> EvidenceEntry | None:
    return library().entries.get(intervention_key)

"""The evidence library: the shipped TOML parses, covers the registry, and every figure is
sourced; the loader's refusals name the entry (or outcome) and the field."""

from __future__ import annotations

import copy
import tomllib
from typing import Any

import pytest

from jamlik.economics.unit_costs import unit_cost_by_key
from jamlik.prevention.evidence import DATA_FILE, LibraryError, library, parse_library
from jamlik.prevention.services import read_shipped_interventions


def _raw() -> dict[str, Any]:
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


def test_shipped_library_parses_and_covers_every_registry_intervention() -> None:
    lib = library()
    registry = {row["key"] for row in read_shipped_interventions()}
    assert len(registry) == 16
    assert set(lib.entries) == registry


def test_every_effect_names_a_defined_outcome_and_every_outcome_costs_exist() -> None:
    lib = library()
    costs = unit_cost_by_key()
    for entry in lib.entries.values():
        for effect in entry.effects:
            assert effect.outcome_key in lib.outcomes, entry.intervention_key
    for outcome in lib.outcomes.values():
        for key in outcome.unit_cost_keys:
            assert key in costs, (outcome.key, key)
        assert sum(outcome.payer_shares.values()) == pytest.approx(1.0)
        if outcome.baseline_risk is not None:
            assert outcome.baseline_source.strip(), outcome.key


def test_every_figure_has_a_source_and_every_gap_says_so() -> None:
    for entry in library().entries.values():
        key = entry.intervention_key
        for effect in entry.effects:
            assert effect.source.strip() and effect.se >= 0, key
        for result in entry.published_results:
            assert result.source.strip() and result.currency.strip(), key
        for rating in entry.ratings:
            assert rating.registry.strip() and rating.rating.strip(), key
        if entry.cost is not None:
            assert entry.cost.source.strip(), key
        if not entry.effects or entry.cost is None:
            assert entry.missing.strip(), key


def test_published_figures_as_read() -> None:
    """Spot checks against the stored WSIPP pages the entries cite."""
    lib = library()
    mst = lib.entries["multisystemic-therapy"]
    crime = next(e for e in mst.effects if e.outcome_key == "crime")
    assert (crime.adjusted_es, crime.se, crime.n_effect_sizes, crime.treatment_n) == (
        0.314,
        0.069,
        6,
        1072,
    )
    assert "wsipp.wa.gov/BenefitCost/Program/36" in crime.source
    gbg = lib.entries["pax-good-behavior-game"].published_results[0]
    assert (gbg.benefit_cost_ratio, gbg.chance_benefits_exceed_costs, gbg.base_year) == (
        64.36,
        0.76,
        2023,
    )
    assert {r.rating for r in mst.ratings} >= {"Model Plus"}


def _refusal(data: dict[str, Any]) -> str:
    with pytest.raises(LibraryError) as caught:
        parse_library(data)
    return str(caught.value)


def test_refusals_name_the_entry_and_the_field() -> None:
    base = _raw()

    data = copy.deepcopy(base)
    mst = next(e for e in data["entries"] if e["intervention_key"] == "multisystemic-therapy")
    mst["effects"][0]["outcome_key"] = "nosuch"
    message = _refusal(data)
    assert "entry 'multisystemic-therapy' effects[0]" in message
    assert "field 'outcome_key'" in message and "nosuch" in message

    data = copy.deepcopy(base)
    mst = next(e for e in data["entries"] if e["intervention_key"] == "multisystemic-therapy")
    del mst["effects"][0]["source"]
    assert "entry 'multisystemic-therapy' effects[0], field 'source': is required" in _refusal(data)

    data = copy.deepcopy(base)
    mst = next(e for e in data["entries"] if e["intervention_key"] == "multisystemic-therapy")
    mst["effects"][0]["se"] = "0,069"
    assert "field 'se': must be a number" in _refusal(data)

    data = copy.deepcopy(base)
    kiva = next(e for e in data["entries"] if e["intervention_key"] == "kiva")
    kiva["missing"] = ""
    assert "entry 'kiva', field 'missing'" in _refusal(data)

    data = copy.deepcopy(base)
    kiva = next(e for e in data["entries"] if e["intervention_key"] == "kiva")
    kiva["cost"] = {
        "per_participant_sek": 100,
        "price_year": 2020,
        "payer": "skolan",
        "source": "x",
    }
    assert "entry 'kiva' cost, field 'payer'" in _refusal(data)

    data = copy.deepcopy(base)
    data["outcomes"][0]["payer_shares"] = {"stat": 0.5}
    assert "outcome 'crime', field 'payer_shares': shares must sum to 1" in _refusal(data)

    data = copy.deepcopy(base)
    data["outcomes"][0]["baseline_risk"] = 0.1
    assert "outcome 'crime', field 'baseline_source'" in _refusal(data)

    data = copy.deepcopy(base)
    data["entries"].append(copy.deepcopy(data["entries"][0]))
    assert "field 'intervention_key': is entered twice" in _refusal(data)

    data = copy.deepcopy(base)
    del data["entries"][3]["intervention_key"]
    assert "entries[3], field 'intervention_key': is required" in _refusal(data)

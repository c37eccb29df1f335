"""The frameworks Jämlik ships: counts, cross references and bilingual text."""

from __future__ import annotations

import pytest

from jamlik import frameworks
from jamlik.frameworks import FactorKind, StarZone
from jamlik.frameworks.types import NamedItem


def test_every_framework_loads_with_header() -> None:
    assert set(frameworks.FRAMEWORK_NAMES) == {
        "malomraden",
        "kvalitetsmodell",
        "preventionsstjarna",
        "stodtrappa",
        "forutsattningar",
    }
    for name in frameworks.FRAMEWORK_NAMES:
        fw = frameworks.load(name)
        assert fw.meta.name == name
        assert fw.meta.schema_version == 1
        assert fw.meta.version
        assert fw.meta.county is None


def test_malomraden_are_the_eight_target_areas() -> None:
    fw = frameworks.load("malomraden")
    assert [a.number for a in fw.areas] == list(range(1, 9))
    assert fw.areas[0].name("sv") == "Det tidiga livets villkor"
    assert fw.areas[7].name("en") == "Equitable and health-promoting health care"


def test_kvalitetsmodell_steps_checklists_and_perspectives() -> None:
    fw = frameworks.load("kvalitetsmodell")
    assert len(fw.steps) == 8
    assert len(fw.perspectives) == 4
    assert fw.steps[0].name_sv == "Kartläggning och analys"
    assert fw.steps[7].name_sv == "Förbättring och spridning"
    for step in fw.steps:
        assert 4 <= len(step.checklist) <= 8, step.key
    assert fw.perspectives.keys() == (
        "sustainability",
        "communication",
        "staff_development",
        "ethics",
    )


def test_star_problem_areas_domains_and_factor_references() -> None:
    star = frameworks.load("preventionsstjarna")
    assert star.problem_areas.keys() == (
        "crime",
        "violence",
        "exclusion",
        "andts",
        "mental_ill_health",
    )
    assert star.domains.keys() == ("individual", "family", "school", "peers", "community")
    assert len(star.factors) >= 30
    known_sources = set(star.sources.keys())
    for factor in star.factors:
        assert factor.domain in star.domains
        assert set(factor.problem_areas) <= set(star.problem_areas.keys())
        assert factor.sources and set(factor.sources) <= known_sources
    kinds = {f.kind for f in star.factors}
    assert kinds == {FactorKind.RISK, FactorKind.PROTECTIVE}
    # The star's message needs factors shared by all problems and specific ones.
    zones = [star.zone(f) for f in star.factors]
    assert zones.count(StarZone.CENTRE) >= 5
    assert zones.count(StarZone.TIP) >= 2
    # Every domain has at least one risk factor and one protective factor.
    for domain in (d.key for d in star.domains):
        in_domain = [f for f in star.factors if f.domain == domain]
        assert {f.kind for f in in_domain} == {FactorKind.RISK, FactorKind.PROTECTIVE}, domain


def test_stodtrappa_and_forutsattningar_counts() -> None:
    ladder = frameworks.load("stodtrappa")
    assert ladder.steps.keys() == ("network", "dialogue", "leadership_visit", "deepened")
    assert {"andts", "crime_prevention", "parenting_support", "outdoor_life"} <= set(
        ladder.subject_areas.keys()
    )
    prereq = frameworks.load("forutsattningar")
    assert len(prereq.prerequisites) == 7
    assert len(prereq.dimensions) == 7
    assert prereq.prerequisites.get("local_data").number == 6


def _all_items(fw: frameworks.Framework) -> list[NamedItem]:
    items: list[NamedItem] = []
    for value in vars(fw).values():
        if hasattr(value, "items") and isinstance(getattr(value, "items", None), tuple):
            for item in value:
                items.append(item)
                checklist = getattr(item, "checklist", None)
                if checklist is not None:
                    items.extend(checklist)
    return items


@pytest.mark.parametrize("name", frameworks.FRAMEWORK_NAMES)
def test_names_and_descriptions_in_both_languages(name: str) -> None:
    items = _all_items(frameworks.load(name))
    assert items
    for item in items:
        assert item.name("sv") and item.name("en")
        assert item.name("en-gb") == item.name_en
        assert item.name("sv-se") == item.name_sv
        assert item.description("en") == item.description_en


def test_to_dict_is_json_ready() -> None:
    import json

    data = frameworks.load("preventionsstjarna").to_dict()
    text = json.dumps(data)
    assert data["factors"][0]["kind"] in {"risk", "protective"}
    assert data["meta"]["name"] == "preventionsstjarna"
    assert "Hawkins" in text


def test_short_citations() -> None:
    star = frameworks.load("preventionsstjarna")
    assert star.sources.get("hawkins_catalano_miller_1992").short("sv") == "Hawkins m.fl. 1992"
    assert star.sources.get("hawkins_catalano_miller_1992").short("en") == "Hawkins et al. 1992"
    assert star.sources.get("rise_2021").short("en") == "Johansson 2021"

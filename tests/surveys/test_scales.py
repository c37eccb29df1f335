"""The scale definition: the shipped CTC-style file, and refusals naming source, entry and field."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from jamlik.surveys.scales import (
    SHIPPED_SCALES,
    Scale,
    ScaleFileError,
    load_scale_set,
    shipped_scale_text,
)

STAR = Path(__file__).resolve().parents[2] / "src/jamlik/frameworks/data/preventionsstjarna.toml"

SMALL = """
schema_version = 1
survey_sv = "Enkät"
survey_en = "Survey"
code_prefix = "ue"
min_respondents = 10

[[questions]]
id = "a"
text_sv = "A"
text_en = "A"
codes = [1, 2, 3, 4]
missing = [9]

[[questions]]
id = "b"
text_sv = "B"
text_en = "B"
codes = [1, 2, 3, 4]

[[scales]]
id = "conflict"
factor = "family_conflict"
kind = "risk"
name_sv = "K"
name_en = "C"
items = ["a", "b"]
reverse = ["b"]
cutpoint = 2.5
definition_sv = "d"
definition_en = "d"

[[indicators]]
id = "yes_a"
name_sv = "Ja"
name_en = "Yes"
question = "a"
yes = [3, 4]
polarity = "low"
definition_sv = "d"
definition_en = "d"
"""


def test_the_shipped_definition_loads():
    scales = load_scale_set(shipped_scale_text())
    assert SHIPPED_SCALES.name == "ungdomsenkat.toml"
    assert 8 <= len(scales.scales) <= 12
    assert 6 <= len(scales.indicators) <= 10
    assert {s.kind for s in scales.scales} == {"risk", "protective"}
    assert scales.measures()[: len(scales.scales)] == [s.id for s in scales.scales]
    assert len(set(scales.measures())) == len(scales.measures())
    assert scales.code_prefix == "ue" and scales.min_respondents >= 1
    assert len(scales.digest) == 64 and scales.source == "ungdomsenkat.toml"
    for question in scales.questions.values():
        assert question.codes == (1, 2, 3, 4) and question.missing


def test_shipped_factor_and_problem_area_keys_exist_in_the_prevention_star():
    star = tomllib.loads(STAR.read_text(encoding="utf-8"))
    factors = {f["key"]: f for f in star["factors"]}
    problems = {p["key"] for p in star["problem_areas"]}
    scales = load_scale_set(shipped_scale_text())
    for scale in scales.scales:
        assert scale.factor in factors, scale.id
        assert factors[scale.factor]["kind"] == scale.kind, scale.id
    for indicator in scales.indicators:
        assert set(indicator.factors) <= set(factors), indicator.id
        assert set(indicator.problem_areas) <= problems, indicator.id


def test_polarity_follows_the_kind():
    scales = load_scale_set(shipped_scale_text())
    for scale in scales.scales:
        assert scale.polarity == ("low" if scale.kind == "risk" else "high")


def test_a_small_definition_and_its_defaults():
    scales = load_scale_set(SMALL, source="lan01.toml")
    (scale,) = scales.scales
    assert isinstance(scale, Scale)
    assert scale.min_items == 0.5 and scale.required_items() == 1
    assert scales.confidence == 0.95
    assert scales.questions["b"].missing == ()
    assert scales.measure("yes_a").yes == (3, 4)


def test_required_items_rounds_the_share_up():
    scales = load_scale_set(shipped_scale_text())
    by_id = {s.id: s for s in scales.scales}
    assert by_id["family_conflict"].required_items() == 2  # half of 3, rounded up
    assert by_id["low_school_commitment"].required_items() == 2  # half of 4


def test_definition_digest_follows_scoring_not_wording():
    base = load_scale_set(SMALL)
    renamed = load_scale_set(SMALL.replace('name_sv = "K"', 'name_sv = "Konflikt"'))
    recut = load_scale_set(SMALL.replace("cutpoint = 2.5", "cutpoint = 3.0"))
    recoded = load_scale_set(SMALL.replace("missing = [9]", "missing = [99]"))
    assert base.definition_digest("conflict") == renamed.definition_digest("conflict")
    assert base.definition_digest("conflict") != recut.definition_digest("conflict")
    assert base.definition_digest("yes_a") == recut.definition_digest("yes_a")
    assert base.definition_digest("yes_a") != recoded.definition_digest("yes_a")
    assert base.digest != renamed.digest


@pytest.mark.parametrize(
    ("old", "new", "entry", "field"),
    [
        ('items = ["a", "b"]', 'items = ["a", "c"]', "scales[0] 'conflict'", "items"),
        ('reverse = ["b"]', 'reverse = ["x"]', "scales[0] 'conflict'", "reverse"),
        ("cutpoint = 2.5", "cutpoint = 7", "scales[0] 'conflict'", "cutpoint"),
        ('kind = "risk"', 'kind = "danger"', "scales[0] 'conflict'", "kind"),
        ("yes = [3, 4]", "yes = [5]", "indicators[0] 'yes_a'", "yes"),
        ("yes = [3, 4]", "yes = [1, 2, 3, 4]", "indicators[0] 'yes_a'", "yes"),
        ('question = "a"', 'question = "zz"', "indicators[0] 'yes_a'", "question"),
        ("missing = [9]", "missing = [4]", "questions[0] 'a'", "missing"),
        ('id = "b"', 'id = "a"', "questions[1] 'a'", "id"),
        ('id = "yes_a"', 'id = "conflict"', "indicators[0] 'conflict'", "id"),
        ('polarity = "low"', 'polarity = "low"\ncolour = "red"', "indicators[0] 'yes_a'", "colour"),
        (
            'factor = "family_conflict"',
            'factor = "Family Conflict"',
            "scales[0] 'conflict'",
            "factor",
        ),
        ("cutpoint = 2.5", "cutpoint = 2.5\nmin_items = 1.5", "scales[0] 'conflict'", "min_items"),
    ],
)
def test_refusals_name_source_entry_and_field(old, new, entry, field):
    assert old in SMALL
    with pytest.raises(ScaleFileError) as caught:
        load_scale_set(SMALL.replace(old, new, 1), source="lan01.toml")
    error = caught.value
    assert (error.source, error.entry, error.field) == ("lan01.toml", entry, field)
    assert str(error).startswith(f"lan01.toml: {entry}: {field}: ")


def test_broken_toml_is_refused_with_the_source():
    with pytest.raises(ScaleFileError, match=r"^lan01.toml: valid TOML"):
        load_scale_set("schema_version = [", source="lan01.toml")


def test_wrong_schema_version_and_empty_definition():
    with pytest.raises(ScaleFileError, match="schema_version"):
        load_scale_set(SMALL.replace("schema_version = 1", "schema_version = 2"))
    head = SMALL.split("[[scales]]")[0]
    with pytest.raises(ScaleFileError, match="at least one scale or indicator"):
        load_scale_set(head)

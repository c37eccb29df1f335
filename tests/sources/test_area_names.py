"""Area cells read as codes: every official code and name, the spellings offices use,
and misspellings that become questions with the right first candidate."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from jamlik.sources.area_names import (
    COUNTY,
    DISTRICT,
    MUNICIPALITY,
    AreaNames,
    KnownArea,
    folded,
    name_key,
    shipped_areas,
)
from jamlik.sources.questions import AreaQuestions, area_key

AREAS = shipped_areas()
DISTRICTS = [
    KnownArea("0127S01", "Alby", DISTRICT, "0127"),
    KnownArea("0180S04", "Bromma", DISTRICT, "0180"),
    KnownArea("0180C1010", "Centrum", DISTRICT, "0180"),
    KnownArea("1480C1010", "Centrum", DISTRICT, "1480"),
]
NAMES = AreaNames([*AREAS, *DISTRICTS])
OFFICIAL = [a for a in AREAS if a.level in (MUNICIPALITY, COUNTY)]
LETTERS = "abcdefghijklmnopqrstuvwxyzåäö"


def test_the_shipped_geography_is_complete() -> None:
    levels = [a.level for a in AREAS]
    assert levels.count(MUNICIPALITY) == 290 and levels.count(COUNTY) == 21


@pytest.mark.parametrize("area", AREAS, ids=lambda a: a.code)
def test_every_official_code_and_name_reads_exactly(area: KnownArea) -> None:
    for text in (area.code, area.name, f"{area.code} {area.name}", area.name.upper()):
        reading = NAMES.read(text)
        assert reading.code == area.code, (text, reading)


@given(area=st.sampled_from(OFFICIAL), separator=st.sampled_from([" ", " - ", ": ", ", ", "  "]))
def test_code_then_name_reads_exactly(area: KnownArea, separator: str) -> None:
    assert NAMES.read(f"{area.code}{separator}{area.name}").code == area.code
    assert NAMES.read(f"{area.name} ({area.code})").code == area.code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("180", "0180"),  # the leading zero a spreadsheet ate
        ("1", "01"),
        ("0001", "01"),  # Kolada's region code
        ("0000", "00"),
        ("00", "00"),
        ("Upplands Väsby", "0114"),
        ("upplands-väsby", "0114"),
        ("Upplands Väsby kommun", "0114"),
        ("Upplands-Bro", "0139"),
        ("Upplands Bro kommun", "0139"),
        ("Malung-Sälen", "2023"),
        ("Malung–Sälens kommun", "2023"),  # en dash and the genitive
        ("  MALUNG  SÄLEN ", "2023"),
        ("Borås kommun", "1490"),
        ("Göteborgs stad", "1480"),
        ("Stockholms län", "01"),
        ("Region Stockholm", "01"),
        ("Region Skåne", "12"),
        ("Skåne", "12"),
        ("Region Sörmland", "04"),
        ("Region Jämtland Härjedalen", "23"),
        ("Region Jönköpings län", "06"),
        ("Västra Götalands län", "14"),
        ("Riket", "00"),
        ("Sverige", "00"),
        ("Hela landet", "00"),
        ("00 Riket", "00"),
        ("01 Stockholms län", "01"),
        ("0127S01", "0127S01"),
        ("0127s01", "0127S01"),
        ("0127S01 Alby", "0127S01"),
        ("Bromma", "0180S04"),
        ("Habo", "0643"),  # not Håbo: letters are not folded for exact readings
        ("Håbo", "0305"),
    ],
)
def test_spellings_read_exactly(text: str, code: str) -> None:
    reading = NAMES.read(text)
    assert reading.code == code, reading
    assert not reading.question


def test_a_kommun_name_wins_over_the_stem_of_a_lan_and_says_so() -> None:
    reading = NAMES.read("Stockholm")
    assert reading.code == "0180"
    assert "Stockholms län (01)" in reading.note_en and "kommun" in reading.note_en
    assert "Stockholms län (01)" in reading.note_sv
    assert NAMES.read("Uppsala").code == "0380" and NAMES.read("Uppsala län").code == "03"
    assert NAMES.read("Gotland").code == "0980" and NAMES.read("Gotlands län").code == "09"


def test_a_name_shared_by_two_districts_is_a_question() -> None:
    reading = NAMES.read("Centrum")
    assert reading.question and {a.code for a in reading.candidates} == {
        "0180C1010",
        "1480C1010",
    }


def test_code_and_name_that_disagree_are_a_question() -> None:
    reading = NAMES.read("0180 Göteborg")
    assert reading.question
    assert [a.code for a in reading.candidates] == ["0180", "1480"]


def test_an_unknown_code_with_a_known_name_suggests_the_name() -> None:
    reading = NAMES.read("9999 Lund")
    assert reading.question and reading.candidates[0].code == "1281"


def test_a_known_code_with_a_misspelt_name_is_the_code() -> None:
    assert NAMES.read("0180 Stokholm").code == "0180"


def test_folded_letters_are_a_question_not_a_guess() -> None:
    for text, code in (("Goteborg", "1480"), ("Malmo", "1280"), ("Orebro", "1880")):
        reading = NAMES.read(text)
        assert reading.question and reading.candidates[0].code == code


def test_nothing_like_an_area_is_neither_exact_nor_a_question() -> None:
    for text in ("xyzzy plugh", "", "99999"):
        reading = NAMES.read(text)
        assert reading.code is None and not reading.question


def _every_key() -> dict[str, set[str]]:
    """All spellings the resolver knows, as compared (for the test's own check)."""
    return {key: {c for codes in by.values() for c in codes} for key, by in NAMES._keys.items()}


KEYS = _every_key()


def _typo(name: str, data: st.DataObject) -> str:
    position = data.draw(st.integers(0, len(name) - 1))
    letter = data.draw(st.sampled_from(LETTERS))
    kind = data.draw(st.sampled_from(["substitute", "insert", "delete", "swap"]))
    if kind == "substitute":
        return name[:position] + letter + name[position + 1 :]
    if kind == "insert":
        return name[:position] + letter + name[position:]
    if kind == "delete":
        return name[:position] + name[position + 1 :]
    position = min(position, len(name) - 2)
    return name[:position] + name[position + 1] + name[position] + name[position + 2 :]


@settings(max_examples=400, deadline=None)
@given(area=st.sampled_from(OFFICIAL), data=st.data())
def test_a_single_typo_is_a_question_with_the_right_first_candidate(
    area: KnownArea, data: st.DataObject
) -> None:
    typo = _typo(area.name, data)
    key = name_key(typo)
    assume(key and key not in KEYS)  # a typo that spells another area is that area
    reading = NAMES.read(typo)
    assert reading.code is None and reading.question, reading
    # The right area is asked about; it comes first whenever no other area is as close
    # (Mora/Nora, Habo/Håbo: one letter apart, both candidates are shown).
    target = folded(key)
    rivals = {
        code
        for spelling, codes in KEYS.items()
        if OSA.distance(target, folded(spelling)) <= 1
        for code in codes
        if code != area.code
    }
    codes = [a.code for a in reading.candidates]
    assert area.code in codes or len(rivals) >= len(codes)
    if not rivals:
        assert codes[0] == area.code, (typo, codes)


def test_the_reader_asks_once_per_name_with_candidate_labels() -> None:
    allowed = {a.code for a in AREAS}
    questions = AreaQuestions(NAMES, None, allowed)
    assert questions.code("Upsala", "Upsala") == "0380"  # the suggestion, for the preview
    assert questions.code("0180", "0180") == "0180"
    import numpy as np

    texts = np.array(["Upsala", "0180", "Upsala"], dtype=object)
    questions.tally([2, 3, 4], texts)
    (warning,) = questions.warnings("f.csv")
    assert warning.question and warning.kind == "area_name" and warning.row == 2
    assert warning.choices[0] == "0380 Uppsala" and "2 rader" in warning.sv
    answered = AreaQuestions(NAMES, {area_key("Upsala"): "03"}, allowed)
    assert answered.code("Upsala", "Upsala") == "03"


def test_an_editor_is_offered_their_own_areas_first() -> None:
    questions = AreaQuestions(NAMES, None, {"01"})
    assert questions.code("Stokholm", "Stokholm") == "01"

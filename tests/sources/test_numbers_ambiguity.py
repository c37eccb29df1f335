"""``984,748``: a count or a decimal? Recognised, decided by the column when it can be,
asked once per column when it cannot, and read as answered."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamlik.sources.numbers import (
    DECIMAL,
    THOUSANDS,
    ambiguous_separator,
    parse_number,
    separator_evidence,
)
from jamlik.sources.questions import (
    UnansweredQuestions,
    answer_for_choice,
    question_key,
    suggested_answers,
    thousands_key,
)
from jamlik.sources.template import open_import_file

AREAS = {"0180", "0127", "01"}
HEADER = "indikator;område;period;täljare;nämnare\n"


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("984,748", ","),
        ("1.234", "."),
        ("-12,345", ","),
        ("\u221212,345", ","),
        (" 984,748 ", ","),
        ("0,345", None),  # a leading 0 is no thousands group
        ("1234,567", None),  # four digits before: no thousands group
        ("12,34", None),
        ("1 234,567", None),  # spaces already separate the thousands
        ("1,234,567", None),
        ("1.234,5", None),
        ("984748", None),
    ],
)
def test_ambiguous_cells_are_recognised(text: str, mark: str | None) -> None:
    assert ambiguous_separator(text) == mark


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("5,5", {(",", DECIMAL)}),
        ("0,345", {(",", DECIMAL)}),
        ("1 234,567", {(",", DECIMAL)}),
        ("1,234,567", {(",", THOUSANDS)}),
        ("1.234.567", {(".", THOUSANDS)}),
        ("1.234,5", {(",", DECIMAL), (".", THOUSANDS)}),
        ("1,234.5", {(".", DECIMAL), (",", THOUSANDS)}),
        ("984,748", set()),
        ("17", set()),
        ("1,2,3", set()),
    ],
)
def test_what_a_cell_shows_about_its_separators(text: str, evidence: set) -> None:
    assert separator_evidence(text) == evidence


@given(st.integers(1_000, 999_999), st.sampled_from([",", "."]))
def test_one_parser_reads_both_ways(number: int, mark: str) -> None:
    text = f"{number // 1000}{mark}{number % 1000:03d}"
    assert ambiguous_separator(text) == mark
    assert parse_number(text, thousands=mark) == number
    assert parse_number(text) == pytest.approx(number / 1000)
    other = "." if mark == "," else ","
    assert parse_number(text, thousands=other) == pytest.approx(number / 1000)


def test_grouped_thousands_parse() -> None:
    assert parse_number("1,234,567") == 1_234_567
    assert parse_number("1.234.567") == 1_234_567
    with pytest.raises(ValueError):
        parse_number("1,23,456")


def _read(text: str, answers: dict | None = None) -> tuple[list, list]:
    reader = open_import_file("counts.csv", data=text.encode(), known_areas=AREAS, answers=answers)
    observations = [o for chunk in reader.chunks() for o in chunk.observations()]
    return observations, reader.warnings


def test_an_ambiguous_column_is_one_question_with_examples_and_a_count() -> None:
    rows = "".join(f"N1;0180;{2000 + i};984,748;1 200 000\n" for i in range(5))
    rows += "N1;0127;2000;1,234;90 000\nN1;0127;2001;12;90 000\n"
    observations, warnings = _read(HEADER + rows)
    (question,) = [w for w in warnings if w.question]
    assert question.kind == "thousands_separator" and question.column == "numerator"
    assert question.choices == ("984748", "984.748")
    assert question.row == 2 and question.value == "984,748"
    assert "6 numbers" in question.en and "'984,748', '1,234'" in question.en
    assert "6 tal" in question.sv
    # Unanswered, the preview shows the cells read as decimals (as before) and asks.
    assert observations[0].numerator == pytest.approx(984.748)


def test_the_answer_decides_how_the_column_is_read() -> None:
    text = HEADER + "N1;0180;2020;984,748;1 200 000\nN1;0127;2020;1,234;90 000\n"
    _obs, warnings = _read(text)
    (question,) = [w for w in warnings if w.question]
    counts = {question_key(question): answer_for_choice(question, "984748")}
    assert counts == {thousands_key("numerator"): THOUSANDS}
    observations, warnings = _read(text, counts)
    assert [o.numerator for o in observations] == [984_748, 1_234]
    assert not [w for w in warnings if w.question]
    assert any("as answered" in w.en for w in warnings)
    decimals = {question_key(question): answer_for_choice(question, "984.748")}
    observations, _ = _read(text, decimals)
    assert [o.numerator for o in observations] == [pytest.approx(984.748), pytest.approx(1.234)]
    assert suggested_answers([question]) == counts


def test_the_column_decides_when_its_other_cells_show_the_comma() -> None:
    decimal = HEADER + "N1;0180;2020;984,748;2000\nN1;0127;2020;5,5;10\n"
    observations, warnings = _read(decimal)
    assert not [w for w in warnings if w.question]
    assert observations[0].numerator == pytest.approx(984.748)
    assert any(w.kind == "thousands_separator" and "decimal mark" in w.en for w in warnings)
    thousands = HEADER + "N1;0180;2020;1,234,567;2 000 000\nN1;0127;2020;984,748;1 000 000\n"
    observations, warnings = _read(thousands)
    assert not [w for w in warnings if w.question]
    assert [o.numerator for o in observations] == [1_234_567, 984_748]


def test_late_evidence_against_an_early_reading_is_still_asked() -> None:
    """A cell read before the column showed anything is not silently misread."""
    text = HEADER + "N1;0180;2020;984,748;2 000 000\nN1;0127;2020;1,234,567;2 000 000\n"
    reader = open_import_file("late.csv", data=text.encode(), known_areas=AREAS, chunk_rows=1)
    list(reader.chunks())
    assert [w.column for w in reader.warnings if w.question] == ["numerator"]


def test_workbook_numbers_and_plain_counts_raise_no_question() -> None:
    _obs, warnings = _read(HEADER + "N1;0180;2020;984748;1200000\nN1;0127;2020;0,345;1\n")
    assert not [w for w in warnings if w.kind == "thousands_separator"]


def test_an_unanswered_question_lists_as_a_problem() -> None:
    from jamlik.sources.errors import ImportWarning

    question = ImportWarning(
        "f.csv", 2, "numerator", "984,748", "thousands_separator", "Count?", "Antal?",
        ("984748", "984.748"), question=True,
    )  # fmt: skip
    error = UnansweredQuestions([question])
    assert error.questions == [question]
    (problem,) = error.problems
    assert problem.row == 2 and "984748 / 984.748" in problem.expected

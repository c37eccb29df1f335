"""The CSV/XLSX import template: Swedish file realities and every validation rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from jamlik.sources import ImportValidationError, read_import_file
from jamlik.sources.decoding import decode_text
from jamlik.sources.reading import sniff_separator as sniff_delimiter

from .helpers import FIXTURES

AREAS = {"00", "01", "0127", "0180", "0186"}
IMPORT = FIXTURES / "import"


def test_semicolon_windows_1252_decimal_comma_swedish_headers() -> None:
    result = read_import_file(IMPORT / "good_semicolon_cp1252.csv", known_areas=AREAS)
    assert result.rows == 5  # the blank line is skipped, not counted
    rows = {(o.indicator, o.breakdown, o.category): o for o in result.observations}
    total = rows[("U01405", "total", "total")]
    assert (total.value, total.lower, total.upper) == (66.1, 62.0, 70.2)
    assert total.period == "2021-2024"
    assert total.note == "Enkät, fyraårsperiod"
    assert rows[("U01405", "sex", "female")].value == 63.0
    mpr = rows[("N01481", "total", "total")]
    assert mpr.area == "0180"  # Excel's lost leading zero restored
    assert (mpr.numerator, mpr.denominator, mpr.value) == (1234.0, 1300.0, None)
    school = rows[("N15428", "utbildning", "förgymnasial")]
    assert school.period == "2023/24"
    assert school.source == "good_semicolon_cp1252.csv"


def test_comma_separated_utf8_with_bom_and_excel_serial_date() -> None:
    result = read_import_file(
        IMPORT / "good_comma_utf8bom.csv", known_areas=AREAS, source="Lidingö stad"
    )
    values = [(o.area, o.period, o.value) for o in result.observations]
    assert values == [("0186", "2024", 18.2), ("00", "2024", 22.6), ("0186", "2023-12-31", 19.0)]
    assert {o.source for o in result.observations} == {"Lidingö stad"}


def test_every_problem_is_reported_with_file_row_column_value_expected() -> None:
    with pytest.raises(ImportValidationError) as info:
        read_import_file(IMPORT / "errors.csv", known_areas=AREAS)
    problems = {(p.row, p.column): p for p in info.value.problems}
    assert {p.file for p in info.value.problems} == {"errors.csv"}
    text = problems[(2, "value")]
    assert (text.value, text.expected) == ("sextio", "a number (decimal comma or point), or empty")
    assert problems[(3, "area")].value == "9999"
    assert "known area code" in problems[(3, "area")].expected
    duplicate = problems[(5, "")]
    assert "same as row 4" in duplicate.expected
    ratio = problems[(6, "numerator")]
    assert (ratio.value, ratio.expected) == ("1400", "at most the denominator (1300)")
    assert problems[(7, "period")].value == "tjugo"
    assert len(info.value.problems) == 5
    assert "errors.csv, row 2, column 'value': got 'sextio'" in str(info.value)


def test_wrong_header_is_refused_before_any_row() -> None:
    with pytest.raises(ImportValidationError) as info:
        read_import_file(IMPORT / "wrong_header.csv", known_areas=AREAS)
    found = {(p.row, p.column) for p in info.value.problems}
    # "kommun" is accepted as the area column (issue 14); "procent" is not a template column.
    assert found == {(1, "procent"), (1, "value")}


def test_unknown_indicator_is_refused_when_catalogue_given(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("indicator;area;period;value\nN99999;0127;2024;1\n", encoding="utf-8")
    with pytest.raises(ImportValidationError) as info:
        read_import_file(path, known_areas=AREAS, known_indicators={"N00957"})
    [problem] = info.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "indicator", "N99999")


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        ("U1;0127;2024;sex;;5", "category", "both breakdown and category"),
        ("U1;0127;2024;;;-", "value", "a number"),
        ("U1;0127;2024;;;", "value", "a value, or a numerator and a denominator"),
        ("U1;;2024;;;5", "area", "an area code"),
    ],
)
def test_row_rules(tmp_path: Path, line: str, column: str, expected: str) -> None:
    path = tmp_path / "rule.csv"
    path.write_text(
        "indicator;area;period;breakdown;category;value\n" + line + "\n", encoding="utf-8"
    )
    with pytest.raises(ImportValidationError) as info:
        read_import_file(path, known_areas=AREAS)
    assert [(p.column, expected in p.expected) for p in info.value.problems] == [(column, True)]


def test_interval_must_contain_the_value(tmp_path: Path) -> None:
    path = tmp_path / "ci.csv"
    path.write_text(
        "indicator;area;period;value;lower;upper\nU1;0127;2024;50;55;60\n", encoding="utf-8"
    )
    with pytest.raises(ImportValidationError) as info:
        read_import_file(path, known_areas=AREAS)
    assert [p.expected for p in info.value.problems] == ["at most the value (50)"]


def test_xlsx_with_numbers_date_cells_and_zero_stripped_codes(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Indikator", "Område", "Period", "Täljare", "Nämnare", "Värde"])
    sheet.append(["N01481", 127, 2024, 950, 1000, None])
    sheet.append(["N01481", "0180", dt.datetime(2024, 12, 31), None, None, 96.5])
    sheet.append([None, None, None, None, None, None])
    path = tmp_path / "mpr.xlsx"
    workbook.save(path)
    result = read_import_file(path, known_areas=AREAS)
    assert [(o.area, o.period, o.numerator, o.value) for o in result.observations] == [
        ("0127", "2024", 950.0, None),
        ("0180", "2024-12-31", None, 96.5),
    ]
    assert result.rows == 2


def test_broken_xlsx_and_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(ImportValidationError, match="an Excel workbook"):
        read_import_file(path, known_areas=AREAS)
    with pytest.raises(ImportValidationError, match="a .csv or .xlsx file"):
        read_import_file(tmp_path / "data.ods", known_areas=AREAS, data=b"x")


def test_header_only_file_has_no_data(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("indicator;area;period;value\n", encoding="utf-8")
    with pytest.raises(ImportValidationError, match="at least one data row"):
        read_import_file(path, known_areas=AREAS)


def decode_bytes(data: bytes) -> str:
    return decode_text(data, "")[0]


def test_decoding_and_sniffing() -> None:
    assert decode_bytes("Område".encode("cp1252")) == "Område"
    assert decode_bytes(b"\xef\xbb\xbfOmr\xc3\xa5de") == "Område"
    assert sniff_delimiter("a;b;c\n1,5;2;3") == ";"
    assert sniff_delimiter("a,b,c\n") == ","
    assert sniff_delimiter("a\tb\n") == "\t"


# A file read in blocks must say exactly what a row-by-row reading says, wherever the
# blocks split it: problems in row order, duplicates across blocks, the same observations.
MESSY = (
    "indikator;område;period;indelning;kategori;täljare;nämnare;värde\n"
    "U01405;127;2024;;;12;40;\n"
    ";;;;;;;\n"  # separators only: blank, skipped
    "U01405;0127;2024;sex;;x;40;\n"
    "U01405;9999;20x4;;;50;40;\n"
    "U01405;0180;2023/24;;;;;\n"
    "U01405;0127;2024;;;13;40;\n"  # same cell as row 2
    'U01405;"0186";2024;sex;female;1 234;2 000;\n'
    "U01405;00\n"  # fewer fields than the header
)


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 50_000])
def test_blocks_report_what_rows_report(chunk_rows: int) -> None:
    from jamlik.sources.template import open_import_file

    reader = open_import_file(
        "messy.csv", data=MESSY.encode("cp1252"), known_areas=AREAS, chunk_rows=chunk_rows
    )
    with pytest.raises(ImportValidationError) as caught:
        list(reader.chunks())
    found = [(p.row, p.column, p.value) for p in caught.value.problems]
    assert found == [
        (4, "category", "total"),
        (4, "numerator", "x"),
        (4, "numerator", ""),  # unreadable, so the pair is incomplete too
        (5, "area", "9999"),
        (5, "period", "20x4"),
        (5, "numerator", "50"),  # over the denominator
        (6, "value", ""),
        (7, "", "U01405 / 0127 / 2024 / total / total"),
        (9, "period", ""),
    ]
    assert "same as row 2" in caught.value.problems[7].expected
    assert reader.rows == 7


def test_file_without_note_column_stores_empty_notes_in_blocks() -> None:
    data = "indikator;område;period;värde\nU01405;0127;2024;5,5\nU01405;0180;2024;6\n"
    result = read_import_file("plain.csv", data=data.encode(), known_areas=AREAS)
    assert [(o.area, o.value, o.note) for o in result.observations] == [
        ("0127", 5.5, ""),
        ("0180", 6.0, ""),
    ]


def test_undecodable_or_broken_csv_is_a_problem_not_a_crash() -> None:
    broken = b'indikator;omr\xc3\xa5de;period;v\xc3\xa4rde\nU01405;0127;2024;"5\n'
    with pytest.raises(ImportValidationError) as caught:
        read_import_file("broken.csv", data=broken, known_areas=AREAS)
    assert caught.value.problems[0].file == "broken.csv"

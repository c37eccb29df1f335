"""The one reading layer (jamlik.sources.reading): encodings, separators, header rows,
whole workbooks, limits.  Each finding of issue 14 is a test here."""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.sources import ImportValidationError, read_import_file
from jamlik.sources.decoding import decode_text, detect_encoding
from jamlik.sources.limits import ReadLimits, check_workbook_archive
from jamlik.sources.reading import find_header, sniff_separator, text_dialect
from jamlik.sources.template import open_import_file
from jamlik.sources.workbooks import read_workbook

from .reading_shapes import (
    bomb_by_declared_size,
    bomb_by_ratio,
    with_dimension,
    workbook,
)

AREAS = {"00", "01", "0127", "0180", "0186"}
HEADER = ["indikator", "område", "år", "värde"]
LIMITS = ReadLimits()


def _read(name: str, data: bytes, **options):  # noqa: ANN003, ANN202
    return read_import_file(name, known_areas=AREAS, data=data, **options)


def _problems(name: str, data: bytes) -> list:  # noqa: ANN001
    with pytest.raises(ImportValidationError) as info:
        _read(name, data)
    return info.value.problems


# ---- XLSX: every row, whatever the sheet declares ----------------------------------


def test_xlsx_declaring_a_smaller_dimension_loses_no_rows() -> None:
    rows = [HEADER] + [["U1", "0127", 2000 + i, i] for i in range(10)]
    data = with_dimension(workbook(rows), "A1:D3")
    result = _read("lost.xlsx", data)
    assert result.rows == 10 and len(result.observations) == 10


def test_xlsx_declaring_a1_like_a_swedish_region_export_is_read_whole() -> None:
    rows = [["Län", "Indikator", "År", "Värde", "Nedre", "Övre", "Kommentar"]]
    rows += [["0180", "U1", 1990 + i, 50 + i, 40 + i, 60 + i, f"rad {i}"] for i in range(32)]
    sheet = read_workbook(with_dimension(workbook(rows), "A1"), "region.xlsx", LIMITS)[0]
    assert len(sheet.rows) == 33 and {len(r) for r in sheet.rows} == {7}
    assert _read("region.xlsx", with_dimension(workbook(rows), "A1")).rows == 32


def test_merged_cells_take_the_top_left_value() -> None:
    rows = [["Hälsa i länet", None, None, None], HEADER, ["U1", "0127", 2024, 5]]
    sheet = read_workbook(workbook(rows, merged=["A1:D1"]), "m.xlsx", LIMITS)[0]
    assert sheet.rows[0] == ["Hälsa i länet"] * 4


def test_formula_without_a_saved_result_is_a_problem_not_an_empty_cell() -> None:
    rows = [HEADER, ["U1", "0127", 2024, 5], ["U1", "0180", 2024, "=D2*2"]]
    [problem] = _problems("f.xlsx", workbook(rows, title="Data"))
    assert (problem.file, problem.row, problem.column) == ("f.xlsx", 3, "D")
    assert problem.value == "=D2*2" and "sheet 'Data', cell D3" in problem.expected


def test_broken_workbook_is_a_problem() -> None:
    [problem] = _problems("broken.xlsx", b"PK\x03\x04 not really")
    assert problem.expected == "an Excel workbook (.xlsx) that opens"


# ---- limits ------------------------------------------------------------------------


@pytest.mark.parametrize("bomb", [bomb_by_ratio, bomb_by_declared_size])
def test_zip_bomb_is_refused_from_the_directory_fast_and_small(bomb) -> None:  # noqa: ANN001
    data = bomb()
    tracemalloc.start()
    try:
        with pytest.raises(ImportValidationError) as info:
            open_import_file("bomb.xlsx", known_areas=AREAS, data=data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024  # the archive is never unpacked
    [problem] = info.value.problems
    assert "zip bomb" in problem.expected or "unpacked" in problem.expected


def test_workbook_limits_are_configurable() -> None:
    small = ReadLimits(max_xlsx_bytes=1000)
    with pytest.raises(ImportValidationError, match="at most"):
        check_workbook_archive("w.xlsx", workbook([HEADER]), small)


def test_file_size_and_row_limits(tmp_path) -> None:  # noqa: ANN001
    data = ("indicator;area;period;value\n" + "U1;0127;2024;1\n" * 20).encode()
    with pytest.raises(ImportValidationError, match="at most 10 data rows"):
        reader = open_import_file(
            "r.csv", known_areas=AREAS, data=data, limits=ReadLimits(max_rows=10)
        )
        list(reader.chunks())
    with pytest.raises(ImportValidationError, match="a file of at most"):
        open_import_file("r.csv", known_areas=AREAS, data=data, limits=ReadLimits(max_bytes=100))


def test_limits_come_from_settings(settings) -> None:  # noqa: ANN001
    from jamlik.sources.limits import current_limits

    settings.JAMLIK_IMPORT_MAX_ROWS = 7
    assert current_limits().max_rows == 7


def test_django_settings_read_the_environment() -> None:
    from django.conf import settings

    assert settings.JAMLIK_IMPORT_MAX_BYTES == 200 * 1024**2
    assert settings.JAMLIK_IMPORT_MAX_RATIO == 100


# ---- encodings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "codec", "warned"),
    [
        ("Område;år\n".encode(), "utf-8", False),
        ("\ufeffOmråde;år\n".encode(), "utf-8-sig", False),
        ("Område\tår\n".encode("utf-16"), "utf-16", True),
        ("Område\tår\n".encode("utf-16-le"), "utf_16_le", True),
        ("Område;år;Örebro\n".encode("cp1252"), "cp1252", True),
        ("Område;Åre;Älvsbyn\n".encode("cp850"), "cp850", True),
    ],
)
def test_encoding_detected(data: bytes, codec: str, warned: bool) -> None:
    encoding = detect_encoding(data, "f.csv")
    assert encoding.codec == codec
    assert [w.kind for w in encoding.warnings] == (["encoding"] if warned else [])
    assert "Område" in data.decode(codec).lstrip("\ufeff") or "Åre" in data.decode(codec)


@pytest.mark.parametrize("byte", [b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"])
def test_bytes_undefined_in_windows_1252_are_a_problem_naming_the_row(byte: bytes) -> None:
    data = "indikator;område;år;värde\nU1;0127;2024;5\n".encode("cp1252")
    data += b"U1;0180;2024;" + byte + b"x\n"
    [problem] = _problems("odd.csv", data)
    assert problem.row == 3 and f"0x{byte[0]:02X}" in problem.value
    assert "UTF-8 or Windows-1252" in problem.expected


def test_binary_file_is_not_text() -> None:
    with pytest.raises(ImportValidationError, match="binary"):
        decode_text(b"\x00\x01\x02\xff" * 64 + b"\x00\x00\x00", "x.txt")


@given(st.text(alphabet="abcåäöÅÄÖé;,\n 0123456789", max_size=200))
@settings(max_examples=60, deadline=None)
def test_utf8_and_cp1252_round_trip(text: str) -> None:
    for codec in ("utf-8", "utf-8-sig", "cp1252", "utf-16"):
        assert decode_text(text.encode(codec), "p.csv")[0].lstrip("\ufeff") == text.lstrip("\ufeff")


# ---- separators and header rows ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "separator"),
    [
        ("indikator;område;värde\nU1;0127;12,5\nU1;0180;1,25\n", ";"),
        ("indicator,area,value\nU1,0127,12.5\n", ","),
        ("indicator\tarea\tvalue\nU1\t0127\t12,5\n", "\t"),
        ('a,b,c\n"1;2",3,4\n', ","),
        ("Rubrik\n\nindikator;område;värde\nU1;0127;1,5\n", ";"),
    ],
)
def test_separator_sniffed(text: str, separator: str) -> None:
    assert sniff_separator(text) == separator


def test_sep_line_is_excels_hint_not_the_header() -> None:
    data = b"sep=,\nindicator,area,period,value\nU1,0127,2024,5\n"
    dialect = text_dialect(data, "s.csv")
    assert (dialect.separator, dialect.sep_line) == (",", True)
    result = _read("s.csv", data)
    assert [o.value for o in result.observations] == [5.0]
    assert "separator" in {w.kind for w in result.warnings}


def test_title_rows_are_skipped_and_the_header_row_is_said() -> None:
    data = "Ohälsotal 2024;;;\n;;;\nKälla: FK;;;\nindikator;område;år;värde\nU1;0127;2024;5\n"
    result = _read("t.csv", data.encode("cp1252"))
    assert [o.value for o in result.observations] == [5.0]
    [warning] = [w for w in result.warnings if w.kind == "header_row"]
    assert warning.row == 4 and "Ohälsotal 2024" in warning.en and "Rad 4" in warning.sv


def test_a_problem_in_a_row_below_titles_names_that_row() -> None:
    data = "Titel\nindikator;område;år;värde\nU1;0127;2024;x\n".encode()
    [problem] = _problems("t.csv", data)
    assert (problem.row, problem.column) == (3, "value")


def test_header_problems_name_the_header_row() -> None:
    data = "Titel\n\nindikator;område;år;procent\nU1;0127;2024;5\n".encode()
    problems = {(p.row, p.column) for p in _problems("t.csv", data)}
    assert problems == {(3, "procent"), (3, "value")}


@pytest.mark.parametrize("name", ["Kommun", "LÄN", "Område", " region ", "Kommunkod", "Områdeskod"])
def test_area_header_aliases(name: str) -> None:
    data = f"Indikator;{name};Period;Värde\nU1;0127;2024;5\n".encode()
    assert [o.area for o in _read("a.csv", data).observations] == ["0127"]


def test_find_header_falls_back_to_the_first_non_blank_row() -> None:
    rows = [(1, ["", ""]), (2, ["a", "b"]), (3, ["c", "d"])]
    assert find_header(rows, {"x", "y"}, minimum=2) == 1
    assert find_header(rows, {"c", "d"}, minimum=2) == 2
    assert find_header([(1, [None])], {"x"}, minimum=1) == -1


# ---- fields ------------------------------------------------------------------------


def test_field_over_128_kib_is_a_problem_not_a_crash() -> None:
    data = (
        'indikator;område;år;värde;kommentar\nU1;0127;2024;5;"' + "x" * 140_000 + '"\n'
    ).encode()
    [problem] = _problems("long.csv", data)
    assert problem.row == 2 and "128 KiB" in problem.expected


def test_unclosed_quote_is_a_problem() -> None:
    data = b'indicator;area;period;value\nU1;0127;2024;"5\n'
    problems = _problems("q.csv", data)
    assert problems and all(p.file == "q.csv" for p in problems)


# ---- composite breakdowns ----------------------------------------------------------


def test_composite_breakdown_is_normalised_by_dimension_name() -> None:
    data = (
        b"indicator;area;period;breakdown;category;value\n"
        b"U1;0127;2024;sex*age;female*65-84;3\n"
        b"U1;0127;2024;age*sex;65-84*male;4\n"
        b"U1;0127;2024;sex*age;female*total;5\n"
    )
    rows = [(o.breakdown, o.category, o.value) for o in _read("c.csv", data).observations]
    assert rows == [
        ("age*sex", "65-84*female", 3.0),
        ("age*sex", "65-84*male", 4.0),
        ("sex", "female", 5.0),
    ]


def test_composite_breakdown_with_mismatched_parts_names_row_and_column() -> None:
    data = b"indicator;area;period;breakdown;category;value\nU1;0127;2024;sex*age;female;3\n"
    [problem] = _problems("c.csv", data)
    assert (problem.row, problem.column, problem.value) == (2, "category", "female")
    assert "one category per dimension" in problem.expected


def test_composite_duplicates_are_found_whatever_the_order() -> None:
    data = (
        b"indicator;area;period;breakdown;category;value\n"
        b"U1;0127;2024;sex*age;female*65-84;3\nU1;0127;2024;age*sex;65-84*female;3\n"
    )
    [problem] = _problems("c.csv", data)
    assert problem.row == 3 and "same as row 2" in problem.expected


# ---- large files ----------------------------------------------------------------------


@pytest.mark.slow
def test_a_large_csv_below_a_title_row_is_read_whole_in_blocks() -> None:
    """Its speed is bench/bench_import.py's business; here: every row, header found."""
    body = "".join(f"U{i};0127;2024;sex;female;{i % 97},5\n" for i in range(200_000))
    data = ("Rubrik;;;;;\nindicator;area;period;breakdown;category;value\n" + body).encode()
    reader = open_import_file("big.csv", known_areas=AREAS, data=data)
    chunks = [len(chunk) for chunk in reader.chunks()]
    assert sum(chunks) == 200_000 and reader.header_row == 2
    assert len(chunks) > 1  # read in blocks, never held whole

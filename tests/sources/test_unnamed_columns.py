"""A value in a column without a header is refused, never dropped (CSV and XLSX alike).

Found in review: ``indikator,område,period,värde`` / ``N03937,0127,2031,12,5`` was
stored as 12 without a word, the ``5`` lost beyond the last named column.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from jamlik.sources.errors import ImportValidationError
from jamlik.sources.template import open_import_file

AREAS = {"0127", "01", "00"}


def _values(name: str, data: bytes) -> list[float | None]:
    reader = open_import_file(name, known_areas=AREAS, data=data)
    return [o.value for chunk in reader.chunks() for o in chunk.observations()]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_decimal_comma_in_a_comma_separated_file_is_refused_not_cut() -> None:
    data = "indikator,område,period,värde\nN03937,0127,2031,12,5\n".encode()
    with pytest.raises(ImportValidationError) as info:
        _values("comma.csv", data)
    [problem] = info.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "E", "5")
    assert "decimal comma" in problem.expected


def test_a_value_under_an_empty_header_cell_is_refused() -> None:
    data = "indikator;område;;period;värde\nN03937;0127;x;2031;12,5\n".encode()
    with pytest.raises(ImportValidationError) as info:
        _values("gap.csv", data)
    [problem] = info.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "C", "x")


def test_an_xlsx_value_right_of_the_header_is_refused() -> None:
    data = _xlsx([["indikator", "område", "period", "värde"], ["N03937", "0127", "2031", 12, 5]])
    with pytest.raises(ImportValidationError) as info:
        _values("wide.xlsx", data)
    [problem] = info.value.problems
    assert (problem.row, problem.column) == (2, "E")


def test_rows_padded_with_empty_fields_are_read_as_before() -> None:
    data = (
        "indikator;område;period;värde\n"
        "N03937;0127;2031;12,5\n"
        "N03937;0127;2032;13,5;;;;;;;;;;;;;;;;;;;;;;;;\n"
        "N03937;0127;2033;1\n"
    ).encode()
    assert _values("padded.csv", data) == [12.5, 13.5, 1.0]


def test_every_row_with_an_unnamed_value_is_listed_and_nothing_is_stored() -> None:
    body = "".join(f"N03937,0127,{2000 + i},1,{i}\n" for i in range(5))
    with pytest.raises(ImportValidationError) as info:
        _values("many.csv", ("indikator,område,period,värde\n" + body).encode())
    assert [p.row for p in info.value.problems] == [2, 3, 4, 5, 6]


def test_a_workbooks_other_sheets_are_named_as_not_read() -> None:
    book = openpyxl.Workbook()
    book.active.title = "2024"
    book.active.append(["indikator", "område", "period", "värde"])
    book.active.append(["N03937", "0127", "2024", 3])
    book.create_sheet("2023").append(["N03937", "0127", "2023", 4])
    out = io.BytesIO()
    book.save(out)
    reader = open_import_file("two.xlsx", known_areas=AREAS, data=out.getvalue())
    assert [o.value for chunk in reader.chunks() for o in chunk.observations()] == [3]
    [warning] = [w for w in reader.warnings if w.kind == "sheets"]
    assert "'2023'" in warning.en and "'2023'" in warning.sv and "'2024'" in warning.sv

"""The actor-map importer reads through the one reading layer: encodings, title rows,
whole workbooks, merged cells, formulas, limits; bad files are a page, never a 500."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jamlik.actors.tabular import FormatError, read_any, read_csv, read_xlsx, write_xlsx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sources"))
from reading_shapes import bomb_by_ratio, with_dimension  # noqa: E402

ACTORS = "ref;name;type;level;area\nA1;Föreningen Åland;civil_society;local;0127\n"


def test_utf16_unicode_text_export() -> None:
    [sheet] = read_csv(ACTORS.replace(";", "\t").encode("utf-16"), "actors")
    assert sheet.rows[0][1]["name"] == "Föreningen Åland"
    assert {"encoding", "separator"} <= {w.kind for w in sheet.warnings}


def test_title_rows_and_sep_line_and_kommun_header() -> None:
    text = "sep=;\nAktörer i Botkyrka;;;;\n" + ACTORS.replace(";area", ";Kommun")
    [sheet] = read_csv(text.encode("cp1252"), "actors")
    number, row = sheet.rows[0]
    assert number == 3 and row["area"] == "0127"
    assert "header_row" in {w.kind for w in sheet.warnings}


@pytest.mark.parametrize("byte", [b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"])
def test_undefined_windows_1252_bytes_are_a_format_error(byte: bytes) -> None:
    with pytest.raises(FormatError, match="row 2"):
        read_csv(ACTORS.encode("cp1252").replace(b"\xc5", byte), "actors")


def test_long_field_is_a_format_error() -> None:
    text = ACTORS.rstrip("\n") + ';"' + "x" * 140_000 + '"\n'
    with pytest.raises(FormatError, match="128 KiB"):
        read_csv(text.encode(), "actors")


def test_xlsx_with_a_wrong_dimension_keeps_every_row() -> None:
    rows = {"actors": [{"ref": f"A{i}", "name": f"N{i}", "type": "civil_society",
                        "level": "local", "area": "0127"} for i in range(12)]}  # fmt: skip
    data = with_dimension(write_xlsx(rows), "A1")
    sheets = {s.sheet: s for s in read_xlsx(data)}
    assert len(sheets["actors"].rows) == 12


def test_xlsx_merged_title_above_the_header() -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "actors"
    ws.append(["Aktörer 2024", None, None])
    ws.merge_cells("A1:E1")
    ws.append(["ref", "name", "type", "level", "area"])
    ws.append(["A1", "Föreningen", "civil_society", "local", 127])
    buffer = io.BytesIO()
    book.save(buffer)
    [sheet] = read_xlsx(buffer.getvalue())
    assert sheet.rows == [(3, {"ref": "A1", "name": "Föreningen", "type": "civil_society",
                               "level": "local", "area": 127.0})]  # fmt: skip


def test_xlsx_formula_without_result_and_zip_bomb_are_format_errors() -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "actors"
    ws.append(["ref", "name", "type", "level", "area"])
    ws.append(["A1", '=B1&"x"', "civil_society", "local", "0127"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(FormatError, match="row 2, column B"):
        read_any("a.xlsx", buffer.getvalue())
    with pytest.raises(FormatError, match="zip bomb"):
        read_any("bomb.xlsx", bomb_by_ratio(8 * 1024 * 1024))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("odd.csv", ACTORS.encode("cp1252").replace(b"\xc5", b"\x81")),
        ("long.csv", (ACTORS.rstrip("\n") + ';"' + "x" * 140_000 + '"\n').encode()),
        ("broken.xlsx", b"PK\x03\x04broken"),
    ],
)
def test_import_page_shows_the_problem_instead_of_a_500(county, client_for, name, data) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    upload = SimpleUploadedFile(name, data, content_type="text/csv")
    response = client.post("/aktorer/import/?county=01", {"file": upload, "sheet": "actors"})
    assert response.status_code in (200, 400)
    assert name in response.content.decode()


def test_import_page_says_how_the_file_was_read(county, client_for) -> None:  # noqa: ANN001
    """What the reading layer assumed (title rows skipped, the encoding) is shown after
    a successful import, in the reader's language."""
    client = client_for("botkyrka")
    text = "Aktörer i Botkyrka;;;;\n" + ACTORS
    upload = SimpleUploadedFile("titled.csv", text.encode("cp1252"), content_type="text/csv")
    response = client.post(
        "/aktorer/import/?county=01", {"file": upload, "sheet": "actors"}, follow=True
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert shown[0].startswith("Importerat")
    assert any("Rad 2" in m for m in shown[1:]), shown

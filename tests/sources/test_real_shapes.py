"""The shapes real files from Swedish municipalities and regions come in, and what the
reading layer makes of each: read (with the warnings the preview shows), or refused with
a problem naming file, row and column.  One table, read through the template importer.

Each shape's expected result is the closing note's table of issue 14.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jamlik.sources import ImportValidationError, read_import_file

from .reading_shapes import with_dimension, workbook

AREAS = {"00", "01", "0127", "0180", "0186"}
HEADER = "indikator;område;år;värde"
ROWS = "U1;0127;2024;12,5\nU1;0180;2024;13\n"
VALUES = [("0127", 12.5), ("0180", 13.0)]


@dataclass(frozen=True)
class Shape:
    name: str
    file: str
    build: Callable[[], bytes]
    #: (area, value) of the observations read, or None when the file is refused.
    values: list[tuple[str, float]] | None
    warnings: frozenset[str] = frozenset()
    #: (row, column) of the first problem when refused.
    problem: tuple[int, str] | None = None


def _region_workbook() -> bytes:
    rows = [["Län", "Indikator", "År", "Värde", "Nedre", "Övre", "Kommentar"]]
    rows += [["0180", "U1", 1992 + i, 50 + i, 40 + i, 60 + i, "Region"] for i in range(32)]
    return with_dimension(workbook(rows), "A1")


def _merged_header() -> bytes:
    rows = [["Folkhälsa i Stockholms län", None, None, None], HEADER.split(";"),
            ["U1", "0127", 2024, 12.5], ["U1", "0180", 2024, 13]]  # fmt: skip
    return workbook(rows, merged=["A1:D1"])


def _formula() -> bytes:
    return workbook(
        [HEADER.split(";"), ["U1", "0127", 2024, 12.5], ["U1", "0180", 2024, "=D2+0.5"]]
    )


SHAPES = [
    Shape("cp1252, semicolon, decimal comma", "kommun.csv",
          lambda: ("Indikator;Område;År;Värde\n" + ROWS).encode("cp1252"), VALUES,
          frozenset({"encoding", "separator"})),
    Shape("UTF-8 with BOM, comma", "bom.csv",
          lambda: ("\ufeffindicator,area,period,value\nU1,0127,2024,12.5\nU1,0180,2024,13\n").encode(),
          VALUES, frozenset({"separator"})),
    Shape("UTF-16 LE tab 'Unicode text'", "unicode.txt",
          lambda: (HEADER + "\n" + ROWS).replace(";", "\t").encode("utf-16"), VALUES,
          frozenset({"encoding", "separator"})),
    Shape("sep=; first line", "sep.csv", lambda: ("sep=;\n" + HEADER + "\n" + ROWS).encode(),
          VALUES, frozenset({"separator"})),
    Shape("title rows and blank rows above the header", "titel.csv",
          lambda: ("Ohälsa 2024;;;\n;;;\nKälla: FK;;;\n" + HEADER + "\n" + ROWS).encode("cp1252"),
          VALUES, frozenset({"encoding", "separator", "header_row"})),
    Shape("Kommun as the area header", "kommunnamn.csv",
          lambda: ("Indikator;Kommun;Period;Värde\n" + ROWS).encode(), VALUES, frozenset({"separator"})),
    Shape("XLSX declaring dimension A1 (33x7)", "region.xlsx", _region_workbook,
          [("0180", 50.0 + i) for i in range(32)]),
    Shape("XLSX merged title cells above the header", "merged.xlsx", _merged_header, VALUES,
          frozenset({"header_row"})),
    Shape("XLSX formula without a saved result", "formel.xlsx", _formula, None, problem=(3, "D")),
    Shape("very long field (unclosed quote)", "long.csv",
          lambda: (HEADER + ';kommentar\nU1;0127;2024;1;"' + "x" * 140_000 + "\n").encode(), None,
          problem=(2, "")),
    Shape("bytes undefined in cp1252 (0x81 0x8D 0x8F 0x90 0x9D)", "odd.csv",
          lambda: (HEADER + "\n").encode() + b"U1;0127;2024;1\x81\x8d\x8f\x90\x9d\n", None,
          problem=(2, "")),
    Shape("DOS cp850 export", "dos.csv",
          lambda: ("Indikator;Område;År;Värde;Kommentar\nU1;0127;2024;12,5;Åre\nU1;0180;2024;13;Älvsbyn\n").encode("cp850"),
          VALUES, frozenset({"encoding", "separator"})),
    Shape("Mac line endings \\r", "mac.csv", lambda: (HEADER + "\n" + ROWS).replace("\n", "\r").encode(),
          VALUES, frozenset({"separator"})),
    Shape("quoted fields with embedded newlines", "quoted.csv",
          lambda: (HEADER + ';kommentar\nU1;0127;2024;12,5;"rad ett\nrad två"\nU1;0180;2024;13;"a;b"\n').encode(),
          VALUES, frozenset({"separator"})),
    Shape("empty trailing columns and rows", "trailing.csv",
          lambda: (HEADER + ";;;\n" + ROWS.replace("\n", ";;;\n") + ";;;;;;\n;;;;;;\n\n").encode(),
          VALUES, frozenset({"separator"})),
]  # fmt: skip


@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_real_shape(shape: Shape) -> None:
    data = shape.build()
    if shape.values is None:
        with pytest.raises(ImportValidationError) as info:
            read_import_file(shape.file, known_areas=AREAS, data=data)
        first = info.value.problems[0]
        assert first.file == shape.file
        assert (first.row, first.column) == shape.problem
        return
    result = read_import_file(shape.file, known_areas=AREAS, data=data)
    assert [(o.area, o.value) for o in result.observations] == shape.values
    assert {w.kind for w in result.warnings} == shape.warnings
    assert all(w.sv and w.en for w in result.warnings)


@pytest.mark.parametrize(
    "shape",
    [s for s in SHAPES if s.values is None],
    ids=[s.name for s in SHAPES if s.values is None],
)
def test_indicator_upload_page_shows_the_problem_not_a_500(shape: Shape, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    upload = SimpleUploadedFile(shape.file, shape.build(), content_type="text/csv")
    response = client.post("/lagesbild/import/", {"file": upload})
    assert response.status_code in (200, 400)
    assert shape.file in response.content.decode()

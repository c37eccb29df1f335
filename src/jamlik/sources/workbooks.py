"""Reading Excel workbooks (.xlsx) whole: every cell, merged cells filled, formulas checked.

Library: python-calamine (Rust's calamine), not openpyxl.

* openpyxl in read-only mode trusts the ``<dimension ref=...>`` a workbook declares: a sheet
  that declares ``A1:D3`` but holds ten rows was read as two, and real workbooks from a
  Swedish region that declare ``A1`` were read as one cell of 33x7, silently.  calamine
  builds the range from the cells themselves (``ws.reset_dimensions()`` would fix
  openpyxl, but in read-only mode it then cannot report merged cells).
* calamine exposes the merged ranges (``merged_cell_ranges``), so a merged header
  cell is filled with the value of its top-left cell, as a person reading the
  sheet sees it.
* It reads a large sheet several times faster than openpyxl.

calamine cannot tell a formula whose result was never saved (a workbook written by a
program, not by Excel) from an empty cell: it reads both as ``""``.  Such a cell is not
empty - its value is unknown - so the sheet's XML is scanned for ``<f>`` cells without a
``<v>`` result (only when the sheet has a formula at all), and each is reported as a
problem naming file, sheet, row and column.

The archive's declared sizes are checked first (:mod:`jamlik.sources.limits`).
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from jamlik.sources.errors import ImportProblem, ImportValidationError, ImportWarning
from jamlik.sources.limits import ReadLimits, check_workbook_archive

Cell = str | int | float | dt.datetime | dt.date | None

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


@dataclass(slots=True)
class Sheet:
    """One worksheet's cells as rows; ``rows[i]`` is spreadsheet row ``i + 1``."""

    name: str
    rows: list[list[Cell]] = field(default_factory=list)


def column_letter(index: int) -> str:
    """``0`` -> ``A``, ``26`` -> ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _unreadable(file: str, exc: Exception) -> ImportValidationError:
    return ImportValidationError(
        [ImportProblem(file, 0, "", type(exc).__name__, "an Excel workbook (.xlsx) that opens")]
    )


def read_workbook(data: bytes, file: str, limits: ReadLimits) -> list[Sheet]:
    """The workbook's worksheets, every cell read.

    Raises :class:`ImportValidationError` for a workbook that is too large unpacked,
    does not open, or has formulas without saved results.
    """
    return _read(data, file, limits, first_only=False)[0]


def read_first_sheet(data: bytes, file: str, limits: ReadLimits) -> tuple[Sheet | None, list[str]]:
    """The first worksheet, every cell read, and the names of the others (left unread),
    from one opening of the workbook."""
    sheets, names = _read(data, file, limits, first_only=True)
    return (sheets[0] if sheets else None), names[1:]


def _read(
    data: bytes, file: str, limits: ReadLimits, *, first_only: bool
) -> tuple[list[Sheet], list[str]]:
    import python_calamine

    check_workbook_archive(file, data, limits)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own and zip errors for a broken file
        raise _unreadable(file, exc) from exc
    try:
        names = [
            m.name for m in workbook.sheets_metadata if str(m.typ).endswith("WorkSheet")
        ] or list(workbook.sheet_names)
        sheets = []
        for name in names[:1] if first_only else names:
            try:
                sheet = workbook.get_sheet_by_name(name)
                rows = [[_cell(c) for c in row] for row in sheet.to_python(skip_empty_area=False)]
                merged = sheet.merged_cell_ranges or []
            except Exception as exc:  # a damaged sheet part
                raise _unreadable(file, exc) from exc
            _fill_merged(rows, merged)
            sheets.append(Sheet(name, rows))
    finally:
        workbook.close()
    problems = _formulas_without_values(data, file, [s.name for s in sheets])
    if problems:
        raise ImportValidationError(problems)
    return sheets, names


def unread_sheets_warning(file: str, read: str, others: list[str]) -> ImportWarning:
    """Only ``read`` is imported: say so, naming the sheets left unread."""
    names = ", ".join(f"'{n}'" for n in others)
    return ImportWarning(
        file,
        0,
        "",
        names,
        "sheets",
        f"Only the first sheet, '{read}', was read; the workbook's other sheets ({names}) "
        "were not. Put everything to import on the first sheet, or import each sheet "
        "as a file of its own.",
        f"Bara det första bladet, '{read}', lästes; arbetsbokens övriga blad ({names}) "
        "lästes inte. Lägg allt som ska importeras på det första bladet, eller importera "
        "varje blad som en egen fil.",
    )


def _cell(value: Any) -> Cell:
    if value is None or isinstance(value, str | int | float | dt.datetime | dt.date):
        if isinstance(value, str) and value == "":
            return None
        return value
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return str(value)


def _fill_merged(rows: list[list[Cell]], merged: list[Any]) -> None:
    """Every cell of a merged range takes the value of its top-left cell."""
    for (top, left), (bottom, right) in merged:
        if top >= len(rows):
            continue
        row = rows[top]
        value = row[left] if left < len(row) else None
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            target = rows[r]
            if len(target) <= right:
                target.extend([None] * (right + 1 - len(target)))
            for c in range(left, right + 1):
                if r == top and c == left:
                    continue
                target[c] = value


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name -> its XML part in the archive (from workbook.xml and its rels)."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{{{_PKG_REL}}}Relationship")
    }
    parts = {}
    for sheet in workbook.iter(f"{{{_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_REL}}}id"), "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts[sheet.get("name", "")] = posixpath.normpath(path)
    return parts


def _has_formula(archive: zipfile.ZipFile, part: str) -> bool:
    with archive.open(part) as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            if _FORMULA.search(tail + chunk):
                return True
            tail = chunk[-8:]
    return False


def _formulas_without_values(data: bytes, file: str, names: list[str]) -> list[ImportProblem]:
    problems: list[ImportProblem] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = _sheet_parts(archive)
        for name in names:
            part = parts.get(name)
            if part is None or part not in archive.namelist() or not _has_formula(archive, part):
                continue
            for ref, formula in _unsaved_formulas(archive, part):
                match = _CELL_REF.fullmatch(ref)
                letter, row = (match.group(1), int(match.group(2))) if match else (ref, 0)
                problems.append(
                    ImportProblem(
                        file,
                        row,
                        letter,
                        f"={formula}" if formula else "(shared formula)",
                        f"a saved value in sheet '{name}', cell {ref}: the formula's result "
                        "was never saved (open the file in Excel and save it, or paste "
                        "the values)",
                    )
                )
    return problems


def _unsaved_formulas(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[str, str]]:
    """``(cell reference, formula)`` of every formula cell with no cached ``<v>`` result."""
    with archive.open(part) as stream:
        for _event, element in ElementTree.iterparse(stream, events=("end",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "row":
                element.clear()
            if tag != "c":
                continue
            formula = value = None
            for child in element:
                local = child.tag.rsplit("}", 1)[-1]
                if local == "f":
                    formula = child
                elif local == "v":
                    value = child
            if formula is not None and (value is None or not (value.text or "")):
                # A formula whose result is the empty string is saved as t="str" with <v/>.
                if element.get("t") == "str" and value is not None:
                    continue
                yield element.get("r", ""), formula.text or ""

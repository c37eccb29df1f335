"""Keep text that users typed from running as a formula in Excel or LibreOffice.

A cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return is read as a
formula by spreadsheet programs ("CSV/formula injection", OWASP). Exports write such
text so it stays text: in CSV with a leading apostrophe, in XLSX with the cell's type
set to string. Numbers, including negative ones, are left alone.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ".").replace("\u2212", "-"))
    except ValueError:
        return False
    return True


def csv_safe(value: Any) -> Any:
    """``value`` for a CSV cell: text that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def as_text(cell: Cell, value: Any) -> Cell:
    """Write user text into an openpyxl cell as a string, never as a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def without_formulas(workbook: Workbook) -> Workbook:
    """Turn every formula cell into text: for workbooks that should hold data only."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return workbook

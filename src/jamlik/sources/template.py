"""The CSV/XLSX import template: reading, interpreting and validating a file.

The template is documented for users in ``docs/import-template.md``.  This
module accepts the files Swedish offices actually produce: ``;`` or ``,``
separated, decimal commas, Windows-1252 or UTF-8 (with or without BOM),
Excel workbooks with real date cells, area codes whose leading zero Excel
has eaten (``180`` for ``0180``).  Every problem is collected with file,
row, column, value and what was expected, and a file with any problem
yields no observations at all (:class:`ImportValidationError`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jamlik.sources.errors import ImportProblem, ImportValidationError
from jamlik.sources.numbers import parse_number
from jamlik.sources.observations import TOTAL, Observation
from jamlik.sources.periods import parse_period

#: Canonical column → accepted header spellings (compared case-insensitively).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator": ("indicator", "indikator"),
    "area": ("area", "område", "omrade", "områdeskod", "kommunkod"),
    "period": ("period", "år", "ar", "year"),
    "breakdown": ("breakdown", "dimension", "indelning"),
    "category": ("category", "kategori", "grupp"),
    "numerator": ("numerator", "täljare", "taljare"),
    "denominator": ("denominator", "nämnare", "namnare"),
    "value": ("value", "värde", "varde"),
    "lower": ("lower", "nedre", "nedre gräns"),
    "upper": ("upper", "övre", "ovre", "övre gräns"),
    "note": ("note", "kommentar", "anmärkning"),
}
REQUIRED = ("indicator", "area", "period")
NUMBER_COLUMNS = ("numerator", "denominator", "value", "lower", "upper")
_HEADER_LOOKUP = {alias: canon for canon, aliases in COLUMN_ALIASES.items() for alias in aliases}

Cell = str | int | float | dt.datetime | dt.date | None


@dataclass(frozen=True, slots=True)
class ImportedFile:
    """A validated import file: its observations and how many data rows it had."""

    file: str
    observations: list[Observation]
    rows: int


def decode_bytes(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or, failing that, Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def sniff_delimiter(text: str) -> str:
    """The separator used in the header line: ``;``, tab or ``,``."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_csv_rows(data: bytes) -> Iterator[list[Cell]]:
    """Rows of a CSV file as lists of strings."""
    text = decode_bytes(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    for row in reader:
        yield list(row)


def read_xlsx_rows(data: bytes) -> Iterator[list[Cell]]:
    """Rows of the first worksheet, with Excel's own types (numbers, dates)."""
    import openpyxl  # imported late: only needed for workbooks

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [
                c
                if isinstance(c, str | int | float | dt.datetime | dt.date) or c is None
                else str(c)
                for c in row
            ]
    finally:
        workbook.close()


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip()


def _area_code(cell: Cell) -> str:
    """The area code, restoring a leading zero that a spreadsheet removed."""
    text = _text(cell)
    if text.isdigit() and len(text) in (1, 3):
        return text.zfill(len(text) + 1)
    return text


class _Collector:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[ImportProblem] = []

    def add(self, row: int, column: str, value: Any, expected: str) -> None:
        self.problems.append(ImportProblem(self.file, row, column, _text(value), expected))


def parse_rows(
    rows: Iterator[list[Cell]],
    *,
    file: str,
    known_areas: Collection[str],
    known_indicators: Collection[str] | None = None,
    source: str = "",
    area_expected: str = "a known area code (riket 00, län 01-25, kommun 0114-2584 or a district)",
) -> ImportedFile:
    """Validate template rows and return observations, or raise with every problem.

    ``area_expected`` words the rule for area codes; a caller that restricts
    ``known_areas`` to what a user may edit says so here.
    """
    problems = _Collector(file)
    try:
        header = next(rows)
    except StopIteration:
        raise ImportValidationError(
            [ImportProblem(file, 0, "", "", "a header row followed by data rows")]
        ) from None
    columns: dict[str, int] = {}
    for position, raw in enumerate(header):
        name = _text(raw).lstrip("\ufeff").strip().lower()
        if not name:
            continue
        canon = _HEADER_LOOKUP.get(name)
        if canon is None:
            problems.add(1, name, raw, f"a template column ({', '.join(COLUMN_ALIASES)})")
        elif canon in columns:
            problems.add(1, name, raw, f"column '{canon}' only once")
        else:
            columns[canon] = position
    for required in REQUIRED:
        if required not in columns:
            problems.add(1, required, "", f"a column '{required}' in the header row")
    if "value" not in columns and not {"numerator", "denominator"} <= columns.keys():
        problems.add(1, "value", "", "a column 'value', or both 'numerator' and 'denominator'")
    if problems.problems:
        raise ImportValidationError(problems.problems)

    observations: list[Observation] = []
    seen: dict[tuple[str, str, str, str, str], int] = {}
    data_rows = 0
    areas = set(known_areas)
    indicators = None if known_indicators is None else set(known_indicators)
    for line, raw_row in enumerate(rows, start=2):
        if all(_text(c) == "" for c in raw_row):
            continue
        data_rows += 1

        def cell(name: str, raw_row: list[Cell] = raw_row) -> Cell:
            position = columns.get(name)
            if position is None or position >= len(raw_row):
                return None
            return raw_row[position]

        before = len(problems.problems)
        indicator = _text(cell("indicator"))
        if not indicator:
            problems.add(line, "indicator", "", "an indicator id")
        elif indicators is not None and indicator not in indicators:
            problems.add(line, "indicator", indicator, "an indicator id from the catalogue")
        area = _area_code(cell("area"))
        if not area:
            problems.add(line, "area", "", "an area code such as 0127")
        elif area not in areas:
            problems.add(line, "area", cell("area"), area_expected)
        period_cell = cell("period")
        period = ""
        try:
            if isinstance(period_cell, float | int) and not isinstance(period_cell, bool):
                period = parse_period(_text(period_cell)).label
            elif isinstance(period_cell, dt.date):
                period = parse_period(period_cell).label
            else:
                period = parse_period(_text(period_cell)).label
        except ValueError:
            problems.add(
                line,
                "period",
                period_cell,
                "a year (2024), span (2021-2024), school year (2023/24) or date",
            )
        breakdown = _text(cell("breakdown")).lower() or TOTAL
        category = _text(cell("category")) or TOTAL
        if (breakdown == TOTAL) != (category == TOTAL):
            problems.add(
                line,
                "category" if breakdown != TOTAL else "breakdown",
                category if breakdown != TOTAL else breakdown,
                "both breakdown and category, or neither (the whole population)",
            )
        numbers: dict[str, float | None] = {}
        for name in NUMBER_COLUMNS:
            raw = cell(name)
            if raw is None or _text(raw) == "":
                numbers[name] = None
            elif isinstance(raw, int | float) and not isinstance(raw, bool):
                numbers[name] = float(raw)
            else:
                try:
                    numbers[name] = parse_number(_text(raw))
                except ValueError:
                    problems.add(line, name, raw, "a number (decimal comma or point), or empty")
                    numbers[name] = None
        num, den, val = numbers["numerator"], numbers["denominator"], numbers["value"]
        low, up = numbers["lower"], numbers["upper"]
        if num is not None and num < 0:
            problems.add(line, "numerator", cell("numerator"), "a count of 0 or more")
        if den is not None and den <= 0:
            problems.add(line, "denominator", cell("denominator"), "a population greater than 0")
        if num is not None and den is not None and den > 0 and num > den:
            problems.add(
                line,
                "numerator",
                cell("numerator"),
                f"at most the denominator ({_text(cell('denominator'))})",
            )
        if (num is None) != (den is None) and val is None:
            problems.add(
                line,
                "denominator" if den is None else "numerator",
                "",
                "both numerator and denominator, or a value",
            )
        if val is None and num is None and den is None and len(problems.problems) == before:
            problems.add(line, "value", "", "a value, or a numerator and a denominator")
        if low is not None and up is not None and low > up:
            problems.add(
                line, "lower", cell("lower"), f"at most the upper limit ({_text(cell('upper'))})"
            )
        if val is not None and low is not None and low > val:
            problems.add(
                line, "lower", cell("lower"), f"at most the value ({_text(cell('value'))})"
            )
        if val is not None and up is not None and up < val:
            problems.add(
                line, "upper", cell("upper"), f"at least the value ({_text(cell('value'))})"
            )
        key = (indicator, area, period, breakdown, category)
        if len(problems.problems) == before:
            if key in seen:
                problems.add(
                    line,
                    "",
                    " / ".join(key),
                    f"one row per indicator, area, period, breakdown and category (same as row {seen[key]})",
                )
                continue
            seen[key] = line
            observations.append(
                Observation(
                    indicator=indicator,
                    area=area,
                    period=period,
                    breakdown=breakdown,
                    category=category,
                    numerator=num,
                    denominator=den,
                    value=val,
                    lower=low,
                    upper=up,
                    note=_text(cell("note")),
                    source=source or file,
                )
            )
    if problems.problems:
        raise ImportValidationError(problems.problems)
    if data_rows == 0:
        raise ImportValidationError([ImportProblem(file, 0, "", "", "at least one data row")])
    return ImportedFile(file, observations, data_rows)


def read_import_file(
    path: Path | str,
    *,
    known_areas: Collection[str],
    known_indicators: Collection[str] | None = None,
    source: str = "",
    data: bytes | None = None,
    area_expected: str | None = None,
) -> ImportedFile:
    """Read and validate a ``.csv`` or ``.xlsx`` template file.

    ``data`` may carry the file's bytes (an upload); ``path`` then only names it.
    """
    path = Path(path)
    name = path.name
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ImportValidationError(
                [ImportProblem(name, 0, "", str(path), f"a readable file ({exc.strerror})")]
            ) from exc
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            rows = read_xlsx_rows(data)
            first = next(rows)
        except StopIteration:
            raise ImportValidationError(
                [ImportProblem(name, 0, "", "", "a header row followed by data rows")]
            ) from None
        except Exception as exc:  # openpyxl raises many types for broken files
            raise ImportValidationError(
                [
                    ImportProblem(
                        name, 0, "", type(exc).__name__, "an Excel workbook (.xlsx) that opens"
                    )
                ]
            ) from exc
        rows = _prepend(first, rows)
    elif suffix in (".csv", ".txt", ""):
        rows = read_csv_rows(data)
    else:
        raise ImportValidationError([ImportProblem(name, 0, "", suffix, "a .csv or .xlsx file")])
    if area_expected:
        return parse_rows(
            rows,
            file=name,
            known_areas=known_areas,
            known_indicators=known_indicators,
            source=source,
            area_expected=area_expected,
        )
    return parse_rows(
        rows, file=name, known_areas=known_areas, known_indicators=known_indicators, source=source
    )


def _prepend(first: list[Cell], rest: Iterator[list[Cell]]) -> Iterator[list[Cell]]:
    yield first
    yield from rest

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

import datetime as dt
import io
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from openpyxl.utils import get_column_letter

from jamlik.sources.area_names import AreaNames, KnownArea, as_area_names
from jamlik.sources.areas import restore_leading_zero
from jamlik.sources.errors import ImportProblem, ImportValidationError, ImportWarning
from jamlik.sources.limits import ReadLimits, check_file_size, check_row_count, current_limits
from jamlik.sources.numbers import parse_number
from jamlik.sources.observations import (
    DIMENSION_SEPARATOR,
    TOTAL,
    Observation,
    ObservationBatch,
    compose_breakdown,
)
from jamlik.sources.periods import parse_period
from jamlik.sources.questions import Answers, AreaQuestions, SeparatorQuestions
from jamlik.sources.reading import (
    TextDialect,
    normalise_header,
    table_from_rows,
    text_dialect,
    text_records,
)
from jamlik.sources.texts import Text
from jamlik.sources.workbooks import read_first_sheet, unread_sheets_warning

#: Canonical column → accepted header spellings (compared case-insensitively).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator": ("indicator", "indikator"),
    "area": (
        "area",
        "område",
        "omrade",
        "områdeskod",
        "omradeskod",
        "kommunkod",
        "kommun",
        "län",
        "lan",
        "länskod",
        "region",
    ),
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
_HEADER_LOOKUP = {
    normalise_header(alias): canon for canon, aliases in COLUMN_ALIASES.items() for alias in aliases
}
#: A row naming at least this many template columns is the header (rows above it are titles).
HEADER_MINIMUM = 3

Cell = str | int | float | dt.datetime | dt.date | None
#: Data rows as columns: the rows' line numbers, and one sequence of cells per column.
Block = tuple[list[int], list[np.ndarray]]


@dataclass(frozen=True, slots=True)
class ImportedFile:
    """A validated import file: its observations, how many data rows it had, and what the
    reader assumed on the way (encoding, separator, header row...) for the user to see."""

    file: str
    observations: list[Observation]
    rows: int
    warnings: list[ImportWarning] = field(default_factory=list)


def _as_cells(records: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[Cell]]]:
    for row, fields in records:
        yield row, list(fields)


@dataclass(slots=True)
class CsvBlocks:
    """A CSV file's header, the row it is on, its data rows in blocks of columns, and
    what reading it assumed."""

    header: list[Cell]
    header_row: int
    blocks: Iterator[Block]
    warnings: list[ImportWarning]


def read_csv_blocks(
    data: bytes, chunk_rows: int, *, file: str = "", limits: ReadLimits | None = None
) -> CsvBlocks:
    """The header and the data rows of a CSV file in blocks of columns.

    The reading layer (:mod:`jamlik.sources.reading`) decides the encoding, the
    separator (or Excel's ``sep=`` line) and the header row, skipping title and blank
    rows above it.  pandas' C parser then reads the records (the same quoting rules as
    :mod:`csv`); every field is kept as the text it was, blank records included, so
    row numbers stay those of the file.  Missing trailing fields are empty; fields
    beyond the header's are kept too, so that the reader can refuse a value in a
    column without a name rather than drop it (:meth:`TemplateReader.chunks`).
    """
    import pandas as pd

    limits = limits or current_limits()
    dialect = text_dialect(data, file)
    records = text_records(data, dialect, file, limits)
    table = table_from_rows(
        file,
        _as_cells(records),
        _HEADER_LOOKUP,
        minimum=HEADER_MINIMUM,
        warnings=dialect.warnings,
    )
    if table is None:
        raise _no_header(file)
    header = table.header
    width = max(len(header), 1)
    #: Every record's fields must have a column, or pandas refuses the record: the
    #: widest line bounds them (a quoted separator only adds a spare column).
    fields = max(width, _widest_line(data, dialect))
    #: Records before the first data row: the ``sep=`` line, titles, the header.
    skip = table.header_row - dialect.first_row + 1

    def blocks() -> Iterator[Block]:
        reader = pd.read_csv(
            io.BytesIO(data),
            sep=dialect.separator,
            header=None,
            names=range(fields),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            encoding=dialect.codec,
            chunksize=chunk_rows,
            engine="c",
        )
        row, to_skip, read = dialect.first_row, skip, 0
        with reader:
            for frame in reader:
                if to_skip:
                    cut = min(to_skip, len(frame))
                    frame = frame.iloc[cut:]
                    to_skip -= cut
                    row += cut
                columns = [frame[c].to_numpy(dtype=object) for c in range(fields)]
                lines = np.arange(row, row + len(frame))
                blank = _blank_rows(columns)
                row += len(frame)
                if blank.any():
                    keep = ~blank
                    columns, lines = [col[keep] for col in columns], lines[keep]
                read += len(lines)
                check_row_count(file, read, limits)
                if len(lines):
                    yield lines.tolist(), columns

    return CsvBlocks(header, table.header_row, blocks(), table.warnings)


def _widest_line(data: bytes, dialect: TextDialect) -> int:
    """The most separator-split fields on any line of the file (an upper bound of its
    records' widths: quoting can only make a record narrower than its line)."""
    separator = dialect.separator
    try:
        raw = separator.encode(dialect.codec)
        ascii_based = raw == separator.encode("ascii") and not dialect.codec.startswith(
            ("utf-16", "utf_16", "utf-32", "utf_32")
        )
    except (UnicodeEncodeError, LookupError):
        ascii_based = False
    if ascii_based:
        # line by line from a stream: a list of a million lines would cost more than the rows
        lines = io.BytesIO(data) if b"\n" in data else data.splitlines()  # old Mac: \r only
        return max((line.count(raw) for line in lines), default=0) + 1
    text = data.decode(dialect.codec, errors="replace")
    return max((line.count(separator) for line in text.splitlines()), default=0) + 1


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
    return restore_leading_zero(_text(cell))


#: Data rows validated and handed on together: bounds the memory a million-row file needs.
CHUNK_ROWS = 50_000

#: The order in which a row's checks report, so problems list as a reader scans the file.
_CHECKS = (
    "unnamed",
    "indicator",
    "area",
    "period",
    "pairing",
    *(f"number:{name}" for name in NUMBER_COLUMNS),
    "negative",
    "population",
    "over",
    "half",
    "missing",
    "limits",
    "below",
    "above",
    "duplicate",
)
_ORDER = {name: i for i, name in enumerate(_CHECKS)}
_NAN = float("nan")


def _blank_rows(columns: list[np.ndarray]) -> np.ndarray:
    """Rows whose every field is empty or spaces; a column at a time, and only the rows
    still blank so far (usually none after the first column)."""
    n = len(columns[0]) if columns else 0
    blank = np.ones(n, dtype=bool)
    for column in columns:
        candidates = np.flatnonzero(blank)
        if not len(candidates):
            break
        blank[candidates] = [not str(v).strip() for v in column[candidates].tolist()]
    return blank


def row_blocks(
    rows: Iterator[tuple[int, list[Cell]]], chunk_rows: int = CHUNK_ROWS
) -> Iterator[Block]:
    """Data rows ``(row number, cells)`` in blocks of columns, blank rows left out."""
    lines: list[int] = []
    batch: list[list[Cell]] = []
    for line, row in rows:
        if all(_text(c) == "" for c in row):
            continue
        lines.append(line)
        batch.append(list(row))
        if len(batch) >= chunk_rows:
            yield lines, _transpose(batch)
            lines, batch = [], []
    if batch:
        yield lines, _transpose(batch)


def _transpose(batch: list[list[Cell]]) -> list[np.ndarray]:
    width = max(map(len, batch))
    padded = [row + [None] * (width - len(row)) for row in batch]
    return [np.array(column, dtype=object) for column in zip(*padded, strict=True)]


class _Memo:
    """Results of a per-value function, computed once per distinct cell value.

        A column of a million rows holds a few hundred distinct indicator ids, areas
        and periods: each distinct value is parsed once (``pandas.factorize``) and the
        results spread back.  Cells equal as keys but of other types (``1``, ``1.0``,
        ``True``) are kept apart by reading a column with a ``True``/``False`` cell cell by cell (for
    every other type that occurs, equal cells have equal results).
    """

    LIMIT = 200_000

    def __init__(self, function: Any) -> None:
        self.function = function
        self.results: dict[Any, Any] = {}

    def __call__(self, cells: np.ndarray | Sequence[Cell]) -> np.ndarray:
        import pandas as pd

        column = cells if isinstance(cells, np.ndarray) else np.array(cells, dtype=object)
        if bool in set(map(type, column.tolist())):
            out = np.empty(len(column), dtype=object)
            out[:] = [self.function(c) for c in column.tolist()]
            return out
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        results = self.results
        if len(results) > self.LIMIT:
            results.clear()
        mapped = np.empty(len(uniques), dtype=object)
        for j, value in enumerate(uniques.tolist()):
            if value is None or value != value:  # factorize turns None into NaN
                value = None
            try:
                mapped[j] = results[value]
            except KeyError:
                mapped[j] = results[value] = self.function(value)
        return mapped[codes]


def _period_of(cell: Cell) -> tuple[str, int, int] | None:
    try:
        period = parse_period(cell) if isinstance(cell, dt.date) else parse_period(_text(cell))
    except ValueError:
        return None
    return period.label, period.start_year, period.end_year


def _number_of(cell: Cell) -> float | None | ValueError:
    """The cell as a float, ``None`` when empty, or the parse error (one number parser)."""
    if cell is None:
        return None
    if isinstance(cell, str):
        text = cell.strip()
    elif isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    else:
        text = _text(cell)
    if text == "":
        return None
    try:
        return parse_number(text)
    except ValueError as exc:
        return exc


class TemplateReader:
    """Reads a template file in chunks of validated observations, as columns.

    Iterating :meth:`chunks` yields :class:`ObservationBatch` es while the file is
    clean so far, so a caller can store a large file piece by piece; it keeps
    reading after a problem to find every problem, and at the end raises
    :class:`ImportValidationError` with all of them (file, row, column, value,
    what was expected).  A caller that stored chunks must then discard them:
    the file is all or nothing.  Duplicate rows are found across the whole file.

    Each column is parsed once per distinct value and the checks run on whole
    chunks with numpy; the messages and their order are those of a row-by-row
    reading.
    """

    def __init__(
        self,
        header: list[Cell],
        blocks: Iterator[Block],
        *,
        file: str,
        known_areas: Collection[str],
        known_indicators: Collection[str] | None = None,
        source: str = "",
        area_expected: str = "a known area code (riket 00, län 01-25, kommun 0114-2584 or a district)",
        area_names: AreaNames | None = None,
        answers: Answers | None = None,
        warnings: list[ImportWarning] | None = None,
        header_row: int = 1,
        limits: Mapping[str, Any] | None = None,
    ) -> None:
        self.header = header
        #: Indicators whose values are limited to some areas (code -> an object with
        #: ``areas``, ``column`` and ``expected``: a county's own indicator, an old definition).
        self.limits = dict(limits or {})
        #: The row the header was found on (title rows above it are skipped).
        self.header_row = header_row
        #: What reading the file assumed (encoding, separator, header row...), in file order;
        #: the preview shows them. Filled when the file is opened, before any chunk is read.
        self.warnings: list[ImportWarning] = list(warnings or [])
        self.blocks = blocks
        self.file = file
        self.areas = set(known_areas)
        self.indicators = None if known_indicators is None else set(known_indicators)
        self.source = source or file
        self.area_expected = area_expected
        #: Non-blank data rows read so far.
        self.rows = 0
        #: Observations handed on so far.
        self.stored = 0
        self.problems: list[tuple[int, int, ImportProblem]] = []
        self._text = _Memo(_text)
        #: Area names and ambiguous numbers: what the preview asks (jamlik.sources.questions).
        self._names = None if area_names is None else AreaQuestions(area_names, answers, self.areas)
        names = self._names
        self._area = _Memo(
            _area_code if names is None else lambda c: names.code(_text(c), _area_code(c))
        )
        self._separators = SeparatorQuestions(answers, _Memo)
        self._period = _Memo(_period_of)
        self._breakdown = _Memo(lambda c: _text(c).lower() or TOTAL)
        self._category = _Memo(lambda c: _text(c) or TOTAL)
        self._number = _Memo(_number_of)
        self._key_ids: list[dict[str, int]] = [{} for _ in range(5)]
        self._keys: list[np.ndarray] = []

    def _add(self, line: int, check: str, column: str, value: Any, expected: str) -> None:
        problem = ImportProblem(self.file, int(line), column, _text(value), expected)
        self.problems.append((int(line), _ORDER[check], problem))

    def _unnamed_values(self, lines: list[int], block: list[np.ndarray], bad: np.ndarray) -> None:
        """A value in a column without a header would be lost: each row's first one is a
        problem (most often a decimal comma in a comma-separated file: ``12,5`` is read
        as two fields).  Empty cells there are fine: spreadsheets pad rows."""
        named = {i for i, raw in enumerate(self.header) if normalise_header(_text(raw))}
        for position in range(len(block)):
            if position in named:
                continue
            text = self._text(block[position])
            for i in np.flatnonzero((text != "") & ~bad).tolist():
                letter = get_column_letter(position + 1)
                expected = Text(
                    "no value in a column without a header; a decimal comma in a "
                    "comma-separated file? Quote such numbers or separate fields with ';'"
                )
                self._add(lines[i], "unnamed", letter, text[i], expected)
                bad[i] = True

    def _limited(
        self,
        lines: list[int],
        indicator: np.ndarray,
        area: np.ndarray,
        raw_area: np.ndarray,
        bad: np.ndarray,
    ) -> None:
        """Rows of a limited indicator (see ``limits``) for an area it takes no values for."""
        if not self.limits or not self.limits.keys() & set(indicator.tolist()):
            return
        for i, code in enumerate(indicator.tolist()):
            limit = self.limits.get(code)
            if limit is None or bad[i] or area[i] in limit.areas:
                continue
            value = code if limit.column == "indicator" else raw_area[i]
            self._add(lines[i], limit.column, limit.column, value, limit.expected)
            bad[i] = True

    def _columns(self) -> dict[str, int]:
        columns: dict[str, int] = {}
        problems = []
        for position, raw in enumerate(self.header):
            name = normalise_header(_text(raw))
            if not name:
                continue
            canon = _HEADER_LOOKUP.get(name)
            row = self.header_row
            if canon is None:
                expected = Text(
                    "a template column (%(columns)s)", columns=", ".join(COLUMN_ALIASES)
                )
                problems.append(ImportProblem(self.file, row, name, _text(raw), expected))
            elif canon in columns:
                expected = Text("column '%(column)s' only once", column=canon)
                problems.append(ImportProblem(self.file, row, name, _text(raw), expected))
            else:
                columns[canon] = position
        for required in REQUIRED:
            if required not in columns:
                expected = Text("a column '%(column)s' in the header row", column=required)
                problems.append(ImportProblem(self.file, self.header_row, required, "", expected))
        if "value" not in columns and not {"numerator", "denominator"} <= columns.keys():
            expected = Text("a column 'value', or both 'numerator' and 'denominator'")
            problems.append(ImportProblem(self.file, self.header_row, "value", "", expected))
        if problems:
            raise ImportValidationError(problems)
        return columns

    def chunks(self) -> Iterator[ObservationBatch]:
        """Validated observations, a block at a time (see the class docstring)."""
        columns = self._columns()
        for lines, block in self.blocks:
            self.rows += len(lines)
            clean_before = not self.problems
            batch = self._validate(columns, lines, block)
            if clean_before and not self.problems and len(batch):
                self.stored += len(batch)
                yield batch
        if self._names is not None:
            self.warnings += self._names.warnings(self.file)
        self.warnings += self._separators.warnings(self.file)
        self._duplicates()
        if self.problems:
            self.problems.sort(key=lambda p: (p[0], p[1]))
            raise ImportValidationError([p for _line, _order, p in self.problems])
        if self.rows == 0:
            raise ImportValidationError(
                [ImportProblem(self.file, 0, "", "", Text("at least one data row"))]
            )

    def _validate(  # noqa: C901, PLR0912, PLR0915 - the checks in the order rows report them
        self, columns: dict[str, int], lines: list[int], block: list[np.ndarray]
    ) -> ObservationBatch:
        n = len(lines)
        nothing = np.full(n, None, dtype=object)

        def cells(name: str) -> np.ndarray:
            position = columns.get(name)
            if position is None or position >= len(block):
                return nothing
            return block[position]

        bad = np.zeros(n, dtype=bool)
        add = self._add
        self._unnamed_values(lines, block, bad)
        indicator = self._text(cells("indicator"))
        known = self.indicators
        distinct = set(indicator.tolist())
        if "" in distinct or (known is not None and not known.issuperset(distinct)):
            for i, code in enumerate(indicator.tolist()):
                if not code:
                    add(lines[i], "indicator", "indicator", "", Text("an indicator id"))
                    bad[i] = True
                elif known is not None and code not in known:
                    expected = Text("an indicator id from the catalogue")
                    add(lines[i], "indicator", "indicator", code, expected)
                    bad[i] = True
        raw_area = cells("area")
        area = self._area(raw_area)
        if self._names is not None:
            self._names.tally(lines, self._text(raw_area))
        if not self.areas.issuperset(area.tolist()):
            for i, code in enumerate(area.tolist()):
                if not code:
                    add(lines[i], "area", "area", "", Text("an area code such as 0127"))
                    bad[i] = True
                elif code not in self.areas:
                    add(lines[i], "area", "area", raw_area[i], self.area_expected)
                    bad[i] = True
        self._limited(lines, indicator, area, raw_area, bad)
        raw_period = cells("period")
        periods = self._period(raw_period)
        if None in set(periods.tolist()):
            for i, parsed in enumerate(periods.tolist()):
                if parsed is None:
                    expected = Text(
                        "a year (2024), span (2021-2024), school year (2023/24) or date"
                    )
                    add(lines[i], "period", "period", raw_period[i], expected)
                    bad[i] = True
        breakdown = self._breakdown(cells("breakdown"))
        category = self._category(cells("category"))
        unpaired = (breakdown == TOTAL) != (category == TOTAL)
        for i in np.flatnonzero(unpaired).tolist():
            b, c = breakdown[i], category[i]
            column, value = ("category", c) if b != TOTAL else ("breakdown", b)
            expected = Text("both breakdown and category, or neither (the whole population)")
            add(lines[i], "pairing", column, value, expected)
        bad |= unpaired
        bad |= self._composite(lines, breakdown, category, unpaired)
        raw: dict[str, np.ndarray] = {}
        numbers: dict[str, np.ndarray] = {}
        for name in NUMBER_COLUMNS:
            raw[name] = cells(name)
            if name not in columns:
                numbers[name] = np.full(n, _NAN)
                continue
            parsed = self._number(raw[name])
            kinds = np.array([x.__class__ is float for x in parsed.tolist()], dtype=bool)
            values = np.full(n, _NAN)
            values[kinds] = parsed[kinds].astype(float)
            self._separators.read(name, raw[name], values, lines)
            numbers[name] = values
            failed = np.array([isinstance(x, ValueError) for x in parsed.tolist()], dtype=bool)
            for i in np.flatnonzero(failed).tolist():
                expected = Text("a number (decimal comma or point), or empty")
                add(lines[i], f"number:{name}", name, raw[name][i], expected)
            bad |= failed
        num, den, val = numbers["numerator"], numbers["denominator"], numbers["value"]
        low, up = numbers["lower"], numbers["upper"]
        has_num, has_den, has_val = ~np.isnan(num), ~np.isnan(den), ~np.isnan(val)
        with np.errstate(invalid="ignore"):
            checks: list[tuple[str, str, np.ndarray, Any]] = [
                ("negative", "numerator", num < 0, lambda i: Text("a count of 0 or more")),
                (
                    "population",
                    "denominator",
                    den <= 0,
                    lambda i: Text("a population greater than 0"),
                ),
                (
                    "over",
                    "numerator",
                    (den > 0) & (num > den),
                    lambda i: Text(
                        "at most the denominator (%(denominator)s)",
                        denominator=_text(raw["denominator"][int(i)]),
                    ),
                ),
            ]
        for check, column, mask, expected in checks:
            for i in np.flatnonzero(mask).tolist():
                add(lines[i], check, column, raw[column][i], expected(i))
            bad |= mask
        half = (has_num != has_den) & ~has_val
        for i in np.flatnonzero(half).tolist():
            column = "denominator" if not has_den[i] else "numerator"
            add(lines[i], "half", column, "", Text("both numerator and denominator, or a value"))
        bad |= half
        missing = ~has_val & ~has_num & ~has_den & ~bad
        for i in np.flatnonzero(missing).tolist():
            add(lines[i], "missing", "value", "", Text("a value, or a numerator and a denominator"))
        bad |= missing
        with np.errstate(invalid="ignore"):
            limits = [
                ("limits", "lower", low > up, "upper", "at most the upper limit (%(limit)s)"),
                ("below", "lower", low > val, "value", "at most the value (%(limit)s)"),
                ("above", "upper", up < val, "value", "at least the value (%(limit)s)"),
            ]
        for check, column, mask, other, words in limits:
            for i in np.flatnonzero(mask).tolist():
                add(
                    lines[i], check, column, raw[column][i], Text(words, limit=_text(raw[other][i]))
                )
            bad |= mask
        good = np.flatnonzero(~bad)
        labels = np.array([p[0] if p else "" for p in periods.tolist()], dtype=object)
        self._remember_keys(good, lines, (indicator, area, labels, breakdown, category))
        if self.problems:
            return ObservationBatch.empty()
        kept = periods[good].tolist()
        return ObservationBatch(
            indicator=indicator[good].tolist(),
            area=area[good].tolist(),
            period=[p[0] for p in kept],
            breakdown=breakdown[good].tolist(),
            category=category[good].tolist(),
            numerator=num[good],
            denominator=den[good],
            value=val[good],
            lower=low[good],
            upper=up[good],
            note=self._text(cells("note"))[good].tolist(),
            source=[self.source] * len(good),
            period_start=np.array([p[1] for p in kept], dtype=np.int64),
            period_end=np.array([p[2] for p in kept], dtype=np.int64),
        )

    def _composite(
        self, lines: list[int], breakdown: np.ndarray, category: np.ndarray, skip: np.ndarray
    ) -> np.ndarray:
        """Rows classified by several dimensions (``sex*age`` / ``female*65-84``) in the
        one stored form, :func:`compose_breakdown` (dimensions ordered by name, those at
        total left out); ``breakdown`` and ``category`` are rewritten in place.  Rows
        whose parts do not pair up are problems; returns them."""
        import pandas as pd

        bad = np.zeros(len(lines), dtype=bool)
        if not any(DIMENSION_SEPARATOR in str(b) for b in pd.unique(breakdown)) and not any(
            DIMENSION_SEPARATOR in str(c) for c in pd.unique(category)
        ):
            return bad
        for i, (b, c) in enumerate(zip(breakdown.tolist(), category.tolist(), strict=True)):
            if skip[i] or (DIMENSION_SEPARATOR not in b and DIMENSION_SEPARATOR not in c):
                continue
            names = [part.strip() for part in b.split(DIMENSION_SEPARATOR)]
            parts = [part.strip() for part in c.split(DIMENSION_SEPARATOR)]
            if len(names) != len(parts) or "" in names or "" in parts:
                expected = Text(
                    "one category per dimension of '%(breakdown)s' (%(count)s), joined by "
                    "'%(separator)s' in the same order",
                    breakdown=b,
                    count=len(names),
                    separator=DIMENSION_SEPARATOR,
                )
                self._add(lines[i], "pairing", "category", c, expected)
                bad[i] = True
            elif len(set(names)) != len(names):
                expected = Text("each dimension once in the breakdown")
                self._add(lines[i], "pairing", "breakdown", b, expected)
                bad[i] = True
            else:
                breakdown[i], category[i] = compose_breakdown(dict(zip(names, parts, strict=True)))
        return bad

    def _remember_keys(
        self, good: np.ndarray, lines: list[int], parts: tuple[np.ndarray, ...]
    ) -> None:
        """Keep each clean row's key as small integers (48 bytes a row) for the duplicate
        check at the end, instead of the strings."""
        keys = np.empty((len(good), 6), dtype=np.int64)
        keys[:, 5] = np.asarray(lines, dtype=np.int64)[good]
        for column, (values, ids) in enumerate(zip(parts, self._key_ids, strict=True)):
            chosen = values[good]
            for value in set(chosen.tolist()).difference(ids):
                ids[value] = len(ids)
            keys[:, column] = [ids[v] for v in chosen.tolist()]
        self._keys.append(keys)

    def _duplicates(self) -> None:
        if not self._keys:
            return
        keys = np.concatenate(self._keys)
        self._keys = []
        order = np.lexsort((keys[:, 5], keys[:, 4], keys[:, 3], keys[:, 2], keys[:, 1], keys[:, 0]))
        ordered = keys[order]
        same = np.all(ordered[1:, :5] == ordered[:-1, :5], axis=1)
        if not same.any():
            return
        names = [{i: v for v, i in ids.items()} for ids in self._key_ids]
        first = 0
        for j in range(1, len(ordered)):
            if not same[j - 1]:
                first = j
                continue
            key = " / ".join(names[c][int(ordered[j, c])] for c in range(5))
            expected = Text(
                "one row per indicator, area, period, breakdown and category (same as row %(row)s)",
                row=int(ordered[first, 5]),
            )
            line = int(ordered[j, 5])
            problem = ImportProblem(self.file, line, "", key, expected)
            self.problems.append((line, _ORDER["duplicate"], problem))


def _reader(
    header: list[Cell], blocks: Iterator[Block], *, file: str, **options: Any
) -> TemplateReader:
    if options.get("area_expected") is None:
        options.pop("area_expected", None)
    return TemplateReader(header, blocks, file=file, **options)


def _no_header(file: str) -> ImportValidationError:
    return ImportValidationError(
        [ImportProblem(file, 0, "", "", "a header row followed by data rows")]
    )


def open_import_file(
    path: Path | str,
    *,
    known_areas: Collection[str],
    known_indicators: Collection[str] | None = None,
    source: str = "",
    data: bytes | None = None,
    area_expected: str | None = None,
    areas: AreaNames | Collection[KnownArea] | None = None,
    answers: Answers | None = None,
    chunk_rows: int = CHUNK_ROWS,
    limits: ReadLimits | None = None,
    indicator_limits: Mapping[str, Any] | None = None,
) -> TemplateReader:
    """A reader over a ``.csv`` or ``.xlsx`` template file, for storing it chunk by chunk.

    ``data`` may carry the file's bytes (an upload); ``path`` then only names it.
    With ``areas`` (every known area, :class:`~jamlik.sources.area_names.KnownArea`)
    the area column may hold names as well as codes; ``answers`` settle the
    questions names and numbers such as ``984,748`` raise (:mod:`jamlik.sources.questions`).
    ``indicator_limits`` (code -> ``areas``/``column``/``expected``) refuses, row by row,
    values of an indicator for areas it takes none for (a county's own indicator elsewhere).
    Problems with the file itself (unreadable, not a workbook, no header, over the
    :class:`~jamlik.sources.limits.ReadLimits`) raise :class:`ImportValidationError`
    here; problems in its rows, while iterating.  What reading assumed (encoding,
    separator, header row) is in the reader's ``warnings``.
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
    limits = limits or current_limits()
    check_file_size(name, len(data), limits)
    suffix = path.suffix.lower()
    options: dict[str, Any] = {
        "file": name,
        "known_areas": known_areas,
        "known_indicators": known_indicators,
        "source": source,
        "area_expected": area_expected,
        "area_names": as_area_names(areas),
        "answers": answers,
        "limits": indicator_limits,
    }
    if suffix in (".xlsx", ".xlsm"):
        sheet, others = read_first_sheet(data, name, limits)
        rows = sheet.rows if sheet else []
        table = table_from_rows(
            name,
            ((number, row) for number, row in enumerate(rows, start=1)),
            _HEADER_LOOKUP,
            minimum=HEADER_MINIMUM,
            sheet=sheet.name if sheet else "",
        )
        if table is None:
            raise _no_header(name)
        check_row_count(name, len(rows) - table.header_row, limits)
        if sheet and others:
            table.warnings.append(unread_sheets_warning(name, sheet.name, others))
        return _reader(
            table.header,
            row_blocks(table.rows, chunk_rows),
            warnings=table.warnings,
            header_row=table.header_row,
            **options,
        )
    if suffix in (".csv", ".txt", ""):
        try:
            csv = read_csv_blocks(data, chunk_rows, file=name, limits=limits)
        except UnicodeDecodeError as exc:
            raise _unreadable(name, exc) from exc
        if not csv.header:
            raise _no_header(name)
        return _reader(
            csv.header,
            _csv_errors(name, csv.blocks),
            warnings=csv.warnings,
            header_row=csv.header_row,
            **options,
        )
    raise ImportValidationError([ImportProblem(name, 0, "", suffix, "a .csv or .xlsx file")])


def _unreadable(name: str, exc: Exception) -> ImportValidationError:
    return ImportValidationError(
        [ImportProblem(name, 0, "", type(exc).__name__, f"a CSV file that can be read ({exc})")]
    )


def _csv_errors(name: str, blocks: Iterator[Block]) -> Iterator[Block]:
    """The parser's own failures (broken quoting, undecodable bytes) as import problems."""
    import pandas as pd

    try:
        yield from blocks
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise _unreadable(name, exc) from exc


def read_import_file(
    path: Path | str,
    *,
    known_areas: Collection[str],
    known_indicators: Collection[str] | None = None,
    source: str = "",
    data: bytes | None = None,
    area_expected: str | None = None,
) -> ImportedFile:
    """Read and validate a whole ``.csv`` or ``.xlsx`` template file into memory.

    ``data`` may carry the file's bytes (an upload); ``path`` then only names it.
    """
    reader = open_import_file(
        path,
        known_areas=known_areas,
        known_indicators=known_indicators,
        source=source,
        data=data,
        area_expected=area_expected,
    )
    observations = [obs for chunk in reader.chunks() for obs in chunk.observations()]
    return ImportedFile(reader.file, observations, reader.rows, reader.warnings)

"""One reading layer for tabular files: every importer reads CSV, text and XLSX through it.

The indicator template (:mod:`jamlik.sources.template`), the actor map
(:mod:`jamlik.actors.tabular`) and the prerequisites' text documents
(:mod:`jamlik.prerequisites.extraction`) used to carry three decoders, two separator
guesses and two XLSX readers, each with its own gaps.  Here there is one of each:

* encoding: :mod:`jamlik.sources.decoding` (BOMs, UTF-16, charset-normalizer);
* separator: :func:`sniff_separator`, and Excel's ``sep=;`` hint line;
* workbooks: :mod:`jamlik.sources.workbooks` (every cell, merged cells, formulas);
* limits: :mod:`jamlik.sources.limits` (file size, rows, zip bombs);
* the header row: :func:`find_header` skips title and blank rows above it.

Everything the layer assumed is returned as :class:`ImportWarning` (``encoding``,
``separator``, ``header_row``) for the preview, and everything it cannot read is an
:class:`ImportProblem` with file, row and column - never an exception a view turns
into a 500.

Row numbers are those a spreadsheet program shows: the first record is row 1, a
quoted field spanning lines is one row, and Excel's ``sep=`` line, which Excel reads
as an instruction and does not show, is row 0.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from jamlik.sources.decoding import Encoding, detect_encoding
from jamlik.sources.errors import ImportProblem, ImportValidationError, ImportWarning
from jamlik.sources.limits import ReadLimits, check_file_size
from jamlik.sources.workbooks import Cell

#: Separators considered, in order of preference when equally consistent.
SEPARATORS = (";", "\t", ",", "|")
_SEPARATOR_NAMES = {";": ("semicolon", "semikolon"), "\t": ("tab", "tabb"), ",": ("comma", "komma"),
                    "|": ("vertical bar", "lodstreck")}  # fmt: skip
#: Rows looked at for the separator and the header.
HEAD_ROWS = 30
_SEP_LINE = re.compile(r"^\ufeff?\"?sep=(.)\"?[;,\t|]*$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def normalise_header(cell: Cell) -> str:
    """A header cell as compared with expected names: no BOM, case and spacing folded."""
    if cell is None:
        return ""
    text = str(cell).replace("\ufeff", "")
    return _SPACES.sub(" ", text).strip().strip(":").strip().casefold()


@dataclass(frozen=True, slots=True)
class TextDialect:
    """How to read a text table: its encoding, separator, and whether line 1 is ``sep=``."""

    encoding: Encoding
    separator: str
    sep_line: bool = False
    warnings: list[ImportWarning] = field(default_factory=list)

    @property
    def codec(self) -> str:
        return self.encoding.codec

    @property
    def first_row(self) -> int:
        """The row number of the file's first record (0 for a ``sep=`` line)."""
        return 0 if self.sep_line else 1


def _head_text(data: bytes, codec: str, size: int = 256 * 1024) -> str:
    """The start of the file as text, cut at a line end (an incomplete line is dropped)."""
    text = data[:size].decode(codec, errors="replace")
    if len(data) > size:
        end = max(text.rfind("\n"), text.rfind("\r"))
        text = text[: end + 1] if end > 0 else text
    return text.lstrip("\ufeff")


def sniff_separator(text: str) -> str:
    """The separator that splits the first rows most consistently into several fields.

    For each candidate the rows are split with :mod:`csv` (so quoted separators do not
    count) and the most common field count above one is found; the candidate for which
    the most rows share that count wins, ties going to ``;`` (Swedish Excel), tab, ``,``.
    Decimal commas (``12,5``) split rows unevenly and so lose to ``;``.  A single line
    is split by the separator that occurs most.
    """
    lines = [line for line in io.StringIO(text, newline="") if line.strip()][:HEAD_ROWS]
    best, best_score = ",", (0, 0)
    for separator in SEPARATORS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=separator) if r]
        except csv.Error:
            continue
        several = [n for n in counts if n > 1]
        if not several:
            continue
        common = max(set(several), key=lambda n: (several.count(n), n))
        score = (several.count(common), common)
        if score > best_score:
            best, best_score = separator, score
    return best


def text_dialect(data: bytes, file: str) -> TextDialect:
    """Encoding and separator of a CSV or text table, with warnings for what was assumed."""
    encoding = detect_encoding(data, file)
    head = _head_text(data, encoding.codec)
    first = re.split(r"\r\n|\r|\n", head, maxsplit=1)[0]
    match = _SEP_LINE.match(first)
    warnings = list(encoding.warnings)
    if match:
        separator = match.group(1)
        sv, en = _separator_words(separator)
        warnings.append(
            ImportWarning(
                file,
                0,
                "",
                first.strip(),
                "separator",
                en=f"The first line '{first.strip()}' is Excel's separator hint: "
                f"fields are separated by {en}, and the line is not a row.",
                sv=f"Första raden '{first.strip()}' är Excels avgränsartips: "
                f"fälten avgränsas med {sv}, och raden är ingen datarad.",
            )  # fmt: skip
        )
        return TextDialect(encoding, separator, True, warnings)
    separator = sniff_separator(head)
    sv, en = _separator_words(separator)
    warnings.append(
        ImportWarning(
            file,
            0,
            "",
            separator,
            "separator",
            en=f"Fields are separated by {en}.",
            sv=f"Fälten avgränsas med {sv}.",
        )  # fmt: skip
    )
    return TextDialect(encoding, separator, False, warnings)


def _separator_words(separator: str) -> tuple[str, str]:
    en, sv = _SEPARATOR_NAMES.get(separator, (repr(separator), repr(separator)))
    return sv, en


def _field_problem(file: str, row: int, limits: ReadLimits) -> ImportValidationError:
    return ImportValidationError(
        [
            ImportProblem(
                file,
                row,
                "",
                f"a field longer than {limits.max_field} characters",
                f"fields of at most {limits.max_field // 1024} KiB; a longer one is usually "
                'a quote (") that was never closed',
            )
        ]
    )


def text_records(
    data: bytes, dialect: TextDialect, file: str, limits: ReadLimits
) -> Iterator[tuple[int, list[str]]]:
    """``(row number, fields)`` of every record, decoded as read; the ``sep=`` line left out.

    Broken input (a field over the limit, an unclosed quote, undecodable bytes) raises
    :class:`ImportValidationError` naming the row.
    """
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=dialect.codec, newline="")
    reader = csv.reader(stream, delimiter=dialect.separator, strict=False)
    row = dialect.first_row - 1
    try:
        for record in reader:
            row += 1
            if row == 0 and dialect.sep_line:
                continue
            if any(len(value) > limits.max_field for value in record):
                raise _field_problem(file, row, limits)
            yield row, record
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _field_problem(file, row + 1, limits) from exc
        raise ImportValidationError(
            [ImportProblem(file, row + 1, "", str(exc), "a CSV file that can be read")]
        ) from exc
    except UnicodeDecodeError as exc:
        raise ImportValidationError(
            [
                ImportProblem(
                    file, row + 1, "", type(exc).__name__, f"text in {dialect.encoding.name}"
                )
            ]
        ) from exc


def find_header(
    rows: list[tuple[int, list[Cell]]],
    expected: Collection[str],
    *,
    minimum: int,
) -> int:
    """Position in ``rows`` of the header: the first row naming at least ``minimum`` of the
    ``expected`` names (normalised with :func:`normalise_header`), within the first
    :data:`HEAD_ROWS` rows.  When none does, the first non-blank row is taken, so that
    its unknown names are reported as they stand.  ``-1`` when every row is blank.
    """
    names = {normalise_header(name) for name in expected}
    first = -1
    for position, (_row, cells) in enumerate(rows[:HEAD_ROWS]):
        found = {normalise_header(c) for c in cells} & names
        if len(found) >= minimum:
            return position
        if first < 0 and any(normalise_header(c) for c in cells):
            first = position
    return first


def header_warning(
    file: str, row: int, skipped: list[tuple[int, list[Cell]]], sheet: str = ""
) -> ImportWarning | None:
    """Say which row was taken as the header when rows above it were skipped."""
    shown = [
        " ".join(str(c) for c in cells if c is not None and str(c).strip())
        for _row, cells in skipped
    ]
    titles = [text for text in shown if text]
    if not skipped:
        return None
    where_en = f" of sheet '{sheet}'" if sheet else ""
    where_sv = f" i fliken '{sheet}'" if sheet else ""
    above = "; ".join(titles)[:200]
    en = f"Row {row}{where_en} was taken as the header row; the {len(skipped)} row(s) above it"
    sv = f"Rad {row}{where_sv} togs som rubrikrad; de {len(skipped)} rad(er) ovanför"
    if titles:
        en += f" ({above}) were skipped."
        sv += f" ({above}) hoppades över."
    else:
        en += " were blank."
        sv += " var tomma."
    return ImportWarning(file, row, "", above, "header_row", en=en, sv=sv)


@dataclass(slots=True)
class Table:
    """A table found in a file: its header row and the data rows below it.

    ``rows`` yields ``(row number, cells)`` for every row after the header, blank rows
    included (the importer decides what a blank row means); ``warnings`` says what
    was assumed on the way.
    """

    file: str
    header: list[Cell]
    header_row: int
    rows: Iterator[tuple[int, list[Cell]]]
    sheet: str = ""
    warnings: list[ImportWarning] = field(default_factory=list)


def table_from_rows(
    file: str,
    rows: Iterator[tuple[int, list[Cell]]],
    expected: Collection[str],
    *,
    minimum: int,
    sheet: str = "",
    warnings: list[ImportWarning] | None = None,
) -> Table | None:
    """The table in ``rows``: the header found among the first rows (see
    :func:`find_header`), a ``header_row`` warning when rows above it were skipped.
    ``None`` when the first rows are all blank."""
    head: list[tuple[int, list[Cell]]] = []
    for item in rows:
        head.append(item)
        if len(head) >= HEAD_ROWS:
            break
    position = find_header(head, expected, minimum=minimum)
    if position < 0:
        return None
    header_row, header = head[position]
    notes = list(warnings or [])
    warning = header_warning(file, header_row, head[:position], sheet)
    if warning is not None:
        notes.append(warning)

    def after() -> Iterator[tuple[int, list[Cell]]]:
        yield from head[position + 1 :]
        yield from rows

    return Table(file, list(header), header_row, after(), sheet, notes)


def text_table(
    data: bytes, file: str, expected: Collection[str], *, minimum: int, limits: ReadLimits
) -> Table | None:
    """A CSV or text table read with :mod:`csv` (for files of modest size; the indicator
    template reads large files with pandas, using :func:`text_dialect` and
    :func:`find_header` from here)."""
    check_file_size(file, len(data), limits)
    dialect = text_dialect(data, file)
    records: Iterator[tuple[int, list[Cell]]] = (
        (row, list(cells)) for row, cells in text_records(data, dialect, file, limits)
    )
    return table_from_rows(file, records, expected, minimum=minimum, warnings=dialect.warnings)

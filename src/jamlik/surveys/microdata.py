"""Reading youth-survey microdata: one row per respondent, refused whole when unsafe or wrong.

Formats: CSV/text and XLSX through the project's one reading layer
(:mod:`jamlik.sources.reading`, :mod:`jamlik.sources.workbooks`: encoding, separator,
header row, limits), and SPSS ``.sav`` through pyreadstat (ReadStat), the format
Stockholmsenkäten's and most school surveys' microdata are delivered in.  pyreadstat
reads from a path, so the bytes go to a temporary file that is deleted at once.  In
a ``.sav`` file the questions are read as their numeric codes (value labels are
ignored); school year and sex may be coded with value labels, which are used.

Nothing here is stored: the caller scores and aggregates the frame and keeps only
the aggregates (:mod:`jamlik.surveys.aggregate`).  What identifies a person must
never come in at all, so a file with such a column is refused with the column named
(by its header: personnummer, namn, e-post, telefon, adress...; or by its values:
anything shaped like a Swedish personal identity number or an e-mail address).

Every problem is collected (file, row, column, what was expected) and raised together
as :class:`MicrodataError`, so a file is fixed in one round.  Answers outside a
question's codes are reported per question (how many, which values, the first rows)
rather than one line per cell.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Literal

import numpy as np
import pandas as pd

from jamlik.sources.errors import ImportValidationError
from jamlik.sources.limits import check_file_size, check_row_count, current_limits
from jamlik.sources.numbers import parse_number
from jamlik.sources.reading import normalise_header, table_from_rows, text_table
from jamlik.sources.workbooks import Cell, read_first_sheet
from jamlik.surveys.scales import ScaleSet

Format = Literal["csv", "xlsx", "sav"]

#: Header aliases (folded: lower case, no accents, ``_`` for spaces and dashes).
ALIASES: dict[str, tuple[str, ...]] = {
    "kommun": (
        "kommun",
        "kommunkod",
        "kommun_kod",
        "kommunnamn",
        "municipality",
        "kom",
        "kommunnr",
    ),
    "district": (
        "stadsdel",
        "stadsdelsomrade",
        "stadsdelsnamnd",
        "district",
        "kommundel",
        "omrade",
    ),
    "year": ("ar", "year", "undersokningsar", "survey_year", "enkatar"),
    "school_year": ("arskurs", "school_year", "grade", "ak", "skolar", "klass"),
    "sex": ("kon", "sex", "gender"),
    "weight": ("vikt", "weight", "designvikt", "design_weight", "vikter", "wt"),
}
REQUIRED = ("kommun",)
#: Header stems that name something identifying a person (folded), matched inside a
#: name (``elevnamn``, ``mailadress``) ...
IDENTIFYING_STEMS = (
    "personnummer", "personnr", "samordningsnummer", "namn", "fornamn", "efternamn",
    "epost", "e_post", "email", "e_mail", "mail", "telefon", "phone", "mobil", "adress",
    "address", "postnummer",
)  # fmt: skip
#: ... or as a whole word only (``pnr`` but not ``lopnr``, a running number).
IDENTIFYING_WORDS = ("pnr", "name", "tel", "tfn", "ip", "ssn")
#: Personal identity numbers: 12 digits 19/20YYMMDD(-)NNNN, or YYMMDD-NNNN / YYMMDD+NNNN.
_DATE = r"\d{2}(?:0[1-9]|1[0-2])(?:[0-8]\d|9[01])"  # day + 60 for coordination numbers
PERSONNUMMER = re.compile(rf"^\s*(?:(?:19|20){_DATE}[-+]?\d{{4}}|{_DATE}[-+]\d{{4}})\s*$")
EMAIL = re.compile(r"^\s*[^@\s]+@[^@\s]+\.[A-Za-z]{2,}\s*$")
FEMALE = ("female", "f", "flicka", "flickor", "tjej", "kvinna", "k", "girl", "woman", "2")
MALE = ("male", "m", "pojke", "pojkar", "kille", "man", "boy", "1")
OTHER_SEX = (
    "", "annat", "annan", "other", "vill inte svara", "vet ej", "vet inte", "ickebinar",
    "icke-binar", "non-binary", "unknown", "okand", "3", "9",
)  # fmt: skip
YEARS = range(1990, 2101)
#: How many rows are named per problem.
SHOWN_ROWS = 10


class MicrodataError(ValueError):
    """The microdata file cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the survey file:\n{shown}{more}")


@dataclass
class Respondents:
    """The respondents of one file, as a frame ready for scoring (never stored)."""

    frame: pd.DataFrame
    rows_read: int
    weighted: bool
    file: str
    format: Format
    #: Columns the scale definition does not use (not read further, never kept).
    ignored_columns: tuple[str, ...] = ()
    #: Answers outside a question's codes set to missing (only when read leniently):
    #: question -> {"count", "values", "rows"}.
    out_of_codes: dict[str, dict[str, Any]] = field(default_factory=dict)


def fold(text: Any) -> str:
    """A header as compared with aliases: folded case, no accents, ``_`` between words."""
    plain = unicodedata.normalize("NFKD", normalise_header(text))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[\s\-./]+", "_", plain).strip("_")


def _format(name: str, data: bytes) -> Format:
    suffix = PurePath(name).suffix.lower()
    if suffix == ".sav" or data[:4] in (b"$FL2", b"$FL3"):
        return "sav"
    if suffix in (".xlsx", ".xlsm") or data[:2] == b"PK":
        return "xlsx"
    return "csv"


def _problems(exc: ImportValidationError) -> MicrodataError:
    return MicrodataError([str(p) for p in exc.problems])


def _text_rows(name: str, data: bytes, expected: Iterable[str]) -> tuple[list[Cell], Iterator]:
    table = text_table(data, name, list(expected), minimum=2, limits=current_limits())
    if table is None:
        raise MicrodataError(
            [f"{name}: the file is empty; expected a header row and one row per respondent"]
        )
    return table.header, table.rows


def _xlsx_rows(name: str, data: bytes, expected: Iterable[str]) -> tuple[list[Cell], Iterator]:
    limits = current_limits()
    check_file_size(name, len(data), limits)
    sheet, _others = read_first_sheet(data, name, limits)
    table = None
    if sheet is not None:
        rows = iter(list(enumerate(sheet.rows, start=1)))
        table = table_from_rows(name, rows, list(expected), minimum=2, sheet=sheet.name)
    if table is None:
        raise MicrodataError(
            [f"{name}: the first sheet is empty; expected a header row and one row per respondent"]
        )
    return table.header, table.rows


@dataclass
class _Sav:
    header: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    labels: dict[str, dict[Any, str]]


def _sav_rows(name: str, data: bytes) -> _Sav:
    import pyreadstat

    check_file_size(name, len(data), current_limits())
    handle, path = tempfile.mkstemp(suffix=".sav")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        frame, meta = pyreadstat.read_sav(path, apply_value_formats=False, user_missing=False)
    except pyreadstat.ReadstatError as exc:
        raise MicrodataError([f"{name}: not a readable SPSS .sav file ({exc})"]) from exc
    finally:
        os.unlink(path)
    header = [str(c) for c in frame.columns]
    records = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    # A .sav file has no header row: case 1 is shown as row 2, as a spreadsheet would.
    rows = ((index + 2, list(record)) for index, record in enumerate(records))
    return _Sav(header, rows, dict(meta.variable_value_labels))


def _cell_text(cell: Cell) -> str:
    if type(cell) is str:
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, float):
        if math.isnan(cell):
            return ""
        if cell.is_integer():
            return str(int(cell))
    return str(cell).strip()


def _columns(
    header: Sequence[Cell], scales: ScaleSet, file: str
) -> tuple[dict[str, int], list[str], list[str]]:
    """Map the file's columns: ``{field or question id: position}``, identifying
    columns (problems) and the names of the columns left unread."""
    by_alias = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
    questions = {fold(q): q for q in scales.questions}
    found: dict[str, int] = {}
    problems: list[str] = []
    ignored: list[str] = []
    for position, cell in enumerate(header):
        shown = _cell_text(cell)
        key = fold(cell)
        if not key:
            continue
        name = questions.get(key) or by_alias.get(key)
        if name is None:
            words = set(key.split("_"))
            if any(stem in key for stem in IDENTIFYING_STEMS) or words & set(IDENTIFYING_WORDS):
                problems.append(
                    f"{file}, column '{shown}': this column looks like it identifies a person "
                    "(personal identity number, name, e-mail, telephone or address); survey "
                    "microdata must not contain it - delete the column and upload the file again"
                )
            else:
                ignored.append(shown)
            continue
        if name in found:
            problems.append(f"{file}, column '{shown}': a second column for {name!r}; expected one")
            continue
        found[name] = position
    return found, problems, ignored


def _identifying_values(
    file: str, header: Sequence[Cell], numbers: list[int], texts: list[list[str]]
) -> list[str]:
    """Columns holding a personal identity number or an e-mail address in any row."""
    problems = []
    for cell, column in zip(header, texts, strict=False):
        for row, text in zip(numbers, column, strict=True):
            if len(text) < 11 and "@" not in text:
                continue  # answers and codes: too short for either pattern
            kind = (
                "a personal identity number"
                if PERSONNUMMER.match(text)
                else "an e-mail address"
                if EMAIL.match(text)
                else ""
            )
            if kind:
                problems.append(
                    f"{file}, row {row}, column '{_cell_text(cell)}': a value shaped like {kind}; "
                    "survey microdata must not identify anyone - delete the column and upload "
                    "the file again"
                )
                break
    return problems


def school_year(value: str) -> str | None:
    """``åk 9``/``Åk9``/``9``/``årskurs 9`` -> ``ak9``; ``gy 2``/``Gymnasiet år 2`` -> ``gy2``;
    ``""`` for blank; ``None`` when not recognised."""
    text = fold(value).replace("_", "")
    if not text:
        return ""
    match = re.fullmatch(r"(?:gy|gymn|gymnasiet?|gymnasie)(?:ar|arskurs|ak)?([1-4])", text)
    if match:
        return f"gy{match.group(1)}"
    match = re.fullmatch(r"([1-4])(?:gy|gymn|gymnasiet?)", text)
    if match:
        return f"gy{match.group(1)}"
    match = re.fullmatch(r"(?:ak|arskurs|grade|year|klass)?([1-9])", text)
    if match:
        return f"ak{match.group(1)}"
    return None


def sex(value: str) -> str | None:
    """``female``/``male``, ``""`` for blank or another answer; ``None`` if not recognised.

    Numeric codes follow Statistics Sweden: 1 = male, 2 = female.
    """
    text = fold(value).replace("_", " ")
    if text in FEMALE:
        return "female"
    if text in MALE:
        return "male"
    if text in OTHER_SEX:
        return ""
    return None


def _labelled(cell: Cell, labels: dict[Any, str]) -> str:
    if (
        labels
        and isinstance(cell, int | float)
        and not (isinstance(cell, float) and math.isnan(cell))
    ):
        for code, label in labels.items():
            if float(code) == float(cell):
                return label
    return _cell_text(cell)


class _Checker:
    """Collects problems, naming each row only up to :data:`SHOWN_ROWS` times per kind."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[str] = []
        self._counts: dict[str, int] = {}

    def add(self, row: int, column: str, value: str, expected: str) -> None:
        key = f"{column}:{expected}"
        seen = self._counts.get(key, 0)
        self._counts[key] = seen + 1
        if seen < SHOWN_ROWS:
            self.problems.append(
                f"{self.file}, row {row}, column '{column}': got {value!r}, expected {expected}"
            )

    def summarise(self) -> None:
        for key, count in self._counts.items():
            if count > SHOWN_ROWS:
                column, expected = key.split(":", 1)
                self.problems.append(
                    f"{self.file}, column '{column}': {count - SHOWN_ROWS} more row(s) with the same problem ({expected})"
                )


def read_microdata(
    name: str,
    data: bytes,
    scales: ScaleSet,
    *,
    year: int | None = None,
    lenient_codes: bool = False,
) -> Respondents:
    """Read a survey file into :class:`Respondents`, or raise :class:`MicrodataError`.

    ``year`` is the survey year for a file without a year column.  With
    ``lenient_codes`` answers outside a question's codes are set to missing and
    reported in ``Respondents.out_of_codes`` instead of refusing the file.
    """
    file_format = _format(name, data)
    expected = [a for aliases in ALIASES.values() for a in aliases] + list(scales.questions)
    labels: dict[str, dict[Any, str]] = {}
    header: list[Cell]
    try:
        if file_format == "sav":
            sav = _sav_rows(name, data)
            header, rows_iter, labels = list[Cell](sav.header), sav.rows, sav.labels
        elif file_format == "xlsx":
            header, rows_iter = _xlsx_rows(name, data, expected)
        else:
            header, rows_iter = _text_rows(name, data, expected)
        rows = [(row, cells) for row, cells in rows_iter if any(_cell_text(c) for c in cells)]
    except ImportValidationError as exc:
        raise _problems(exc) from exc
    try:
        check_row_count(name, len(rows), current_limits())
    except ImportValidationError as exc:
        raise _problems(exc) from exc
    columns, problems, ignored = _columns(header, scales, name)
    numbers = [row for row, _cells in rows]
    width = max([len(header), *(len(cells) for _row, cells in rows)])
    texts = [[_cell_text(c) for c in _column(rows, position)] for position in range(width)]
    problems += _identifying_values(name, header, numbers, texts)
    missing = [c for c in REQUIRED if c not in columns]
    if "year" not in columns and year is None:
        missing.append("year")
    missing_questions = [q for q in scales.questions if q not in columns]
    for column in missing:
        names = ", ".join(ALIASES[column][:3])
        problems.append(f"{name}: no column for {column!r}; expected a column named one of {names}")
    if missing_questions:
        problems.append(
            f"{name}: no column for the question(s) {', '.join(missing_questions)} of the scale "
            "definition; expected one column per question, named by its id"
        )
    if problems:
        raise MicrodataError(problems)
    if not rows:
        raise MicrodataError([f"{name}: no respondent rows below the header"])
    return _build(
        name,
        file_format,
        header,
        rows,
        texts,
        columns,
        scales,
        year,
        labels,
        lenient_codes,
        ignored,
    )


def _column(rows: list[tuple[int, list[Cell]]], position: int) -> list[Cell]:
    return [cells[position] if position < len(cells) else None for _row, cells in rows]


def _build(  # noqa: PLR0913 - the parts of one file, read once
    name: str,
    file_format: Format,
    header: Sequence[Cell],
    rows: list[tuple[int, list[Cell]]],
    texts: list[list[str]],
    columns: dict[str, int],
    scales: ScaleSet,
    year: int | None,
    labels: dict[str, dict[Any, str]],
    lenient_codes: bool,
    ignored: list[str],
) -> Respondents:
    check = _Checker(name)
    numbers = [row for row, _cells in rows]
    shown = {key: _cell_text(header[position]) for key, position in columns.items()}

    def labels_of(key: str) -> dict[Any, str]:
        return labels.get(_cell_text(header[columns[key]]), {})

    kommun = []
    for row, text in zip(numbers, texts[columns["kommun"]], strict=True):
        if text.isdigit() and len(text) < 4:
            text = text.zfill(4)
        if not text:
            check.add(row, shown["kommun"], "", "a kommun code or name")
        kommun.append(text)
    districts = texts[columns["district"]] if "district" in columns else [""] * len(rows)
    years: list[int] = []
    if "year" in columns:
        for row, text in zip(numbers, texts[columns["year"]], strict=True):
            number = int(text) if text.isdigit() else 0
            if number not in YEARS:
                check.add(row, shown["year"], text, "a year such as 2024")
            years.append(number)
    else:
        years = [int(year or 0)] * len(rows)
    grades = [""] * len(rows)
    if "school_year" in columns:
        grade_labels = labels_of("school_year")
        for index, (row, cell) in enumerate(
            zip(numbers, _column(rows, columns["school_year"]), strict=True)
        ):
            text = _labelled(cell, grade_labels)
            grade = school_year(text)
            if grade is None:
                check.add(row, shown["school_year"], text, "a school year such as 'åk 9' or 'gy 2'")
            grades[index] = grade or ""
    sexes = [""] * len(rows)
    if "sex" in columns:
        sex_labels = labels_of("sex")
        for index, (row, cell) in enumerate(
            zip(numbers, _column(rows, columns["sex"]), strict=True)
        ):
            text = _labelled(cell, sex_labels)
            known = sex(text)
            if known is None:
                check.add(
                    row,
                    shown["sex"],
                    text,
                    "'flicka'/'pojke', 'female'/'male' or 2/1 (blank when unknown)",
                )
            sexes[index] = known or ""
    weights = np.ones(len(rows))
    if "weight" in columns:
        for index, (row, text) in enumerate(zip(numbers, texts[columns["weight"]], strict=True)):
            try:
                weight = parse_number(text)
            except ValueError:
                weight = math.nan
            if not (math.isfinite(weight) and weight > 0):
                check.add(row, shown["weight"], text, "a design weight above 0")
            weights[index] = weight
    frame = pd.DataFrame(
        {
            # the file's own row numbers (blank rows skipped), so later refusals name them
            "row": np.asarray(numbers, dtype=np.int64),
            "kommun": kommun,
            "district": districts,
            "year": np.asarray(years, dtype=np.int64),
            "school_year": grades,
            "sex": sexes,
            "weight": weights,
        }
    )
    out_of_codes: dict[str, dict[str, Any]] = {}
    row_numbers = np.asarray(numbers)
    for question in scales.questions.values():
        raw = pd.Series(texts[columns[question.id]])
        values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        blank = (raw == "").to_numpy()
        allowed = np.isin(values, question.codes)
        declared = np.isin(values, question.missing)
        bad = ~(allowed | declared | blank)
        if bad.any():
            distinct = sorted(set(raw[bad]), key=lambda v: (len(v), v))
            where = [int(r) for r in row_numbers[bad][:SHOWN_ROWS]]
            out_of_codes[question.id] = {
                "count": int(bad.sum()),
                "values": distinct[:20],
                "rows": where,
            }
        frame[question.id] = np.where(allowed, values, np.nan)
    check.summarise()
    problems = check.problems
    if out_of_codes and not lenient_codes:
        for question_id, report in out_of_codes.items():
            codes = scales.questions[question_id]
            problems.append(
                f"{name}, column '{_cell_text(header[columns[question_id]])}': {report['count']} answer(s) "
                f"outside the question's codes: {', '.join(report['values'])} (rows "
                f"{', '.join(map(str, report['rows']))}{' ...' if report['count'] > len(report['rows']) else ''}); "
                f"expected one of {', '.join(map(str, codes.codes))}, a missing code "
                f"({', '.join(map(str, codes.missing)) or 'none'}) or blank"
            )
    if problems:
        raise MicrodataError(problems)
    return Respondents(
        frame=frame,
        rows_read=len(rows),
        weighted="weight" in columns,
        file=name,
        format=file_format,
        ignored_columns=tuple(ignored),
        out_of_codes=out_of_codes if lenient_codes else {},
    )

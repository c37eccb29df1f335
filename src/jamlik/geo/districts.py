"""Districts defined from a file: reading and checking the rows (pure, no database).

A county (or a kommun's editor) defines the districts of a kommun in a table with the
columns ``kommun; kod; namn; typ`` (English headers ``municipality; code; name; kind``
are read too), as CSV/text or XLSX through the one reading layer
(:mod:`jamlik.sources.reading`, :mod:`jamlik.sources.workbooks`). Every problem is
collected with the file, row and column, and nothing is stored unless the whole file is
right (:func:`jamlik.geo.services.define_districts`).

*Codes by kind.*

* DeSO (demografiska statistikområden, SCB 2018, revised 2025): nine characters, the
  kommun's four-digit code, a letter for the kind of area (``A`` mostly rural, ``B``
  mostly in a built-up area outside the kommun's centre, ``C`` mostly in the centre) and
  four digits, e.g. ``0127C1010``; the pattern is ``^\\d{4}[ABC]\\d{4}$``.
* RegSO (regionala statistikområden, SCB 2018): eight characters, the kommun's code,
  ``R`` and three digits, e.g. ``0127R004``; the pattern accepted is ``^\\d{4}R\\d{3}$``
  (the reference folder holds no RegSO list, so this is the form SCB publishes its codes
  in, checked against its code list of 2018).
* For both the first four digits must be the code of the kommun the row names.
* Stadsdelar and other divisions are the kommun's own: any code of 1–20 letters, digits,
  ``-``, ``_`` or ``.`` (it is part of the page's web address) that is not a kommun or
  län code; it must be unique in Jämlik.

A code already defined under the same kommun is updated (its name and kind), never
duplicated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath

from jamlik.geo.models import DistrictKind
from jamlik.sources.areas import restore_leading_zero
from jamlik.sources.errors import ImportProblem, ImportValidationError, ImportWarning
from jamlik.sources.limits import current_limits
from jamlik.sources.reading import Table, normalise_header, table_from_rows, text_table
from jamlik.sources.workbooks import Cell, read_first_sheet

DESO_CODE = re.compile(r"^\d{4}[ABC]\d{4}$")
REGSO_CODE = re.compile(r"^\d{4}R\d{3}$")
OWN_CODE = re.compile(r"^[0-9A-Za-zÅÄÖåäö][0-9A-Za-zÅÄÖåäö_.-]{0,19}$")
#: A code that would be read as a län (2 digits) or kommun (4 digits).
AREA_LIKE = re.compile(r"^\d{2}$|^\d{4}$")

#: Canonical column → the headers accepted for it (Swedish first, then English).
COLUMNS: dict[str, tuple[str, ...]] = {
    "kommun": ("kommun", "kommunkod", "municipality", "municipality code"),
    "kod": ("kod", "områdeskod", "code", "district code"),
    "namn": ("namn", "name", "områdesnamn", "district name"),
    "typ": ("typ", "kind", "type"),
}
REQUIRED = ("kod", "namn", "typ")

#: Words accepted for a kind (compared case-folded).
KIND_WORDS: dict[str, DistrictKind] = {
    "stadsdel": DistrictKind.STADSDEL,
    "stadsdelar": DistrictKind.STADSDEL,
    "stadsdelsområde": DistrictKind.STADSDEL,
    "city district": DistrictKind.STADSDEL,
    "deso": DistrictKind.DESO,
    "regso": DistrictKind.REGSO,
    "annan": DistrictKind.OTHER,
    "annat": DistrictKind.OTHER,
    "övrig": DistrictKind.OTHER,
    "other": DistrictKind.OTHER,
}

#: The expected texts (fixed msgids, so the page shows them in Swedish).
EXPECT_FILE = "a CSV, text or Excel (.xlsx) file"
EXPECT_HEADER = "a header row with the columns kommun; kod; namn; typ"
EXPECT_COLUMN = "this column in the header row (kod, namn and typ are needed)"
EXPECT_KIND = "a kind: stadsdel, deso, regso or annan"
EXPECT_NAME = "a name of at most 120 characters"
EXPECT_KOMMUN = "the code or name of the kommun this page is for"
EXPECT_DESO = "a DeSO code: the kommun's four digits, A, B or C, and four digits (0127C1010)"
EXPECT_REGSO = "a RegSO code: the kommun's four digits, R and three digits (0127R004)"
EXPECT_PREFIX = "a DeSO or RegSO code beginning with the four digits of its kommun"
EXPECT_OWN = "a code of 1–20 letters, digits, '-', '_' or '.' that is not a kommun or län code"
EXPECT_UNIQUE_ROW = "a code that appears only once in the file"
EXPECT_FREE = "a code not already used by another area"


@dataclass(frozen=True)
class DistrictRow:
    """One district as the file defines it (``row`` as a spreadsheet shows it)."""

    row: int
    kommun: str
    code: str
    name: str
    kind: DistrictKind


@dataclass
class DistrictFile:
    """What a file held: its districts, the blank rows left out and what was assumed."""

    file: str
    rows: list[DistrictRow]
    blank_rows: int = 0
    warnings: list[ImportWarning] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return len(self.rows) + self.blank_rows


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _table(data: bytes, file: str) -> Table | None:
    expected = [name for names in COLUMNS.values() for name in names]
    limits = current_limits()
    suffix = PurePath(file).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        sheet, _others = read_first_sheet(data, file, limits)
        if sheet is None:
            return None
        return table_from_rows(
            file, iter(list(enumerate(sheet.rows, start=1))), expected, minimum=2, sheet=sheet.name
        )
    if suffix in (".csv", ".txt", ".tsv", ""):
        return text_table(data, file, expected, minimum=2, limits=limits)
    raise ImportValidationError([ImportProblem(file, 0, "", suffix, EXPECT_FILE)])


def _positions(table: Table) -> tuple[dict[str, int], list[ImportProblem]]:
    """Column index of each canonical column; problems for required ones missing."""
    aliases = {normalise_header(a): key for key, names in COLUMNS.items() for a in names}
    positions: dict[str, int] = {}
    for index, cell in enumerate(table.header):
        key = aliases.get(normalise_header(cell))
        if key is not None and key not in positions:
            positions[key] = index
    problems = [
        ImportProblem(table.file, table.header_row, key, "", EXPECT_COLUMN)
        for key in REQUIRED
        if key not in positions
    ]
    return positions, problems


def _cells(cells: list[Cell], positions: Mapping[str, int]) -> dict[str, str]:
    return {
        key: _text(cells[index]) if index < len(cells) else "" for key, index in positions.items()
    }


def read_district_file(
    data: bytes, file: str, *, kommun: str, kommun_names: Mapping[str, str]
) -> DistrictFile:
    """The districts of ``kommun`` defined in a file, every row checked on its own.

    ``kommun_names`` maps kommun codes to names (for a ``kommun`` column holding a name).
    The ``kommun`` column may be left out (every row is then the page's kommun); when
    given, every row must name ``kommun``. Raises :class:`ImportValidationError` with
    every problem found (file, row, column, value, what was expected).
    """
    table = _table(data, file)
    if table is None:
        raise ImportValidationError([ImportProblem(file, 0, "", "", EXPECT_HEADER)])
    positions, problems = _positions(table)
    if problems:
        raise ImportValidationError(problems)
    by_name = {name.casefold(): code for code, name in kommun_names.items()}
    rows: list[DistrictRow] = []
    blank = 0
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        values = _cells(cells, positions)
        if not any(values.values()):
            blank += 1
            continue
        found = list(_check_row(file, number, values, kommun, by_name))
        if found:
            problems.extend(found)
            continue
        code = values["kod"]
        if code in seen:
            problems.append(ImportProblem(file, number, "kod", code, EXPECT_UNIQUE_ROW))
            continue
        seen[code] = number
        rows.append(
            DistrictRow(number, kommun, code, values["namn"], KIND_WORDS[values["typ"].casefold()])
        )
    if problems:
        raise ImportValidationError(problems)
    if not rows:
        raise ImportValidationError([ImportProblem(file, 0, "", "", EXPECT_HEADER)])
    return DistrictFile(file, rows, blank, list(table.warnings))


def _check_row(
    file: str, number: int, values: Mapping[str, str], kommun: str, by_name: Mapping[str, str]
) -> Iterator[ImportProblem]:
    raw_kommun = values.get("kommun", "")
    if raw_kommun:
        named = by_name.get(raw_kommun.casefold(), restore_leading_zero(raw_kommun))
        if named != kommun:
            yield ImportProblem(file, number, "kommun", raw_kommun, EXPECT_KOMMUN)
    name = values["namn"]
    if not name or len(name) > 120:
        yield ImportProblem(file, number, "namn", name, EXPECT_NAME)
    kind = KIND_WORDS.get(values["typ"].casefold())
    if kind is None:
        yield ImportProblem(file, number, "typ", values["typ"], EXPECT_KIND)
        return
    yield from code_problems(file, number, values["kod"], kind, kommun)


def code_problems(
    file: str, row: int, code: str, kind: DistrictKind | str, kommun: str
) -> Iterator[ImportProblem]:
    """What is wrong with ``code`` for a district of ``kind`` in ``kommun`` (nothing if right)."""
    if kind == DistrictKind.DESO:
        if not DESO_CODE.match(code):
            yield ImportProblem(file, row, "kod", code, EXPECT_DESO)
        elif code[:4] != kommun:
            yield ImportProblem(file, row, "kod", code, EXPECT_PREFIX)
    elif kind == DistrictKind.REGSO:
        if not REGSO_CODE.match(code):
            yield ImportProblem(file, row, "kod", code, EXPECT_REGSO)
        elif code[:4] != kommun:
            yield ImportProblem(file, row, "kod", code, EXPECT_PREFIX)
    elif not OWN_CODE.match(code) or AREA_LIKE.match(code):
        yield ImportProblem(file, row, "kod", code, EXPECT_OWN)


def check_against_existing(
    districts: DistrictFile, existing: Mapping[str, tuple[str, str | None]]
) -> list[ImportProblem]:
    """Rows whose code another area already holds: ``existing`` maps codes to
    (level, parent code); a district of the same kommun is updated, not refused."""
    problems = []
    for row in districts.rows:
        found = existing.get(row.code)
        if found is None:
            continue
        level, parent = found
        if level != "district" or parent != row.kommun:
            problems.append(ImportProblem(districts.file, row.row, "kod", row.code, EXPECT_FREE))
    return problems


@dataclass(frozen=True)
class FeatureCodes:
    """The code of each feature of a district boundary file, and those not known."""

    codes: list[str]
    unknown: list[tuple[int, str]]


def feature_codes(
    features: list[object], file: str, known: set[str], code_property: str = ""
) -> FeatureCodes:
    """Each feature's district code (from ``code_property`` or the usual property names of
    :data:`jamlik.geo.services.CODE_PROPERTIES`), and every feature whose code is not in
    ``known`` (so all of them can be listed at once, not the first alone)."""
    from jamlik.geo.services import CODE_PROPERTIES, BoundaryError, normalise_code

    names = (code_property,) if code_property else CODE_PROPERTIES
    codes: list[str] = []
    unknown: list[tuple[int, str]] = []
    for index, feature in enumerate(features):
        props = feature.get("properties") if isinstance(feature, dict) else None
        by_lower = {str(k).lower(): k for k in props or {}}
        raw = next(
            (
                props[by_lower[n.lower()]]  # type: ignore[index]
                for n in names
                if n.lower() in by_lower and props[by_lower[n.lower()]] not in (None, "")  # type: ignore[index]
            ),
            None,
        )
        if raw is None:
            raise BoundaryError(
                f"{file}: feature {index}: no district code; expected the property "
                f"{', '.join(names)}."
            )
        code = normalise_code(raw)
        codes.append(code)
        if code not in known:
            unknown.append((index, code))
    return FeatureCodes(codes, unknown)

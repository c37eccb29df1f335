"""The actor-map file format: sheets, columns, and reading XLSX, CSV and JSON into rows.

One format in three containers. An XLSX workbook has the sheets ``actors``,
``activities``, ``networks`` and ``relations`` (plus an instructions sheet); a CSV file holds
one of those sheets; a JSON document holds them all as lists (that JSON is also the county
export package, see :mod:`jamlik.actors.services.packages`). Row numbers are the ones a
person sees: in XLSX and CSV the header is row 1; in JSON the first element is row 1.

Files are read through the one reading layer, :mod:`jamlik.sources.reading`: the
encoding (UTF-8 with or without BOM, UTF-16 "Unicode text", Windows-1252...), the
separator (``;``, tab, ``,`` or Excel's ``sep=`` line), title rows above the header, every
cell of a workbook whatever dimension it declares, merged cells, formulas without saved
results and the size limits are decided there, once for every importer. List cells (several målområden, several actors) separate
values with ``,`` or ``|``. Choice cells take the stored key or the Swedish or English
label.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices
from django.utils import translation

from jamlik.actors.choices import (
    ActivityStatus,
    ActorLevel,
    ActorType,
    Evidence,
    MeetingFrequency,
    Orientation,
    PreventionLevel,
    RelationKind,
    Setting,
    TargetGroup,
)
from jamlik.actors.orgnr import OrgNumberError, normalise_org_number
from jamlik.core.spreadsheets import without_formulas
from jamlik.sources.areas import restore_leading_zero
from jamlik.sources.decoding import decode_text as decode_file
from jamlik.sources.errors import ImportValidationError, ImportWarning
from jamlik.sources.limits import check_file_size, check_row_count, current_limits
from jamlik.sources.reading import Table, normalise_header, table_from_rows, text_table
from jamlik.sources.workbooks import read_workbook

SHEETS = ("actors", "activities", "networks", "relations")
INSTRUCTIONS_SHEET = "instruktioner"


@dataclass(frozen=True)
class RowError:
    """A problem in one cell: where it is, what was there and what was expected."""

    sheet: str
    row: int
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "…"
        return (
            f"sheet {self.sheet}, row {self.row}, column {self.column}: "
            f"{shown!r} — expected {self.expected}"
        )


class ImportRejected(ValueError):
    """Nothing was stored; ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        head = "; ".join(str(e) for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} problem(s), nothing was imported: {head}{more}")


@dataclass(frozen=True)
class Column:
    key: str
    help_sv: str
    help_en: str
    required: bool = False
    kind: str = "text"  # text, int, list, choice, choices, orgnr, ints
    choices: type[TextChoices] | None = None
    max_length: int | None = None


def _c(key: str, sv: str, en: str, **kw: Any) -> Column:
    return Column(key, sv, en, **kw)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "actors": (
        _c(
            "ref",
            "Egen identitet för raden, t.ex. A1 (unik i filen)",
            "Your identifier for the row, e.g. A1 (unique in the file)",
            required=True,
            max_length=60,
        ),
        _c(
            "name",
            "Organisationens namn",
            "Name of the organisation",
            required=True,
            max_length=200,
        ),
        _c(
            "org_number",
            "Organisationsnummer NNNNNN-NNNN (frivilligt)",
            "Organisation number NNNNNN-NNNN (optional)",
            kind="orgnr",
        ),
        _c(
            "type", "Typ av aktör", "Type of actor", required=True, kind="choice", choices=ActorType
        ),
        _c("level", "Nivå", "Level", required=True, kind="choice", choices=ActorLevel),
        _c(
            "area",
            "Kommun- eller länskod som ansvarar för raden",
            "Kommun or län code responsible for the row",
            required=True,
        ),
        _c(
            "areas_served",
            "Kommun- eller länskoder som aktören verkar i",
            "Kommun or län codes the actor works in",
            kind="list",
        ),
        _c(
            "contact",
            "Funktionsadress eller växel (inga privatpersoner)",
            "Function mailbox or switchboard (no private persons)",
            max_length=200,
        ),
        _c("website", "Webbplats", "Website", max_length=200),
        _c(
            "part_of",
            "För en enhet: ref för organisationen den ingår i, t.ex. länsstyrelsen (frivilligt)",
            "For a unit: ref of the organisation it is part of, e.g. the county board (optional)",
            max_length=60,
        ),
    ),
    "activities": (
        _c(
            "ref",
            "Egen identitet för raden, t.ex. I1",
            "Your identifier for the row, e.g. I1",
            required=True,
            max_length=60,
        ),
        _c("title", "Insatsens namn", "Name of the activity", required=True, max_length=200),
        _c("description", "Vad insatsen går ut på", "What the activity is"),
        _c(
            "actors",
            "Aktörer bakom insatsen (ref från actors)",
            "Actors behind it (refs from actors)",
            required=True,
            kind="list",
        ),
        _c(
            "malomraden",
            "Målområden, nummer 1–8",
            "Target areas, numbers 1–8",
            required=True,
            kind="ints",
        ),
        _c(
            "problem_areas",
            "Problemområden i preventionsstjärnan",
            "Prevention-star problem areas",
            kind="list",
        ),
        _c(
            "orientation",
            "Främjande eller förebyggande",
            "Promotion or prevention",
            required=True,
            kind="choice",
            choices=Orientation,
        ),
        _c(
            "prevention_level",
            "Preventionsnivå",
            "Prevention level",
            kind="choice",
            choices=PreventionLevel,
        ),
        _c("age_min", "Lägsta ålder", "Youngest age", kind="int"),
        _c("age_max", "Högsta ålder", "Oldest age", kind="int"),
        _c("target_groups", "Målgrupper", "Target groups", kind="choices", choices=TargetGroup),
        _c("settings", "Arenor", "Settings", kind="choices", choices=Setting),
        _c(
            "area",
            "Kommunkod (eller länskod för länsövergripande)",
            "Kommun code (or län code for county-wide)",
            required=True,
        ),
        _c(
            "districts",
            "Koder för delområden i kommunen",
            "District codes within the kommun",
            kind="list",
        ),
        _c("start_year", "Startår", "Start year", kind="int"),
        _c("end_year", "Slutår", "End year", kind="int"),
        _c("funding", "Finansiering", "Funding", max_length=200),
        _c("method", "Metod eller program", "Method or programme", max_length=200),
        _c(
            "intervention_key",
            "Insats i insatsregistret som genomförs (nyckel, t.ex. kiva; frivilligt)",
            "Registry intervention delivered (its key, e.g. kiva; optional)",
            max_length=64,
        ),
        _c(
            "evidence",
            "Evidensläge för metoden",
            "Evidence for the method",
            kind="choice",
            choices=Evidence,
        ),
        _c("status", "Status", "Status", kind="choice", choices=ActivityStatus),
    ),
    "networks": (
        _c(
            "ref",
            "Egen identitet för raden, t.ex. N1",
            "Your identifier for the row, e.g. N1",
            required=True,
            max_length=60,
        ),
        _c("name", "Nätverkets namn", "Name of the network", required=True, max_length=200),
        _c("convenor", "Sammankallande aktör (ref)", "Convening actor (ref)"),
        _c("members", "Medlemmar (ref)", "Members (refs)", kind="list"),
        _c("purpose", "Syfte", "Purpose"),
        _c(
            "meeting_frequency",
            "Hur ofta nätverket träffas",
            "How often it meets",
            kind="choice",
            choices=MeetingFrequency,
        ),
        _c("malomraden", "Målområden, nummer 1–8", "Target areas, numbers 1–8", kind="ints"),
        _c(
            "area",
            "Kommun- eller länskod som ansvarar för raden",
            "Kommun or län code responsible for the row",
            required=True,
        ),
    ),
    "relations": (
        _c("source", "Aktör (ref)", "Actor (ref)", required=True),
        _c(
            "kind",
            "collaborates (samverkar med) eller funds (finansierar)",
            "collaborates or funds",
            required=True,
        ),
        _c("target", "Aktör (ref)", "Actor (ref)", required=True),
    ),
}

RELATION_KINDS = (RelationKind.COLLABORATES, RelationKind.FUNDS)


def choice_lookup(choices: type[TextChoices]) -> dict[str, str]:
    """Key, Swedish label and English label (case-folded) → stored key."""
    lookup: dict[str, str] = {}
    for member in choices:
        lookup[member.value.casefold()] = member.value
        for lang in ("sv", "en"):
            with translation.override(lang):
                lookup[str(member.label).casefold()] = member.value
    return lookup


def choice_expectation(choices: type[TextChoices] | Iterable[str]) -> str:
    keys = [m.value for m in choices] if isinstance(choices, type) else list(choices)
    return "one of " + ", ".join(keys)


def split_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).replace("|", ",")
    return [part.strip() for part in text.split(",") if part.strip()]


AREA_COLUMNS = frozenset({"area", "areas_served", "districts"})


def area_code(text: str) -> str:
    """Restore the leading zero Excel drops from codes typed as numbers (127 → 0127, 1 → 01)."""
    return restore_leading_zero(text)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value).strip()


@dataclass
class ParseContext:
    """What a row is checked against: valid codes and keys. Filled by the import service."""

    area_codes: set[str]
    target_area_numbers: set[int]
    problem_area_keys: set[str]
    problem_area_names: dict[str, str] = field(default_factory=dict)  # casefolded name → key


@dataclass
class SheetRows:
    """Rows of one sheet as ``(row_number, {column: raw value})``."""

    sheet: str
    rows: list[tuple[int, dict[str, Any]]]
    #: What reading the file assumed (encoding, separator, header row), for the user.
    warnings: list[ImportWarning] = field(default_factory=list)


def parse_rows(
    sheet: str, rows: Iterable[tuple[int, Mapping[str, Any]]], ctx: ParseContext
) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """Check and convert every row of a sheet; returns clean rows and every error found."""
    clean_rows: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    lookups = {c.key: choice_lookup(c.choices) for c in COLUMNS[sheet] if c.choices}
    for number, raw in rows:
        clean: dict[str, Any] = {}
        row_errors: list[RowError] = []
        for column in COLUMNS[sheet]:
            value = raw.get(column.key)
            error = _parse_cell(sheet, number, column, value, ctx, lookups.get(column.key), clean)
            if error:
                row_errors.append(error)
        if not row_errors:
            row_errors.extend(_cross_checks(sheet, number, clean))
        errors.extend(row_errors)
        clean_rows.append((number, clean))
    return clean_rows, errors


def _parse_cell(
    sheet: str,
    number: int,
    column: Column,
    value: Any,
    ctx: ParseContext,
    lookup: dict[str, str] | None,
    out: dict[str, Any],
) -> RowError | None:
    text = cell_text(value)

    def err(expected: str) -> RowError:
        return RowError(sheet, number, column.key, text, expected)

    if not text:
        if column.required:
            return err("a value (this column is required)")
        out[column.key] = (
            []
            if column.kind in {"list", "ints", "choices"}
            else (None if column.kind == "int" else "")
        )
        return None
    if column.max_length and len(text) > column.max_length:
        return err(f"at most {column.max_length} characters")
    if column.key in AREA_COLUMNS:
        value = (
            [area_code(v) for v in split_list(value)] if column.kind == "list" else area_code(text)
        )
        text = cell_text(value)
    parser: Callable[[], Any] = {
        "text": lambda: text,
        "int": lambda: _int(text),
        "orgnr": lambda: normalise_org_number(text),
        "list": lambda: split_list(value),
        "ints": lambda: [_int(v) for v in split_list(value)],
        "choice": lambda: _choice(text, lookup),
        "choices": lambda: [_choice(v, lookup) for v in split_list(value)],
    }[column.kind]
    try:
        parsed = parser()
    except OrgNumberError as exc:
        return err(f"a valid Swedish organisation number ({exc})")
    except (ValueError, KeyError):
        if column.kind in {"int", "ints"}:
            return err("whole numbers" if column.kind == "ints" else "a whole number")
        return err(choice_expectation(column.choices or []))
    # Domain checks that need the context.
    if column.key in {"area"} and parsed not in ctx.area_codes:
        return err("a kommun or län code in this county (e.g. 0127 or 01)")
    if column.key == "areas_served":
        bad = [c for c in parsed if c not in ctx.area_codes]
        if bad:
            return err("kommun or län codes in this county; unknown: " + ", ".join(bad))
    if column.key == "malomraden":
        bad_numbers = [n for n in parsed if n not in ctx.target_area_numbers]
        if bad_numbers:
            return err(
                "target-area numbers " + ", ".join(str(n) for n in sorted(ctx.target_area_numbers))
            )
    if column.key == "problem_areas":
        keys = []
        for item in parsed:
            key = (
                item
                if item in ctx.problem_area_keys
                else ctx.problem_area_names.get(item.casefold())
            )
            if key is None:
                return err(choice_expectation(sorted(ctx.problem_area_keys)))
            keys.append(key)
        parsed = keys
    if sheet == "relations" and column.key == "kind" and parsed not in RELATION_KINDS:
        return err(choice_expectation([str(k) for k in RELATION_KINDS]))
    if column.kind == "int" and column.key.endswith("year") and not 1900 <= parsed <= 2100:
        return err("a year between 1900 and 2100")
    if column.kind == "int" and column.key.startswith("age") and not 0 <= parsed <= 120:
        return err("an age between 0 and 120")
    out[column.key] = parsed
    return None


def _cross_checks(sheet: str, number: int, row: dict[str, Any]) -> list[RowError]:
    errors = []
    if sheet == "activities":
        if (
            row["age_min"] is not None
            and row["age_max"] is not None
            and row["age_min"] > row["age_max"]
        ):
            errors.append(
                RowError(
                    sheet,
                    number,
                    "age_max",
                    str(row["age_max"]),
                    f"at least age_min ({row['age_min']})",
                )
            )
        if row["start_year"] and row["end_year"] and row["start_year"] > row["end_year"]:
            errors.append(
                RowError(
                    sheet,
                    number,
                    "end_year",
                    str(row["end_year"]),
                    f"no earlier than start_year ({row['start_year']})",
                )
            )
    return errors


def _int(text: str) -> int:
    value = float(text.replace(",", ".")) if any(c in text for c in ".,") else int(text)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(text)
        value = int(value)
    return value


def _choice(text: str, lookup: dict[str, str] | None) -> str:
    if lookup is None:
        return text
    return lookup[text.strip().casefold()]


# ---- containers --------------------------------------------------------------------


class FormatError(ValueError):
    """The file itself cannot be read (wrong type, no header, unknown sheet)."""


#: Header spellings accepted for a column besides its key (compared case- and
#: space-insensitively): a kommun's own sheet says "Kommun", not "area".
HEADER_ALIASES: dict[str, str] = {
    alias: "area"
    for alias in ("kommun", "län", "lan", "område", "omrade", "region", "kommunkod", "områdeskod")
}


def _header_names(header: list[Any]) -> list[str]:
    names = [normalise_header(cell_text(h)) for h in header]
    return [HEADER_ALIASES.get(name, name) for name in names]


def _check_header(sheet: str, header: list[Any], where: str) -> list[str]:
    known = {c.key for c in COLUMNS[sheet]}
    names = _header_names(header)
    unknown = [h for h in names if h and h not in known]
    if unknown:
        raise FormatError(
            f"{where}: unknown column(s) {', '.join(unknown)}; expected the columns "
            + ", ".join(c.key for c in COLUMNS[sheet])
        )
    missing = [c.key for c in COLUMNS[sheet] if c.required and c.key not in names]
    if missing:
        raise FormatError(f"{where}: missing required column(s) {', '.join(missing)}")
    return names


def _expected_headers(sheet: str) -> set[str]:
    return {c.key for c in COLUMNS[sheet]} | set(HEADER_ALIASES)


def _problems(exc: ImportValidationError) -> FormatError:
    """The reading layer's problems as this importer's :class:`FormatError`."""
    parts = []
    for p in exc.problems[:10]:
        where = f"row {p.row}" if p.row else ""
        if p.column:
            where += f"{', ' if where else ''}column {p.column}"
        parts.append(f"{where + ': ' if where else ''}got {p.value!r}, expected {p.expected}")
    more = f" (and {len(exc.problems) - 10} more)" if len(exc.problems) > 10 else ""
    return FormatError("; ".join(parts) + more)


def _sheet_rows(sheet: str, table: Table, filename: str) -> SheetRows:
    where = f"sheet {sheet}, row {table.header_row}"
    names = _check_header(sheet, table.header, where)
    rows = []
    read = 0
    for number, values in table.rows:
        read += 1
        if not any(cell_text(v) for v in values):
            continue
        rows.append((number, {n: v for n, v in zip(names, values, strict=False) if n}))
    check_row_count(filename, read, current_limits())
    return SheetRows(sheet, rows, table.warnings)


def read_xlsx(content: bytes, filename: str = "workbook.xlsx") -> list[SheetRows]:
    limits = current_limits()
    try:
        check_file_size(filename, len(content), limits)
        sheets = read_workbook(content, filename, limits)
    except ImportValidationError as exc:
        raise _problems(exc) from exc
    result = []
    for ws in sheets:
        title = ws.name.strip().lower()
        if title == INSTRUCTIONS_SHEET:
            continue
        if title not in SHEETS:
            raise FormatError(
                f"sheet {ws.name!r}: unknown sheet; expected {', '.join(SHEETS)} "
                f"(and optionally {INSTRUCTIONS_SHEET})"
            )
        table = table_from_rows(
            filename,
            iter(list(enumerate(ws.rows, start=1))),
            _expected_headers(title),
            minimum=2,
            sheet=ws.name,
        )
        if table is None:
            continue
        try:
            result.append(_sheet_rows(title, table, filename))
        except ImportValidationError as exc:
            raise _problems(exc) from exc
    return result


def decode_text(content: bytes) -> str:
    """The file as text, its encoding detected by the reading layer."""
    try:
        return decode_file(content, "")[0]
    except ImportValidationError as exc:
        raise _problems(exc) from exc


def read_csv(content: bytes, sheet: str, filename: str = "") -> list[SheetRows]:
    if sheet not in SHEETS:
        raise FormatError(f"unknown sheet {sheet!r}; expected one of {', '.join(SHEETS)}")
    try:
        table = text_table(
            content,
            filename or f"{sheet}.csv",
            _expected_headers(sheet),
            minimum=2,
            limits=current_limits(),
        )
        if table is None:
            raise FormatError(f"{sheet}: the file is empty; expected a header row")
        return [_sheet_rows(sheet, table, filename or f"{sheet}.csv")]
    except ImportValidationError as exc:
        raise _problems(exc) from exc


def read_json(content: bytes | str | Mapping[str, Any]) -> tuple[dict[str, Any], list[SheetRows]]:
    """The document (for its header fields) and its sheets as rows."""
    if isinstance(content, Mapping):
        doc = dict(content)
    else:
        text = decode_text(content) if isinstance(content, bytes) else content
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FormatError(f"not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    if not isinstance(doc, dict):
        raise FormatError("expected a JSON object with lists 'actors', 'activities', …")
    result = []
    for sheet in SHEETS:
        items = doc.get(sheet, [])
        if not isinstance(items, list):
            raise FormatError(f"'{sheet}' must be a list")
        rows = []
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise FormatError(f"{sheet}[{number}]: expected an object")
            unknown = set(item) - {c.key for c in COLUMNS[sheet]}
            if unknown:
                raise FormatError(
                    f"{sheet}[{number}]: unknown field(s) {', '.join(sorted(unknown))}"
                )
            rows.append((number, item))
        result.append(SheetRows(sheet, rows))
    return doc, result


def read_any(filename: str, content: bytes, *, sheet: str = "activities") -> list[SheetRows]:
    """Read a file by its extension: .xlsx (all sheets), .csv (one ``sheet``) or .json."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return read_xlsx(content, filename)
    if name.endswith(".csv"):
        return read_csv(content, sheet, filename)
    if name.endswith(".json"):
        return read_json(content)[1]
    raise FormatError(f"{filename}: expected a file ending in .xlsx, .csv or .json")


# ---- writers -----------------------------------------------------------------------


def _cell_out(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value


def write_xlsx(rows_by_sheet: Mapping[str, list[dict[str, Any]]], *, demo: bool = False) -> bytes:
    """A workbook with one sheet per part of the map and an instructions sheet.

    With no rows it is the empty template municipalities fill in.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    info = workbook.active
    info.title = INSTRUCTIONS_SHEET
    info.append(["Jämlik aktörskarta / actor map", "format 1"])
    if demo:
        info.append(["PÅHITTADE DEMONSTRATIONSDATA / INVENTED DEMONSTRATION DATA"])
    info.append([])
    info.append(
        [
            "flik/sheet",
            "kolumn/column",
            "obligatorisk/required",
            "beskrivning",
            "description",
            "värden/values",
        ]
    )
    for cell in info[info.max_row]:
        cell.font = Font(bold=True)
    for sheet in SHEETS:
        for column in COLUMNS[sheet]:
            values = ", ".join(m.value for m in column.choices) if column.choices else ""
            info.append(
                [
                    sheet,
                    column.key,
                    "ja/yes" if column.required else "",
                    column.help_sv,
                    column.help_en,
                    values,
                ]
            )
    for sheet in SHEETS:
        ws = workbook.create_sheet(sheet)
        ws.append([c.key for c in COLUMNS[sheet]])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows_by_sheet.get(sheet, []):
            ws.append([_cell_out(row.get(c.key)) for c in COLUMNS[sheet]])
        for index, column in enumerate(COLUMNS[sheet], start=1):
            if column.kind == "choice" and column.choices:
                letter = ws.cell(row=1, column=index).column_letter
                validation = DataValidation(
                    type="list",
                    formula1='"' + ",".join(m.value for m in column.choices) + '"',
                    allow_blank=not column.required,
                )
                validation.add(f"{letter}2:{letter}5000")
                ws.add_data_validation(validation)
            ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = max(
                12, len(column.key) + 4
            )
    buffer = io.BytesIO()
    without_formulas(workbook)  # user text never runs as a formula
    workbook.save(buffer)
    return buffer.getvalue()


def csv_columns(sheet: str) -> list[tuple[str, str]]:
    return [(c.key, c.key) for c in COLUMNS[sheet]]


def csv_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: _cell_out(v) for k, v in row.items()} for row in rows]

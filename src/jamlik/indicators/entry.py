"""Web data entry (DHIS2-style): checking a grid of numbers entered per kommun.

Some measures arrive as a handful of numbers a year (a county programme's reach,
a local register): they are typed into a form, one row per kommun, instead of
uploaded as a file.  This module holds the pure part: which columns an indicator
takes, which periods it accepts, the rules a row must meet, which rows changed,
which changed under the user's feet, and the :class:`ObservationBatch` that goes to
:func:`jamlik.indicators.services.store_batches` like any import (staged, then
published by the county).

The rules are those of the statistics the values feed: a proportion's numerator is
part of its denominator (0 ≤ numerator ≤ denominator), a rate needs a population
above zero (Wilson's interval and the exact Poisson interval are undefined
otherwise; Newcombe 1998, Ulm 1990), a count is a non-negative whole number.  A
mean, an index or a count is entered as its value; a proportion or a rate as its
numerator and denominator, so that the value and its interval are computed here
the same way as for every other source (:mod:`jamlik.stats`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamlik.core.number_fields import format_number
from jamlik.indicators.models import ValueType
from jamlik.sources import Observation as SourceObservation
from jamlik.sources import parse_period
from jamlik.sources.observations import ObservationBatch
from jamlik.sources.periods import PeriodKind

#: The earliest year a value may be entered for: older figures come from files.
FIRST_YEAR = 1990


class EntryShape(StrEnum):
    """What the form asks for: counts (numerator, denominator) or the value itself."""

    COUNTS = "counts"
    VALUE = "value"


def entry_shape(value_type: str) -> EntryShape:
    """Proportions and rates are entered as counts (their value and interval are
    computed); means, indices and counts as the value."""
    if value_type in (ValueType.PROPORTION, ValueType.RATE, ValueType.DSR):
        return EntryShape.COUNTS
    return EntryShape.VALUE


class CellState(StrEnum):
    """Where a kommun's value for the period stands."""

    PUBLISHED = "published"
    STAGED = "staged"
    EMPTY = "empty"


CELL_STATE_LABELS = {
    CellState.PUBLISHED: gettext_lazy("published"),
    CellState.STAGED: gettext_lazy("awaiting publication"),
    CellState.EMPTY: gettext_lazy("empty"),
}

COLUMN_LABELS = {
    "numerator": gettext_lazy("numerator"),
    "denominator": gettext_lazy("denominator"),
    "value": gettext_lazy("value"),
}

Numbers = tuple[float | None, float | None, float | None]


@dataclass(frozen=True, slots=True)
class StoredCell:
    """What is stored for one kommun: the newest staged row, else the live one."""

    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    state: CellState = CellState.EMPTY

    @property
    def numbers(self) -> Numbers:
        return (self.numerator, self.denominator, self.value)

    @property
    def state_label(self) -> str:
        return str(CELL_STATE_LABELS[self.state])


EMPTY_CELL = StoredCell()


@dataclass(frozen=True, slots=True)
class EnteredRow:
    """What the form brought for one kommun (numbers already read the Swedish way)."""

    area: str
    name: str
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None

    @property
    def is_empty(self) -> bool:
        return self.numerator is None and self.denominator is None and self.value is None

    def entered(self, shape: EntryShape) -> Numbers:
        """The numbers the shape takes (a value typed beside counts is not read)."""
        if shape == EntryShape.COUNTS:
            return (self.numerator, self.denominator, None)
        return (None, None, self.value)


@dataclass(frozen=True, slots=True)
class EntryProblem:
    """A refused cell: which kommun, which column, and what the rule is."""

    area: str
    name: str
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.name}, {COLUMN_LABELS[self.column]}: {self.message}"


def shown_numbers(cell: StoredCell, shape: EntryShape) -> Numbers:
    """The part of a stored cell that the form shows and that a save compares."""
    if shape == EntryShape.COUNTS:
        return (cell.numerator, cell.denominator, None)
    return (None, None, cell.value)


def check_row(row: EnteredRow, shape: EntryShape, value_type: str) -> list[EntryProblem]:
    """The rules one kommun's row breaks (empty rows break none: nothing is entered)."""

    def problem(column: str, message: str) -> EntryProblem:
        return EntryProblem(row.area, row.name, column, message)

    if row.is_empty:
        return []
    if shape == EntryShape.VALUE:
        if row.value is None:
            return [problem("value", _("Enter the value (or leave the whole row empty)."))]
        if value_type == ValueType.COUNT:
            if row.value < 0:
                return [problem("value", _("A count cannot be negative."))]
            if row.value != int(row.value):
                return [problem("value", _("A count is a whole number."))]
        return []
    found: list[EntryProblem] = []
    if row.numerator is None:
        found.append(
            problem("numerator", _("Enter the numerator too (or leave the whole row empty)."))
        )
    elif row.numerator < 0:
        found.append(problem("numerator", _("The numerator cannot be negative.")))
    if row.denominator is None:
        found.append(
            problem("denominator", _("Enter the denominator too (or leave the whole row empty)."))
        )
    elif row.denominator <= 0:
        found.append(problem("denominator", _("The denominator must be greater than zero.")))
    if (
        not found
        and value_type == ValueType.PROPORTION
        and row.numerator is not None
        and row.denominator is not None
        and row.numerator > row.denominator
    ):
        found.append(
            problem(
                "numerator",
                _(
                    "The numerator (%(numerator)s) is larger than the denominator "
                    "(%(denominator)s): a share counts part of the denominator."
                )
                % {"numerator": _plain(row.numerator), "denominator": _plain(row.denominator)},
            )
        )
    return found


def check_rows(
    rows: Sequence[EnteredRow], shape: EntryShape, value_type: str
) -> list[EntryProblem]:
    """Every problem of every row, in the rows' order."""
    return [p for row in rows for p in check_row(row, shape, value_type)]


def edited_rows(
    rows: Sequence[EnteredRow], shown: Mapping[str, Numbers], shape: EntryShape
) -> list[EnteredRow]:
    """The rows whose numbers differ from what the form showed: only these are stored.

    An empty row over a stored value is kept (the caller refuses it: clearing a value
    is a withdrawal for the county, not an entry).
    """
    blank: Numbers = (None, None, None)
    return [row for row in rows if row.entered(shape) != tuple(shown.get(row.area, blank))]


def cleared_problems(
    edited: Sequence[EnteredRow], current: Mapping[str, StoredCell]
) -> list[EntryProblem]:
    """Rows emptied over a stored value: refused, naming where the value can go."""
    column = "value"
    return [
        EntryProblem(
            row.area,
            row.name,
            column,
            _(
                "A stored value cannot be emptied here. Enter the right value, or ask the "
                "county administrator not to publish (or to withdraw) the entry."
            ),
        )
        for row in edited
        if row.is_empty and current.get(row.area, EMPTY_CELL).state != CellState.EMPTY
    ]


def conflicts(
    edited: Sequence[EnteredRow],
    shown: Mapping[str, Numbers],
    current: Mapping[str, StoredCell],
    shape: EntryShape,
) -> list[EnteredRow]:
    """Edited rows whose stored numbers changed since the form showed them: someone
    else saved in between, and storing would silently replace their numbers."""
    blank: Numbers = (None, None, None)
    return [
        row
        for row in edited
        if shown_numbers(current.get(row.area, EMPTY_CELL), shape)
        != tuple(shown.get(row.area, blank))
    ]


def preview(shape: EntryShape, multiplier: int, row: EnteredRow | StoredCell) -> float | None:
    """The value the numbers give (the point estimate of :mod:`jamlik.stats`), or None."""
    if shape == EntryShape.VALUE:
        return row.value
    if row.numerator is None or not row.denominator or row.denominator <= 0:
        return None
    return row.numerator / row.denominator * multiplier


def build_batch(
    indicator: str,
    period: str,
    rows: Iterable[EnteredRow],
    shape: EntryShape,
    *,
    source: str,
) -> ObservationBatch:
    """The observations of the entered rows, for :func:`store_batches` (the value and
    interval of counts are computed there, as for a file)."""
    observations = []
    for row in rows:
        numerator, denominator, value = row.entered(shape)
        observations.append(
            SourceObservation(
                indicator=indicator,
                area=row.area,
                period=period,
                numerator=numerator,
                denominator=denominator,
                value=value,
                source=source,
            )
        )
    return ObservationBatch.from_observations(observations)


# ---- periods ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeriodPattern:
    """The kind of period an indicator is reported for: a year, a span of ``years``
    years (2021-2024), a school year, a quarter or a month."""

    kind: PeriodKind = PeriodKind.YEAR
    years: int = 1


def period_pattern(labels: Iterable[str]) -> PeriodPattern:
    """The pattern most of the indicator's stored periods follow (a year when none)."""
    seen: Counter[PeriodPattern] = Counter()
    for label in labels:
        try:
            period = parse_period(label)
        except ValueError:
            continue
        if period.kind == PeriodKind.DATE:
            continue
        years = period.end_year - period.start_year + 1 if period.kind == PeriodKind.SPAN else 1
        seen[PeriodPattern(period.kind, years)] += 1
    return seen.most_common(1)[0][0] if seen else PeriodPattern()


def _describe(pattern: PeriodPattern) -> str:
    if pattern.kind == PeriodKind.SPAN:
        return _("a span of %(years)s years, such as %(example)s") % {
            "years": pattern.years,
            "example": f"2021-{2020 + pattern.years}",
        }
    return {
        PeriodKind.SCHOOL_YEAR: _("a school year, such as 2023/24"),
        PeriodKind.QUARTER: _("a quarter, such as 2024K1"),
        PeriodKind.MONTH: _("a month, such as 2024M03"),
    }.get(pattern.kind, _("a year, such as 2024"))


def period_problem(label: str, pattern: PeriodPattern, latest_year: int) -> str | None:
    """Why ``label`` is not a period this indicator takes, or None when it is."""
    expected = _describe(pattern)
    try:
        period = parse_period(label)
    except ValueError:
        return _("“%(label)s” is not a period: expected %(expected)s.") % {
            "label": label,
            "expected": expected,
        }
    years = period.end_year - period.start_year + 1 if period.kind == PeriodKind.SPAN else 1
    if period.kind != pattern.kind or years != pattern.years:
        return _("“%(label)s” is not a period of this indicator: expected %(expected)s.") % {
            "label": label,
            "expected": expected,
        }
    if period.start_year < FIRST_YEAR or period.end_year > latest_year:
        return _("“%(label)s” is outside the years that can be entered (%(first)s–%(last)s).") % {
            "label": label,
            "first": FIRST_YEAR,
            "last": latest_year,
        }
    return None


def recent_periods(pattern: PeriodPattern, latest_year: int, count: int = 5) -> list[str]:
    """The latest ``count`` periods of the pattern ending by ``latest_year``, newest first."""
    out: list[str] = []
    for year in range(latest_year, latest_year - count, -1):
        if pattern.kind == PeriodKind.SPAN:
            out.append(f"{year - pattern.years + 1}-{year}")
        elif pattern.kind == PeriodKind.SCHOOL_YEAR:
            out.append(f"{year - 1}/{str(year)[2:]}")
        elif pattern.kind == PeriodKind.QUARTER:
            out.extend(f"{year}K{q}" for q in (4, 3, 2, 1))
        elif pattern.kind == PeriodKind.MONTH:
            out.extend(f"{year}M{m:02d}" for m in range(12, 0, -1))
        else:
            out.append(str(year))
    return out[: count * (12 if pattern.kind == PeriodKind.MONTH else 1)]


def _plain(number: float) -> str:
    """A number as the form shows it (decimal comma, no exponent)."""
    return format_number(number)

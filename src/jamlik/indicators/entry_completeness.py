"""Who has entered what: the county's web-entry indicators × kommuner for one period.

A county collecting numbers from its kommuner needs to see at a glance which
values are in and published, which await its publication and which are still
missing, before it chases anyone (DHIS2's reporting-rate view, per cell).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field

from django.db.models import Q

from jamlik.geo.models import Area
from jamlik.indicators.entry import (
    CellState,
    EntryShape,
    entry_shape,
    period_problem,
    recent_periods,
)
from jamlik.indicators.entry_services import indicator_pattern, latest_year, stored_cells
from jamlik.indicators.models import Indicator
from jamlik.sources import parse_period


@dataclass
class Tally:
    """Counts of cells by state."""

    published: int = 0
    staged: int = 0
    missing: int = 0

    def add(self, state: CellState) -> None:
        if state == CellState.PUBLISHED:
            self.published += 1
        elif state == CellState.STAGED:
            self.staged += 1
        else:
            self.missing += 1


@dataclass
class IndicatorRow:
    """One indicator's cells (None when the period is not of its kind) and its tally."""

    indicator: Indicator
    period_note: str | None
    cells: list[CellState | None]
    tally: Tally = field(default_factory=Tally)


@dataclass(frozen=True)
class MatrixCell:
    """One kommun's state for one indicator, with the entry field to link to."""

    row: IndicatorRow
    state: CellState | None
    field: str


@dataclass
class Completeness:
    """The matrix: indicators (columns) × kommuner (rows), with tallies both ways."""

    county: Area
    period: str
    periods: list[str]
    kommuner: list[Area]
    rows: list[IndicatorRow]
    per_kommun: list[Tally]

    def kommun_rows(self) -> list[tuple[Area, list[MatrixCell], Tally]]:
        """The table's rows: each kommun with its cell per indicator and its tally."""
        out = []
        for index, kommun in enumerate(self.kommuner):
            cells = []
            for row in self.rows:
                shape = entry_shape(row.indicator.value_type)
                column = "numerator" if shape == EntryShape.COUNTS else "value"
                cells.append(MatrixCell(row, row.cells[index], f"id_{column}_{kommun.code}"))
            out.append((kommun, cells, self.per_kommun[index]))
        return out


def county_entry_indicators(county: Area) -> list[Indicator]:
    """Web-entry indicators the county collects: shared ones and its own, current only."""
    return list(
        Indicator.objects.filter(web_entry=True, current=True)
        .filter(Q(owner__isnull=True) | Q(owner=county))
        .order_by("sort_order", "code")
    )


def completeness(county: Area, period: str | None) -> Completeness:
    """The matrix for ``period`` (the last full year when None)."""
    indicators = county_entry_indicators(county)
    kommuner = list(Area.objects.municipalities(county.code).order_by("code"))
    patterns = {i.pk: indicator_pattern(i) for i in indicators}
    year = latest_year()
    periods: list[str] = []
    for pattern in dict.fromkeys(patterns.values()) or [None]:
        if pattern is None:
            periods.extend(str(y) for y in range(year, year - 5, -1))
        else:
            periods.extend(recent_periods(pattern, year))
    periods = list(dict.fromkeys(periods))
    chosen = period or next((p for p in periods if p.startswith(str(year - 1))), periods[0])
    # A label that is no period is shown as typed; each indicator then says what it takes.
    with suppress(ValueError):
        chosen = parse_period(chosen).label
    per_kommun = [Tally() for _ in kommuner]
    rows: list[IndicatorRow] = []
    for indicator in indicators:
        note = period_problem(chosen, patterns[indicator.pk], year)
        if note is not None:
            rows.append(IndicatorRow(indicator, note, [None] * len(kommuner)))
            continue
        stored = stored_cells(indicator, chosen, kommuner)
        row = IndicatorRow(indicator, None, [])
        for index, kommun in enumerate(kommuner):
            cell = stored.get(kommun.code)
            state = cell.state if cell is not None else CellState.EMPTY
            row.cells.append(state)
            row.tally.add(state)
            per_kommun[index].add(state)
        rows.append(row)
    return Completeness(county, chosen, periods, kommuner, rows, per_kommun)

"""Swedish unit costs that come with a named source and price year.

The table (``data/unit_costs.csv``) holds only figures whose source we can
name; it is deliberately short. Everything else a user must enter with its own
source. Amounts are in the stated price year and must be converted with a
price index before use in another price year.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from jamlik.economics.inputs import Payer
from jamlik.economics.validation import fail

DATA_FILE = Path(__file__).with_name("data") / "unit_costs.csv"
COLUMNS = (
    "key",
    "description_en",
    "description_sv",
    "unit",
    "amount_sek",
    "price_year",
    "payer",
    "source",
    "note",
)
DAYS_PER_YEAR = 365


class CostUnit(StrEnum):
    """What one amount in the table is the cost of."""

    PER_CARE_DAY = "per_care_day"
    PER_PATIENT = "per_patient"  # period not stated by the source: no per-year value
    PER_CASE = "per_case"  # a one-off cost of one case (e.g. one crime): one case-year
    PER_YEAR = "per_year"  # one placement, place or case for a full year
    PER_PERSON_YEAR = "per_person_year"  # one person for a full year (e.g. lost earnings)


@dataclass(frozen=True)
class UnitCost:
    key: str
    description_en: str
    description_sv: str
    unit: CostUnit
    amount_sek: float
    price_year: int
    payer: Payer
    source: str
    note: str

    @property
    def per_case_year(self) -> float | None:
        """Cost of one case for a full year, when the unit allows it.

        Care days count 365 to the year; yearly and person-year amounts are already per
        year; a one-off case cost is its own case-year (an outcome valued by it lasts one
        year). A cost "per patient" over an unstated period has no yearly value.
        """
        if self.unit is CostUnit.PER_CARE_DAY:
            return self.amount_sek * DAYS_PER_YEAR
        if self.unit in (CostUnit.PER_YEAR, CostUnit.PER_PERSON_YEAR, CostUnit.PER_CASE):
            return self.amount_sek
        return None


def parse_unit_costs(path: Path) -> tuple[UnitCost, ...]:
    """Read and validate a unit-cost table; errors name the file, row and column."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise fail(f"{path.name} header", f"columns must be {list(COLUMNS)}", reader.fieldnames)
        rows: list[UnitCost] = []
        seen: set[str] = set()
        for line, row in enumerate(reader, start=2):
            where = f"{path.name} row {line}"
            try:
                unit = CostUnit(row["unit"])
                payer = Payer(row["payer"])
                amount = float(row["amount_sek"])
                year = int(row["price_year"])
            except ValueError as exc:
                raise fail(
                    where, f"unit, payer, amount_sek or price_year is invalid: {exc}", row
                ) from None
            if amount < 0:
                raise fail(f"{where} column amount_sek", "must not be negative", amount)
            if not row["source"].strip():
                raise fail(f"{where} column source", "every figure needs a source", "")
            if not row["key"].strip():
                raise fail(f"{where} column key", "every row needs a key", "")
            if row["key"] in seen:
                raise fail(f"{where} column key", "keys must be unique", row["key"])
            seen.add(row["key"])
            rows.append(
                UnitCost(
                    key=row["key"],
                    description_en=row["description_en"],
                    description_sv=row["description_sv"],
                    unit=unit,
                    amount_sek=amount,
                    price_year=year,
                    payer=payer,
                    source=row["source"],
                    note=row["note"],
                )
            )
    return tuple(rows)


@cache
def unit_costs() -> tuple[UnitCost, ...]:
    """The shipped table of sourced unit costs."""
    return parse_unit_costs(DATA_FILE)


def unit_cost_by_key() -> dict[str, UnitCost]:
    """The shipped table keyed by row key (keys are unique, checked on reading)."""
    return {row.key: row for row in unit_costs()}

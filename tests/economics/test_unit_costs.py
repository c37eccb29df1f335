"""The shipped unit-cost table carries a source and price year for every figure."""

from __future__ import annotations

from pathlib import Path

import pytest

from jamlik.economics.inputs import Payer
from jamlik.economics.unit_costs import COLUMNS, CostUnit, parse_unit_costs, unit_costs


def test_every_shipped_figure_has_source_and_year() -> None:
    rows = unit_costs()
    assert rows, "the table is not empty"
    keys = [r.key for r in rows]
    assert len(keys) == len(set(keys))
    for row in rows:
        assert row.source.strip(), row.key
        assert 1990 <= row.price_year <= 2030, row.key
        assert row.amount_sek > 0, row.key


def test_sis_fee_as_published() -> None:
    # SiS vårdavgifter, second half of 2020: open treatment unit 3 528 SEK per care day.
    row = next(r for r in unit_costs() if r.key == "sis_treatment_open")
    assert row.amount_sek == 3528
    assert row.unit is CostUnit.PER_CARE_DAY
    assert row.payer is Payer.KOMMUN
    assert row.per_case_year == 3528 * 365


def test_bad_table_is_refused_with_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "costs.csv"
    path.write_text(
        ",".join(COLUMNS) + "\n" + "a,A,A,per_patient,-5,2020,kommun,Someone,\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="costs.csv row 2 column amount_sek: must not be negative"):
        parse_unit_costs(path)
    path.write_text(
        ",".join(COLUMNS) + "\n" + "a,A,A,per_patient,5,2020,kommun, ,\n", encoding="utf-8"
    )
    with pytest.raises(
        ValueError, match="costs.csv row 2 column source: every figure needs a source"
    ):
        parse_unit_costs(path)
    path.write_text("key,amount\n", encoding="utf-8")
    with pytest.raises(ValueError, match="costs.csv header: columns must be"):
        parse_unit_costs(path)

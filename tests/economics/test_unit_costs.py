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


def test_yearly_and_case_units_give_a_case_year_and_per_patient_does_not(tmp_path: Path) -> None:
    path = tmp_path / "costs.csv"
    rows = [
        "y,Y,Y,per_year,1000,2020,kommun,Source,",
        "p,P,P,per_person_year,2000,2020,other,Source,",
        "c,C,C,per_case,300,2020,stat,Source,",
        "d,D,D,per_care_day,10,2020,kommun,Source,",
        "q,Q,Q,per_patient,47000,2018,region,Source,",
    ]
    path.write_text(",".join(COLUMNS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    by_key = {r.key: r for r in parse_unit_costs(path)}
    assert by_key["y"].per_case_year == 1000
    assert by_key["p"].per_case_year == 2000
    assert by_key["c"].per_case_year == 300
    assert by_key["d"].per_case_year == 3650
    assert by_key["q"].per_case_year is None


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "costs.csv"
    row = "a,A,A,per_year,5,2020,kommun,Someone,"
    path.write_text(",".join(COLUMNS) + "\n" + row + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="costs.csv row 3 column key: keys must be unique"):
        parse_unit_costs(path)


def test_placement_costs_as_reported() -> None:
    from jamlik.economics.unit_costs import unit_cost_by_key

    rows = unit_cost_by_key()
    hvb = rows["hvb_external_motala_2018"]
    assert (hvb.amount_sek, hvb.price_year, hvb.unit) == (4500, 2018, CostUnit.PER_CARE_DAY)
    assert "Motala" in hvb.source
    assert rows["family_home_consultant_hallefors_2017"].amount_sek == 2007
    assert rows["family_home_municipal_hallefors_2017"].amount_sek == 675


def test_every_shipped_price_year_is_covered_by_the_shipped_kpi() -> None:
    """The library's summary and a scenario made from a plan re-price every row with KPI;
    a row in a year the index lacks would be refused there."""
    from jamlik.economics.price_index import scb_kpi

    years = scb_kpi().values
    for row in unit_costs():
        assert row.price_year in years, row.key

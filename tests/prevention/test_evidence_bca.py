"""The standard benefit-cost summary: a hand-computed case, what missing inputs do, and
how the ratio scales."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.economics.inputs import Payer
from jamlik.economics.price_index import scb_kpi
from jamlik.economics.unit_costs import CostUnit, UnitCost
from jamlik.prevention.evidence import (
    CostEstimate,
    EffectEstimate,
    EvidenceEntry,
    EvidenceLibrary,
    OutcomeDefinition,
    library,
)
from jamlik.prevention.evidence_bca import COHORT, DISCOUNT_RATE, Missing, league, summary_for

LAST = max(scb_kpi().values)


def _row(amount: float = 10_000.0, year: int = LAST) -> UnitCost:
    return UnitCost(
        key="u",
        description_en="U",
        description_sv="U",
        unit=CostUnit.PER_YEAR,
        amount_sek=amount,
        price_year=year,
        payer=Payer.KOMMUN,
        source="test",
        note="",
    )


def _lib(
    *,
    baseline: float | None = 0.2,
    es: float = 0.25,
    se: float = 0.0,
    cost: float | None = 1000.0,
    measure: str = "rrr",
    lag: int = 1,
    duration: int = 2,
) -> tuple[EvidenceLibrary, EvidenceEntry]:
    outcome = OutcomeDefinition(
        key="o",
        name_sv="O",
        name_en="O",
        unit_cost_keys=("u",),
        duration_years=duration,
        lag_years=lag,
        payer_shares={"kommun": 0.5, "region": 0.5},
        baseline_risk=baseline,
        baseline_source="test prevalence" if baseline is not None else "",
    )
    entry = EvidenceEntry(
        intervention_key="x",
        effects=(EffectEstimate("o", measure, es, se, 1.0, 1, "test"),),
        cost=CostEstimate(cost, LAST, "kommun", "test") if cost is not None else None,
    )
    return EvidenceLibrary(outcomes={"o": outcome}, entries={"x": entry}), entry


def test_hand_computed_case() -> None:
    """100 participants, baseline 20 %, 25 % fewer cases: 5 cases avoided, each lasting two
    years from year 2 at 10 000 SEK a year; 1 000 SEK per participant in year 1."""
    lib, entry = _lib()
    s = summary_for(entry, lib, (_row(),))
    assert s.complete and s.cohort == COHORT == 100 and s.discount_rate == DISCOUNT_RATE
    assert s.horizon_years == 3 and s.price_year == LAST
    pv = 5 * 10_000 * (1.035**-1 + 1.035**-2)
    assert s.pv_benefits == pytest.approx(pv)
    assert s.benefits_by_payer == pytest.approx(
        {"kommun": pv / 2, "region": pv / 2, "stat": 0.0, "other": 0.0}
    )
    assert s.pv_costs == pytest.approx(100_000)
    assert s.npv == pytest.approx(pv - 100_000)
    assert s.benefit_cost_ratio == pytest.approx(pv / 100_000)
    assert s.probability_positive_npv == 0.0  # no uncertainty: the NPV is negative in every draw


def test_unit_costs_are_repriced_with_kpi() -> None:
    lib, entry = _lib(lag=0, duration=1)
    s = summary_for(entry, lib, (_row(year=2020),))
    assert s.pv_benefits == pytest.approx(5 * 10_000 * scb_kpi().factor(2020, LAST))


def test_missing_inputs_are_named_and_no_ratio_is_given() -> None:
    lib, entry = _lib(baseline=None, cost=None)
    s = summary_for(entry, lib, (_row(),))
    assert not s.complete
    assert s.benefit_cost_ratio is None and s.npv is None and s.probability_positive_npv is None
    assert set(s.missing) == {Missing("cost"), Missing("baseline_risk", "o")}
    lib, entry = _lib()
    s = summary_for(entry, lib, (_row(year=1990),))
    assert s.missing == (Missing("price_year", "o", 1990),)
    s = summary_for(entry, lib, ())
    assert s.missing == (Missing("unit_cost", "o"),)


def test_shipped_library_gives_no_ratio_without_published_inputs() -> None:
    rows = league()
    assert len(rows) == len(library().entries)
    for row in rows:
        if row.entry.cost is None:
            assert not row.summary.complete
            assert Missing("cost") in row.summary.missing
            assert row.summary.benefit_cost_ratio is None


@settings(max_examples=15, deadline=None)
@given(
    factor=st.floats(min_value=0.1, max_value=10.0),
    es=st.floats(min_value=0.05, max_value=0.8),
    se=st.floats(min_value=0.0, max_value=0.5),
)
def test_ratio_scales_with_the_unit_cost_and_probability_is_a_probability(
    factor: float, es: float, se: float
) -> None:
    lib, entry = _lib(es=es, se=se, measure="d_cox")
    base = summary_for(entry, lib, (_row(),))
    scaled = summary_for(entry, lib, (_row(10_000.0 * factor),))
    assert scaled.benefit_cost_ratio == pytest.approx(base.benefit_cost_ratio * factor)
    for s in (base, scaled):
        assert 0.0 <= s.probability_positive_npv <= 1.0
        assert s.npv_p05 <= s.npv_p95


@settings(max_examples=10, deadline=None)
@given(cost=st.floats(min_value=10.0, max_value=100_000.0))
def test_ratio_falls_in_proportion_to_the_cost(cost: float) -> None:
    lib, entry = _lib(cost=cost)
    s = summary_for(entry, lib, (_row(),))
    pv = 5 * 10_000 * (1.035**-1 + 1.035**-2)
    assert s.benefit_cost_ratio == pytest.approx(pv / (cost * COHORT))

"""Bad input is refused with a message naming the input, the rule and the value."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.utils import translation

from jamlik.economics.examples import norrtalje_example
from jamlik.economics.inputs import CostLine, Estimate, Payer
from jamlik.economics.price_index import PriceIndex

from .helpers import one_outcome_scenario


def test_negative_cost_is_refused() -> None:
    with pytest.raises(
        ValueError, match=re.escape("amount_per_year.central: must not be negative (got -5.0)")
    ):
        one_outcome_scenario(cost=-5.0)


def test_negative_unit_cost_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r"outcome 'x'.unit_cost.central: must not be negative \(got -1.0\)"
    ):
        one_outcome_scenario(unit_cost=-1.0)


def test_payer_shares_must_sum_to_one() -> None:
    with pytest.raises(
        ValueError, match=r"outcome 'x'.payer_shares: shares must sum to 1 \(got 0.9\)"
    ):
        one_outcome_scenario(shares={Payer.KOMMUN: 0.5, Payer.STAT: 0.4})


def test_horizon_of_zero_is_refused() -> None:
    with pytest.raises(ValueError, match=r"scenario.horizon_years: must be at least 1 \(got 0\)"):
        dataclasses.replace(norrtalje_example(), horizon_years=0)


def test_risk_above_one_and_rrr_above_one_are_refused() -> None:
    with pytest.raises(ValueError, match=r"baseline_risk.central: must be at most 1 \(got 1.5\)"):
        one_outcome_scenario(risk=1.5)
    with pytest.raises(
        ValueError, match=r"effect on 'x'.size.central: must be at most 1 \(got 1.2\)"
    ):
        one_outcome_scenario(rrr=1.2)


def test_range_must_contain_central_value() -> None:
    scenario = norrtalje_example()
    with pytest.raises(
        ValueError, match=r"scenario.discount_rate: low <= central <= high must hold"
    ):
        dataclasses.replace(scenario, discount_rate=Estimate(0.03, 0.04, 0.05))


def test_missing_rate_source_is_refused() -> None:
    with pytest.raises(ValueError, match="scenario.discount_rate_source: must say where"):
        dataclasses.replace(norrtalje_example(), discount_rate_source=" ")


def test_nan_is_refused() -> None:
    with pytest.raises(ValueError, match="must be a finite number"):
        one_outcome_scenario(unit_cost=float("nan"))


def test_effect_on_unknown_outcome_is_refused() -> None:
    scenario = norrtalje_example()
    effect = dataclasses.replace(scenario.interventions[0].effects[0], outcome_key="nope")
    intervention = dataclasses.replace(scenario.interventions[0], effects=(effect,))
    with pytest.raises(
        ValueError, match=r"effect on 'nope': must name one of the scenario's outcomes"
    ):
        dataclasses.replace(scenario, interventions=(intervention,))


def test_cost_years_must_lie_in_horizon() -> None:
    scenario = norrtalje_example()
    line = CostLine("Late", Payer.REGION, Estimate(1.0), 5, 11, 2020)
    intervention = dataclasses.replace(scenario.interventions[0], costs=(line,))
    with pytest.raises(
        ValueError, match=r"costs\[0\] 'Late'.last_year: must be at most 10 \(got 11\)"
    ):
        dataclasses.replace(scenario, interventions=(intervention,))


def test_other_price_year_needs_an_index_and_is_converted_with_it() -> None:
    scenario = norrtalje_example()
    line = CostLine("Old prices", Payer.KOMMUN, Estimate(100.0), 1, 1, 2018)
    intervention = dataclasses.replace(scenario.interventions[0], costs=(line,))
    with pytest.raises(
        ValueError, match=r"costs\[0\].price_year: differs from the scenario price year 2020"
    ):
        dataclasses.replace(scenario, interventions=(intervention,))
    index = PriceIndex("Test index", "made up for a test", {2018: 100.0, 2020: 110.0})
    priced = dataclasses.replace(scenario, interventions=(intervention,), price_index=index)
    assert priced.price_factor(2018) == pytest.approx(1.1)
    short = PriceIndex("Test index", "made up for a test", {2020: 110.0})
    with (
        translation.override("en"),
        pytest.raises(ValueError, match="price index “Test index” has no value for 2018"),
    ):
        dataclasses.replace(scenario, interventions=(intervention,), price_index=short)


def test_price_index_needs_a_source_and_positive_levels() -> None:
    with pytest.raises(ValueError, match="price_index.source: must name where"):
        PriceIndex("KPI", "", {2020: 1.0})
    with pytest.raises(ValueError, match=r"price_index.values\[2020\]: must be positive"):
        PriceIndex("KPI", "SCB", {2020: 0.0})

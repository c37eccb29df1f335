"""Scenario dictionaries: round trip and refusals naming the field."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.economics.examples import botkyrka_example, norrtalje_example
from jamlik.economics.model import evaluate
from jamlik.economics.serialization import scenario_from_dict, scenario_to_dict


@pytest.mark.parametrize("factory", [norrtalje_example, botkyrka_example])
def test_round_trip_through_json(factory) -> None:  # type: ignore[no-untyped-def]
    scenario = factory()
    data = json.loads(json.dumps(scenario_to_dict(scenario)))
    again = scenario_from_dict(data)
    assert again == scenario
    assert evaluate(again).npv == evaluate(scenario).npv


def test_missing_and_mistyped_fields_are_named() -> None:
    data = scenario_to_dict(norrtalje_example())
    del data["outcomes"][0]["unit_cost"]
    with pytest.raises(ValueError, match=r"outcomes\[0\].unit_cost: is required"):
        scenario_from_dict(data)
    data = scenario_to_dict(norrtalje_example())
    data["outcomes"][0]["unit_cost"]["low"] = "lots"
    with pytest.raises(
        ValueError, match=r"outcomes\[0\].unit_cost.low: must be a number \(got 'lots'\)"
    ):
        scenario_from_dict(data)
    data = scenario_to_dict(norrtalje_example())
    data["interventions"][0]["costs"][0]["payer"] = "county"
    with pytest.raises(ValueError, match=r"interventions\[0\].costs\[0\].payer: must be one of"):
        scenario_from_dict(data)
    data = scenario_to_dict(norrtalje_example())
    data["outcomes"][0]["payer_shares"] = {"kommun": 0.5, "mars": 0.5}
    with pytest.raises(ValueError, match=r"outcomes\[0\].payer_shares: payers must be among"):
        scenario_from_dict(data)


@settings(max_examples=30, deadline=None)
@given(
    unit=st.floats(min_value=0, max_value=1e8),
    rate=st.floats(min_value=0, max_value=0.5),
    horizon=st.integers(min_value=10, max_value=80),
)
def test_round_trip_property(unit: float, rate: float, horizon: int) -> None:
    data = scenario_to_dict(norrtalje_example())
    data["outcomes"][0]["unit_cost"] = {"central": unit, "low": unit, "high": unit}
    data["discount_rate"] = {"central": rate, "low": rate, "high": rate}
    data["horizon_years"] = horizon
    scenario = scenario_from_dict(data)
    assert scenario_from_dict(scenario_to_dict(scenario)) == scenario

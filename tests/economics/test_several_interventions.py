"""Scenarios with several interventions and programme costs: engine, reference, format."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.economics import reference
from jamlik.economics.examples import norrtalje_example
from jamlik.economics.inputs import PAYERS, CostLine, Estimate, Payer, ProgrammeCostKind
from jamlik.economics.model import compute_flows, evaluate
from jamlik.economics.montecarlo import simulate
from jamlik.economics.parameters import draw, scenario_parameters
from jamlik.economics.sensitivity import tornado
from jamlik.economics.serialization import (
    intervention_links,
    scenario_from_dict,
    scenario_to_dict,
)

from .helpers import two_interventions_scenario


def _only(scenario, index: int):  # type: ignore[no-untyped-def]
    """The scenario with only intervention ``index`` and no programme costs."""
    return dataclasses.replace(
        scenario, interventions=(scenario.interventions[index],), programme_costs=()
    )


def test_effects_of_interventions_on_one_outcome_add() -> None:
    scenario = two_interventions_scenario()
    both = evaluate(dataclasses.replace(scenario, programme_costs=()))
    first, second = evaluate(_only(scenario, 0)), evaluate(_only(scenario, 1))
    for key in ("crime", "dropout"):
        assert np.allclose(
            both.avoided_case_years[key],
            np.add(first.avoided_case_years[key], second.avoided_case_years[key]),
        )
    assert both.npv == pytest.approx(first.npv + second.npv)


def test_contributions_and_programme_costs_sum_to_the_totals() -> None:
    result = evaluate(two_interventions_scenario())
    assert [r.name for r in result.by_intervention] == ["Parenting programme", "School mentoring"]
    assert sum(r.pv_savings for r in result.by_intervention) == pytest.approx(result.pv_savings)
    assert sum(r.pv_costs for r in result.by_intervention) + result.programme_pv_costs == (
        pytest.approx(result.pv_costs)
    )
    assert result.programme_pv_costs > 0
    # Each intervention's contribution equals the scenario holding only it.
    alone = evaluate(_only(two_interventions_scenario(), 1))
    assert result.by_intervention[1].pv_savings == pytest.approx(alone.pv_savings)
    assert result.by_intervention[1].pv_costs == pytest.approx(alone.pv_costs)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vectorised_engine_matches_plain_loops_with_several_interventions(seed: int) -> None:
    scenario = two_interventions_scenario()
    values = draw(scenario_parameters(scenario), 4, np.random.default_rng(seed))
    flows = compute_flows(scenario, values)
    npv = flows.pv_savings - flows.pv_costs
    for row in range(4):
        expected = reference.npv_by_payer(scenario, {k: float(v[row]) for k, v in values.items()})
        for i, payer in enumerate(PAYERS):
            assert npv[row, i] == pytest.approx(expected[payer], rel=1e-9, abs=1e-6)


def test_parameter_keys_are_per_intervention() -> None:
    ids = [p.id for p in scenario_parameters(two_interventions_scenario())]
    assert "intervention:0:participants" in ids
    assert "intervention:1:participants" in ids
    assert "intervention:0:effect:crime:size" in ids
    assert "intervention:1:effect:crime:size" in ids
    assert "intervention:1:effect:dropout:size" not in ids
    assert "intervention:1:cost:1:amount" in ids
    assert "programme:cost:0:amount" in ids
    assert len(ids) == len(set(ids))
    bars = {b.parameter_id for b in tornado(two_interventions_scenario()).bars}
    assert {"intervention:1:effect:crime:size", "programme:cost:0:amount"} <= bars


def test_one_intervention_draws_as_before() -> None:
    # The order keeps a one-intervention scenario's draws: participants right after the rate.
    ids = [p.id for p in scenario_parameters(norrtalje_example())]
    assert ids[:2] == ["discount_rate", "intervention:0:participants"]
    assert simulate(norrtalje_example(), draws=200, seed=4).npv.mean == pytest.approx(
        simulate(norrtalje_example(), draws=200, seed=4).npv.mean
    )


def test_names_must_be_unique_and_one_intervention_is_needed() -> None:
    scenario = two_interventions_scenario()
    twin = dataclasses.replace(scenario.interventions[1], name="Parenting programme")
    with pytest.raises(ValueError, match="scenario.interventions: names must be unique"):
        dataclasses.replace(scenario, interventions=(scenario.interventions[0], twin))
    with pytest.raises(ValueError, match="scenario.interventions: at least one intervention"):
        dataclasses.replace(scenario, interventions=())


def test_programme_costs_need_a_kind_and_intervention_costs_none() -> None:
    scenario = two_interventions_scenario()
    plain = CostLine("Coordinator", Payer.KOMMUN, Estimate(1.0), 1, 2, 2024)
    with pytest.raises(ValueError, match=r"programme_costs\[0\].kind: must be one of"):
        dataclasses.replace(scenario, programme_costs=(plain,))
    kinded = dataclasses.replace(plain, kind=ProgrammeCostKind.STRUCTURE)
    iv = dataclasses.replace(scenario.interventions[0], costs=(kinded,))
    with pytest.raises(ValueError, match=r"costs\[0\].kind: an intervention's cost has no"):
        dataclasses.replace(scenario, interventions=(iv,))
    late = dataclasses.replace(kinded, last_year=13)
    with pytest.raises(ValueError, match=r"programme_costs\[0\] 'Coordinator'.last_year"):
        dataclasses.replace(scenario, programme_costs=(late,))


def test_round_trip_keeps_programme_costs_and_links() -> None:
    scenario = two_interventions_scenario()
    links = [{"registry_key": "comet", "plan_intervention": 7}, {}]
    data = json.loads(json.dumps(scenario_to_dict(scenario, links)))
    assert "intervention" not in data
    assert data["programme_costs"][1]["kind"] == "systematic"
    assert data["interventions"][0]["registry_key"] == "comet"
    assert "registry_key" not in data["interventions"][1]
    assert scenario_from_dict(data) == scenario
    assert intervention_links(data) == [
        {"registry_key": "comet", "plan_intervention": 7},
        {"registry_key": None, "plan_intervention": None},
    ]
    data["programme_costs"][0]["kind"] = "party"
    with pytest.raises(ValueError, match=r"programme_costs\[0\].kind: must be one of"):
        scenario_from_dict(data)


def test_old_rows_with_one_intervention_object_still_load() -> None:
    new = scenario_to_dict(norrtalje_example())
    old = {k: v for k, v in new.items() if k not in ("interventions", "programme_costs")}
    old["intervention"] = new["interventions"][0]
    loaded = scenario_from_dict(json.loads(json.dumps(old)))
    assert loaded == norrtalje_example()
    assert scenario_to_dict(loaded) == new
    assert intervention_links(old) == [{"registry_key": None, "plan_intervention": None}]
    old["intervention"]["costs"][0]["payer"] = "county"
    with pytest.raises(ValueError, match=r"intervention.costs\[0\].payer: must be one of"):
        scenario_from_dict(old)


@settings(max_examples=25, deadline=None)
@given(programme=st.floats(min_value=0, max_value=1e7))
def test_programme_costs_only_lower_the_result(programme: float) -> None:
    scenario = two_interventions_scenario()
    line = dataclasses.replace(scenario.programme_costs[0], amount_per_year=Estimate(programme))
    bigger = dataclasses.replace(scenario, programme_costs=(line,))
    without = dataclasses.replace(scenario, programme_costs=())
    a, b = evaluate(bigger), evaluate(without)
    assert a.pv_savings == pytest.approx(b.pv_savings)
    # Differences of large totals: compare to the totals' rounding, not the small line.
    assert a.pv_costs - b.pv_costs == pytest.approx(a.programme_pv_costs, abs=1e-9 * b.pv_costs)
    assert a.by_payer[Payer.KOMMUN].pv_costs >= b.by_payer[Payer.KOMMUN].pv_costs

"""A scenario made from a plan: the pure rules, the page, saving and the refusals.

The evidence library is built here and patched in (``jamlik.prevention.evidence.library``),
so the tests do not depend on which figures the shipped library holds.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from jamlik.economics import from_plan
from jamlik.economics.from_plan import ChosenIntervention, draft_from_plan, scenario_inputs
from jamlik.economics.model import evaluate
from jamlik.economics.models import Scenario
from jamlik.economics.price_index import scb_kpi
from jamlik.economics.serialization import intervention_links, scenario_from_dict
from jamlik.economics.unit_costs import unit_cost_by_key
from jamlik.prevention import evidence
from jamlik.prevention.evidence import (
    CostEstimate,
    EffectEstimate,
    EvidenceEntry,
    EvidenceLibrary,
    OutcomeDefinition,
)

PLACEMENT = OutcomeDefinition(
    key="youth_placement",
    name_sv="Placering av ungdom",
    name_en="Placement of a young person",
    unit_cost_keys=("sis_treatment_open", "hvb_external_motala_2018"),
    duration_years=1,
    lag_years=2,
    payer_shares={"kommun": 1.0, "region": 0.0, "stat": 0.0, "other": 0.0},
    baseline_risk=0.004,
    baseline_source="Socialstyrelsen, test figure",
)
PSYCHIATRY = OutcomeDefinition(
    key="psychiatry",
    name_sv="Psykiatrisk vård",
    name_en="Psychiatric care",
    unit_cost_keys=("adult_psychiatry",),  # per patient, no period: no yearly value
    duration_years=1,
    lag_years=0,
    payer_shares={"region": 1.0},
)
LIBRARY = EvidenceLibrary(
    outcomes={PLACEMENT.key: PLACEMENT, PSYCHIATRY.key: PSYCHIATRY},
    entries={
        "kiva": EvidenceEntry(
            "kiva",
            effects=(
                EffectEstimate("youth_placement", "d_cox", 0.2, 0.05, 2.0, 8, "Meta-analysis A"),
                EffectEstimate("psychiatry", "d_cox", 0.1, 0.04, 1.0, 3, "Meta-analysis B"),
            ),
            cost=CostEstimate(1200.0, 2020, "kommun", "Cost study C"),
        ),
        "komet": EvidenceEntry(
            "komet",
            effects=(EffectEstimate("youth_placement", "rrr", 0.6, 0.3, None, 2, "Trial D"),),
            cost=None,
        ),
        "olweus": EvidenceEntry("olweus", missing="No Swedish effect size is published."),
    },
)


def _chosen() -> list[ChosenIntervention]:
    return [
        ChosenIntervention(1, "kiva", "", 300, "KiVa"),
        ChosenIntervention(2, "komet", "", None, "Komet"),
        ChosenIntervention(3, "olweus", "", 200, "Olweus"),
        ChosenIntervention(4, "", "Fritidsgården öppnar", 50),
        ChosenIntervention(5, "triple-p", "", 40, "Triple P"),
    ]


def test_draft_costs_only_published_effects_and_lists_the_rest() -> None:
    kpi = scb_kpi()
    draft = draft_from_plan(_chosen(), LIBRARY, unit_cost_by_key(), kpi, 2023)
    assert [c.chosen.intervention_key for c in draft.interventions] == ["kiva", "komet"]
    assert [c.chosen.id for c in draft.needs_participants()] == [2]
    reasons = {n.name: n for n in draft.not_costed}
    assert reasons["Olweus"].reason == from_plan.NO_EFFECT
    assert (
        reasons["Olweus"].text == "no published effect size (No Swedish effect size is published.)"
    )
    assert reasons["Fritidsgården öppnar"].text.startswith("local intervention")
    assert reasons["Triple P"].reason == from_plan.NO_EFFECT
    # Every chosen intervention is costed or listed: nothing lost without a word.
    named = {c.chosen.id for c in draft.interventions} | {
        n.plan_intervention for n in draft.not_costed
    }
    assert named == {1, 2, 3, 4, 5}
    placement, psychiatry = draft.outcomes
    expected = 3528 * 365 * kpi.factor(2020, 2023) + 4500 * 365 * kpi.factor(2018, 2023)
    assert placement.unit_cost == pytest.approx(expected)
    assert placement.published_baseline == 0.004
    # A unit cost "per patient" has no yearly value: the user is asked for one.
    assert psychiatry.unit_cost is None and "no yearly value" in psychiatry.problem


def test_inputs_use_es_plus_minus_196_se_and_the_users_baseline() -> None:
    kpi = scb_kpi()
    draft = draft_from_plan(_chosen(), LIBRARY, unit_cost_by_key(), kpi, 2023)
    data = scenario_inputs(
        draft,
        name="Från plan",
        lang="sv",
        horizon_years=12,
        delivery_years=4,
        discount_rate=0.035,
        discount_rate_source=from_plan.DEFAULT_DISCOUNT_RATE_SOURCE,
        baseline_risks={"youth_placement": 0.01},
        participants={2: 80},
        index=kpi,
        programme_costs=[
            {
                "label": "Samordnare",
                "payer": "kommun",
                "amount_per_year": {"central": 500_000},
                "first_year": 1,
                "last_year": 4,
                "price_year": 2023,
                "kind": "structure",
            }
        ],
    )
    scenario = scenario_from_dict(data)
    kiva, komet = scenario.interventions
    size = kiva.effects[0].size
    assert (size.central, size.lo, size.hi) == pytest.approx(
        (0.2, 0.2 - 1.96 * 0.05, 0.2 + 1.96 * 0.05)
    )
    assert size.distribution.value == "normal"
    assert komet.effects[0].size.hi == 1.0  # an RRR's upper limit is capped at 1
    assert komet.participants_per_year.central == 80
    assert komet.costs == ()  # no published cost: none invented
    (line,) = kiva.costs
    assert line.amount_per_year.central == 1200.0 * 300
    assert (line.price_year, line.payer.value, line.last_year) == (2020, "kommun", 4)
    assert scenario.outcomes[0].baseline_risk.central == 0.01
    assert scenario.outcomes[0].name == "Placering av ungdom"
    assert scenario.programme_costs[0].kind.value == "structure"
    assert intervention_links(data) == [
        {"registry_key": "kiva", "plan_intervention": 1},
        {"registry_key": "komet", "plan_intervention": 2},
    ]
    # Psychiatric care got no unit cost: KiVa's effect on it is left out, in the notes.
    assert [e.outcome_key for e in kiva.effects] == ["youth_placement"]
    assert "Not costed: KiVa: psychiatry" in scenario.notes
    assert "Not costed: Olweus: no published effect size" in scenario.notes
    valued = scenario_from_dict(
        scenario_inputs(
            draft,
            name="Från plan",
            lang="en",
            horizon_years=12,
            delivery_years=4,
            discount_rate=0.035,
            discount_rate_source="x",
            baseline_risks={"youth_placement": 0.01, "psychiatry": 0.05},
            participants={2: 80},
            index=kpi,
            unit_costs={"psychiatry": (60_000.0, "Own estimate, Botkyrka 2023")},
        )
    )
    assert [o.key for o in valued.outcomes] == ["youth_placement", "psychiatry"]
    assert valued.outcomes[1].source == "Own estimate, Botkyrka 2023"
    assert len(valued.interventions[0].effects) == 2
    result = evaluate(scenario)
    assert result.programme_pv_costs > 0 and result.by_intervention[0].pv_savings > 0
    with pytest.raises(KeyError):
        scenario_inputs(
            draft,
            name="x",
            lang="sv",
            horizon_years=12,
            delivery_years=4,
            discount_rate=0.035,
            discount_rate_source="x",
            baseline_risks={},
            participants={2: 80},
            index=kpi,
        )


# ---- the page ------------------------------------------------------------------------------


@pytest.fixture
def library(monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setattr(evidence, "library", lambda: LIBRARY)
    return LIBRARY


@pytest.fixture
def plan(db, users, library):  # noqa: ANN001, ANN201
    from jamlik.geo.models import Area
    from jamlik.prevention import services
    from jamlik.prevention.models import PlanIntervention

    services.install_shipped_interventions()
    plan = services.create_plan(
        Area.objects.get(code="0127"), title="Ekonomiplan Botkyrka", start=date(2026, 1, 1)
    )
    PlanIntervention.objects.create(plan=plan, intervention_key="kiva", participants_per_year=300)
    PlanIntervention.objects.create(plan=plan, intervention_key="komet")
    PlanIntervention.objects.create(plan=plan, intervention_key="olweus", participants_per_year=200)
    PlanIntervention.objects.create(plan=plan, local_name="Fritidsgården öppnar")
    return plan


def _post(plan, **extra: str) -> dict[str, str]:  # noqa: ANN001
    komet = plan.interventions.get(intervention_key="komet").pk
    data = {
        "name": "Botkyrka från plan",
        "horizon_years": "10",
        "delivery_years": "5",
        "discount_rate": "3,5",
        "discount_rate_source": from_plan.DEFAULT_DISCOUNT_RATE_SOURCE,
        "baseline_youth_placement": "1,5",
        f"participants_{komet}": "60",
        "programme-TOTAL_FORMS": "2",
        "programme-INITIAL_FORMS": "0",
        "programme-MIN_NUM_FORMS": "0",
        "programme-MAX_NUM_FORMS": "20",
        "programme-0-label": "Samordnare",
        "programme-0-kind": "structure",
        "programme-0-payer": "kommun",
        "programme-0-amount": "400000",
        "programme-0-first_year": "1",
        "programme-0-last_year": "5",
        "programme-0-price_year": "2023",
        "programme-1-kind": "structure",
        "programme-1-payer": "kommun",
        "programme-1-first_year": "1",
    }
    return data | extra


def test_page_shows_prefilled_sources_and_what_is_not_costed(client_for, plan) -> None:  # noqa: ANN001
    html = client_for("botkyrka").get(f"/ekonomi/fran-plan/{plan.pk}/").content.decode()
    assert "Meta-analysis A" in html and "Cost study C" in html
    assert "Fritidsgården öppnar" in html and "Olweus" in html
    assert 'name="unit_cost_psychiatry"' in html  # no yearly value in the table: asked for
    assert 'name="baseline_youth_placement"' in html
    assert 'value="3,5"' in html or 'value="3.5"' in html
    assert "ASEK" in html
    # The baseline is a field, never prefilled; the published figure is only a hint.
    assert 'name="baseline_youth_placement" value' not in html
    assert "0.4" in html or "0,4" in html


def test_saving_makes_a_scenario_with_its_plan_and_links(client_for, plan) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    response = client.post(f"/ekonomi/fran-plan/{plan.pk}/", _post(plan))
    assert response.status_code == 302, response.content.decode()[-2000:]
    scenario = Scenario.objects.get(area__code="0127", name="Botkyrka från plan")
    assert response["Location"] == f"/ekonomi/scenario/{scenario.pk}/"
    assert scenario.plan == plan
    links = intervention_links(scenario.inputs)
    kiva = plan.interventions.get(intervention_key="kiva").pk
    assert links[0] == {"registry_key": "kiva", "plan_intervention": kiva}
    assert scenario.inputs["programme_costs"][0]["kind"] == "structure"
    assert len(scenario.inputs["programme_costs"]) == 1  # the blank row is not a cost
    assert scenario.inputs["outcomes"][0]["baseline_risk"]["central"] == pytest.approx(0.015)
    # The scenario page links back to its plan and to each registry intervention.
    html = client.get(response["Location"]).content.decode()
    assert f'href="/prevention/planer/{plan.pk}/"' in html
    assert 'href="/prevention/insatser/kiva/"' in html
    # An edit keeps the links.
    edit = client.get(f"/ekonomi/scenario/{scenario.pk}/redigera/").content.decode()
    assert 'name="interventions-0-registry_key"' in edit and 'value="kiva"' in edit


def test_missing_baseline_is_asked_for_not_guessed(client_for, plan) -> None:  # noqa: ANN001
    before = Scenario.objects.count()
    client = client_for("botkyrka")
    response = client.post(
        f"/ekonomi/fran-plan/{plan.pk}/", _post(plan, baseline_youth_placement="")
    )
    assert response.status_code == 200
    # A unit cost entered for an outcome needs its source and a baseline risk too.
    response = client.post(
        f"/ekonomi/fran-plan/{plan.pk}/", _post(plan, unit_cost_psychiatry="60000")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_unit_cost_source_psychiatry_error"' in html
    assert 'id="id_baseline_psychiatry_error"' in html
    assert Scenario.objects.count() == before


def test_refusals(client_for, plan, users) -> None:  # noqa: ANN001
    from django.contrib.auth import get_user_model

    from jamlik.accounts.models import Role, RoleKind
    from jamlik.geo.models import Area

    url = f"/ekonomi/fran-plan/{plan.pk}/"
    before = Scenario.objects.count()
    assert client_for("lidingo").get(url).status_code == 403
    assert client_for("lidingo").post(url, _post(plan)).status_code == 403
    assert client_for("viewer").post(url, _post(plan)).status_code == 403
    other = get_user_model().objects.create_user("econ-lan03", password="x")
    Role.objects.create(user=other, kind=RoleKind.COUNTY_ADMIN, area=Area.objects.get(code="03"))
    client = Client()
    client.force_login(other, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(url, _post(plan)).status_code == 403
    anonymous = Client().post(url, _post(plan))
    assert anonymous.status_code == 302 and "logga-in" in anonymous["Location"]
    assert Scenario.objects.count() == before
    # The county's own admin may, as when creating a scenario in the kommun.
    assert client_for("lan01").get(url).status_code == 200


def test_plan_page_button_include_renders(client_for, plan) -> None:  # noqa: ANN001
    from django.template.loader import render_to_string

    html = render_to_string("economics/_from_plan_button.html", {"plan": plan, "can_edit": True})
    assert f"/ekonomi/fran-plan/{plan.pk}/" in html
    assert (
        render_to_string(
            "economics/_from_plan_button.html", {"plan": plan, "can_edit": False}
        ).strip()
        == ""
    )

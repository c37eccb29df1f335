"""Several interventions on the pages: the XLSX recomputes them, the editor saves them."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from jamlik.economics.model import evaluate
from jamlik.economics.models import Scenario
from jamlik.economics.serialization import scenario_from_dict, scenario_to_dict
from jamlik.geo.models import Area

from .django_helpers import editor_post
from .helpers import two_interventions_scenario

pytestmark = pytest.mark.django_db


def _saved(name: str = "Two interventions") -> Scenario:
    data = scenario_to_dict(two_interventions_scenario(), [{"registry_key": "kiva"}, {}])
    data["name"] = name
    return Scenario.objects.create(
        area=Area.objects.get(code="0127"), name=name, inputs=data, published=True, draws=300
    )


def test_xlsx_formulas_recompute_several_interventions(client, tmp_path) -> None:  # noqa: ANN001
    formulas = pytest.importorskip("formulas")
    scenario = _saved()
    content = client.get(f"/ekonomi/scenario/{scenario.pk}/scenario.xlsx").content
    path = tmp_path / "scenario.xlsx"
    path.write_bytes(content)
    wb = load_workbook(path)
    assert wb["Interventions"]["B3"].value == "School mentoring"
    assert wb["Effects"].max_row == 4  # header + three effects
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    values = {k.split("]")[-1].upper(): v for k, v in solution.items()}
    expected = evaluate(two_interventions_scenario())
    assert values["RESULTS'!D8"].value[0, 0] == pytest.approx(expected.npv)
    assert values["RESULTS'!B8"].value[0, 0] == pytest.approx(expected.pv_savings)
    assert values["RESULTS'!C8"].value[0, 0] == pytest.approx(expected.pv_costs)
    for i, payer_row in enumerate(range(4, 8)):
        payer = list(expected.by_payer)[i]
        assert values[f"RESULTS'!D{payer_row}"].value[0, 0] == pytest.approx(
            expected.by_payer[payer].npv
        )
    # The contribution block: one row per intervention, then the programme costs.
    first = 23
    assert wb["Results"][f"A{first - 1}"].value  # its header
    for n, contribution in enumerate(expected.by_intervention):
        row = first + n
        assert values[f"RESULTS'!B{row}"].value[0, 0] == pytest.approx(contribution.pv_savings)
        assert values[f"RESULTS'!C{row}"].value[0, 0] == pytest.approx(contribution.pv_costs)
    row = first + len(expected.by_intervention)
    assert values[f"RESULTS'!C{row}"].value[0, 0] == pytest.approx(expected.programme_pv_costs)


def test_results_page_shows_each_intervention_and_the_programme(client) -> None:  # noqa: ANN001
    scenario = _saved("Two on the page")
    html = client.get(f"/ekonomi/scenario/{scenario.pk}/").content.decode()
    assert "Parenting programme" in html and "School mentoring" in html
    assert 'href="/prevention/insatser/kiva/"' in html
    assert "Coordinator" in html and "Follow-up survey" in html
    response = client.get(f"/api/v1/economics/scenarios/{scenario.pk}").json()
    deterministic = response["results"]["deterministic"]
    assert [c["name"] for c in deterministic["by_intervention"]] == [
        "Parenting programme",
        "School mentoring",
    ]
    assert deterministic["programme_pv_costs"] > 0


def test_editor_round_trips_several_interventions_and_programme_costs(client_for) -> None:  # noqa: ANN001
    data = scenario_to_dict(two_interventions_scenario(), [{"registry_key": "kiva"}, {}])
    data["name"] = "Editor round trip"
    client = client_for("botkyrka")
    response = client.post("/ekonomi/kommun/0127/nytt-scenario/", editor_post(data))
    assert response.status_code == 302, response.content.decode()[-3000:]
    saved = Scenario.objects.get(area__code="0127", name="Editor round trip")
    # Outcome keys come from the names in the editor; the figures are the same.
    assert evaluate(scenario_from_dict(saved.inputs)).npv == pytest.approx(
        evaluate(scenario_from_dict(data)).npv
    )
    assert saved.inputs["programme_costs"][1]["kind"] == "systematic"
    assert saved.inputs["interventions"][0]["registry_key"] == "kiva"
    # Remove the second intervention: its effects and costs must go too, or be refused.
    post = editor_post(saved.inputs, name="Editor round trip")
    post["interventions-1-DELETE"] = "on"
    post["interventions-INITIAL_FORMS"] = "2"
    response = client.post(f"/ekonomi/scenario/{saved.pk}/redigera/", post)
    assert response.status_code == 200
    html = response.content.decode()
    assert "School mentoring" in re.sub(r"<[^>]+>", " ", html)  # the error names it
    saved.refresh_from_db()
    assert len(saved.inputs["interventions"]) == 2


def test_effect_naming_an_unknown_intervention_is_refused_clearly(client_for) -> None:  # noqa: ANN001
    data = scenario_to_dict(two_interventions_scenario())
    data["name"] = "Unknown effect owner"
    post = editor_post(data, **{"effects-0-intervention": "Nobody"})
    response = client_for("botkyrka").post("/ekonomi/kommun/0127/nytt-scenario/", post)
    assert response.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert "Nobody" in text and "Parenting programme" in text
    assert not Scenario.objects.filter(name="Unknown effect owner").exists()

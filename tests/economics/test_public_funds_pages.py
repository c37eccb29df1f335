"""The public funds factor through the editor, results page, exports and API."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest

from jamlik.economics.examples import botkyrka_example, norrtalje_example
from jamlik.economics.inputs import Estimate, Scenario
from jamlik.economics.model import evaluate
from jamlik.economics.models import Scenario as SavedScenario
from jamlik.economics.serialization import scenario_to_dict
from jamlik.geo.models import Area

from .browser_form import form_values
from .django_helpers import editor_post, saved_scenario

pytestmark = pytest.mark.django_db

SOURCE = "Trafikverket, ASEK: skattefaktor"


def with_factor() -> Scenario:
    """Botkyrka: part of the savings fall on the individual, so the weights matter."""
    return dataclasses.replace(
        botkyrka_example(),
        public_funds_factor=Estimate(1.3, 1.1, 1.5),
        public_funds_factor_source=SOURCE,
    )


def saved_with_factor() -> SavedScenario:
    model = with_factor()
    return SavedScenario.objects.create(
        area=Area.objects.get(code="0127"),
        name=model.name,
        inputs=scenario_to_dict(model),
        published=True,
        draws=500,
    )


def spaced(value: float) -> str:
    """A whole krona amount as the Swedish pages print it."""
    return f"{round(value):,}".replace(",", "\xa0").replace("-", "−")


def test_editor_saves_the_factor_and_shows_it_again(client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    post = editor_post(
        public_funds_factor="1,3",
        public_funds_factor_low="1,1",
        public_funds_factor_high="1,5",
        public_funds_factor_source=SOURCE,
    )
    response = client.post("/ekonomi/kommun/0127/nytt-scenario/", post)
    assert response.status_code == 302, response.content.decode()[-2000:]
    scenario = SavedScenario.objects.get()
    assert scenario.inputs["public_funds_factor"] == {
        "central": 1.3,
        "low": 1.1,
        "high": 1.5,
        "distribution": "triangular",
    }
    assert scenario.inputs["public_funds_factor_source"] == SOURCE
    model = scenario.model_inputs()
    assert evaluate(model).societal_npv > evaluate(norrtalje_example()).npv  # all public, NPV > 0
    values = form_values(client.get(f"/ekonomi/scenario/{scenario.pk}/redigera/").content.decode())
    assert values["public_funds_factor"].replace(",", ".") == "1.3"
    assert values["public_funds_factor_low"].replace(",", ".") == "1.1"
    assert values["public_funds_factor_source"] == SOURCE
    # Submitting the page as it stands keeps the factor; emptying it removes it.
    response = client.post(f"/ekonomi/scenario/{scenario.pk}/redigera/", values)
    assert response.status_code == 302
    scenario.refresh_from_db()
    assert scenario.inputs["public_funds_factor"]["central"] == 1.3
    values |= {
        "public_funds_factor": "",
        "public_funds_factor_low": "",
        "public_funds_factor_high": "",
        "public_funds_factor_source": "",
    }
    assert client.post(f"/ekonomi/scenario/{scenario.pk}/redigera/", values).status_code == 302
    scenario.refresh_from_db()
    assert scenario.inputs["public_funds_factor"] is None


def test_new_scenario_has_no_default_factor_and_help_cites_examples(client_for) -> None:  # noqa: ANN001
    html = client_for("botkyrka").get("/ekonomi/kommun/0127/nytt-scenario/").content.decode()
    values = form_values(html)
    assert values["public_funds_factor"] == ""
    assert values["public_funds_factor_source"] == ""
    assert "ASEK" in html and "skattefaktorn 1,3" in html
    assert "WSIPP" in html and "50 procent" in html


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"public_funds_factor": "1,3"}, "public_funds_factor_source", "Ange källan"),
        (
            {"public_funds_factor": "0,8", "public_funds_factor_source": SOURCE},
            "public_funds_factor",
            "större än eller lika med 1",
        ),
        ({"public_funds_factor_source": SOURCE}, "public_funds_factor", "Ange skattefaktorn"),
        (
            {"public_funds_factor_low": "1,1", "public_funds_factor_source": SOURCE},
            "public_funds_factor",
            "Ange ett mittvärde",
        ),
    ],
)
def test_editor_refuses_an_incomplete_factor(client_for, fields, field, message) -> None:  # noqa: ANN001
    response = client_for("botkyrka").post(
        "/ekonomi/kommun/0127/nytt-scenario/", editor_post(**fields)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}"' in html
    assert 'aria-invalid="true"' in html[html.index(f'id="id_{field}"') - 300 :][:600]
    assert not SavedScenario.objects.exists()


def test_results_page_shows_adjusted_beside_unadjusted(client) -> None:  # noqa: ANN001
    scenario = saved_with_factor()
    result = evaluate(with_factor())
    html = client.get(f"/ekonomi/scenario/{scenario.pk}/").content.decode()
    table = html[
        html.index("societal-table") : html.index("</table>", html.index("societal-table"))
    ]
    assert spaced(result.npv) in table
    assert spaced(result.societal_npv) in table
    assert result.societal_npv != pytest.approx(result.npv)
    assert "Med skattefaktorn 1,30" in table
    assert SOURCE in html
    assert "1,30 (1,10–1,50)" in html
    # The tornado swings the factor (translated label, its range) and says what it shows.
    assert "<td>Skattefaktor</td><td>1,10</td><td>1,50</td>" in html
    assert html.count("Nettonuvärden för samhället, där kommunens, regionens och statens") >= 2
    # A scenario without the factor says so and shows no second column.
    plain = client.get(f"/ekonomi/scenario/{saved_scenario('0188', published=True).pk}/")
    plain_html = plain.content.decode()
    assert "societal-table" not in plain_html
    assert "används inte" in plain_html


def test_compare_and_pdf_show_the_factor(client) -> None:  # noqa: ANN001
    adjusted = saved_with_factor()
    plain = saved_scenario("0188", published=True)
    html = client.get(f"/ekonomi/jamfor/?s={adjusted.pk}&s={plain.pk}").content.decode()
    assert "Nettonuvärde med skattefaktor" in html
    assert spaced(evaluate(with_factor()).societal_npv) in html
    from pypdf import PdfReader

    response = client.get(f"/ekonomi/scenario/{adjusted.pk}/scenario.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Skattefaktor" in text
    assert "ASEK" in text


def test_api_evaluate_and_detail_include_the_factor(client) -> None:  # noqa: ANN001
    model = with_factor()
    expected = evaluate(model)
    body = {"inputs": scenario_to_dict(model), "draws": 500, "seed": 3}
    response = client.post(
        "/api/v1/economics/evaluate", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["public_funds_factor"] == {
        "central": 1.3,
        "low": 1.1,
        "high": 1.5,
        "distribution": "triangular",
        "source": SOURCE,
    }
    societal = data["deterministic"]["societal"]
    assert societal["public_funds_factor"] == 1.3
    assert societal["npv"] == pytest.approx(expected.societal_npv)
    assert societal["benefit_cost_ratio"] == pytest.approx(expected.societal_benefit_cost_ratio)
    assert data["deterministic"]["npv"] == pytest.approx(expected.npv)
    assert data["monte_carlo"]["societal"]["public_funds_factor_applied"] is True
    assert data["tornado"]["public_funds_factor_applied"] is True
    assert data["tornado"]["base_npv"] == pytest.approx(expected.societal_npv)
    assert "public_funds_factor" in {b["parameter"] for b in data["tornado"]["bars"]}
    # Refusals name the input.
    body["inputs"]["public_funds_factor"] = {"central": 0.9}
    response = client.post(
        "/api/v1/economics/evaluate", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["message"] == (
        "scenario.public_funds_factor.central: must be at least 1.0 (got 0.9)"
    )
    # Stored scenarios: the inputs and the results carry it.
    detail = client.get(f"/api/v1/economics/scenarios/{saved_with_factor().pk}").json()
    assert detail["inputs"]["public_funds_factor_source"] == SOURCE
    assert detail["results"]["deterministic"]["societal"]["npv"] == pytest.approx(
        expected.societal_npv
    )
    # Without the factor: null, and the societal result is the plain one.
    old = scenario_to_dict(norrtalje_example())
    del old["public_funds_factor"], old["public_funds_factor_source"]
    response = client.post(
        "/api/v1/economics/evaluate",
        json.dumps({"inputs": old, "draws": 500}),
        content_type="application/json",
    )
    data = response.json()
    assert data["public_funds_factor"] is None
    assert data["deterministic"]["societal"]["npv"] == data["deterministic"]["npv"]


def test_xlsx_formulas_recompute_the_societal_result(client, tmp_path) -> None:  # noqa: ANN001
    formulas = pytest.importorskip("formulas")
    from openpyxl import load_workbook

    scenario = saved_with_factor()
    content = client.get(f"/ekonomi/scenario/{scenario.pk}/scenario.xlsx").content
    wb = load_workbook(io.BytesIO(content))
    assert "PublicFundsFactor" in wb.defined_names
    assert wb["Inputs"]["B9"].value == 1.3
    assert wb["Results"]["F4"].value == "=PublicFundsFactor"
    assert wb["Results"]["F7"].value == 1  # the individual and others
    path = tmp_path / "scenario.xlsx"
    path.write_bytes(content)
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    values = {k.split("]")[-1].upper(): v for k, v in solution.items()}
    expected = evaluate(with_factor())
    assert values["RESULTS'!D8"].value[0, 0] == pytest.approx(expected.npv)
    assert values["RESULTS'!B10"].value[0, 0] == pytest.approx(expected.benefit_cost_ratio)
    assert values["RESULTS'!B16"].value[0, 0] == pytest.approx(expected.societal_pv_savings)
    assert values["RESULTS'!B17"].value[0, 0] == pytest.approx(expected.societal_pv_costs)
    assert values["RESULTS'!B18"].value[0, 0] == pytest.approx(expected.societal_npv)
    assert values["RESULTS'!B19"].value[0, 0] == pytest.approx(expected.societal_benefit_cost_ratio)
    assert wb["Results"]["E18"].value == pytest.approx(expected.societal_npv)
    # Change the factor in the workbook: the societal NPV follows, the budgets do not.
    wb["Inputs"]["B9"] = 1.0
    path.write_bytes(_saved(wb))
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    values = {k.split("]")[-1].upper(): v for k, v in solution.items()}
    assert values["RESULTS'!B18"].value[0, 0] == pytest.approx(expected.npv)
    assert values["RESULTS'!D8"].value[0, 0] == pytest.approx(expected.npv)


def _saved(wb) -> bytes:  # noqa: ANN001
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

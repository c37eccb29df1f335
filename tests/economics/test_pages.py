"""The scenario pages, exports and kommun section, through Django's test client."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook

from jamlik.economics import services
from jamlik.economics.demo import seed
from jamlik.economics.examples import botkyrka_example, norrtalje_example
from jamlik.economics.inputs import Payer
from jamlik.economics.model import evaluate
from jamlik.economics.models import Scenario
from jamlik.economics.serialization import scenario_to_dict

from .browser_form import form_values
from .django_helpers import editor_post, saved_scenario

pytestmark = pytest.mark.django_db


def test_results_page_shows_npv_payers_and_charts(client) -> None:  # noqa: ANN001
    scenario = saved_scenario("0188", published=True)
    html = client.get(f"/ekonomi/scenario/{scenario.pk}/").content.decode()
    for chart_title in ("Nettonuvärde per betalare", "Besparing per år och betalare"):
        assert chart_title in html
    assert html.count('data-vega-spec="chart-') == 4
    assert html.count("<table") >= 6  # one data table per chart plus inputs
    npv = evaluate(norrtalje_example()).npv
    assert f"{round(npv):,}".replace(",", "\xa0") in html
    assert "Källa" in html or "källa" in html
    assert "Effekt – Narkotikabruk bland unga" in html  # tornado inputs are translated


def test_editor_shows_the_models_refusal_and_keeps_the_input(client_for) -> None:  # noqa: ANN001
    post = editor_post(**{"outcomes-0-share_kommun": "20"})  # 20 + 30 + 45 = 95 %
    response = client_for("botkyrka").post("/ekonomi/kommun/0127/nytt-scenario/", post)
    assert response.status_code == 200
    html = response.content.decode()
    assert "payer_shares: shares must sum to 1 (got 0.95)" in html
    assert not Scenario.objects.exists()


def test_editor_field_errors_for_missing_numbers(client_for) -> None:  # noqa: ANN001
    post = editor_post(horizon_years="0")
    response = client_for("botkyrka").post("/ekonomi/kommun/0127/nytt-scenario/", post)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Scenario.objects.exists()


def test_edit_round_trip_keeps_inputs(client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    client.post("/ekonomi/kommun/0127/nytt-scenario/", editor_post())
    scenario = Scenario.objects.get()
    page = client.get(f"/ekonomi/scenario/{scenario.pk}/redigera/")
    assert page.status_code == 200
    assert "Narkotikabruk bland unga" in page.content.decode()
    response = client.post(
        f"/ekonomi/scenario/{scenario.pk}/redigera/", editor_post(scenario.inputs, name="Renamed")
    )
    assert response.status_code == 302
    scenario.refresh_from_db()
    assert scenario.name == "Renamed"
    assert evaluate(scenario.model_inputs()).npv == pytest.approx(evaluate(norrtalje_example()).npv)


def test_compare_side_by_side(client) -> None:  # noqa: ANN001
    a = saved_scenario("0188", published=True, name="First")
    b = Scenario.objects.create(
        area=a.area.__class__.objects.get(code="0127"),
        name="Second",
        inputs=scenario_to_dict(botkyrka_example()),
        published=True,
        draws=500,
    )
    html = client.get(f"/ekonomi/jamfor/?s={a.pk}&s={b.pk}").content.decode()
    assert "First" in html and "Second" in html
    table = html[html.index("compare-table") :]
    assert table.index("First") < table.index("Second")  # in the order asked for
    assert "Kvot mellan nytta och kostnad" in html


def test_kommun_section_lists_visible_scenarios(rf, users) -> None:  # noqa: ANN001
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from jamlik.economics.sections import area_sections
    from jamlik.geo.models import Area

    saved_scenario("0188", published=True, name="Visible plan")
    saved_scenario("0188", published=False, name="Draft plan")
    request = rf.get("/omrade/0188/")
    request.user = AnonymousUser()
    (section,) = area_sections(Area.objects.get(code="0188"), request)
    html = render_to_string(
        section.template, {"area": Area.objects.get(code="0188"), **section.context}
    )
    assert "Visible plan" in html and "Draft plan" not in html
    assert "nytt-scenario" not in html
    request.user = users["lan01"]
    (section,) = area_sections(Area.objects.get(code="0188"), request)
    assert {s.name for s in section.context["economic_scenarios"]} == {"Visible plan", "Draft plan"}
    assert section.context["can_create"]
    (county,) = area_sections(Area.objects.get(code="01"), request)
    assert len(county.context["economic_scenarios"]) == 2
    request.user = users["lidingo"]
    assert area_sections(Area.objects.get(code="0180"), request) == []


def test_unit_cost_page_names_sources(client) -> None:  # noqa: ANN001
    html = client.get("/ekonomi/enhetskostnader/").content.decode()
    assert "Statens institutionsstyrelse" in html
    assert "3\xa0528" in html or "3 528" in html or "3528" in html


def test_xlsx_has_inputs_formulas_and_matching_values(client) -> None:  # noqa: ANN001
    scenario = saved_scenario("0188", published=True)
    response = client.get(f"/ekonomi/scenario/{scenario.pk}/scenario.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert {
        "Inputs",
        "Results",
        "Outcomes",
        "Costs",
        "Cashflows",
        "Sensitivity",
        "MonteCarlo",
    } <= set(wb.sheetnames)
    assert "DiscountRate" in wb.defined_names
    flows = wb["Cashflows"]
    assert flows["B2"].value == "=1/(1+DiscountRate)^(A2-1)"
    assert str(flows["D3"].value).startswith("=Interventions!$C$2*Effects!$F$2*SUMPRODUCT(")
    assert {"Interventions", "Effects"} <= set(wb.sheetnames)
    results = wb["Results"]
    assert str(results["B4"].value).startswith("=SUMPRODUCT(Cashflows!")
    expected = evaluate(norrtalje_example())
    assert results["E4"].value == pytest.approx(expected.by_payer[Payer.KOMMUN].npv)


def test_pdf_export(client) -> None:  # noqa: ANN001
    scenario = saved_scenario("0188", published=True)
    response = client.get(f"/ekonomi/scenario/{scenario.pk}/scenario.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert scenario.name.split(":")[0] in text


def test_csv_per_year_is_labelled_when_demo(client) -> None:  # noqa: ANN001
    scenario = saved_scenario("0188", published=True)
    scenario.is_demo = True
    scenario.save()
    body = client.get(f"/ekonomi/scenario/{scenario.pk}/per-ar.csv").content.decode("utf-8-sig")
    lines = body.splitlines()
    assert len(lines) == 1 + 10
    assert "data_status" in lines[0]


def test_api_evaluate_and_detail(client) -> None:  # noqa: ANN001
    body = {"inputs": scenario_to_dict(norrtalje_example()), "draws": 1000, "seed": 3}
    response = client.post(
        "/api/v1/economics/evaluate", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["deterministic"]["npv"] == pytest.approx(evaluate(norrtalje_example()).npv)
    assert data["monte_carlo"]["draws"] == 1000
    assert 0 <= data["monte_carlo"]["probability_benefits_exceed_costs"] <= 1
    body["inputs"]["horizon_years"] = 0
    response = client.post(
        "/api/v1/economics/evaluate", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["message"] == "scenario.horizon_years: must be at least 1 (got 0)"
    scenario = saved_scenario("0188", published=True)
    detail = client.get(f"/api/v1/economics/scenarios/{scenario.pk}").json()
    assert detail["kommun"] == "0188"
    assert detail["results"]["deterministic"]["by_payer"]["kommun"]["npv"] == pytest.approx(
        evaluate(norrtalje_example()).by_payer[Payer.KOMMUN].npv
    )
    assert client.get("/api/v1/economics/unit-costs").json()[0]["source"]
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/economics/scenarios", "/api/v1/economics/evaluate"} <= set(paths)


def test_demo_seed_is_idempotent_and_labelled() -> None:
    seed(lambda _m: None)
    first = list(Scenario.objects.order_by("pk").values("area__code", "name", "inputs", "is_demo"))
    seed(lambda _m: None)
    second = list(Scenario.objects.order_by("pk").values("area__code", "name", "inputs", "is_demo"))
    assert first == second
    assert {row["area__code"] for row in first} == {"0188", "0127"}
    assert all(row["is_demo"] for row in first)
    assert all(row["inputs"]["illustrative"] for row in first)


def test_analysis_is_cached_by_inputs() -> None:
    scenario = saved_scenario("0188", published=True)
    assert services.analyse(scenario) is services.analyse(scenario)


def test_xlsx_formulas_recompute_jamliks_results(client, tmp_path) -> None:  # noqa: ANN001
    """Evaluate the workbook's formulas with an Excel engine and compare with the model.

    Needs the optional ``formulas`` package (not a project dependency); checked by hand
    for both demo scenarios when this was written.
    """
    formulas = pytest.importorskip("formulas")
    scenario = saved_scenario("0188", published=True)
    path = tmp_path / "scenario.xlsx"
    path.write_bytes(client.get(f"/ekonomi/scenario/{scenario.pk}/scenario.xlsx").content)
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    values = {k.split("]")[-1].upper(): v for k, v in solution.items()}
    expected = evaluate(norrtalje_example())
    assert values["RESULTS'!D8"].value[0, 0] == pytest.approx(expected.npv)
    assert values["RESULTS'!B10"].value[0, 0] == pytest.approx(expected.benefit_cost_ratio)
    # No public funds factor: the societal rows (weights of 1) repeat the plain result.
    assert values["RESULTS'!B18"].value[0, 0] == pytest.approx(expected.npv)
    assert values["RESULTS'!B19"].value[0, 0] == pytest.approx(expected.benefit_cost_ratio)


def test_editor_page_resubmitted_as_a_browser_would_saves(client_for) -> None:  # noqa: ANN001
    """Untouched blank rows (whose selects a browser always submits) must not block saving."""
    seed(lambda _m: None)
    scenario = Scenario.objects.get(area__code="0127")
    client = client_for("botkyrka")
    html = client.get(f"/ekonomi/scenario/{scenario.pk}/redigera/").content.decode()
    values = form_values(html)
    blank = len(scenario.inputs["interventions"][0]["effects"])
    assert values[f"effects-{blank}-measure"] == "rrr"  # the blank extra row's select
    assert values[f"costs-{len(scenario.inputs['interventions'][0]['costs'])}-kind"]
    values["horizon_years"] = "30"
    response = client.post(f"/ekonomi/scenario/{scenario.pk}/redigera/", values)
    assert response.status_code == 302, response.content.decode()[-3000:]
    scenario.refresh_from_db()
    assert scenario.inputs["horizon_years"] == 30
    assert len(scenario.inputs["outcomes"]) == 2


def test_copy_a_visible_scenario_into_own_kommun(client_for) -> None:  # noqa: ANN001
    source = saved_scenario("0188", published=True, name="Norrtälje plan")
    hidden = saved_scenario("0186", published=False, name="Lidingö draft")
    client = client_for("botkyrka")
    response = client.get(f"/ekonomi/nytt-scenario/?kommun=0127&fran={source.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/ekonomi/kommun/0127/nytt-scenario/?fran={source.pk}"
    html = client.get(response["Location"]).content.decode()
    assert 'value="Norrtälje plan (kopia)"' in html
    # A scenario the user may not see cannot be copied, and another kommun stays refused.
    assert client.get(f"/ekonomi/kommun/0127/nytt-scenario/?fran={hidden.pk}").status_code == 404
    assert client.get(f"/ekonomi/kommun/0186/nytt-scenario/?fran={source.pk}").status_code == 403


def test_kommun_and_county_pages_show_the_section(client) -> None:  # noqa: ANN001
    saved_scenario("0188", published=True, name="Visible plan")
    saved_scenario("0188", published=False, name="Draft plan")
    kommun = client.get("/omrade/0188/").content.decode()
    assert "Visible plan" in kommun and "Draft plan" not in kommun
    assert "Visible plan" in client.get("/omrade/01/").content.decode()


def test_payer_names_are_not_confused_with_other_apps_words(client) -> None:  # noqa: ANN001
    # Another app translates "State" (a status) as "Läge"; payers use their own context.
    scenario = saved_scenario("0188", published=True)
    html = client.get(f"/ekonomi/scenario/{scenario.pk}/").content.decode()
    assert "Staten" in html
    assert not re.search(r"\bLäge\b", html)

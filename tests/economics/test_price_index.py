"""The shipped KPI series: SCB's published annual averages, offered to new scenarios and
used to re-price amounts between price years."""

from __future__ import annotations

import dataclasses

import pytest

from jamlik.economics.examples import norrtalje_example
from jamlik.economics.forms import ScenarioForm, new_scenario_initial
from jamlik.economics.model import evaluate
from jamlik.economics.models import Scenario
from jamlik.economics.price_index import as_lines, scb_kpi
from jamlik.economics.serialization import scenario_to_dict

from .django_helpers import editor_post


def test_series_is_scbs_published_annual_averages() -> None:
    kpi = scb_kpi()
    assert sorted(kpi.values) == list(range(2006, 2024))  # no gaps
    # SCB, KPI 1980=100, fastställda tal, årsmedel.
    assert kpi.values[2006] == 284.22
    assert kpi.values[2020] == 335.92
    assert kpi.values[2022] == 371.91
    assert kpi.values[2023] == 403.70
    assert "SCB" in kpi.source and "1980=100" in kpi.name
    assert kpi.factor(2020, 2023) == pytest.approx(403.70 / 335.92)
    assert kpi.factor(2023, 2020) * kpi.factor(2020, 2023) == pytest.approx(1.0)


def test_editor_text_round_trips_through_the_form() -> None:
    text = as_lines(scb_kpi())
    assert text.splitlines()[0] == "2006;284,22"
    form = ScenarioForm()
    form.cleaned_data = {"price_index_values": text}
    parsed = form.clean_price_index_values()
    assert {int(y): v for y, v in parsed.items()} == dict(scb_kpi().values)


@pytest.mark.django_db
def test_new_scenario_starts_with_the_series(client_for) -> None:  # noqa: ANN001
    html = client_for("botkyrka").get("/ekonomi/kommun/0127/nytt-scenario/").content.decode()
    assert "2020;335,92" in html and "2023;403,70" in html
    assert "Konsumentprisindex" in html
    assert new_scenario_initial()["price_index_name"] == scb_kpi().name


@pytest.mark.django_db
def test_scenario_in_2023_prices_reprices_2020_costs(client_for) -> None:  # noqa: ANN001
    """Saving through the editor with the offered series re-prices every 2020 amount."""
    data = scenario_to_dict(norrtalje_example())
    assert {o["price_year"] for o in data["outcomes"]} == {2020}
    post = editor_post(data, price_year="2023", **new_scenario_initial())
    response = client_for("botkyrka").post("/ekonomi/kommun/0127/nytt-scenario/", post)
    assert response.status_code == 302, response.content.decode()[-2000:]
    saved = Scenario.objects.get()
    assert saved.inputs["price_index"]["source"] == scb_kpi().source
    example = norrtalje_example()
    factor = scb_kpi().factor(2020, 2023)
    by_hand = dataclasses.replace(
        example,
        price_year=2023,
        outcomes=tuple(
            dataclasses.replace(
                o,
                price_year=2023,
                unit_cost=dataclasses.replace(o.unit_cost, central=o.unit_cost.central * factor),
            )
            for o in example.outcomes
        ),
        interventions=(
            dataclasses.replace(
                example.interventions[0],
                costs=tuple(
                    dataclasses.replace(
                        c,
                        price_year=2023,
                        amount_per_year=dataclasses.replace(
                            c.amount_per_year, central=c.amount_per_year.central * factor
                        ),
                    )
                    for c in example.interventions[0].costs
                ),
            ),
        ),
    )
    from jamlik.economics.serialization import scenario_from_dict

    assert evaluate(scenario_from_dict(saved.inputs)).npv == pytest.approx(evaluate(by_hand).npv)
    assert evaluate(by_hand).npv == pytest.approx(evaluate(example).npv * factor)


@pytest.mark.django_db
def test_unit_cost_page_and_api_show_the_series(client) -> None:  # noqa: ANN001
    html = client.get("/ekonomi/enhetskostnader/").content.decode()
    repriced = round(3528 * 403.70 / 335.92)  # SiS open treatment, 2020 fee in 2023 prices
    assert f'<td class="num">{repriced}</td>' in html
    assert "403,70" in html
    body = client.get("/api/v1/economics/price-index").json()
    assert body["values"]["2023"] == 403.70 and "SCB" in body["source"]


def _price_year_field_html(html: str) -> str:
    """The editor's form row that holds the scenario's price-year input."""
    at = html.index('name="price_year"')
    start = html.rindex('<div class="form-row', 0, at)
    end = html.index("</div>", at)
    return html[start : end + 6]


@pytest.mark.django_db
@pytest.mark.parametrize("year", [max(scb_kpi().values) + 2, min(scb_kpi().values) - 1])
def test_editor_refuses_price_year_outside_the_index_at_the_field(client_for, year: int) -> None:  # noqa: ANN001
    """A scenario price year past the index's end (or before its start), with 2020 amounts
    to convert, is refused with the Swedish message at the price-year field; nothing saved."""
    before = Scenario.objects.count()
    post = editor_post(None, **{**new_scenario_initial(), "price_year": str(year)})
    response = client_for("botkyrka").post("/ekonomi/kommun/0127/nytt-scenario/", post)
    assert response.status_code == 200
    html = response.content.decode()
    row = _price_year_field_html(html)
    assert "has-error" in row
    assert f"har inget värde för {year}" in row
    assert "det omfattar 2006–2023" in row
    assert "Traceback" not in html
    assert Scenario.objects.count() == before


@pytest.mark.django_db
def test_api_refuses_price_year_past_the_index_in_swedish(client) -> None:  # noqa: ANN001
    data = scenario_to_dict(norrtalje_example())
    index = scb_kpi()
    data["price_index"] = {
        "name": index.name,
        "source": index.source,
        "values": {str(y): v for y, v in index.values.items()},
    }
    data["price_year"] = max(index.values) + 2
    response = client.post(
        "/api/v1/economics/evaluate",
        {"inputs": data, "draws": 100},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()["message"]
    assert f"har inget värde för {max(index.values) + 2}" in body
    assert "Lägg till indexvärdet" in body


def test_factor_outside_the_index_names_the_year() -> None:
    from jamlik.economics.price_index import PriceYearOutsideIndex

    index = scb_kpi()
    with pytest.raises(PriceYearOutsideIndex) as caught:
        index.factor(2020, max(index.values) + 1)
    assert caught.value.year == max(index.values) + 1
    assert (caught.value.first, caught.value.last) == (min(index.values), max(index.values))
    assert isinstance(caught.value, ValueError)

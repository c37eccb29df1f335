"""Browser tests for the socioeconomic analysis: editor and results page, with axe."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def _open_demo_scenario(page, name_part: str) -> None:  # noqa: ANN001
    page.goto("/ekonomi/")
    page.get_by_role("link", name=re.compile(name_part)).first.click()
    page.wait_for_load_state("networkidle")


def test_results_page_renders_charts_and_passes_axe(page, check_a11y) -> None:  # noqa: ANN001
    _open_demo_scenario(page, "Norrtälje")
    assert page.locator("h1").count() == 1
    assert "Norrtälje" in page.locator("h1").inner_text()
    page.wait_for_selector(".chart-canvas svg")
    assert page.locator(".chart-canvas svg").count() == 4
    assert page.locator(".demo-note").count() >= 1
    assert "Nettonuvärde" in page.content()
    check_a11y(page, "economics-results")


def test_editor_saves_a_scenario_for_own_kommun(page, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "botkyrka")
    _open_demo_scenario(page, "Botkyrka")
    page.get_by_role("link", name="Redigera scenario").click()
    page.wait_for_load_state("networkidle")
    check_a11y(page, "economics-editor")
    page.fill("#id_name", "Botkyrka: testscenario från webbläsaren")
    page.fill("#id_horizon_years", "30")
    page.get_by_role("button", name="Spara och visa resultat").click()
    page.wait_for_load_state("networkidle")
    errors = page.locator(".errorlist, .error-summary").all_inner_texts()
    assert "testscenario från webbläsaren" in page.locator("h1").inner_text(), errors
    assert "Scenariot har sparats." in page.content()


def test_editor_shows_refusal_for_bad_shares(page, login) -> None:  # noqa: ANN001
    login(page, "botkyrka")
    page.goto("/ekonomi/kommun/0127/nytt-scenario/")
    page.fill("#id_name", "Felaktigt scenario")
    page.fill("#id_interventions-0-name", "Insats")
    page.fill("#id_price_year", "2024")
    page.fill("#id_horizon_years", "10")
    page.fill("#id_discount_rate", "3,5")
    page.fill("#id_discount_rate_source", "Kommunfullmäktiges beslut")
    page.fill("#id_interventions-0-participants", "100")
    page.fill("#id_interventions-0-delivery_years", "5")
    page.fill("#id_outcomes-0-name", "Skolmisslyckande")
    page.fill("#id_outcomes-0-baseline_risk", "10")
    page.fill("#id_outcomes-0-unit_cost", "100000")
    page.fill("#id_outcomes-0-price_year", "2024")
    page.fill("#id_outcomes-0-share_kommun", "50")
    page.fill("#id_outcomes-0-share_stat", "40")
    page.fill("#id_effects-0-intervention", "Insats")
    page.fill("#id_effects-0-outcome", "Skolmisslyckande")
    page.fill("#id_effects-0-effect", "0,1")
    page.fill("#id_outcomes-0-source", "Egen uppskattning")
    page.get_by_role("button", name="Spara och visa resultat").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("alert").count() >= 1
    assert "shares must sum to 1 (got 0.9)" in page.get_by_role("alert").first.inner_text()


def test_editor_refuses_other_kommun(page, login) -> None:  # noqa: ANN001
    login(page, "lidingo")
    response = page.goto("/ekonomi/kommun/0127/nytt-scenario/")
    assert response is not None and response.status == 403


def test_index_and_comparison_pass_axe(page, check_a11y) -> None:  # noqa: ANN001
    page.goto("/ekonomi/")
    check_a11y(page, "economics-index")
    page.goto("/ekonomi/jamfor/")
    for box in page.locator("input[name=s]").all():
        box.check()
    page.get_by_role("button", name="Jämför", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("table.compare-table thead th").count() == 3
    check_a11y(page, "economics-compare")


def test_unit_costs_and_price_index_pass_axe(page, check_a11y) -> None:  # noqa: ANN001
    page.goto("/ekonomi/enhetskostnader/")
    assert page.locator("#kpi").count() == 1
    assert page.locator("caption", has_text="Konsumentprisindex").count() == 1
    check_a11y(page, "economics-unit-costs")


def test_public_funds_factor_from_editor_to_results(page, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "botkyrka")
    _open_demo_scenario(page, "Botkyrka")
    page.get_by_role("link", name="Redigera scenario").click()
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_public_funds_factor") == ""  # never filled in for the user
    page.fill("#id_name", "Botkyrka: med skattefaktor")
    page.fill("#id_public_funds_factor", "1,3")
    page.fill("#id_public_funds_factor_low", "1,1")
    page.fill("#id_public_funds_factor_high", "1,5")
    page.get_by_role("button", name="Spara och visa resultat").click()
    page.wait_for_load_state("networkidle")
    # A factor without a source is refused on the field, in Swedish.
    assert "Ange källan till skattefaktorn" in page.content()
    page.fill("#id_public_funds_factor_source", "Trafikverket, ASEK: skattefaktor 1,3")
    page.get_by_role("button", name="Spara och visa resultat").click()
    page.wait_for_load_state("networkidle")
    assert "med skattefaktor" in page.locator("h1").inner_text()
    table = page.locator("table.societal-table")
    assert table.count() == 1
    assert "Med skattefaktorn 1,30" in table.inner_text()
    assert "Trafikverket, ASEK" in page.content()
    page.wait_for_selector(".chart-canvas svg")
    check_a11y(page, "economics-results-public-funds")

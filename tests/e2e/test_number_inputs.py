"""Numbers typed the Swedish way are read as meant and shown back in Swedish format.

Two bugs a new user met: "1 200 000" was refused in the scenario editor, and "78,9" was
stored as 789 in a plan's baseline field (a type="number" input dropped the comma).
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_scenario_editor_reads_spaces_and_decimal_commas(page, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "botkyrka")
    page.goto("/ekonomi/")
    page.get_by_role("link", name=re.compile("Botkyrka")).first.click()
    page.get_by_role("link", name="Redigera scenario").click()
    page.wait_for_load_state("networkidle")
    participants = page.locator("#id_interventions-0-participants")
    assert participants.get_attribute("type") == "text"
    assert participants.get_attribute("inputmode") == "decimal"
    page.fill("#id_name", "Botkyrka: svenska tal")
    page.fill("#id_interventions-0-participants", "1 200 000")
    page.fill("#id_interventions-0-participants_low", "")
    page.fill("#id_interventions-0-participants_high", "")
    page.fill("#id_outcomes-0-baseline_risk", "78,9")
    page.fill("#id_outcomes-0-baseline_risk_low", "")
    page.fill("#id_outcomes-0-baseline_risk_high", "")
    page.get_by_role("button", name="Spara och visa resultat").click()
    page.wait_for_load_state("networkidle")
    errors = page.locator(".errorlist, .error-summary").all_inner_texts()
    assert "svenska tal" in page.locator("h1").inner_text(), errors
    page.get_by_role("link", name="Redigera scenario").click()
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_interventions-0-participants") == "1200000"
    assert page.input_value("#id_outcomes-0-baseline_risk") == "78,9"
    check_a11y(page, "number-inputs-scenario")


def test_scenario_editor_asks_about_an_ambiguous_point(page, login) -> None:  # noqa: ANN001
    login(page, "botkyrka")
    page.goto("/ekonomi/")
    page.get_by_role("link", name=re.compile("Botkyrka")).first.click()
    page.get_by_role("link", name="Redigera scenario").click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_interventions-0-participants", "1.200")
    page.get_by_role("button", name="Spara och visa resultat").click()
    page.wait_for_load_state("networkidle")
    error = page.locator("#id_interventions-0-participants_error").inner_text().replace("\u00a0", " ")
    assert "kan betyda 1 200 eller 1,2: skriv 1200 eller 1,2" in error, error
    assert page.input_value("#id_interventions-0-participants") == "1.200"


def test_plan_target_baseline_keeps_its_decimal_comma(page, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "botkyrka")
    page.goto("/prevention/planer/?kommun=0127")
    page.locator("table a[href^='/prevention/planer/']").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_text("Koppla en indikator").click()
    indicator = page.locator("#id_indicator_code")
    indicator.select_option(index=1)
    name = indicator.locator("option").nth(1).inner_text()
    page.fill("#id_label", "")
    page.fill("#id_baseline_value", "78,9")
    page.fill("#id_baseline_period", "2024")
    page.fill("#id_target_value", "1 200")
    page.fill("#id_target_period", "2028")
    page.get_by_role("button", name="Lägg till", exact=True).click()
    page.wait_for_load_state("networkidle")
    row = page.locator("#targets ~ div table tbody tr").last
    text = row.inner_text()
    assert "78,9 (2024)" in text and "1200 (2028)" in text, text
    code = name.split(" ", 1)[0]
    assert f"{code} ({code})" not in text, text
    check_a11y(page, "number-inputs-plan")

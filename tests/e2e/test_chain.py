"""Browser test of the linked chain, as Botkyrka's editor: from a gap on Botkyrka's profile
to a suggested factor, to an intervention with its published evidence, to the plan that
chooses it (chosen in the UI), to a scenario made from the plan, whose results show the
benefits per payer with their uncertainty. axe on every page of the way; the plan and the
selection page at both widths."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

#: Functional Family Therapy: it addresses family conflict, a factor Botkyrka's youth
#: survey suggests, and the evidence library holds a published effect on an outcome with a
#: sourced unit cost (out-of-home placement), so a scenario can be made from it.
FFT = "functional-family-therapy"


def _settle(page) -> None:  # noqa: ANN001
    page.wait_for_load_state("networkidle")


def test_the_chain_from_a_gap_to_a_scenario(page, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "botkyrka")

    # 1. A gap on Botkyrka's profile → the risk factors and interventions linked to it.
    page.goto("/lagesbild/kommun/0127/")
    brief = page.locator("section[aria-labelledby=gaps-brief-h]")
    link = brief.locator("a.gap-factors").first
    assert link.inner_text() == "Riskfaktorer och insatser"
    link.click()
    _settle(page)
    assert re.search(r"/prevention/urval/\?.*suggest=0127.*indikator=", page.url)
    assert page.locator("[data-from-indicator]").count() == 1
    check_a11y(page, "chain-selection")
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1366, "height": 900})

    # 2. A factor suggested by Botkyrka's situation picture, with the interventions for it.
    suggested = page.locator("section[data-factor]", has_text="Föreslagen utifrån lägesbilden")
    assert suggested.count() >= 1
    with_fft = suggested.filter(has=page.locator(f'tr[data-intervention="{FFT}"]')).first
    factor = with_fft.get_attribute("data-factor")
    assert factor

    # 3. The intervention's page: its published evidence and where it is used.
    with_fft.locator(f'tr[data-intervention="{FFT}"] a').first.click()
    _settle(page)
    assert "Funktionell familjeterapi" in page.locator("h1").inner_text()
    assert (
        page.get_by_role(
            "heading", name="Publicerad evidens och kalkyl av nytta och kostnad"
        ).count()
        == 1
    )
    assert page.get_by_role("heading", name="Används i planer").count() == 1
    assert page.get_by_role("heading", name="Påverkar faktorer → indikatorer").count() == 1
    check_a11y(page, "chain-intervention")

    # 4. Chosen for Botkyrka's plan in the UI: the factors come prefilled from the registry.
    page.get_by_role("button", name=re.compile("^Välj till plan")).click()
    _settle(page)
    assert page.locator("#id_intervention_key").input_value() == FFT
    fft_factors = page.locator("input[name=factors]:checked").count()
    assert fft_factors >= 2
    # Choosing another intervention ticks its factors instead (the page's script), and
    # choosing FFT again brings FFT's back; the change is announced.
    page.select_option("#id_intervention_key", "kiva")
    assert page.locator("input[name=factors][value=bullying_victimisation]").is_checked()
    assert not page.locator("input[name=factors][value=family_conflict]").is_checked()
    assert page.locator("#factor-prefill-status").inner_text() != ""
    page.select_option("#id_intervention_key", FFT)
    assert page.locator("input[name=factors]:checked").count() == fft_factors
    assert page.locator("input[name=factors][value=family_conflict]").is_checked()
    page.fill("#id_target_group", "Familjer med unga 11–17 år i Alby och Fittja")
    page.select_option("#id_setting", "family")
    page.fill("#id_participants_per_year", "25")
    check_a11y(page, "chain-plan-intervention-form")
    page.get_by_role("button", name="Spara").click()
    _settle(page)
    assert "/prevention/planer/" in page.url
    row = page.locator(f'tr[data-chosen="{FFT}"]')
    assert row.count() == 1 and "25" in row.inner_text()
    assert row.locator(f'a[href*="/prevention/insatser/{FFT}/"]').count() == 1
    plan_url = page.url.split("#")[0]
    check_a11y(page, "chain-plan")
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1366, "height": 900})

    # The intervention's page now names the plan.
    page.goto(f"/prevention/insatser/{FFT}/?lan=01")
    assert page.locator("#chain-plans-h + ul a", has_text="Tidiga insatser").count() == 1

    # 5. A scenario made from the plan: the baseline risks it asks for, then save.
    page.goto(plan_url)
    page.locator('a[href*="/ekonomi/fran-plan/"]').first.click()
    _settle(page)
    assert "/ekonomi/fran-plan/" in page.url
    baselines = page.locator("input[name^=baseline_]")
    assert baselines.count() >= 1
    for index in range(baselines.count()):
        baselines.nth(index).fill("12,5")
    for field in page.locator("input[name^=participants_]").all():
        if not field.input_value():
            field.fill("25")
    page.fill("#id_name", "Botkyrka: kedjan från lägesbild till kalkyl")
    check_a11y(page, "chain-scenario-from-plan")
    page.get_by_role("button", name="Spara och visa resultat").click()
    _settle(page)
    errors = page.locator(".errorlist, .error-summary").all_inner_texts()
    assert "/ekonomi/scenario/" in page.url, errors

    # 6. The results: per payer, with the uncertainty of the Monte Carlo.
    assert "kedjan från lägesbild till kalkyl" in page.locator("h1").inner_text()
    assert page.locator("#payers-h").count() == 1
    payers = page.locator("section[aria-labelledby=payers-h]")
    header = payers.locator("table thead").text_content() or ""
    assert "5:e percentilen" in header and "95:e percentilen" in header, header
    body = payers.locator("table tbody").text_content() or ""
    for payer in ("Kommun", "Region", "Staten"):
        assert payer in body, payer
    assert payers.locator("table tbody tr").count() >= 3
    check_a11y(page, "chain-scenario-results")

    # The plan lists the scenario made from it.
    page.goto(plan_url)
    scenarios = page.locator(
        'section#chosen a[href*="/ekonomi/scenario/"]', has_text="kedjan från lägesbild"
    )
    assert scenarios.count() >= 1

"""Gaps between groups in a real browser: the measure chooser, the gap over time, axe."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_indicator_page_measure_chooser_and_gap_over_time(page, check_a11y):
    page.goto("/lagesbild/indikator/U01405/?area=0127&breakdown=sex")
    page.wait_for_selector(".chart-canvas svg", timeout=15000)
    gap = page.locator("article[data-gap='U01405']")
    assert "kvinnor − män" in gap.locator("table.ind-measures").inner_text()
    assert gap.locator("ul.gap-trend li").count() == 2
    # choose measures: one that fits sex and one that does not
    page.locator("details.ind-measure-choice summary").click()
    page.get_by_label("Differens (D)").check()
    page.get_by_label("Absolut koncentrationsindex (ACI)").check()
    page.get_by_role("button", name="Visa").click()
    page.wait_for_load_state("networkidle")
    assert "measures=d" in page.url and "measures=aci" in page.url
    assert page.get_by_text("måttet kräver grupper i en social ordning").is_visible()
    assert page.locator("table.ind-measures tbody tr").count() == 1
    page.wait_for_selector(".chart-canvas svg", timeout=15000)
    check_a11y(page, "gaps-indicator-chooser")


def test_kommun_profile_gaps_by_education(page, check_a11y):
    page.goto("/lagesbild/kommun/0127/?breakdown=education")
    page.wait_for_selector("article[data-gap] .chart-canvas svg", timeout=15000)
    first = page.locator("article[data-gap]").first
    first.scroll_into_view_if_needed()
    assert first.locator("ul.gap-trend li").count() >= 2
    first.screenshot(path="test-output/screenshots/gaps-profile-education-block.png")
    check_a11y(page, "gaps-profile-0127-education")

"""Browser tests for the support ladder: overview, an agreement, need against support."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_ladder_overview(page, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "lan01")
    page.goto("/stod/?lan=01")
    assert page.locator("h1").inner_text().startswith("Stödtrappan i Stockholms län")
    row = page.locator("tr", has=page.get_by_role("link", name="Botkyrka", exact=True))
    assert "Steg 4" in row.inner_text()
    assert page.locator(".demo-note").count() >= 1
    check_a11y(page, "support-ladder")


def test_agreement_shows_due_and_late(page, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "lan01")
    page.goto("/stod/overenskommelser/?lan=01")
    page.get_by_role("link", name=re.compile("Botkyrka$")).first.click()
    page.wait_for_load_state("networkidle")
    assert "Före, under och efter" in page.content()
    assert page.get_by_role("heading", name=re.compile("Vad som är försenat")).count() == 1
    check_a11y(page, "support-agreement")


def test_need_against_support(page, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "viewer")
    page.goto("/stod/behov/?lan=01")
    assert page.locator("h1").inner_text().startswith("Behov mot stöd")
    page.wait_for_selector(".chart-canvas svg, .chart-canvas canvas", timeout=15000)
    assert page.locator("table caption", has_text="Behovsvärde och mottaget stöd").count() == 1
    check_a11y(page, "support-need")


def test_editor_is_refused_the_county_overview(page, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "botkyrka")
    response = page.goto("/stod/?lan=01")
    assert response is not None and response.status == 403
    response = page.goto("/stod/kommun/0127/")
    assert response is not None and response.status == 200
    assert page.locator("table caption", has_text="per år och roll").count() == 1
    check_a11y(page, "support-kommun")

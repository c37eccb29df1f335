"""Browser tests for the prevention star, a plan and the county view of plans."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_star_public_with_table(page, check_a11y) -> None:  # noqa: ANN001
    page.goto("/prevention/?factor=family_conflict&factor=academic_failure")
    star = page.locator("svg#prevention-star")
    assert star.get_attribute("role") == "img"
    assert page.locator("#prevention-star-title").text_content() == "Preventionsstjärnan"
    assert star.locator("g.factor-highlighted").count() == 2
    assert page.locator("table caption", has_text="Risk- och skyddsfaktorer").count() == 1
    check_a11y(page, "prevention-star")


def test_star_for_a_kommun(page, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "botkyrka")
    page.goto("/prevention/?kommun=0127")
    assert "Botkyrka" in page.locator("h1").inner_text()
    assert page.locator("svg#prevention-star g.factor-highlighted").count() >= 2
    check_a11y(page, "prevention-star-botkyrka")


def test_plan_page_and_step_edit(page, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "botkyrka")
    page.goto("/prevention/planer/?kommun=0127")
    page.get_by_role("link", name="Tidiga insatser för barn och unga i Botkyrka").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="De åtta stegen").count() == 1
    check_a11y(page, "prevention-plan")
    page.get_by_role("link", name="Redigera steg 5").click()
    page.wait_for_load_state("networkidle")
    check_a11y(page, "prevention-plan-step")


def test_county_plans_and_selection(page, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "lan01")
    page.goto("/prevention/planer/?lan=01")
    assert page.locator("table.plan-grid tbody tr").count() >= 26
    check_a11y(page, "prevention-plans-county")
    page.goto("/prevention/urval/?kommun=0188")
    assert page.locator("table caption", has_text="Insatser rangordnade").count() == 1
    check_a11y(page, "prevention-selection")


def test_forms_are_accessible(page, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "botkyrka")
    page.goto("/prevention/planer/ny/0127/")
    assert page.locator("input[name=prioritised_factors]").count() >= 30
    check_a11y(page, "prevention-plan-new")


def test_admin_forms_are_accessible(page, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "lan01")
    page.goto("/prevention/insatser/komet/andra/?lan=01")
    check_a11y(page, "prevention-intervention-edit")
    page.goto("/stod/aktiviteter/ny/?lan=01")
    check_a11y(page, "support-activity-new")

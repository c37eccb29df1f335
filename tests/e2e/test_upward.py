"""Browser test of reporting upward on the demo: the national administrator opens the
template's status page, Stockholms län's administrator fills in the remaining required
section and submits, and the national administrator sees the county as submitted.
Axe (WCAG 2.1 AA) on every page on the way."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.browser

YEAR = dt.date.today().year


def test_county_fills_and_submits_national_sees_it(browser, base_url, login, check_a11y) -> None:  # noqa: ANN001
    def new_page():  # noqa: ANN202
        context = browser.new_context(
            base_url=base_url, viewport={"width": 1280, "height": 900}, locale="sv-SE"
        )
        return context, context.new_page()

    admin_ctx, admin = new_page()
    login(admin, "admin")
    admin.goto("/")
    admin.get_by_role("link", name="Rapportering uppåt").first.click()
    admin.wait_for_load_state("networkidle")
    check_a11y(admin, "upward-index")
    admin.get_by_role("link", name=str(YEAR)).first.click()
    admin.wait_for_load_state("networkidle")
    row = admin.locator("tr[data-county='01']")
    assert "utkast" in row.inner_text()
    assert admin.locator("tr[data-county]").count() == 21
    check_a11y(admin, "upward-status")
    admin.goto(f"/rapportering/{YEAR}/redigera/")
    check_a11y(admin, "upward-template-form")

    county_ctx, county = new_page()
    login(county, "lan01")
    county.get_by_role("link", name="Rapportering till nationell nivå").first.click()
    county.wait_for_load_state("networkidle")
    county.locator(f"a[href='/rapportering/{YEAR}/lan/01/']").first.click()
    county.wait_for_load_state("networkidle")
    check_a11y(county, "upward-county-form")
    # submitting with a required section empty is refused, naming it
    county.get_by_role("button", name="Lämna in till nationell nivå").click()
    county.wait_for_load_state("networkidle")
    assert "Stöd till kommunerna och deras planer" in county.locator("#form-errors").inner_text()
    check_a11y(county, "upward-county-refused")
    county.fill(
        "#id_answer_stod-och-planer",
        "Länet har gett processtöd till alla kommuner; fem har antagit planer.",
    )
    county.get_by_role("button", name="Lämna in till nationell nivå").click()
    county.wait_for_load_state("networkidle")
    assert county.locator("#submission-status").inner_text().strip() == "inlämnad"
    assert county.locator("textarea").count() == 0
    check_a11y(county, "upward-county-submitted")
    county_ctx.close()

    admin.goto(f"/rapportering/{YEAR}/")
    assert "inlämnad" in admin.locator("tr[data-county='01']").inner_text()
    admin.locator("tr[data-county='01'] a").click()
    admin.wait_for_load_state("networkidle")
    assert "fem har antagit planer" in admin.content()
    check_a11y(admin, "upward-review")
    admin_ctx.close()

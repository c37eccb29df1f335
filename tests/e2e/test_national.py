"""Browser test of the national picture on the demo: Stockholms län's administrator
releases the county's parts, the national administrator opens the hub from the menu and
the four county-by-county pages (Stockholms län released, the others "ej publicerat"),
then the national report. Axe (WCAG 2.1 AA) on every page."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.browser

YEAR = dt.date.today().year
PAGES = [
    ("Förutsättningar", "national-prerequisites"),
    ("Stöd", "national-support"),
    ("Planer", "national-plans"),
    ("Insatser som används", "national-interventions"),
]


def test_county_releases_and_national_admin_reads_the_national_picture(
    browser, base_url, login, check_a11y
) -> None:  # noqa: ANN001
    def new_page():  # noqa: ANN202
        context = browser.new_context(
            base_url=base_url, viewport={"width": 1280, "height": 900}, locale="sv-SE"
        )
        return context, context.new_page()

    county_ctx, county = new_page()
    login(county, "lan01")
    county.goto("/lagesbild/lan/01/nationell-rapportering/")
    check_a11y(county, "national-county-release")
    county.get_by_role("button", name="Publicera allt till nationella bilden").click()
    county.wait_for_load_state("networkidle")
    assert "publicerades" in county.locator(".messages").inner_text()
    assert county.get_by_text("av lan01").count() >= 4
    county_ctx.close()

    admin_ctx, admin = new_page()
    login(admin, "admin")
    admin.goto("/")
    admin.get_by_role("link", name="Nationell bild").first.click()
    admin.wait_for_load_state("networkidle")
    assert admin.url.endswith("/lagesbild/riket/oversikt/")
    check_a11y(admin, "national-hub")
    for label, shot in PAGES:
        admin.goto("/lagesbild/riket/oversikt/")
        admin.locator("main nav").get_by_role("link", name=label, exact=True).click()
        admin.wait_for_load_state("networkidle")
        assert admin.locator("tr[data-county]").count() == 21
        stockholm = admin.locator("tr[data-county='01']").inner_text()
        assert "ej publicerat" not in stockholm and str(YEAR) in stockholm
        assert "ej publicerat" in admin.locator("tr[data-county='03']").inner_text()
        check_a11y(admin, shot)
    admin.goto("/lagesbild/riket/oversikt/")
    admin.get_by_role("link", name="Den nationella rapporten").click()
    admin.wait_for_load_state("networkidle")
    assert admin.get_by_role("heading", name=f"Den nationella bilden {YEAR}").count() == 1
    check_a11y(admin, "national-report")
    admin.set_viewport_size({"width": 390, "height": 844})
    admin.goto("/lagesbild/riket/stod/")
    check_a11y(admin, "national-support-390")
    admin_ctx.close()

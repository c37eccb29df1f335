"""Web data entry in the browser: Botkyrka's editor enters the county programme's counts,
sees them await publication; the county administrator finds them in the completeness
view and publishes them. Axe on every page, at 1366 and 390 px."""

from __future__ import annotations

import datetime as dt
import re

from tests.e2e.conftest import SCREENSHOTS

NAME = "Elever i årskurs 8 nådda av länets program"
YEAR = str(dt.date.today().year - 1)


def _botkyrka_row(page):  # noqa: ANN001, ANN202
    return page.locator("tr", has=page.get_by_role("rowheader", name="Botkyrka", exact=True))


def _fits(page, name: str) -> None:  # noqa: ANN001
    """At 390 px the page itself does not scroll sideways (wide tables scroll in their box)."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(200)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-390.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"{name} is {width} px wide at 390 px"
    page.set_viewport_size({"width": 1366, "height": 900})


def test_entered_values_await_publication_and_the_county_publishes(page, login, check_a11y) -> None:  # noqa: ANN001
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "botkyrka")
    page.get_by_role("link", name="Inmatning", exact=True).first.click()
    page.wait_for_load_state("networkidle")
    check_a11y(page, "entry-index")
    _fits(page, "entry-index")
    page.get_by_role("link", name=re.compile(rf"{NAME}.*, {YEAR}$")).click()
    page.wait_for_load_state("networkidle")
    assert page.locator('input[name^="numerator_"]').count() == 1  # only Botkyrka
    assert "tom" in _botkyrka_row(page).inner_text()

    # A share larger than its denominator: nothing saved, the error at the field.
    page.get_by_label("Botkyrka, täljare").fill("1 200")
    page.get_by_label("Botkyrka, nämnare").fill("1 000")
    page.get_by_role("button", name="Spara för publicering").click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main").inner_text()
    assert "Ingenting sparades" in main and "Botkyrka, täljare" in main
    check_a11y(page, "entry-form-error")

    page.get_by_label("Botkyrka, täljare").fill("412")
    assert _botkyrka_row(page).locator("[data-preview]").inner_text() == "41,2"  # as typed
    page.get_by_role("button", name="Spara för publicering").click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main").inner_text()
    assert "Sparat för 1 kommun (Botkyrka)" in main
    assert "väntar på publicering" in _botkyrka_row(page).inner_text()
    assert page.get_by_label("Botkyrka, nämnare").input_value() == "1000"
    check_a11y(page, "entry-form-saved")
    _fits(page, "entry-form-saved")

    # The county administrator sees it in the completeness view and publishes it.
    page.context.clear_cookies()
    login(page, "lan01")
    page.get_by_role("link", name="Fullständighet", exact=True).first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Period").select_option(YEAR)
    page.get_by_role("button", name="Visa").click()
    page.wait_for_load_state("networkidle")
    cell = _botkyrka_row(page).get_by_role("link", name=re.compile(NAME))
    assert "väntar på publicering" in cell.inner_text()
    main = page.locator("main").inner_text()
    assert "publicerad" in main and "saknas" in main  # the demo's mix
    check_a11y(page, "entry-completeness")
    _fits(page, "entry-completeness")

    page.get_by_role(
        "link", name="Publicera inmatade värden på länets sida för inläsningar"
    ).click()
    page.wait_for_load_state("networkidle")
    page.get_by_role(
        "button", name=re.compile(rf"^Publicera Inmatning: AB_ELEVPROGRAM {YEAR}, 1 kommun$")
    ).click()
    page.wait_for_load_state("networkidle")
    page.goto(f"/lagesbild/lan/01/fullstandighet/?period={YEAR}")
    cell = _botkyrka_row(page).get_by_role("link", name=re.compile(NAME))
    assert "publicerad" in cell.inner_text()

    # The entry form for the whole county, from the completeness link.
    cell.click()
    page.wait_for_load_state("networkidle")
    assert page.locator('input[name^="numerator_"]').count() == 26
    assert page.get_by_label("Botkyrka, täljare").input_value() == "412"
    check_a11y(page, "entry-form-county")
    _fits(page, "entry-form-county")

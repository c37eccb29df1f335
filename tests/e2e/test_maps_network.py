"""The county map and the actor network in a real browser: links, keyboard, filters, axe.

Screenshots go to ``test-output/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path("test-output/screenshots")


def _shot(page, name: str) -> None:  # noqa: ANN001
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_click_a_kommun_on_the_county_map_opens_its_situation_picture(page, check_a11y):
    page.goto("/lagesbild/lan/01/")
    svg = page.locator(".choropleth svg.chmap")
    assert svg.locator("a").count() == 26
    # legend with the categories and the significance note
    legend = page.locator(".chmap-legend li")
    assert legend.count() >= 2
    assert "kant" in page.locator(".chmap-legend").inner_text()
    # outlined kommuner are the significant ones, each named with value and comparison
    significant = svg.locator("a.chmap-significant")
    assert significant.count() >= 1
    label = significant.first.get_attribute("aria-label") or ""
    assert re.search(r"^[^:]+: .+, (Bättre|Sämre|Högre|Lägre)", label), label
    check_a11y(page, "county-map-choropleth")
    _shot(page, "county-map-choropleth")
    # a click on Botkyrka (on its symbol, inside its shape) opens Botkyrka's picture
    botkyrka = svg.locator('a[data-code="0127"]')
    botkyrka.locator("text").last.click()
    page.wait_for_url(re.compile(r"/lagesbild/kommun/0127/"))
    assert "Botkyrka" in page.locator("h1").inner_text()


def test_a_kommun_on_the_map_is_reached_and_opened_with_the_keyboard(page):
    page.goto("/lagesbild/lan/01/")
    region = page.locator('.choropleth svg.chmap a[data-code="0186"]')
    region.focus()
    assert page.evaluate("document.activeElement.getAttribute('data-code')") == "0186"
    # the focused kommun is drawn with a black outline: focus is visible
    stroke = page.evaluate("getComputedStyle(document.activeElement.querySelector('path')).stroke")
    assert stroke in ("rgb(0, 0, 0)", "#000000")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/lagesbild/kommun/0186/"))


def test_the_map_fits_a_phone(browser, base_url):  # noqa: ANN001
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 800})
    phone = context.new_page()
    try:
        phone.goto("/lagesbild/lan/01/")
        box = phone.locator(".choropleth svg.chmap").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
        legend = phone.locator(".chmap-legend").bounding_box()
        assert legend and legend["x"] + legend["width"] <= 390
        _shot(phone, "county-map-390")
    finally:
        context.close()


def test_network_page_filters_and_table(page, check_a11y):
    page.goto("/aktorer/natverk/?county=01")
    svg = page.locator("svg.network-svg")
    assert svg.locator("title#netsvg-title").count() == 1
    assert svg.locator("desc#netsvg-desc").count() == 1
    nodes_all = svg.locator("a.net-node").count()
    links_all = svg.locator(".net-links path").count()
    rows_all = page.locator(".net-table tbody tr").count()
    assert nodes_all > 50 and links_all > nodes_all
    # the central actors are named on the picture
    assert svg.locator("a.net-top text.net-name").first.is_visible()
    check_a11y(page, "actors-network-filters")
    _shot(page, "actors-network")
    # keep municipal and civil society actors, and only links of two ties or more
    form = page.locator("form.net-filters")
    form.get_by_role("checkbox", name="Kommunal förvaltning", exact=True).check()
    form.get_by_role("checkbox", name="Civilsamhälle", exact=True).check()
    form.get_by_label("Bara de starkaste kopplingarna").select_option("2")
    form.get_by_role("button", name="Visa").click()
    page.wait_for_load_state("networkidle")
    assert "strength=2" in page.url and "sector=municipal" in page.url
    svg = page.locator("svg.network-svg")
    assert svg.locator("a.net-node").count() < nodes_all
    assert svg.locator(".net-links path").count() < links_all
    assert page.locator(".net-table tbody tr").count() < rows_all
    checkbox = page.locator("form.net-filters").get_by_role("checkbox", name="Civilsamhälle")
    assert checkbox.is_checked()
    # sorting the table keeps the filters
    page.locator(".net-centrality").get_by_role("link", name="Namn").click()
    page.wait_for_load_state("networkidle")
    assert "sort=name" in page.url and "strength=2" in page.url
    check_a11y(page, "actors-network-filtered")
    _shot(page, "actors-network-filtered")

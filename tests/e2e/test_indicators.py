"""The lägesbild pages in a real browser: charts draw, view state is shareable, axe passes."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_county_overview(page, check_a11y):
    page.goto("/lagesbild/lan/01/")
    assert "Stockholms län" in page.locator("h1").inner_text()
    assert page.locator(".ind-matrix tbody tr").count() > 50
    assert page.locator(".chmap a.chmap-region").count() == 26
    assert page.locator(".demo-note").first.is_visible()
    page.select_option("#indicator", "N03937")
    page.select_option("#bench", "riket")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_load_state("networkidle")
    assert "indicator=N03937" in page.url and "bench=riket" in page.url
    check_a11y(page, "indicators-overview-01")


def test_kommun_profile(page, check_a11y):
    page.goto("/lagesbild/kommun/0127/?breakdown=education")
    assert "Botkyrka" in page.locator("h1").inner_text()
    page.wait_for_selector(".chart-canvas svg", timeout=15000)
    assert page.locator(".ind-spark").count() > 30
    check_a11y(page, "indicators-profile-0127")


def test_indicator_page(page, check_a11y):
    page.goto("/lagesbild/indikator/N66080/?area=0180&breakdown=district")
    page.wait_for_selector(".chart-canvas svg", timeout=15000)
    assert page.locator(".chart-canvas svg").count() >= 3
    assert (
        page.get_by_text("Rinkeby-Kista").first.is_visible() or page.locator("details").count() > 0
    )
    check_a11y(page, "indicators-indicator-N66080")


def test_import_runs_publish_and_withdraw(page, login, check_a11y):
    """A county administrator uploads a file, sees it unpublished, publishes and withdraws it.

    The file's period (2009) is before the demo's first year, so no other page's
    latest values change, and the run is left unpublished as it was loaded.
    """
    login(page, "lan01")
    page.goto("/lagesbild/import/")
    text = "indikator;område;period;värde\nN03937;0180;2009;4,2\n"
    page.set_input_files(
        "#id_file",
        files=[{"name": "e2e-lan01.csv", "mimeType": "text/csv", "buffer": text.encode("cp1252")}],
    )
    page.locator("form.card button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "e2e-lan01.csv" in page.locator("h1").inner_text()  # the preview: nothing stored yet
    page.get_by_role("button", name="Importera", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert "e2e-lan01.csv" in page.locator("main").inner_text()
    page.goto("/lagesbild/lan/01/importer/")
    assert "Stockholms län" in page.locator("h1").inner_text()
    row = page.locator("tbody tr", has_text="e2e-lan01.csv").first
    assert "opublicerad" in row.inner_text()
    assert "lan01" in row.inner_text()
    check_a11y(page, "indicators-import-runs-01")
    row.get_by_role("button", name=re.compile(r"^Publicera")).click()
    page.wait_for_load_state("networkidle")
    row = page.locator("tbody tr", has_text="e2e-lan01.csv").first
    assert "Publicerad" in row.inner_text() and "av lan01" in row.inner_text()
    row.get_by_role("button", name=re.compile(r"^Avpublicera")).click()
    page.wait_for_load_state("networkidle")
    row = page.locator("tbody tr", has_text="e2e-lan01.csv").first
    assert "opublicerad" in row.inner_text()

"""A county's own indicator in a real browser: lan01 creates it in the UI, imports its
values from a Swedish CSV (semicolons, decimal commas, Windows-1252), publishes the run,
and finds it on the county overview and on a kommun profile; axe finds no WCAG 2.1 A/AA
violations on the new pages, at 1366 and 390 px."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SCRATCH = Path("/work/scratch/h_own")
ID = "E2E_TRYGG"
NAME = "Elever som känner sig trygga (e2e)"
#: The import template's Swedish columns; Windows-1252 (ä, å), decimal commas.
FILE = (
    "indikator;område;period;värde;nedre;övre;anmärkning\n"
    f"{ID};0127;2024;71,5;66,2;76,3;länets elevenkät\n"
    f"{ID};0180;2024;83,1;80,4;85,6;länets elevenkät\n"
    f"{ID};0186;2024;88,4;84,0;92,1;länets elevenkät\n"
    f"{ID};0184;2024;79,0;74,5;83,2;länets elevenkät\n"
    f"{ID};01;2024;81,2;80,0;82,4;länets elevenkät\n"
)


def _shots(page, name: str) -> None:  # noqa: ANN001
    """Screenshots at 1366 and 390 px for a person to look at (when the scratch folder is there)."""
    if not SCRATCH.parent.is_dir():
        return
    SCRATCH.mkdir(exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCRATCH / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_county_creates_imports_publishes_and_sees_its_indicator(page, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "lan01")
    page.goto("/lagesbild/")
    page.get_by_role("link", name="Egna indikatorer").first.click()
    page.wait_for_load_state("networkidle")
    assert "Egna indikatorer: Stockholms län" in page.locator("h1").inner_text()
    check_a11y(page, "own-indicators-list-empty")

    page.get_by_role("link", name="Ny indikator").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Ny egen indikator"
    check_a11y(page, "own-indicator-new")
    _shots(page, "own-new")

    # a taken id (a Kolada id of the catalogue) is refused, naming why; nothing is lost
    page.fill("#id_series", "N03937")
    page.fill("#id_name_sv", NAME)
    page.fill("#id_name_en", "Pupils who feel safe (e2e)")
    page.fill(
        "#id_definition_sv",
        "Andel elever i årskurs 9 som alltid eller oftast känner sig trygga i skolan.",
    )
    page.select_option("#id_value_type", "proportion")
    page.fill("#id_multiplier", "100")
    page.select_option("#id_polarity", "high")
    page.get_by_label("1. Det tidiga livet", exact=False).check()
    page.locator("input[name=factors]").first.check()
    page.fill("#id_source", "Länets elevenkät")
    page.get_by_role("button", name="Skapa indikatorn").click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main").inner_text()
    assert "används redan" in main
    assert page.input_value("#id_name_sv") == NAME
    check_a11y(page, "own-indicator-refused-id")

    page.fill("#id_series", ID)
    page.get_by_role("button", name="Skapa indikatorn").click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main").inner_text()
    assert f"Indikatorn {ID} skapades" in main and NAME in main
    check_a11y(page, "own-indicators-list")
    _shots(page, "own-list")

    # the values, from a Swedish CSV in Windows-1252
    page.goto("/lagesbild/import/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "egna.csv", "mimeType": "text/csv", "buffer": FILE.encode("cp1252")}],
    )
    page.get_by_role("button", name="Förhandsgranska").click()
    page.wait_for_load_state("networkidle")
    assert "5 datarader lästes" in page.locator("main").inner_text()
    page.get_by_role("button", name="Importera", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert "Importerade 5 rader från egna.csv" in page.locator("main").inner_text()

    # published on the import-runs page
    page.goto("/lagesbild/lan/01/importer/")
    page.get_by_role("button", name="Publicera File egna.csv (5 rows)").click()
    page.wait_for_load_state("networkidle")
    assert "Publicerad: File egna.csv (5 rows)" in page.locator("main").inner_text()

    # on the county overview, and on its map when chosen
    page.goto(f"/lagesbild/lan/01/?indicator={ID}")
    page.wait_for_load_state("networkidle")
    matrix = page.locator("#matrix-h").locator("xpath=..")
    assert NAME in matrix.text_content()
    assert "71,5" in page.locator("main").text_content()
    # on a kommun profile (the group tables are folded: read the text, not what shows)
    page.goto("/lagesbild/kommun/0127/")
    page.wait_for_load_state("networkidle")
    assert NAME in page.locator("main").text_content()
    assert "71,5" in page.locator("main").text_content()
    # not on another county's pages
    page.goto("/lagesbild/lan/03/")
    assert NAME not in page.locator("main").text_content()

    # the indicator page says whose it is
    page.goto(f"/lagesbild/indikator/{ID}/")
    page.wait_for_load_state("networkidle")
    assert "Egen indikator för Stockholms län" in page.locator("main").inner_text()
    check_a11y(page, "own-indicator-page")
    _shots(page, "own-indicator-page")

    # editing: a definition change now starts version 2
    page.goto("/lagesbild/lan/01/egna-indikatorer/")
    page.get_by_role("link", name=f"Redigera {ID}").click()
    page.wait_for_load_state("networkidle")
    assert f"{ID} har värden" in page.locator("main").inner_text()
    check_a11y(page, "own-indicator-edit")
    _shots(page, "own-edit")
    page.fill("#id_definition_sv", "Andel elever i årskurs 8 som alltid känner sig trygga.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main").inner_text()
    assert f"{ID}.v2" in main and "behåller sin definition" in main
    check_a11y(page, "own-indicators-list-versions")

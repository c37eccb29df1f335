"""The youth survey in a real browser: lan01 imports the invented demo file on the county's
survey page, publishes it, sees Botkyrka's risk and protective profile with intervals, and
the prevention star's suggestions for Botkyrka come from the survey scales; axe finds no
WCAG 2.1 A/AA violations on the survey pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "jamlik" / "surveys" / "data" / "demo" / "ungdomsenkat_2024_demo.csv"
SHOTS = ROOT / "test-output" / "screenshots"


def _shoot(page, name: str) -> None:  # noqa: ANN001
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"survey-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_import_publish_profile_and_star(page, login, check_a11y):  # noqa: ANN001
    login(page, "lan01")
    page.goto("/ungdomsenkat/lan/01/")
    assert "Ungdomsenkät: Stockholms län" in page.locator("h1").inner_text()
    check_a11y(page, "surveys-county")
    page.set_input_files("#id_file", str(DEMO))
    page.get_by_role("button", name="Importera", exact=True).click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main").inner_text()
    assert "ungdomsenkat_2024_demo.csv importerades" in main
    check_a11y(page, "surveys-county-imported")
    _shoot(page, "county")

    # publish the new run on the county's import page
    page.goto("/lagesbild/lan/01/importer/")
    publish = page.get_by_role("button", name=re.compile(r"^Publicera .*ungdomsenkat_2024_demo"))
    publish.first.click()
    page.wait_for_load_state("networkidle")

    # Botkyrka's profile: intervals drawn, risk elevated against the county
    page.goto("/ungdomsenkat/kommun/0127/")
    assert "Botkyrka" in page.locator("h1").inner_text()
    assert page.locator(".sv-whisker").count() >= 8
    conflict = page.locator('[data-measure="ue01_family_conflict"]')
    assert "förhöjd" in conflict.inner_text()
    assert "opublicerad" not in page.locator(".sv-chart").inner_text()
    check_a11y(page, "surveys-kommun")
    _shoot(page, "kommun")
    page.goto("/ungdomsenkat/kommun/0127/?kon=female&arskurs=ak9")
    assert page.locator("#sv-kon").input_value() == "female"
    check_a11y(page, "surveys-kommun-group")

    # the prevention star's suggestions for Botkyrka come from the survey
    page.goto("/prevention/urval/?lan=01&suggest=0127")
    section = page.locator("#suggest-h").locator("..")
    text = section.inner_text()
    assert "Från ungdomsenkäten" in text
    assert "ue01_family_conflict" in text and "2024" in text
    check_a11y(page, "prevention-selection-survey")
    _shoot(page, "star")

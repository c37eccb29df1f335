"""The import preview in a real browser: a misspelt kommun and an ambiguous number are
asked about, answered with the radio buttons, and the file is imported as answered;
axe finds no WCAG 2.1 A/AA violations on the preview."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SCRATCH = Path("/work/scratch/h2")
#: Botkyrka misspelt; 1,234 is a count written with a thousands comma (or 1.234?).
FILE = (
    "indikator;område;period;täljare;nämnare\n"
    "N03937;Botkirka;2008;1,234;90 000\n"
    "N03937;0127;2007;12;90\n"
)


def test_preview_asks_then_imports_as_answered(page, login, check_a11y):
    login(page, "botkyrka")
    page.goto("/lagesbild/import/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "e2e-preview.csv", "mimeType": "text/csv", "buffer": FILE.encode()}],
    )
    page.get_by_role("button", name="Förhandsgranska").click()
    page.wait_for_load_state("networkidle")
    assert "Förhandsgranskning av e2e-preview.csv" in page.locator("h1").inner_text()
    main = page.locator("main")
    assert "Menade du 0127 Botkyrka?" in main.inner_text()
    assert "2 datarader lästes" in main.inner_text()
    check_a11y(page, "indicators-import-preview")
    if SCRATCH.parent.is_dir():
        SCRATCH.mkdir(exist_ok=True)
        page.screenshot(path=str(SCRATCH / "import-preview.png"), full_page=True)

    # Importing without answering is refused, with the reason next to the questions.
    page.get_by_role("button", name="Importera", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert "Svara på varje fråga innan du importerar." in page.locator("main").inner_text()
    check_a11y(page, "indicators-import-preview-unanswered")

    page.get_by_role("radio", name="0127 Botkyrka").check()
    count = page.get_by_role("radio", name=re.compile(r"^1\s234: tecknet skiljer tusental"))
    count.check()
    page.get_by_role("button", name="Importera", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert "Importerade 2 rader från e2e-preview.csv" in page.locator("main").inner_text()
    assert "e2e-preview.csv (2 rows)" in page.locator("main").inner_text()
    check_a11y(page, "indicators-import-done")

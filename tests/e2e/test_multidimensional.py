"""The indicator page's sex × age cross table in a real browser: chosen from the
breakdown list, laid out with margins and hidden cells marked, and axe passes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

SCRATCH = Path("/work/scratch/h3")


def test_indicator_page_cross_table(page, check_a11y):
    page.goto("/lagesbild/indikator/U01402/?area=0187")
    page.select_option("#breakdown", "age*sex")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_load_state("networkidle")
    assert "breakdown=age%2Asex" in page.url or "breakdown=age*sex" in page.url
    table = page.locator("table.ind-cross")
    assert table.count() == 1
    headers = table.locator("thead th").all_inner_texts()
    assert headers == ["Ålder", "Kvinnor", "Män", "Alla"]
    rows = table.locator("tbody th[scope=row]").all_inner_texts()
    assert rows == ["16–29 år", "30–44 år", "45–64 år", "65–84 år", "Alla"]
    hidden = table.locator('td[data-suppressed="true"]')
    assert hidden.count() > 0
    # a hidden cell shows a star, and says why to a screen reader
    assert hidden.first.locator('[aria-hidden="true"]').inner_text() == "*"
    assert "för få" in hidden.first.locator(".ind-sr").inner_text()
    assert page.get_by_role("heading", name="Grupper inom Vaxholm").is_visible()
    check_a11y(page, "indicators-cross-table-U01402")
    if SCRATCH.is_dir():
        shutil.copy(SCREENSHOTS / "indicators-cross-table-U01402.png", SCRATCH)

"""The county overview's map in a real browser: real boundaries, every kommun named, axe passes.

Screenshots of three län go to ``test-output/screenshots/`` (and to ``$JAMLIK_MAP_SHOTS``
when set) so a person can see that the maps look like the real län.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jamlik.frameworks import geography

pytestmark = pytest.mark.browser

#: Stockholms län (many small kommuner), Gotland (one island), Norrbotten (tall, large).
SHOWN = ("01", "09", "25")


def _kommuner(county: str) -> list[str]:
    return [m.name for m in geography.municipalities() if m.county_code == county]


def test_county_overview_draws_real_boundaries_accessibly(page, check_a11y):
    page.goto("/lagesbild/lan/01/")
    svg = page.locator(".choropleth svg.chmap")
    box = svg.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 200
    names = [a.get_attribute("aria-label") for a in svg.locator("a").all()]
    assert sorted(n.split(":")[0] for n in names) == sorted(_kommuner("01"))
    # the tile grid is one link away, and the link back keeps the other choices
    page.get_by_role("link", name="Visa kommunerna som rutnät").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".tile-map a").count() == 26
    page.get_by_role("link", name="Visa kartan med riktiga gränser").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".choropleth svg.chmap a").count() == 26
    check_a11y(page, "county-map-01")


@pytest.mark.parametrize("county", SHOWN)
def test_county_pages_show_the_real_lan(page, check_a11y, county):
    page.goto(f"/omrade/{county}/")
    svg = page.locator(".boundary-map svg")
    titles = svg.locator("a title").all_text_contents()
    assert sorted(titles) == sorted(_kommuner(county))
    check_a11y(page, f"county-map-area-{county}")
    target = os.environ.get("JAMLIK_MAP_SHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        svg.screenshot(path=str(Path(target) / f"lan-{county}.png"))

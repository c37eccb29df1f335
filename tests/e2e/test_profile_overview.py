"""The kommun profile answers "where does it stand, what changed?" on its first screens."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

#: The profile was about 42 000 px tall at 1366 px before the overview came first.
OLD_HEIGHT = 42_000


def _no_overflow(page) -> None:  # noqa: ANN001
    width, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width <= client, f"horizontal overflow: {width} > {client}"


def test_botkyrka_profile_overview_first(page, check_a11y):  # noqa: ANN001
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/lagesbild/kommun/0127/")
    page.wait_for_load_state("networkidle")
    # key facts
    facts = page.locator(".profile-facts")
    assert "Befolkning" in facts.inner_text()
    assert "Pendlingskommun nära storstad" in facts.inner_text()
    assert facts.locator(".badge-worse").first.is_visible()
    # ... and what changed since the previous period, linked to the list
    assert "Sedan föregående period" in facts.inner_text()
    assert facts.locator("a[href='#changes-h']").count() == 2
    # the spine chart: one row per indicator, starting on the first screens
    spine = page.locator("section.spine")
    rows = spine.locator("li.spine-row")
    assert rows.count() >= 45
    assert spine.bounding_box()["y"] < 900
    first = rows.first
    assert first.locator("a").is_visible()
    assert first.locator(".spine-bar[role=img]").get_attribute("aria-label").startswith("Spridning")
    assert spine.locator(".spine-own").count() >= 40
    assert spine.locator(".spine-county").count() >= 40
    # the table alternative
    spine.locator("details.spine-table summary").click()
    assert spine.locator("details.spine-table table tbody tr").count() >= 45
    # the five largest gaps link to their blocks, the changes are split by direction
    brief = page.locator("[data-gap-brief]")
    assert brief.count() == 5
    code = brief.first.get_attribute("data-gap-brief")
    assert brief.first.locator("a").first.get_attribute("href") == f"#gap-{code}-h"
    changes = page.locator("section[aria-labelledby=changes-h]")
    assert "Förbättrats" in changes.inner_text() and "Försämrats" in changes.inner_text()
    # the pyramid and its table
    pyramid = page.locator("section.pyramid")
    assert pyramid.locator(".pyr-women").count() >= 10 and pyramid.locator(".pyr-men").count() >= 10
    assert pyramid.locator("table tbody tr").count() >= 10
    # the group tables are folded, each heading said once
    groups = page.locator("details.profile-group")
    assert groups.count() >= 8
    assert not groups.first.locator("table").is_visible()
    assert page.locator("caption", has_text="Det tidiga livets villkor").count() == 0
    _no_overflow(page)
    check_a11y(page, "profile-overview-0127-1366")
    # folded again, the whole page (with the county's own indicators in the spine and the
    # Delområden section) is a quarter of what it was before the overview
    spine.locator("details.spine-table summary").click()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < OLD_HEIGHT / 4, height
    # a gap link opens its block
    brief.first.locator("a").first.click()
    assert page.locator(f"#gap-{code}-h").is_visible()


def test_profile_overview_on_a_phone_and_over_sweden(page, check_a11y):  # noqa: ANN001
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/lagesbild/kommun/0127/?range=riket")
    page.wait_for_load_state("networkidle")
    assert page.locator("#spine-range").input_value() == "riket"
    assert "alla kommuner i Sverige" in page.locator("section.spine").inner_text()
    assert page.locator("li.spine-row").first.locator(".spine-bar").is_visible()
    _no_overflow(page)
    check_a11y(page, "profile-overview-0127-390")


def test_area_page_is_a_calm_summary(page, check_a11y):  # noqa: ANN001
    page.goto("/omrade/0127/")
    section = page.locator("#lagesbild")
    assert section.locator("ul.area-worst li").count() <= 5
    assert section.get_by_role("link", name="Öppna den lokala lägesbilden").is_visible()
    check_a11y(page, "area-0127-summary")

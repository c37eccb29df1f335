"""Browser test of the dialogue on a plan: lan01 comments on Botkyrka's step 3, botkyrka
sees the comment and the record of what was agreed, both pages pass axe at two widths."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PLAN = "Tidiga insatser för barn och unga i Botkyrka"


def _open_step3_dialogue(page) -> str:  # noqa: ANN001
    page.goto("/prevention/planer/?kommun=0127")
    page.get_by_role("link", name=PLAN).click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Dialog om steg 3").click()
    page.wait_for_load_state("networkidle")
    return page.url


def test_county_comments_and_kommun_sees_it(browser, base_url, page, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "lan01")
    url = _open_step3_dialogue(page)
    assert "Utformning av utvecklingsarbete" in page.locator("h1").inner_text()
    assert page.get_by_role("heading", name="Överenskommet").count() == 1
    check_a11y(page, "plan-dialogue-county")
    page.get_by_role("textbox", name="Meddelande").fill(
        "Webbtest: hur går planeringen av workshopparna?"
    )
    page.get_by_role("button", name="Skicka", exact=True).click()
    page.wait_for_load_state("networkidle")
    mine = page.locator("article", has_text="Webbtest: hur går planeringen")
    assert mine.count() == 1
    assert "Länsstyrelsen i Stockholms län" in mine.inner_text()
    assert mine.locator("time[datetime]").count() == 1

    context = browser.new_context(
        base_url=base_url, viewport={"width": 390, "height": 844}, locale="sv-SE"
    )
    kommun = context.new_page()
    try:
        login(kommun, "botkyrka")
        kommun.goto(url)
        kommun.wait_for_load_state("networkidle")
        seen = kommun.locator("article", has_text="Webbtest: hur går planeringen")
        assert seen.count() == 1
        width = kommun.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the dialogue scrolls sideways at 390 px ({width} px)"
        check_a11y(kommun, "plan-dialogue-kommun-390")
        thread = kommun.locator(".dialogue-thread", has=seen)
        thread.locator("summary", has_text="Svara").click()
        thread.get_by_role("textbox", name="Svara").fill(
            "Webbtest: vi bokar två datum i september."
        )
        thread.get_by_role("checkbox", name="Detta är vad vi kom överens om").check()
        thread.get_by_role("button", name="Skicka svar").click()
        kommun.wait_for_load_state("networkidle")
        agreed = kommun.locator("section[aria-labelledby=agreed-heading] article")
        assert agreed.filter(has_text="vi bokar två datum").count() == 1
    finally:
        context.close()

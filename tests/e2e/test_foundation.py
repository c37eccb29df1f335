"""The foundation in a real browser: county page, language switch, login, kommun page."""

from __future__ import annotations


def test_county_page_lists_26_kommuner_and_is_accessible(page, check_a11y):
    page.goto("/omrade/01/")
    assert page.locator("h1").inner_text() == "Stockholms län"
    assert page.locator(".boundary-map a").count() == 26
    assert page.locator(".demo-banner").is_visible()
    check_a11y(page, "county-01-sv")


def test_language_switch_to_english_and_back(page, check_a11y):
    page.goto("/omrade/01/")
    assert page.locator("html").get_attribute("lang") == "sv"
    page.get_by_role("button", name="In English").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Municipalities").is_visible()
    check_a11y(page, "county-01-en")
    page.get_by_role("button", name="På svenska").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "sv"


def test_editor_logs_in_and_visits_the_kommun_page(page, login, check_a11y):
    login(page, "botkyrka")
    assert page.get_by_text("botkyrka").first.is_visible()
    page.goto("/omrade/01/")
    page.get_by_role("link", name="Botkyrka", exact=True).first.click()
    page.wait_for_load_state("networkidle")
    # the county page's map and list lead to the kommun's situation picture
    assert page.locator("h1").inner_text().endswith("Botkyrka")
    check_a11y(page, "kommun-0127")


def test_start_and_login_pages_are_accessible(page, check_a11y):
    page.goto("/")
    check_a11y(page, "start")
    page.goto("/konto/logga-in/")
    check_a11y(page, "login")


def test_skip_link_moves_focus_to_main(page):
    page.goto("/omrade/01/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_methods_page_has_the_anchors_figures_link_to(page, check_a11y):
    page.goto("/metoder/")
    for anchor in ["wilson", "byar", "dsr", "sii", "compare", "trend", "suppression"]:
        assert page.locator(f"#{anchor}").count() == 1, anchor
    check_a11y(page, "methods")

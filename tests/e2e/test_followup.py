"""Browser test for the follow-up of support: open the link, answer it, see the results."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def _answer(browser, base_url: str, link: str, knowledge: str) -> None:  # noqa: ANN001
    context = browser.new_context(base_url=base_url, locale="sv-SE")
    participant = context.new_page()
    participant.goto(link)
    participant.get_by_role("group", name=re.compile("användbar")).get_by_label(
        "4 – I hög grad"
    ).check()
    participant.get_by_role("group", name=re.compile("ny kunskap")).get_by_label(knowledge).check()
    participant.get_by_role("group", name=re.compile("tänker du använda")).get_by_label(
        "3 – I viss grad"
    ).check()
    participant.get_by_label(re.compile("Vad kommer du att göra")).fill(
        "Ta upp det i ledningsgruppen."
    )
    participant.get_by_label("Vilken kommun arbetar du i?").select_option(index=1)
    participant.get_by_role("group", name="Vilken roll har du?").get_by_label("Chef").check()
    participant.get_by_role("button", name="Skicka mitt svar").click()
    participant.wait_for_load_state("networkidle")
    assert participant.locator("h1").inner_text() == "Tack för ditt svar"
    context.close()


def test_follow_up_by_link(page, browser, base_url, login, check_a11y) -> None:  # noqa: ANN001
    login(page, "lan01")
    page.goto("/stod/aktiviteter/?lan=01")
    page.get_by_role("link", name=re.compile("^Nätverksträff")).first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Öppna uppföljningen").click()
    page.wait_for_load_state("networkidle")
    link = page.get_by_label("Länk till enkäten").input_value()
    assert re.search(r"/stod/svar/[\w-]{43}/$", link)
    activity_url = page.url.split("#")[0]

    anonymous = browser.new_context(base_url=base_url, locale="sv-SE")
    form = anonymous.new_page()
    form.goto(link)
    assert form.locator("fieldset legend").count() == 4  # three scale questions and the role
    check_a11y(form, "followup-answer")
    anonymous.close()

    _answer(browser, base_url, link, "5 – I mycket hög grad")
    page.goto(activity_url)
    assert "Färre än 5 svar hittills" in page.locator("#uppfoljning").inner_text()
    for knowledge in (
        "4 – I hög grad",
        "5 – I mycket hög grad",
        "2 – I liten grad",
        "4 – I hög grad",
    ):
        _answer(browser, base_url, link, knowledge)
    page.goto(activity_url)
    panel = page.locator("#uppfoljning")
    assert "5 svar." in panel.inner_text()
    assert "80 %" in panel.locator("tr", has_text="ny kunskap").inner_text()
    check_a11y(page, "followup-panel")

    page.get_by_role("link", name="Alla resultat av uppföljningen, per roll").click()
    page.wait_for_load_state("networkidle")
    assert (
        page.get_by_text("Ta upp det i ledningsgruppen.").count() == 5
    )  # free texts: county admin
    check_a11y(page, "followup-results")

    page.goto("/forutsattningar/lan/01/utvardering/")
    assert page.get_by_role("heading", name="Processmått: uppföljning av stödet").count() == 1
    page.goto("/stod/uppfoljning/?lan=01")
    check_a11y(page, "followup-county")

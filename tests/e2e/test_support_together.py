"""Issue 18's browser test, the whole path of support given together.

Stockholms län's administrator records a seminar organised jointly with the region's
public-health unit, opens its follow-up and sends the link; five participants answer by
link without logging in; the results show on the activity page and on the evaluation
page. The region's partner user sees that activity and nothing else of the county's
support records. Then lan01 comments on step 3 of Botkyrka's plan and Botkyrka's editor
reads the comment. Axe (WCAG 2.1 AA) on every new kind of page on the way.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = pytest.mark.browser

TITLE = "Webbtest: gemensamt seminarium om föräldraskapsstöd"
REGION = "Regionens folkhälsoenhet"
PLAN = "Tidiga insatser för barn och unga i Botkyrka"
KNOWLEDGE = ("5 – I mycket hög grad", "4 – I hög grad", "4 – I hög grad", "2 – I liten grad")


def _context(browser, base_url: str, width: int = 1280):  # noqa: ANN001, ANN202
    return browser.new_context(
        base_url=base_url, viewport={"width": width, "height": 900}, locale="sv-SE"
    )


def _answer(browser, base_url: str, link: str, knowledge: str, role: str, check=None) -> None:  # noqa: ANN001
    """One participant, in a browser of their own (no login, no earlier cookie)."""
    context = _context(browser, base_url, width=390)
    participant = context.new_page()
    participant.goto(link)
    if check is not None:
        assert participant.locator("fieldset legend").count() == 4  # 3 scales and the role
        check(participant, "follow-up-answer-390")
    participant.get_by_role("group", name=re.compile("användbar")).get_by_label(
        "4 – I hög grad"
    ).check()
    participant.get_by_role("group", name=re.compile("ny kunskap")).get_by_label(knowledge).check()
    participant.get_by_role("group", name=re.compile("tänker du använda")).get_by_label(
        "5 – I mycket hög grad"
    ).check()
    participant.get_by_label("Vilken kommun arbetar du i?").select_option(label="Botkyrka")
    participant.get_by_role("group", name="Vilken roll har du?").get_by_label(role).check()
    participant.get_by_role("button", name="Skicka mitt svar").click()
    participant.wait_for_load_state("networkidle")
    assert participant.locator("h1").inner_text() == "Tack för ditt svar"
    context.close()


def test_joint_seminar_follow_up_partner_view_and_plan_dialogue(  # noqa: PLR0915
    browser,  # noqa: ANN001
    base_url: str,
    login,  # noqa: ANN001
    check_a11y,  # noqa: ANN001
) -> None:
    county_ctx = _context(browser, base_url)
    county = county_ctx.new_page()
    login(county, "lan01")

    # 1. lan01 records the seminar, with the region as co-organiser.
    county.goto("/stod/aktiviteter/ny/?lan=01")
    county.get_by_label(re.compile(r"^Namn:?$")).fill(TITLE)
    county.get_by_label(re.compile(r"^Typ:?$")).select_option(label="Seminarium")
    county.get_by_label(re.compile(r"^Datum:?$")).fill(dt.date.today().isoformat())
    county.get_by_label("Typ av stöd").select_option(label="Kunskapsstöd")
    lead = county.get_by_label("Organisation 1", exact=True)
    assert "enheten för social hållbarhet" in lead.locator("option:checked").inner_text()
    county.get_by_label("Organisation 2", exact=True).select_option(label=REGION)
    county.get_by_label("Roll för arrangör 2").select_option(label="Medarrangör")
    county.get_by_label("Timmar för arrangör 2").fill("6,5")
    county.get_by_label("Botkyrka: Chef", exact=True).fill("3")
    county.get_by_label("Botkyrka: Politiker", exact=True).fill("2")
    check_a11y(county, "support-activity-form")
    county.get_by_role("button", name="Spara").click()
    county.wait_for_load_state("networkidle")
    assert county.locator("h1").inner_text() == TITLE
    body = county.locator("main").inner_text()
    assert REGION in body and "Kunskapsstöd" in body and "6,5" in body
    activity_url = county.url.split("#")[0].split("?")[0]

    # 2. The follow-up is opened; its link goes to five participants.
    county.get_by_role("button", name="Öppna uppföljningen").click()
    county.wait_for_load_state("networkidle")
    link = county.get_by_label("Länk till enkäten").input_value()
    assert re.search(r"/stod/svar/[\w-]{43}/$", link)
    roles = ("Chef", "Chef", "Politiker", "Chef", "Politiker")
    for i, role in enumerate(roles):
        _answer(
            browser,
            base_url,
            link,
            KNOWLEDGE[i % len(KNOWLEDGE)],
            role,
            check_a11y if i == 0 else None,
        )
        if i == 0:
            county.goto(activity_url)
            assert "Färre än 5 svar" in county.locator("#uppfoljning").inner_text()

    # 3. The results on the activity page (3 of 5 answered 4–5 on new knowledge) …
    county.goto(activity_url)
    panel = county.locator("#uppfoljning")
    assert "5 svar." in panel.inner_text()
    assert "80 %" in panel.locator("tr", has_text="ny kunskap").inner_text()
    check_a11y(county, "support-activity-with-follow-up")
    county.get_by_role("link", name="Alla resultat av uppföljningen, per roll").click()
    county.wait_for_load_state("networkidle")
    check_a11y(county, "follow-up-results")
    county.goto("/stod/uppfoljning/?lan=01")
    assert "Botkyrka" in county.locator("main table").first.inner_text()
    check_a11y(county, "follow-up-per-kommun")
    # … and on the evaluation page, as a process measure for this year.
    county.goto("/forutsattningar/lan/01/utvardering/")
    section = county.locator(
        "section", has=county.get_by_role("heading", name=re.compile("Processmått"))
    )
    assert str(dt.date.today().year) in section.inner_text()
    check_a11y(county, "evaluation-with-process-measure")

    # 4. The region sees its activity and none of the county's other support records.
    region_ctx = _context(browser, base_url)
    region = region_ctx.new_page()
    login(region, "region")
    region.goto("/stod/aktiviteter/?lan=01")
    listed = region.locator("main table tbody tr")
    titles = listed.all_inner_texts()
    assert any(TITLE in t for t in titles)
    check_a11y(region, "support-list-partner")
    region.get_by_role("link", name=TITLE).click()
    region.wait_for_load_state("networkidle")
    assert region.locator("h1").inner_text() == TITLE
    assert "80 %" in region.locator("#uppfoljning").inner_text()
    for refused in ("/stod/?lan=01", "/stod/overenskommelser/?lan=01", "/stod/behov/?lan=01"):
        response = region.goto(refused)
        assert response is not None and response.status == 403, refused
    county.goto("/stod/aktiviteter/?lan=01")
    assert county.locator("main table tbody tr").count() > len(titles), (
        "the county sees more activities than its partner"
    )
    region_ctx.close()

    # 5. lan01 comments on step 3 of Botkyrka's plan; Botkyrka's editor reads it.
    county.goto("/prevention/planer/?kommun=0127")
    county.get_by_role("link", name=PLAN).click()
    county.wait_for_load_state("networkidle")
    county.get_by_role("link", name="Dialog om steg 3").click()
    county.wait_for_load_state("networkidle")
    dialogue_url = county.url
    county.get_by_role("textbox", name="Meddelande").fill(
        "Webbtest: ska vi boka en genomgång av steg 3 i januari?"
    )
    county.get_by_role("button", name="Skicka", exact=True).click()
    county.wait_for_load_state("networkidle")
    county_ctx.close()

    kommun_ctx = _context(browser, base_url, width=390)
    kommun = kommun_ctx.new_page()
    login(kommun, "botkyrka")
    kommun.goto("/prevention/planer/?kommun=0127")
    kommun.get_by_role("link", name=PLAN).click()
    kommun.wait_for_load_state("networkidle")
    kommun.get_by_role("link", name="Dialog om steg 3").click()
    kommun.wait_for_load_state("networkidle")
    assert kommun.url == dialogue_url
    seen = kommun.locator("article", has_text="ska vi boka en genomgång av steg 3")
    assert seen.count() == 1
    assert "Länsstyrelsen i Stockholms län" in seen.inner_text()
    kommun_ctx.close()

"""Prerequisites in a real browser: the survey form, a kommun profile, the evaluation page,
the county overview and a document analysis, each checked with axe."""

from __future__ import annotations


def test_editor_fills_in_and_saves_the_survey(page, login, check_a11y):
    login(page, "botkyrka")
    page.goto("/forutsattningar/kommun/0127/enkat/2023/")
    assert "Botkyrka" in page.locator("h1").inner_text()
    assert page.locator(".demo-note").first.is_visible()
    check_a11y(page, "prerequisites-survey-form")
    page.get_by_role(
        "group", name="Har kommunfullmäktige antagit ett eller flera mål för folkhälsan?"
    ).get_by_label("Ja").check()
    page.get_by_label("Hur mycket arbetstid har samordningen", exact=False).fill("40")
    page.get_by_role("button", name="Spara utkast").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Ditt utkast sparades.").is_visible()
    assert (
        page.get_by_role(
            "group", name="Har kommunfullmäktige antagit ett eller flera mål för folkhälsan?"
        )
        .get_by_label("Ja")
        .is_checked()
    )


def test_editor_cannot_open_another_kommuns_form(page, login):
    login(page, "botkyrka")
    response = page.goto("/forutsattningar/kommun/0186/enkat/2023/")
    assert response is not None and response.status == 403


def test_kommun_profile_against_the_county_median(page, check_a11y):
    page.goto("/forutsattningar/kommun/0127/?ar=2021")
    assert page.get_by_role("heading", name="Förutsättningar i Botkyrka").is_visible()
    assert page.get_by_text("Underlag", exact=False).first.is_visible()
    assert page.locator("table").filter(has_text="Enkätsvar").count() == 7
    page.wait_for_selector(".chart-canvas svg, .chart-canvas canvas")
    check_a11y(page, "prerequisites-kommun-profile")


def test_evaluation_page_states_its_limits(page, check_a11y):
    page.goto("/forutsattningar/lan/01/utvardering/")
    assert page.get_by_role(
        "heading", name="Läs detta först: jämförelsens begränsningar"
    ).is_visible()
    limits = page.locator(".limits li").all_inner_texts()
    assert any("5985" in text for text in limits)
    assert any("lottades inte" in text for text in limits)
    assert page.get_by_text("Större förbättring med fördjupad samverkan").first.is_visible()
    assert page.get_by_text("Ingen tydlig skillnad").first.is_visible()
    page.wait_for_selector(".chart-canvas svg, .chart-canvas canvas")
    check_a11y(page, "prerequisites-evaluation")


def test_county_overview_sentences(page, check_a11y):
    page.goto("/forutsattningar/lan/01/?ar=2019")
    assert page.get_by_text(
        "9 av 21 kommuner har antagit ett eller flera folkhälsomål."
    ).is_visible()
    assert page.get_by_text("14 av 21 kommuner prioriterar trygghet.").is_visible()
    check_a11y(page, "prerequisites-county")


def test_document_analysis_and_scanned_pdf(page, check_a11y):
    page.goto("/forutsattningar/kommun/0192/dokument/")
    assert page.get_by_text("Inget textlager", exact=False).first.is_visible()
    page.get_by_role("link", name="Mål och budget 2021 (påhittad)").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Träffar per tema").is_visible()
    check_a11y(page, "prerequisites-document")


def test_county_admin_follows_progress_and_reminds(page, login, check_a11y):
    login(page, "lan01")
    page.goto("/forutsattningar/lan/01/omgang/2023/")
    assert page.locator("th", has_text="Senast påmind").count() == 1
    check_a11y(page, "prerequisites-round")
    button = page.get_by_role("button", name="Mejla en påminnelse")
    assert button.count() == 1
    button.click()
    page.wait_for_load_state("networkidle")
    assert "Påminnelse" in page.locator(".messages, [role=status]").first.inner_text()
    check_a11y(page, "prerequisites-round-reminded")


def test_county_admin_copies_a_version_and_adds_a_question(page, login, check_a11y):
    login(page, "lan01")
    page.goto("/forutsattningar/lan/01/metod/")
    page.get_by_role("link", name="Instrumentets frågor och versioner").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("text=frågorna är låsta").count() == 1
    check_a11y(page, "prerequisites-instrument-frozen")
    page.fill("#id_version", "e2e-1")
    page.get_by_role("button", name="Kopiera till en ny version").click()
    page.wait_for_load_state("networkidle")
    assert "version e2e-1" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Lägg till en fråga").click()
    page.wait_for_load_state("networkidle")
    check_a11y(page, "prerequisites-item-form")
    page.fill("#id_key", "school_cooperation")
    page.select_option("#id_kind", "single_choice")
    page.select_option("#id_prerequisite", "shared_ownership")
    page.fill("#id_text_sv", "Samverkar kommunen med skolorna om elevernas hälsa?")
    page.fill("#id_text_en", "Does the municipality work with schools on pupils' health?")
    page.fill("#id_options", "yes; Ja; Yes; 1")
    page.get_by_role("button", name="Spara frågan").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".errorlist", has_text="minst två svarsalternativ").count() == 1
    check_a11y(page, "prerequisites-item-form-errors")
    page.fill("#id_options", "yes; Ja; Yes; 1\nno; Nej; No; 0")
    page.get_by_role("button", name="Spara frågan").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("th", has_text="Samverkar kommunen med skolorna").count() == 1
    check_a11y(page, "prerequisites-instrument-edited")

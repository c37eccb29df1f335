"""Browser tests of the actor map: directory, coverage matrix, gaps and network, with axe."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_directory_filters_and_is_accessible(page, check_a11y):
    page.goto("/aktorer/?county=01")
    assert page.locator("h1").inner_text().startswith("Aktörskarta")
    page.select_option("#f-malomrade", "1")
    page.select_option("#f-group", "parents")
    page.click("form.filter-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "malomrade=1" in page.url and "group=parents" in page.url
    rows = page.locator("table.table tbody tr")
    assert rows.count() > 0
    assert page.locator(".demo-note").count() >= 1
    check_a11y(page, "actors-directory")


def test_matrix_links_to_activities(page, check_a11y):
    page.goto("/aktorer/tackning/?county=01")
    check_a11y(page, "actors-matrix")
    link = page.locator("table.matrix tbody td a").first
    link.click()
    page.wait_for_load_state("networkidle")
    assert "malomrade=" in page.url and "status=current" in page.url
    assert page.locator("table.table tbody tr").count() > 0


def test_group_matrix(page, check_a11y):
    page.goto("/aktorer/tackning/?county=01&rows=groups")
    check_a11y(page, "actors-matrix-groups")


def test_gaps_page(page, check_a11y):
    page.goto("/aktorer/luckor/?county=01")
    assert page.locator("#need-h").count() == 1
    check_a11y(page, "actors-gaps")


def test_network_page(page, check_a11y):
    page.goto("/aktorer/natverk/?county=01")
    svg = page.locator("svg.network-svg")
    assert svg.count() == 1
    assert page.locator("svg.network-svg title#netsvg-title").count() == 1
    check_a11y(page, "actors-network")


def test_round_page_for_county_admin(page, login, check_a11y):
    login(page, "lan01")
    page.goto("/aktorer/inventering/?county=01")
    page.locator("table.table tbody a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("text=Fältassistenter").count() >= 1
    check_a11y(page, "actors-round")
    page.get_by_role("button", name="Mejla en påminnelse").click()
    page.wait_for_load_state("networkidle")
    status = page.locator(".messages, [role=status]").first.inner_text()
    assert "Påminnelse" in status and "saknar redaktör" in status
    assert page.locator("td", has_text="20").count() >= 1  # a "Senast påmind" date (20xx-…)
    check_a11y(page, "actors-round-reminded")


def test_activity_form_for_editor(page, login, check_a11y):
    login(page, "botkyrka")
    page.goto("/aktorer/insats/ny/?county=01")
    check_a11y(page, "actors-activity-form")


def test_national_picture_with_review_queue(page, login, check_a11y):
    login(page, "admin")
    page.goto("/aktorer/nationellt/")
    assert page.locator("#q-h").count() == 1  # the review queue is shown to a national admin
    assert page.locator("text=Uppsala län").count() >= 1
    check_a11y(page, "actors-national")


def test_actor_page(page, check_a11y):
    page.goto("/aktorer/?county=01&view=actors&sector=county_board")
    page.locator("table.table tbody a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Länsstyrelsen")
    check_a11y(page, "actors-actor")

"""Browser test of the peer benchmark: Botkyrka's profile against similar kommuner, with axe."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_profile_against_similar_kommuner(page, check_a11y):  # noqa: ANN001
    page.goto("/lagesbild/kommun/0127/")
    page.select_option("#bench", "liknande")
    page.locator("form.ind-controls button[type=submit]").click()
    page.wait_for_url("**bench=liknande**")
    assert "bench=liknande" in page.url
    assert page.locator("#bench").input_value() == "liknande"
    note = page.locator("#bench-peers-note")
    assert "Jämförs med genomsnittet för 7 liknande kommuner" in note.inner_text()
    assert note.locator("a[href^='/lagesbild/kommun/']").count() == 7
    assert "Södertälje" in note.inner_text()
    # the comparisons are made against the peers' mean
    page_text = page.locator("main").inner_text()
    assert "liknande kommuner" in page_text
    page.locator("details.profile-group summary").first.click()
    compared = page.locator("td span.badge-better, td span.badge-similar, td span.badge-worse")
    assert compared.first.is_visible()
    check_a11y(page, "profile-similar-kommuner")
    # the choice lives in the URL: a shared link opens the same view
    page.goto("/lagesbild/kommun/0127/?bench=grupp")
    assert page.locator("#bench").input_value() == "grupp"
    assert "Pendlingskommun nära storstad (A2)" in page.locator("#bench-peers-note").inner_text()

"""Districts in the browser: a county administrator defines a kommun's districts from a
file and finds them on the kommun's profile; the pages pass axe at both widths."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

FILE = (
    "kommun;kod;namn;typ\n"
    "0186;0186A0010;Lidingö norra;DeSO\n"
    "0186;0186C0020;Lidingö centrum;deso\n"
    "0186;LID-S;Lidingö södra;stadsdel\n"
).encode()


def _no_overflow(page) -> None:  # noqa: ANN001
    width, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width <= client, f"horizontal overflow: {width} > {client}"


def test_county_admin_defines_districts_from_a_file(page, login, check_a11y):  # noqa: ANN001
    login(page, "lan01")
    page.goto("/omrade/0186/delomraden/")
    check_a11y(page, "districts-empty")
    # a wrong file first: every problem listed, nothing stored
    page.set_input_files(
        "#id_file",
        {"name": "fel.csv", "mimeType": "text/csv", "buffer": b"kod;namn;typ\n0127C1010;X;deso\n"},
    )
    page.get_by_role("button", name="Läs in filen").click()
    page.wait_for_load_state("networkidle")
    problems = page.locator("#problems")
    assert "fel.csv" in problems.inner_text() and "0127C1010" in problems.inner_text()
    check_a11y(page, "districts-problems")
    # the right file
    page.set_input_files(
        "#id_file", {"name": "lidingo.csv", "mimeType": "text/csv", "buffer": FILE}
    )
    page.get_by_role("button", name="Läs in filen").click()
    page.wait_for_load_state("networkidle")
    assert "3 delområden tillagda" in page.locator(".messages").inner_text()
    table = page.locator("table").first
    for name in ("Lidingö norra", "Lidingö centrum", "Lidingö södra"):
        assert name in table.inner_text()
    check_a11y(page, "districts-defined")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        _no_overflow(page)
    # ... and on the kommun's profile
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/lagesbild/kommun/0186/")
    section = page.locator("#delomraden")
    assert "Lidingö centrum" in section.inner_text()
    assert section.get_by_role("link", name="Hantera delområdena").is_visible()


def test_botkyrka_profile_shows_districts_on_a_map(page, check_a11y):  # noqa: ANN001
    page.goto("/lagesbild/kommun/0127/?delomrade_indikator=N66080#delomraden")
    section = page.locator("#delomraden")
    assert section.locator("svg.chmap a.chmap-region").count() == 6
    rows = section.locator("tbody tr[data-district]")
    assert rows.count() == 6
    assert "Fittja" in section.inner_text()
    assert section.get_by_role("link", name="Skillnaden mellan delområdena").first.is_visible()
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        _no_overflow(page)
    check_a11y(page, "districts-profile")

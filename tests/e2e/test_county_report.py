"""Browser test: the county administrator writes a narrative of the county report and
downloads it as PDF, XLSX and DOCX."""

from __future__ import annotations

import datetime

import pytest

pytestmark = pytest.mark.browser
YEAR = datetime.date.today().year


def test_county_report_edit_and_download(page, login, check_a11y, tmp_path) -> None:  # noqa: ANN001
    login(page, "lan01")
    page.goto("/")
    page.get_by_role("link", name="Länsrapport").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/rapporter/lan/01/{YEAR}/")
    assert page.locator("h1").inner_text().startswith(f"Länsrapport {YEAR}: Stockholms län")
    # the map and charts are previewed
    assert page.locator(".report-figures img").count() >= 2
    check_a11y(page, "county-report")

    text = "Länet har under året prioriterat tidiga insatser."
    page.fill("#text-summary", text)
    page.locator("#n-summary").get_by_role("button", name="Spara texten").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("status").filter(has_text="Texten sparades").count() == 1
    assert page.locator("#text-summary").input_value() == text

    for label, suffix, magic in (
        ("PDF", "pdf", b"%PDF-"),
        ("XLSX", "xlsx", b"PK"),
        ("DOCX", "docx", b"PK"),
    ):
        with page.expect_download(timeout=120_000) as info:
            page.get_by_role("link", name=f"Ladda ner {label}").click()
        download = info.value
        assert download.suggested_filename == f"lansrapport-01-{YEAR}.{suffix}"
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        assert path.read_bytes()[: len(magic)] == magic
        if suffix == "docx":
            from docx import Document

            assert any(text in p.text for p in Document(str(path)).paragraphs)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    check_a11y(page, "county-report-390")

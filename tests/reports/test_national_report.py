"""The national report: built from the releases only, with national narratives."""

from __future__ import annotations

import io
from datetime import date

import pytest
from tests.reports.national_helpers import plan, support_records

from jamlik.reports import national_report, releases
from jamlik.reports.document import Narrative, Table
from jamlik.reports.models import ReleaseDomain, ReportNarrative

pytestmark = pytest.mark.django_db
YEAR = date.today().year


@pytest.fixture
def two_counties(geography):  # noqa: ANN001
    """Uppsala (03) and Södermanland (04) release everything; Östergötland (05) nothing."""
    released = []
    for code in ("03", "04"):
        county = geography.get(code=code)
        support_records(county)
        plan(geography.filter(parent=county).order_by("code").first(), done=8)
        releases.release_all(county)
        released.append(county)
    return released


def _table(doc, key: str) -> Table:  # noqa: ANN001
    return next(t for t in doc.tables() if t.key == key)


def _row(table: Table, name: str) -> list:
    return list(next(r for r in table.rows if r[0] == name))


def test_report_has_its_sections_and_tables(two_counties):  # noqa: ANN001
    doc = national_report.build_national_report(YEAR)
    assert doc.area_code == "00" and doc.year == YEAR
    assert [s.key for s in doc.sections] == [
        "summary",
        "situation",
        "prerequisites",
        "support",
        "plans",
        "interventions",
        "conclusions",
    ]
    keys = {t.key for t in doc.tables()}
    assert {
        "national-releases",
        "national-situation",
        "national-prerequisites",
        "national-support",
        "national-plans",
        "national-plan-steps",
        "national-interventions",
        "national-intervention-list",
    } <= keys
    support = _table(doc, "national-support")
    assert len(support.rows) == 22  # 21 counties and the national total
    uppsala = _row(support, "Uppsala län")
    assert uppsala[1] != "ej publicerat"
    narratives = [b for s in doc.sections for b in s.blocks if isinstance(b, Narrative)]
    assert {n.key for n in narratives} == national_report.NARRATIVE_KEYS


def test_unreleased_county_shows_as_not_published_never_its_working_data(two_counties, geography):  # noqa: ANN001
    ostergotland = geography.get(code="05")
    plan(geography.filter(parent=ostergotland).order_by("code").first(), done=3)
    doc = national_report.build_national_report(YEAR)
    row = _row(_table(doc, "national-plans"), "Östergötlands län")
    assert row[1] == "ej publicerat"
    assert all(cell is None for cell in row[2:])


def test_a_change_after_the_release_does_not_show(two_counties, geography):  # noqa: ANN001
    uppsala = two_counties[0]
    before = _row(
        _table(national_report.build_national_report(YEAR), "national-plans"), "Uppsala län"
    )
    plan(geography.filter(parent=uppsala).order_by("code").last(), title="h5 unreleased")
    after = _row(
        _table(national_report.build_national_report(YEAR), "national-plans"), "Uppsala län"
    )
    assert after == before
    releases.release(uppsala, ReleaseDomain.PLANS)
    again = _row(
        _table(national_report.build_national_report(YEAR), "national-plans"), "Uppsala län"
    )
    assert again[4] == before[4] + 1  # plans, once released


def test_totals_add_up_over_released_counties(two_counties):  # noqa: ANN001
    table = _table(national_report.build_national_report(YEAR), "national-support")
    total = table.rows[-1]
    body = [r for r in table.rows[:-1] if isinstance(r[2], int)]
    for i in range(2, len(table.columns)):
        assert total[i] == sum(r[i] for r in body)


def test_english_report(two_counties):  # noqa: ANN001
    doc = national_report.build_national_report(YEAR, lang="en")
    assert doc.title == f"The national picture {YEAR}"
    assert _row(_table(doc, "national-plans"), "Östergötlands län")[1] == "not published"


def test_narratives_are_saved_per_year_with_optimistic_locking(geography):  # noqa: ANN001
    from jamlik.core.versioning import VersionConflict
    from jamlik.reports.narratives import NEW

    first = national_report.save_narrative(YEAR, "summary", "Första", version=NEW)
    assert first.area.code == "00"
    national_report.save_narrative(YEAR, "summary", "Andra", version=first.version)
    with pytest.raises(VersionConflict):
        national_report.save_narrative(YEAR, "summary", "Tredje", version=first.version)
    with pytest.raises(ValueError, match="Unknown section"):
        national_report.save_narrative(YEAR, "budget", "x")
    doc = national_report.build_national_report(YEAR)
    summary = next(b for b in doc.sections[0].blocks if isinstance(b, Narrative))
    assert summary.text == "Andra"


def test_national_admin_edits_narratives_county_admin_only_reads(client_for, geography):  # noqa: ANN001
    url = f"/rapporter/riket/{YEAR}/"
    admin = client_for("admin")
    page = admin.get(url).content.decode()
    assert 'name="text"' in page
    response = admin.post(url, {"section": "conclusions", "text": "Mer stöd.", "version": "0"})
    assert response.status_code == 302
    assert (
        ReportNarrative.objects.get(area__code="00", year=YEAR, section_key="conclusions").text
        == "Mer stöd."
    )
    stale = admin.post(url, {"section": "conclusions", "text": "Annat.", "version": "0"})
    assert stale.status_code == 409
    county_admin = client_for("lan01")
    page = county_admin.get(url).content.decode()
    assert "Mer stöd." in page and 'name="text"' not in page
    assert county_admin.post(url, {"section": "summary", "text": "x"}).status_code == 403


def test_downloads(client_for, two_counties):  # noqa: ANN001
    from docx import Document as Docx
    from openpyxl import load_workbook

    client = client_for("admin")
    xlsx = client.get(f"/rapporter/riket/{YEAR}/rapport.xlsx")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) >= 8
    docx = client.get(f"/rapporter/riket/{YEAR}/rapport.docx")
    text = "\n".join(p.text for p in Docx(io.BytesIO(docx.content)).paragraphs)
    assert "Sammanfattning" in text and "Slutsatser och förslag" in text
    pdf = client.get(f"/rapporter/riket/{YEAR}/rapport.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"/rapporter/riket/{YEAR}/rapport.odt").status_code == 404
    assert client_for("viewer").get(f"/rapporter/riket/{YEAR}/rapport.pdf").status_code == 403

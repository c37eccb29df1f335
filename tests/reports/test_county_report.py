"""The county report: its sections and tables on the demo county, the three files, the page."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse

from jamlik.reports.county_report import NARRATIVE_KEYS, TABLE_KEYS
from jamlik.reports.document import Figure, Narrative, Table

YEAR = date.today().year


def _seed_demo(progress) -> None:  # noqa: ANN001
    """Every app's demo seeder, as ``jamlik demo`` runs them."""
    from jamlik.setup import demo_seeders

    for _label, seed in demo_seeders():
        seed(progress)


@pytest.fixture(scope="module")
def _seeded(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN202
    from tests.conftest import seeded_once

    yield from seeded_once(django_db_blocker, _seed_demo)


@pytest.fixture(scope="module")
def report(_seeded, django_db_blocker):  # noqa: ANN001, ANN201
    """The demo county's report (built once: it reads the whole county) and its files."""
    from jamlik.geo.models import Area
    from jamlik.reports import renderers
    from jamlik.reports.county_report import build_county_report
    from jamlik.reports.models import ReportNarrative

    with django_db_blocker.unblock():
        county = Area.objects.get(code="01")
        ReportNarrative.objects.update_or_create(
            area=county,
            year=YEAR,
            section_key="introduction",
            defaults={"text": "Länets inledning 1 234,5 kronor."},
        )
        doc = build_county_report(county, YEAR, lang="sv")
        files = {
            "pdf": renderers.render_pdf(doc),
            "xlsx": renderers.render_xlsx(doc),
            "docx": renderers.render_docx(doc),
        }
    return doc, files


def test_sections_in_order_each_with_its_narrative(report) -> None:  # noqa: ANN001
    doc, _files = report
    assert [s.key for s in doc.sections] == list(NARRATIVE_KEYS)
    for section in doc.sections:
        narratives = [b for b in section.blocks if isinstance(b, Narrative)]
        assert [n.key for n in narratives] == [section.key]
    intro = doc.sections[0].blocks[0]
    assert intro.text == "Länets inledning 1 234,5 kronor."
    assert doc.title.startswith("Länsrapport") and doc.area_code == "01"


def test_every_table_key_is_listed_and_filled_from_the_demo(report) -> None:  # noqa: ANN001
    doc, _files = report
    tables = {t.key: t for t in doc.tables()}
    assert set(tables) <= set(TABLE_KEYS)
    # the demo county has published values, an actor map, rounds, support, plans, scenarios
    for key in (
        "situation_overview",
        "situation_map",
        "situation_gaps",
        "actors_matrix",
        "prerequisites_scores",
        "support_ladder",
        "plans",
        "economics_scenarios",
        "economics_payers",
    ):
        assert tables[key].rows, key
        assert tables[key].source, key
    for t in tables.values():
        assert all(len(r) == len(t.columns) for r in t.rows), t.key
    # every kommun of the county is on the ladder and on the actor map
    assert len(tables["support_ladder"].rows) == 26
    assert len(tables["actors_matrix"].rows) == 26 + 2  # the county-wide row, the total
    # numbers stay numbers (the renderers format them)
    npv = tables["economics_scenarios"].rows[0][2]
    assert isinstance(npv, float)


def test_situation_has_a_real_map_and_gap_charts(report) -> None:  # noqa: ANN001
    doc, _files = report
    situation = next(s for s in doc.sections if s.key == "situation")
    figures = [b for b in situation.blocks if isinstance(b, Figure)]
    assert figures, "no figures"
    county_map = figures[0]
    assert county_map.table is not None and county_map.table.key == "situation_map"
    assert county_map.svg.startswith("<svg") and county_map.svg.count("<path") >= 26
    assert all(f.svg.lstrip().startswith("<svg") and f.alt for f in figures)


def test_economics_recomputed_from_published_scenarios_only(report, db) -> None:  # noqa: ANN001
    from jamlik.economics.models import Scenario

    doc, _files = report
    table = next(t for t in doc.tables() if t.key == "economics_scenarios")
    names = {r[1] for r in table.rows}
    unpublished = set(
        Scenario.objects.filter(area__parent__code="01", published=False).values_list(
            "name", flat=True
        )
    )
    assert not names & (
        unpublished - set(Scenario.objects.filter(published=True).values_list("name", flat=True))
    )
    payers = next(t for t in doc.tables() if t.key == "economics_payers")
    assert {r[1] for r in payers.rows} == names


def test_pdf_has_every_section_heading(report) -> None:  # noqa: ANN001
    from pypdf import PdfReader

    doc, files = report
    pdf = files["pdf"]
    assert pdf[:5] == b"%PDF-"
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for section in doc.sections:
        assert section.title in text, section.title
    assert "1 234,5" in text.replace("\u00a0", " ").replace("\u202f", " ")
    # no empty page
    assert all(page.extract_text().strip() for page in reader.pages)


def test_xlsx_has_a_sheet_per_table_with_its_source(report) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    doc, files = report
    wb = load_workbook(io.BytesIO(files["xlsx"]))
    assert wb.sheetnames[0] == "contents" and "narratives" in wb.sheetnames
    for table in doc.tables():
        ws = wb[table.key]
        assert ws["A1"].value.startswith(table.title[:20])
        cells = [c for row in ws.iter_rows(values_only=True) for c in row]
        assert table.source in cells, table.key
    # numbers are numbers, with a number format
    ws = wb["economics_scenarios"]
    value = ws.cell(row=4, column=3)
    assert isinstance(value.value, float) and "0" in value.number_format
    narratives = [r for r in wb["narratives"].iter_rows(values_only=True)]
    assert ("Inledning", "Länets inledning 1 234,5 kronor.") in narratives


def test_docx_has_headings_tables_and_pictures(report) -> None:  # noqa: ANN001
    from docx import Document as Docx

    doc, files = report
    word = Docx(io.BytesIO(files["docx"]))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    for section in doc.sections:
        assert section.title in headings
    assert len(word.tables) >= len(doc.tables()) - 1
    assert word.inline_shapes, "figures as pictures"
    # Swedish numbers: decimal comma
    first = word.tables[0]
    assert first.rows[0].cells[0].text == "Indikator"
    assert any("," in c.text for row in first.rows[1:6] for c in row.cells)


def test_renderers_on_a_small_document() -> None:
    from openpyxl import load_workbook

    from jamlik.reports import renderers
    from jamlik.reports.document import Document, Section

    table = Table("t", "T", ["Namn", "Värde"], [["a", 1234567.25], ["b", None], ["c", 3]])
    doc = Document("Titel", "01", "Län", 2025, date(2025, 1, 1), [Section("s", "Avsnitt", [table])])
    assert renderers.format_cell(1234567.25) == "1\u00a0234\u00a0567"
    assert renderers.format_cell(2.5) == "2,50"
    assert renderers.format_cell(None) == ".."
    ws = load_workbook(io.BytesIO(renderers.render_xlsx(doc)))["t"]
    assert ws.cell(row=4, column=2).value == 1234567.25
    assert ws.cell(row=5, column=2).value == ".."


def test_sheet_names_are_unique_and_short() -> None:
    from jamlik.reports.renderers import sheet_name

    taken: set[str] = set()
    names = [sheet_name("x" * 40, taken) for _ in range(3)] + [sheet_name("a/b:c", taken)]
    assert len(set(names)) == 4 and all(len(n) <= 31 for n in names)
    assert names[-1] == "a_b_c"


# ---------------------------------------------------------------- the page


@pytest.mark.django_db
def test_page_refusals(_seeded, client_for, users) -> None:  # noqa: ANN001
    from django.test import Client

    url = reverse("reports:county-report", args=["01", YEAR])
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert client_for("botkyrka").get(url).status_code == 403  # a kommun editor
    other = reverse("reports:county-report", args=["03", YEAR])
    assert client_for("lan01").get(other).status_code == 403  # another county
    pdf = reverse("reports:county-report-pdf", args=["03", YEAR])
    assert client_for("lan01").get(pdf).status_code == 403
    assert Client().get(pdf).status_code == 302
    # the viewer reads but may not write
    viewer = client_for("viewer")
    page = viewer.get(url)
    assert page.status_code == 200 and b"<textarea" not in page.content
    posted = viewer.post(url, {"section": "summary", "text": "x", "version": 0})
    assert posted.status_code == 403
    assert (
        client_for("lan01").get(reverse("reports:county-report", args=["01", 1990])).status_code
        == 404
    )


@pytest.mark.django_db
def test_narrative_save_and_stale_save(_seeded, client_for) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area
    from jamlik.reports.models import ReportNarrative

    county = Area.objects.get(code="01")
    year = YEAR - 3
    url = reverse("reports:county-report", args=["01", year])
    admin = client_for("lan01")
    page = admin.get(url)
    assert page.status_code == 200 and b'id="text-summary"' in page.content
    saved = admin.post(url, {"section": "summary", "text": "Första", "version": 0})
    assert saved.status_code == 302
    stored = ReportNarrative.objects.get(area=county, year=year, section_key="summary")
    assert stored.text == "Första" and stored.version == 1
    # a second editor who opened the empty section: refused, their text kept in the page
    stale = admin.post(url, {"section": "summary", "text": "Andra", "version": 0})
    assert stale.status_code == 409
    assert "Andra" in stale.content.decode() and "Första" in stale.content.decode()
    stored.refresh_from_db()
    assert stored.text == "Första"
    # saving from the current version replaces it
    again = admin.post(url, {"section": "summary", "text": "Andra", "version": 1})
    assert again.status_code == 302
    stored.refresh_from_db()
    assert stored.text == "Andra" and stored.version == 2
    # next year's page shows last year's text for reference
    later = admin.get(reverse("reports:county-report", args=["01", year + 1]))
    assert "Andra" in later.content.decode()
    # an unknown section is refused, nothing stored
    before = ReportNarrative.objects.count()
    assert admin.post(url, {"section": "nope", "text": "x", "version": 0}).status_code == 404
    assert ReportNarrative.objects.count() == before


@pytest.mark.django_db
def test_downloads_for_the_national_admin(_seeded, client_for) -> None:  # noqa: ANN001
    admin = client_for("admin")
    response = admin.get(reverse("reports:county-report-xlsx", args=["01", YEAR]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'lansrapport-01-{YEAR}.xlsx"')
    assert response.content[:2] == b"PK"


@pytest.mark.django_db
def test_menu_and_home(_seeded, client_for, users) -> None:  # noqa: ANN001

    admin = client_for("lan01")
    home = admin.get(reverse("reports:county-report-home"))
    assert home.status_code == 302 and f"/rapporter/lan/01/{YEAR}/" in home["Location"]
    assert client_for("botkyrka").get(reverse("reports:county-report-home")).status_code == 403


@pytest.mark.django_db
def test_kommun_profile_xlsx(_seeded) -> None:  # noqa: ANN001
    from django.test import Client
    from openpyxl import load_workbook

    response = Client().get(reverse("reports:kommun-profile-xlsx", args=["0127"]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert "group_1" in wb.sheetnames and "gaps" in wb.sheetnames
    ws = wb["group_1"]
    assert ws.cell(row=3, column=1).value == "Indikator"
    assert any(isinstance(c, float) for row in ws.iter_rows(values_only=True) for c in row)


def test_build_reads_the_county_in_a_fixed_number_of_queries(report, db) -> None:  # noqa: ANN001
    """No query per kommun, agreement or plan: 26 kommuner cost what one would."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jamlik.geo.models import Area
    from jamlik.reports.county_report import build_county_report

    county = Area.objects.get(code="01")
    build_county_report(county, YEAR)  # the situation picture is cached per publication
    with CaptureQueriesContext(connection) as queries:
        build_county_report(county, YEAR)
    assert len(queries) <= 60, [q["sql"][:80] for q in queries]

"""Reporting upward, the pages: who sees and changes what (crafted POSTs too), the 409 page
for a stale save, the template editor, the status page and the county's report."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from jamlik.accounts.models import Role, RoleKind
from jamlik.reports import upward
from jamlik.reports.models import (
    ReportSubmission,
    ReportTemplate,
    SubmissionStatus,
    TemplateStatus,
)

from .test_upward import TABLES, document, sections

YEAR = 2093


@pytest.fixture(autouse=True)
def fake_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """The county report's tables without building the whole report in every test."""
    monkeypatch.setattr(upward, "available_tables", lambda: dict(TABLES))
    monkeypatch.setattr(upward, "county_document", lambda county, year: document(county.code))


@pytest.fixture
def template(users) -> ReportTemplate:  # noqa: ANN001
    record = upward.save_template(
        users["admin"],
        year=YEAR,
        title="Länsrapportering 2093",
        introduction="Inledning.",
        due=date(2094, 3, 31),
        sections=sections(),
    )
    return upward.set_template_status(users["admin"], record, TemplateStatus.OPEN, record.version)


@pytest.fixture
def other_admin(geography) -> Client:  # noqa: ANN001
    user = get_user_model().objects.create_user("lan03-views", email="lan03v@example.se")
    Role.objects.create(user=user, kind=RoleKind.COUNTY_ADMIN, area=geography.get(code="03"))
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def page(year: int = YEAR, code: str = "01") -> str:
    return f"/rapportering/{year}/lan/{code}/"


def test_menu_entries_per_role(client_for) -> None:  # noqa: ANN001
    assert "Rapportering uppåt" in client_for("admin").get("/").content.decode()
    lan = client_for("lan01").get("/").content.decode()
    assert "Rapportering till nationell nivå" in lan and "Rapportering uppåt" not in lan
    for who in ("botkyrka", "viewer"):
        html = client_for(who).get("/").content.decode()
        assert "/rapportering/" not in html


def test_anonymous_is_sent_to_log_in(client, template) -> None:  # noqa: ANN001
    for url in ("/rapportering/", "/rapportering/ny/", f"/rapportering/{YEAR}/", page()):
        response = client.get(url)
        assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    response = client.post(page(), {"answer_lagesbild": "x", "action": "save"})
    assert response.status_code == 302
    assert not ReportSubmission.objects.filter(template=template).exists()


@pytest.mark.parametrize("who", ["lan01", "botkyrka", "viewer"])
def test_only_national_administrators_reach_the_templates(client_for, template, who) -> None:  # noqa: ANN001
    client = client_for(who)
    assert client.get("/rapportering/ny/").status_code == 403
    assert client.get(f"/rapportering/{YEAR}/").status_code == 403
    assert client.get(f"/rapportering/{YEAR}/redigera/").status_code == 403
    assert client.post(f"/rapportering/{YEAR}/", {"action": "close"}).status_code == 403
    template.refresh_from_db()
    assert template.status == TemplateStatus.OPEN


@pytest.mark.parametrize("who", ["botkyrka", "viewer"])
def test_editors_and_viewers_cannot_read_or_write_a_county_report(
    client_for,
    template,
    who,  # noqa: ANN001
) -> None:
    client = client_for(who)
    assert client.get("/rapportering/").status_code == 403
    assert client.get(page()).status_code == 403
    assert client.post(page(), {"answer_lagesbild": "x", "action": "submit"}).status_code == 403
    assert not ReportSubmission.objects.filter(template=template).exists()


def test_another_countys_admin_cannot_read_or_write(other_admin, client_for, template) -> None:  # noqa: ANN001
    client_for("lan01").post(page(), {"answer_lagesbild": "Vårt", "action": "save"})
    sub = ReportSubmission.objects.get(template=template, county__code="01")
    assert other_admin.get(page()).status_code == 403
    crafted = {"answer_lagesbild": "Inte ert", "action": "submit", "version": sub.version}
    assert other_admin.post(page(), crafted).status_code == 403
    sub.refresh_from_db()
    assert sub.answers["lagesbild"] == "Vårt" and sub.status == SubmissionStatus.DRAFT
    # their own county's page works, and lists only their county
    assert other_admin.get(page(code="03")).status_code == 200
    html = other_admin.get("/rapportering/").content.decode()
    assert "Uppsala län" in html and "Stockholms län" not in html


def test_county_admin_fills_and_submits(client_for, template) -> None:  # noqa: ANN001
    client = client_for("lan01")
    html = client.get(page()).content.decode()
    assert "Beskriv." in html  # the guidance
    assert "Plans and their progress" in html and "Botkyrka" in html  # the table preview
    response = client.post(page(), {"answer_ovrigt": "Övrigt", "action": "submit", "version": 0})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fyll i de obligatoriska avsnitten" in html and "Lägesbild" in html
    sub = ReportSubmission.objects.get(template=template, county__code="01")
    assert sub.status == SubmissionStatus.DRAFT

    response = client.post(
        page(),
        {
            "answer_lagesbild": "Skillnaderna minskar.",
            "answer_ovrigt": "Övrigt",
            "action": "submit",
            "version": sub.version,
        },
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED
    assert sub.tables["plans"]["rows"][0] == ["Botkyrka", 3]
    html = client.get(page()).content.decode()
    assert "inlämnad" in html and "<textarea" not in html  # read-only now
    # a crafted save after submission changes nothing
    client.post(page(), {"answer_lagesbild": "Ändrat", "action": "save", "version": sub.version})
    sub.refresh_from_db()
    assert sub.answers["lagesbild"] == "Skillnaderna minskar."


def test_stale_save_gets_the_409_page_and_keeps_the_input(client_for, template) -> None:  # noqa: ANN001
    client = client_for("lan01")
    client.post(page(), {"answer_lagesbild": "Första", "action": "save", "version": 0})
    sub = ReportSubmission.objects.get(template=template, county__code="01")
    loaded = sub.version
    client.post(page(), {"answer_lagesbild": "Andra", "action": "save", "version": loaded})
    response = client.post(
        page(), {"answer_lagesbild": "Min text", "action": "save", "version": loaded}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Min text" in html and "version-conflict" in html
    sub.refresh_from_db()
    assert sub.answers["lagesbild"] == "Andra"


def test_report_started_elsewhere_meanwhile_is_a_conflict(
    client_for, users, county, template
) -> None:  # noqa: ANN001
    """The page was opened before the report existed (version 0); someone started it since."""
    sub = upward.start_submission(users["lan01"], template, county)
    upward.save_answers(users["lan01"], sub, {"lagesbild": "Deras"}, sub.version)
    response = client_for("lan01").post(
        page(), {"answer_lagesbild": "Mitt", "action": "save", "version": 0}
    )
    assert response.status_code == 409
    sub.refresh_from_db()
    assert sub.answers["lagesbild"] == "Deras"


def test_national_admin_returns_and_accepts(client_for, users, county, template) -> None:  # noqa: ANN001
    sub = upward.start_submission(users["lan01"], template, county)
    sub = upward.submit(users["lan01"], sub, {"lagesbild": "Text"}, sub.version)
    admin = client_for("admin")
    status_page = admin.get(f"/rapportering/{YEAR}/").content.decode()
    assert status_page.count("<tr data-county=") == 21
    assert "inlämnad" in status_page and "ej påbörjad" in status_page
    html = admin.get(page()).content.decode()
    assert "Text" in html and "Återsänd för komplettering" in html

    refused = admin.post(page(), {"action": "return", "note": "", "version": sub.version})
    assert refused.status_code == 200 and "anteckning" in refused.content.decode()
    response = admin.post(
        page(), {"action": "return", "note": "Komplettera.", "version": sub.version}
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.RETURNED
    county_view = client_for("lan01").get(page()).content.decode()
    assert "Komplettera." in county_view and "<textarea" in county_view

    # the county may not accept its own report; the national admin may not write it
    assert client_for("lan01").post(page(), {"action": "accept"}).status_code == 302
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.RETURNED
    admin.post(page(), {"action": "save", "answer_lagesbild": "Nationell", "version": sub.version})
    sub.refresh_from_db()
    assert sub.answers["lagesbild"] == "Text"

    sub = upward.submit(users["lan01"], sub, sub.answers, sub.version)
    stale = sub.version - 1
    conflict = admin.post(page(), {"action": "accept", "note": "", "version": stale})
    assert conflict.status_code == 409
    admin.post(page(), {"action": "accept", "note": "", "version": sub.version})
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.ACCEPTED


def test_template_editor_creates_orders_and_refuses_bad_sections(client_for) -> None:  # noqa: ANN001
    admin = client_for("admin")
    assert admin.get("/rapportering/ny/").status_code == 200
    base = {
        "year": 2095,
        "title": "Mall 2095",
        "introduction": "",
        "due": "2096-03-31",
        "sections-TOTAL_FORMS": 3,
        "sections-INITIAL_FORMS": 0,
        "sections-MIN_NUM_FORMS": 0,
        "sections-MAX_NUM_FORMS": 40,
        "sections-0-key": "andra",
        "sections-0-title_sv": "Andra",
        "sections-0-title_en": "Second",
        "sections-0-ORDER": 2,
        "sections-1-key": "forsta",
        "sections-1-title_sv": "Första",
        "sections-1-title_en": "First",
        "sections-1-required": "on",
        "sections-1-tables": ["plans"],
        "sections-1-ORDER": 1,
        "sections-2-key": "bort",
        "sections-2-title_sv": "Bort",
        "sections-2-title_en": "Gone",
        "sections-2-DELETE": "on",
        "action": "save",
    }
    bad = {**base, "sections-1-key": "andra"}
    response = admin.post("/rapportering/ny/", bad)
    assert response.status_code == 200 and "andra" in response.content.decode()
    assert not ReportTemplate.objects.filter(year=2095).exists()

    added = admin.post("/rapportering/ny/", {**base, "action": "add"})
    assert added.content.decode().count('class="card section-form"') == 4
    assert not ReportTemplate.objects.filter(year=2095).exists()

    response = admin.post("/rapportering/ny/", base)
    assert response.status_code == 302
    saved = ReportTemplate.objects.get(year=2095)
    assert [s["key"] for s in saved.sections] == ["forsta", "andra"]
    assert saved.sections[0]["required"] and saved.sections[0]["tables"] == ["plans"]
    assert saved.status == TemplateStatus.DRAFT

    # a draft template is not shown to counties
    assert client_for("lan01").get(page(2095)).status_code == 403
    admin.post("/rapportering/2095/", {"action": "open", "version": saved.version})
    saved.refresh_from_db()
    assert saved.status == TemplateStatus.OPEN
    assert client_for("lan01").get(page(2095)).status_code == 200


def test_stale_template_edit_gets_the_409_page(client_for, template) -> None:  # noqa: ANN001
    admin = client_for("admin")
    form = {
        "year": YEAR,
        "title": "Ändrad",
        "introduction": "",
        "due": "",
        "sections-TOTAL_FORMS": 1,
        "sections-INITIAL_FORMS": 1,
        "sections-MIN_NUM_FORMS": 0,
        "sections-MAX_NUM_FORMS": 40,
        "sections-0-key": "lagesbild",
        "sections-0-title_sv": "Lägesbild",
        "sections-0-title_en": "Situation",
        "sections-0-ORDER": 1,
        "version": template.version,
        "action": "save",
    }
    assert admin.post(f"/rapportering/{YEAR}/redigera/", form).status_code == 302
    response = admin.post(f"/rapportering/{YEAR}/redigera/", {**form, "title": "Min titel"})
    assert response.status_code == 409
    assert "Min titel" in response.content.decode()
    template.refresh_from_db()
    assert template.title == "Ändrad"


def test_stale_open_or_close_is_refused_with_409(client_for, users, template) -> None:  # noqa: ANN001
    stale = template.version
    upward.set_template_status(users["admin"], template, TemplateStatus.CLOSED, stale)
    response = client_for("admin").post(
        f"/rapportering/{YEAR}/", {"action": "open", "version": stale}
    )
    assert response.status_code == 409
    template.refresh_from_db()
    assert template.status == TemplateStatus.CLOSED

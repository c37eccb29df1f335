"""Reporting upward, reminders and the demo: county administrators e-mailed (locmem
backend), each sending logged, counties without an address named back; the CLI hook;
the demo template seeded once and never over a county's work."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from typer.testing import CliRunner

from jamlik.accounts.models import ReminderLog, Role, RoleKind
from jamlik.accounts.reminders import role_addresses, send_reminders
from jamlik.cli import app
from jamlik.reports import demo_upward, upward
from jamlik.reports.models import ReportSubmission, ReportTemplate, TemplateStatus

from .test_upward import TABLES, sections

YEAR = 2097


@pytest.fixture(autouse=True)
def fake_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(upward, "available_tables", lambda: dict(TABLES))
    monkeypatch.setattr(upward, "county_document", lambda county, year: None)


@pytest.fixture
def template(users) -> ReportTemplate:  # noqa: ANN001
    record = upward.save_template(
        users["admin"],
        year=YEAR,
        title="Länsrapportering 2097",
        introduction="",
        due=date(2098, 3, 31),
        sections=sections(),
    )
    return upward.set_template_status(users["admin"], record, TemplateStatus.OPEN, record.version)


def mine(qs):  # noqa: ANN001, ANN201
    return qs.filter(topic=upward.REMINDER_TOPIC)


def test_county_admin_addresses(users, county) -> None:  # noqa: ANN001
    assert role_addresses(county, RoleKind.COUNTY_ADMIN) == ["lan01@example.se"]
    assert role_addresses(county, RoleKind.EDITOR) == []


def test_reminders_go_to_outstanding_counties_only(users, county, geography, template) -> None:  # noqa: ANN001
    uppsala = geography.get(code="03")
    quiet = get_user_model().objects.create_user("lan03-noaddr", email="")
    Role.objects.create(user=quiet, kind=RoleKind.COUNTY_ADMIN, area=uppsala)
    reminders = upward.upward_reminders(template)
    assert len(reminders) == 21
    assert all(r.role == RoleKind.COUNTY_ADMIN for r in reminders)
    first = next(r for r in reminders if r.kommun == county)
    assert first.subject == "Länsrapporteringen 2097 är inte inlämnad: Stockholms län"
    assert first.path == f"/rapportering/{YEAR}/lan/01/"
    assert "2098-03-31" in first.body

    sub = upward.start_submission(users["lan01"], template, county)
    upward.submit(users["lan01"], sub, {"lagesbild": "Text"}, sub.version)
    assert county not in [r.kommun for r in upward.upward_reminders(template)]
    assert len(upward.upward_reminders(template)) == 20
    upward.set_template_status(users["admin"], template, TemplateStatus.CLOSED, template.version)
    assert upward.upward_reminders(template) == []


def test_remind_from_the_status_page(client_for, users, county, template) -> None:  # noqa: ANN001
    before = mine(ReminderLog.objects).count()
    response = client_for("admin").post(f"/rapportering/{YEAR}/", {"action": "remind"}, follow=True)
    assert response.status_code == 200
    assert [m.to for m in mail.outbox] == [["lan01@example.se"]]
    message = mail.outbox[0]
    assert "Länsrapporteringen 2097 är inte inlämnad" in message.subject
    assert f"http://testserver/rapportering/{YEAR}/lan/01/" in message.body
    log = mine(ReminderLog.objects).order_by("-pk").first()
    assert mine(ReminderLog.objects).count() == before + 1
    assert (log.area.code, log.recipients, log.sent_by) == ("01", 1, users["admin"])
    html = response.content.decode()
    assert "Påminnelse skickad till 1 län (1 mottagare)" in html
    # the 20 counties without an administrator's address are named, not silently skipped
    assert "Ingen länsadministratör med e-postadress" in html
    assert "Uppsala län" in html.split("Ingen länsadministratör")[1]
    assert "Senast påmind" in html


@pytest.mark.parametrize("who", ["lan01", "botkyrka", "viewer"])
def test_only_national_administrators_send_reminders(client_for, template, who) -> None:  # noqa: ANN001
    response = client_for(who).post(f"/rapportering/{YEAR}/", {"action": "remind"})
    assert response.status_code == 403
    assert mail.outbox == []


def test_cli_reminds_the_county_about_its_report(users, template) -> None:  # noqa: ANN001
    ReportTemplate.objects.filter(status=TemplateStatus.OPEN, year__gt=YEAR).update(
        status=TemplateStatus.CLOSED
    )
    runner = CliRunner()
    dry = runner.invoke(
        app, ["remind", "--county", "01", "--base-url", "https://j.example.se", "--dry-run"]
    )
    assert dry.exit_code == 0, dry.output
    assert f"County reporting {YEAR}" in dry.output and "lan01@example.se" in dry.output
    assert mail.outbox == []
    sent = runner.invoke(app, ["remind", "--county", "01", "--base-url", "https://j.example.se"])
    assert sent.exit_code == 0, sent.output
    ours = [m for m in mail.outbox if "Länsrapporteringen" in m.subject]
    assert len(ours) == 1 and ours[0].to == ["lan01@example.se"]
    assert f"https://j.example.se/rapportering/{YEAR}/lan/01/" in ours[0].body


def test_send_reminders_to_editors_is_unchanged(users, botkyrka) -> None:  # noqa: ANN001
    from jamlik.accounts.reminders import Reminder

    outcome = send_reminders(
        [Reminder("t", botkyrka, "S", "B", "/p/")], base_url="http://x", dry_run=True
    )
    assert outcome.sent == [(botkyrka, ["botkyrka@example.se"])]


def test_demo_is_idempotent_and_leaves_a_countys_work(users, county) -> None:  # noqa: ANN001
    year = timezone.now().year
    existing = ReportTemplate.objects.filter(year=year).first()
    demo_upward.seed(lambda _m: None)
    template = ReportTemplate.objects.get(year=year)
    if existing is None:
        assert template.status == TemplateStatus.OPEN and len(template.sections) == 4
        assert sum(s["required"] for s in template.sections) == 2
        assert all(s["tables"] for s in template.sections if s["required"])
    sub = ReportSubmission.objects.get(template=template, county=county)
    sub.answers = {**sub.answers, "behov": "Vårt eget"}
    sub.save()
    counts = (ReportTemplate.objects.count(), ReportSubmission.objects.count())
    demo_upward.seed(lambda _m: None)
    assert (ReportTemplate.objects.count(), ReportSubmission.objects.count()) == counts
    sub.refresh_from_db()
    assert sub.answers["behov"] == "Vårt eget"

"""E-mail reminders: who gets one, what it says, who may send it, and what is logged."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings
from typer.testing import CliRunner

from jamlik.accounts.models import ReminderLog
from jamlik.accounts.reminders import editor_addresses, send_reminders
from jamlik.actors import services as actor_services
from jamlik.actors.models import InventoryRound
from jamlik.cli import app
from jamlik.config import ConfigError, load_config, parse_email_url
from jamlik.prerequisites import services as survey_services
from jamlik.prerequisites.models import ResponseStatus

pytestmark = pytest.mark.django_db


class RefusingBackend:
    """An SMTP server that is down."""

    def __init__(self, **_kwargs: object) -> None:
        pass

    def send_messages(self, _messages: list) -> int:
        raise ConnectionRefusedError("smtp server down")


@pytest.fixture
def inventory_round(users, county) -> InventoryRound:  # noqa: ANN001
    return actor_services.open_inventory_round(users["lan01"], county, "Inventering 2026")


def test_email_url_forms() -> None:
    tls = parse_email_url("smtp://jamlik%40lan.se:p%C3%A5ss@mail.lan.se:2525")
    assert (tls.host, tls.port, tls.user, tls.password) == (
        "mail.lan.se",
        2525,
        "jamlik@lan.se",
        "påss",
    )
    assert tls.use_tls and not tls.use_ssl
    ssl = parse_email_url("smtps://u:p@mail.lan.se")
    assert ssl.port == 465 and ssl.use_ssl and not ssl.use_tls
    assert "password" not in repr(ssl)
    for bad in ("http://mail.lan.se", "mail.lan.se", "smtp://", "smtp://h:port"):
        with pytest.raises(ConfigError, match="JAMLIK_EMAIL_URL"):
            parse_email_url(bad)


def test_config_reads_email_settings(tmp_path) -> None:  # noqa: ANN001
    env = {"JAMLIK_DATA_DIR": str(tmp_path), "JAMLIK_MODE": "demo"}
    assert load_config(env).email is None
    config = load_config(
        env | {"JAMLIK_EMAIL_URL": "smtp://a:b@mail.x.se", "JAMLIK_EMAIL_FROM": "fh@lan.se"}
    )
    assert config.email is not None and config.email.port == 587
    assert config.email_from == "fh@lan.se"


def test_editor_addresses_are_the_kommuns_active_editors(users, botkyrka) -> None:  # noqa: ANN001
    assert editor_addresses(botkyrka) == ["botkyrka@example.se"]
    users["botkyrka"].is_active = False
    users["botkyrka"].save()
    assert editor_addresses(botkyrka) == []


def test_inventory_reminder_goes_to_unconfirmed_kommuner_only(
    inventory_round,
    users,
    client_for,
    botkyrka,  # noqa: ANN001
) -> None:
    actor_services.confirm_kommun(users["botkyrka"], inventory_round, botkyrka)
    response = client_for("lan01").post(
        f"/aktorer/inventering/{inventory_round.pk}/", {"action": "remind"}, follow=True
    )
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lidingo@example.se"]
    assert "Lidingö" in message.subject and "Påminnelse" in message.subject
    assert f"http://testserver/aktorer/inventering/{inventory_round.pk}/" in message.body
    assert "Inventering 2026" in message.body
    log = ReminderLog.objects.get()
    assert (log.area.code, log.recipients, log.sent_by) == ("0186", 1, users["lan01"])
    html = response.content.decode()
    assert "Påminnelse skickad till 1 kommun (1 mottagare)" in html
    assert "Botkyrka" not in html.split("saknar")[1].split(".")[0]  # confirmed: not listed
    assert "Nacka" in html  # no editor address: named so the county can call instead


@pytest.mark.parametrize("who", ["botkyrka", "viewer"])
def test_only_the_county_admin_sends_inventory_reminders(
    inventory_round,
    client_for,
    who,  # noqa: ANN001
) -> None:
    response = client_for(who).post(
        f"/aktorer/inventering/{inventory_round.pk}/", {"action": "remind"}
    )
    assert response.status_code == 403
    assert mail.outbox == [] and not ReminderLog.objects.exists()


def test_anonymous_cannot_send_reminders(inventory_round, client) -> None:  # noqa: ANN001
    response = client.post(f"/aktorer/inventering/{inventory_round.pk}/", {"action": "remind"})
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    assert mail.outbox == []


def test_closed_round_sends_nothing(inventory_round, users) -> None:  # noqa: ANN001
    actor_services.close_inventory_round(users["lan01"], inventory_round)
    assert actor_services.inventory_reminders(inventory_round) == []


def test_survey_reminder_skips_submitted_kommuner(county, botkyrka, users, client_for) -> None:  # noqa: ANN001
    survey_services.ensure_default_instrument(county)
    round_ = survey_services.create_round(county, 2026)
    response = survey_services.response_for(round_, botkyrka)
    response.status = ResponseStatus.SUBMITTED
    response.save()
    page = client_for("lan01").post(
        "/forutsattningar/lan/01/omgang/2026/", {"action": "remind"}, follow=True
    )
    assert page.status_code == 200
    assert [m.to for m in mail.outbox] == [["lidingo@example.se"]]
    assert "/forutsattningar/kommun/0186/enkat/2026/" in mail.outbox[0].body
    assert "2026" in mail.outbox[0].subject
    assert ReminderLog.objects.get().topic == "prerequisites:survey:2026"
    assert "Senast påmind" in page.content.decode()
    refused = client_for("lidingo").post(
        "/forutsattningar/lan/01/omgang/2026/", {"action": "remind"}
    )
    assert refused.status_code == 403 and len(mail.outbox) == 1
    survey_services.set_round_state(round_, is_open=False)
    assert survey_services.survey_reminders(round_) == []


@override_settings(EMAIL_BACKEND=f"{__name__}.RefusingBackend")
def test_a_refused_send_logs_nothing(inventory_round) -> None:  # noqa: ANN001
    with pytest.raises(ConnectionRefusedError):
        send_reminders(actor_services.inventory_reminders(inventory_round), base_url="https://x.se")
    assert not ReminderLog.objects.exists()


def test_cli_dry_run_and_refusals(inventory_round) -> None:  # noqa: ANN001
    runner = CliRunner()
    dry = runner.invoke(
        app, ["remind", "--county", "01", "--base-url", "https://jamlik.example.se", "--dry-run"]
    )
    assert dry.exit_code == 0, dry.output
    assert "would remind 2 kommuner" in dry.output and "lidingo@example.se" in dry.output
    assert mail.outbox == [] and not ReminderLog.objects.exists()
    sent = runner.invoke(app, ["remind", "--county", "01", "--base-url", "https://j.example.se"])
    assert sent.exit_code == 0, sent.output
    assert len(mail.outbox) == 2 and ReminderLog.objects.count() == 2
    assert "https://j.example.se/aktorer/inventering/" in mail.outbox[0].body
    assert (
        runner.invoke(app, ["remind", "--county", "0127", "--base-url", "https://x.se"]).exit_code
        == 2
    )
    assert runner.invoke(app, ["remind", "--county", "01"]).exit_code == 2

"""The publication layer: the audit on the demo data, refusals of unsafe tables, and
staged imports that change nothing public until published (and restore it on withdrawal)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.uploads import upload_and_confirm
from typer.testing import CliRunner

from jamlik.cli import app
from jamlik.indicators.models import ImportRun, Indicator, Observation, PublicObservation
from jamlik.indicators.publication import DisclosureRiskError, audit_published, rebuild

runner = CliRunner()
CELL = {"indicator__code": "N03937", "area__code": "0127", "breakdown": "total"}


def _public(period: str) -> PublicObservation:
    return PublicObservation.objects.get(**CELL, period=period)


def _latest_period() -> str:
    return (
        Observation.objects.filter(**CELL, is_live=True)
        .order_by("-period_end")
        .values_list("period", flat=True)
        .first()
    )


def _upload(client: Client, text: str, name: str = "botkyrka.csv") -> ImportRun:
    file = SimpleUploadedFile(name, text.encode("cp1252"), content_type="text/csv")
    response = upload_and_confirm(client, file)
    assert response.status_code == 302, response.content[:500]
    return ImportRun.objects.filter(description__startswith=f"File {name}").latest("pk")


def _publish(client: Client, run: ImportRun, action: str = "publish") -> Any:
    return client.post(f"/lagesbild/lan/01/importer/{run.pk}/publicering/", {"action": action})


# --- the audit ---------------------------------------------------------------------------


def test_audit_of_the_demo_finds_nothing_at_risk(demo) -> None:  # noqa: ANN001
    reports = audit_published()
    assert sum(r.audited for r in reports) > 500  # the demo has small counts to protect
    assert [cell for r in reports for cell in r.at_risk] == []
    result = runner.invoke(app, ["disclosure", "audit", "--county", "01"])
    assert result.exit_code == 0, result.output
    assert "none at risk" in result.output


def test_audit_command_names_a_published_small_count_and_fails(demo) -> None:  # noqa: ANN001
    hidden = PublicObservation.objects.filter(
        suppression="primary", area__parent__code="01"
    ).first()
    assert hidden is not None
    truth = Observation.objects.get(
        indicator=hidden.indicator,
        area=hidden.area,
        period=hidden.period,
        breakdown=hidden.breakdown,
        category=hidden.category,
        is_live=True,
    )
    PublicObservation.objects.filter(pk=hidden.pk).update(numerator=truth.numerator)
    result = runner.invoke(app, ["disclosure", "audit", "--county", "01"])
    assert result.exit_code == 1
    assert "at risk" in result.output and hidden.indicator.code in result.output
    assert hidden.area.code in result.output
    # Another county's report does not list Stockholms län's cells.
    assert runner.invoke(app, ["disclosure", "audit", "--county", "03"]).exit_code == 0


def test_audit_catches_a_value_that_gives_a_hidden_count_back(demo) -> None:  # noqa: ANN001
    hidden = PublicObservation.objects.filter(suppression="secondary").first()
    truth = Observation.objects.get(
        indicator=hidden.indicator,
        area=hidden.area,
        period=hidden.period,
        breakdown=hidden.breakdown,
        category=hidden.category,
        is_live=True,
    )
    PublicObservation.objects.filter(pk=hidden.pk).update(value=truth.value)
    [report] = audit_published([hidden.indicator])
    assert [(c["area"], c["period"]) for c in report.at_risk] == [(hidden.area.code, hidden.period)]


def test_rebuild_refuses_a_pattern_that_leaves_a_count_recoverable(demo, monkeypatch) -> None:  # noqa: ANN001
    """Publication refuses a table that fails the audit, and changes nothing."""
    from jamlik.indicators import protection, publication

    def primary_only(x: Any, threshold: Any, relations: Any, **_k: Any) -> Any:
        x = np.asarray(x, dtype=float)
        primary = ~np.isnan(x) & (x > 0) & (x < threshold)
        return protection.Protection(
            primary,
            primary,
            protection.audit(x, primary, primary, np.full(len(x), 5.0), relations),
            1,
        )

    indicator = Indicator.objects.get(code="U01420")
    before = list(PublicObservation.objects.filter(indicator=indicator).values_list("numerator"))
    monkeypatch.setattr(publication, "protect", primary_only)
    with pytest.raises(DisclosureRiskError) as info:
        rebuild([indicator])
    assert "could be recovered" in str(info.value) and "U01420" in str(info.value)
    after = list(PublicObservation.objects.filter(indicator=indicator).values_list("numerator"))
    assert after == before


# --- staging ------------------------------------------------------------------------------


def test_an_upload_changes_nothing_public_until_published_and_withdrawal_restores_it(
    demo, client_for
) -> None:  # noqa: ANN001
    """Finding 4 of issue 11: an editor's upload used to delete the published row."""
    period = _latest_period()
    before = _public(period)
    shown_before = (before.numerator, before.denominator, before.value, before.lower, before.upper)
    run = _upload(
        client_for("botkyrka"), f"indikator;område;period;värde\nN03937;0127;{period};77,5\n"
    )
    assert not run.published and run.updated == 1
    assert _public(period).value == before.value  # the public still sees the approved value
    api = Client().get("/api/v1/observations", {"indicator": "N03937", "area": "0127"}).json()
    [row] = [r for r in api["results"] if r["period"] == period and r["breakdown"] == "total"]
    assert row["value"] == pytest.approx(before.value)

    admin = client_for("lan01")
    assert _publish(admin, run).status_code == 302
    assert _public(period).value == pytest.approx(77.5)
    demo_row = Observation.objects.get(**CELL, period=period, is_demo=True)
    assert not demo_row.is_live and demo_row.superseded_by_id == run.pk

    assert _publish(admin, run, "unpublish").status_code == 302
    after = _public(period)
    assert (after.numerator, after.denominator, after.value, after.lower, after.upper) == (
        shown_before
    )
    demo_row.refresh_from_db()
    assert demo_row.is_live and demo_row.superseded_by is None
    assert not Observation.objects.filter(import_run=run, is_live=True).exists()


def test_withdrawing_an_earlier_run_keeps_a_later_one(demo, client_for) -> None:  # noqa: ANN001
    period = _latest_period()
    editor, admin = client_for("botkyrka"), client_for("lan01")
    first = _upload(editor, f"indikator;område;period;värde\nN03937;0127;{period};11\n", "a.csv")
    _publish(admin, first)
    second = _upload(editor, f"indikator;område;period;värde\nN03937;0127;{period};22\n", "b.csv")
    _publish(admin, second)
    assert _public(period).value == 22
    _publish(admin, first, "unpublish")
    assert _public(period).value == 22  # the later run still holds the cell
    _publish(admin, second, "unpublish")
    assert Observation.objects.get(**CELL, period=period, is_live=True).is_demo  # back to demo
    assert _public(period).value != 22


def test_publishing_small_counts_keeps_the_audit_clean(demo, client_for) -> None:  # noqa: ANN001
    """A county publishes a file with small counts for several kommuner, by sex and in
    total: the rebuilt table hides them with complements and the audit stays at zero."""
    rows = ["indikator;område;period;indelning;kategori;täljare;nämnare"]
    counts = {"0127": (3, 40), "0186": (2, 55), "0114": (30, 60), "0115": (25, 50)}
    counts["01"] = tuple(sum(c[i] for c in counts.values()) for i in (0, 1))
    for code, (women, men) in counts.items():
        rows.append(f"U01420;{code};2031;sex;female;{women};{women * 20}")
        rows.append(f"U01420;{code};2031;sex;male;{men};{men * 20}")
        rows.append(f"U01420;{code};2031;;;{women + men};{(women + men) * 20}")
    run = _upload(client_for("lan01"), "\n".join(rows) + "\n", "sma.csv")
    assert _publish(client_for("lan01"), run).status_code == 302
    run.refresh_from_db()
    assert run.published
    shown = PublicObservation.objects.filter(indicator__code="U01420", period="2031")
    assert shown.get(area__code="0127", category="female").numerator is None
    assert shown.get(area__code="0186", category="female").numerator is None
    assert shown.filter(suppressed=True).count() >= 4
    [report] = audit_published(Indicator.objects.filter(code="U01420"))
    assert report.at_risk == []

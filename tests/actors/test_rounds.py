"""Inventory rounds: snapshots, what changed, change log."""

from __future__ import annotations

from jamlik.actors.services import diff_maps


def test_diff_maps_finds_added_changed_removed():
    before = {
        "actors": [
            {"ref": "A1", "name": "X", "area": "0127"},
            {"ref": "A2", "name": "Y", "area": "0127"},
        ]
    }
    after = {
        "actors": [
            {"ref": "A1", "name": "X2", "area": "0127"},
            {"ref": "A3", "name": "Z", "area": "0186"},
        ]
    }
    changes = {(c.ref, c.kind): c for c in diff_maps(before, after)}
    assert set(changes) == {("A1", "changed"), ("A3", "added"), ("A2", "removed")}
    assert changes[("A1", "changed")].fields == {"name": ["X", "X2"]}


def test_round_report_shows_changes_since_opening(small_map, users, client_for):
    from jamlik.actors import services

    round_ = services.open_inventory_round(users["lan01"], small_map["county"], "Inventering 2026")
    activity = small_map["activities"][0]
    services.save_activity(users["botkyrka"], {"status": "paused"}, activity=activity)
    services.confirm_kommun(users["botkyrka"], round_, small_map["botkyrka"])
    report = services.round_report(round_)
    assert [(c.ref, c.kind, c.fields) for c in report.changes] == [
        (activity.ref, "changed", {"status": ["ongoing", "paused"]})
    ]
    row = next(r for r in report.by_area if r["area"].code == "0127")
    assert row["changes"] == 1 and row["confirmed"] is not None
    assert [e.action for e in report.log] == ["updated"]
    assert report.log[0].user == users["botkyrka"]
    page = client_for("lan01").get(f"/aktorer/inventering/{round_.pk}/").content.decode()
    assert "paused" in page
    # A second round compares with the first round's snapshot.
    services.close_inventory_round(users["lan01"], round_)
    second = services.open_inventory_round(users["lan01"], small_map["county"], "Inventering 2027")
    assert services.round_report(second).previous == round_


def test_only_one_open_round(small_map, users):
    import pytest

    from jamlik.actors import services

    services.open_inventory_round(users["lan01"], small_map["county"], "R1")
    with pytest.raises(services.RoundError):
        services.open_inventory_round(users["lan01"], small_map["county"], "R2")


def test_editor_sees_the_round_and_confirms_own_kommun(small_map, users, client_for):
    from jamlik.actors import services
    from jamlik.actors.models import RoundConfirmation

    round_ = services.open_inventory_round(users["lan01"], small_map["county"], "R")
    editor = client_for("botkyrka")
    assert editor.get("/aktorer/inventering/?county=01").status_code == 200
    page = editor.get(f"/aktorer/inventering/{round_.pk}/")
    assert page.status_code == 200 and "Botkyrka" in page.content.decode()
    response = editor.post(
        f"/aktorer/inventering/{round_.pk}/", {"action": "confirm", "kommun": "0127"}
    )
    assert response.status_code == 302
    assert RoundConfirmation.objects.filter(round=round_, area__code="0127").exists()
    refused = editor.post(
        f"/aktorer/inventering/{round_.pk}/", {"action": "confirm", "kommun": "0186"}
    )
    assert refused.status_code == 403
    assert editor.post(f"/aktorer/inventering/{round_.pk}/", {"action": "close"}).status_code == 403
    # Someone with no role in the county sees nothing.
    from django.contrib.auth import get_user_model
    from django.test import Client

    stranger = get_user_model().objects.create_user("stranger", password="x-long-password-1")
    client = Client()
    client.force_login(stranger, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/aktorer/inventering/{round_.pk}/").status_code == 403

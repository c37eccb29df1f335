"""The support API: refusals and shapes."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def test_ladder_api_refusals_and_data(client, client_for, records) -> None:  # noqa: ANN001
    assert client.get("/api/v1/support/ladder?county=01").status_code == 401
    assert client_for("botkyrka").get("/api/v1/support/ladder?county=01").status_code == 403
    rows = client_for("viewer").get("/api/v1/support/ladder?county=01").json()
    botkyrka = next(r for r in rows if r["code"] == "0127")
    assert botkyrka["step"] == 4 and botkyrka["changes"]
    one = client_for("botkyrka").get("/api/v1/support/ladder/0127")
    assert one.status_code == 200 and one.json()["step"] == 4
    assert client_for("botkyrka").get("/api/v1/support/ladder/0186").status_code == 403
    assert client.get("/api/v1/support/ladder?county=99").status_code == 404


def test_create_activity_api(client_for, records) -> None:  # noqa: ANN001
    body = {
        "county": "01",
        "kind": "dialogue",
        "title": "Dialog via API",
        "date": "2026-05-20",
        "participants": [{"kommun": "0180", "role": "manager", "count": 2}],
    }
    assert (
        client_for("viewer")
        .post("/api/v1/support/activities", json.dumps(body), content_type="application/json")
        .status_code
        == 403
    )
    ok = client_for("lan01").post(
        "/api/v1/support/activities", json.dumps(body), content_type="application/json"
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["participants"] == [{"kommun": "0180", "role": "manager", "count": 2}]
    bad = {**body, "participants": [{"kommun": "1480", "role": "manager", "count": 1}]}
    refused = client_for("lan01").post(
        "/api/v1/support/activities", json.dumps(bad), content_type="application/json"
    )
    assert refused.status_code == 422 and "1480" in refused.json()["message"]


def test_agreement_and_need_api(client_for, records) -> None:  # noqa: ANN001
    data = client_for("lan01").get(f"/api/v1/support/agreements/{records['agreement'].pk}").json()
    assert {c["text"] for c in data["commitments"]} == {"Startmöte", "Kartläggning", "Utbildning"}
    assert data["summary"]["total"] == 3
    need = client_for("lan01").get("/api/v1/support/need?county=01&years=2").json()
    assert len(need["rows"]) == 26 and need["components"]
    status = client_for("botkyrka").post(
        f"/api/v1/support/commitments/{records['late'].pk}/status",
        json.dumps({"status": "done"}),
        content_type="application/json",
    )
    assert status.status_code == 403

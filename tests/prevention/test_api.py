"""The prevention and plans API."""

from __future__ import annotations

import json
from datetime import date

import pytest

from jamlik.prevention import services
from jamlik.prevention.models import Plan

pytestmark = pytest.mark.django_db


def test_public_knowledge_and_selection(client) -> None:  # noqa: ANN001
    data = client.get("/api/v1/prevention/factors").json()
    assert len(data["problem_areas"]) == 5 and {f["zone"] for f in data["factors"]} == {
        "tip",
        "shared",
        "centre",
    }
    registry = client.get("/api/v1/prevention/interventions").json()
    assert any(i["key"] == "pax-good-behavior-game" for i in registry)
    ranked = client.get("/api/v1/prevention/selection?factor=bullying_victimisation").json()
    assert ranked["ranked"][0]["matched_factors"] == ["bullying_victimisation"]
    assert ranked["ranked"][0]["evidence_source"]
    svg = client.get("/api/v1/prevention/star.svg?factor=family_conflict")
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
    assert b"factor-highlighted" in svg.content
    assert client.get("/api/v1/prevention/interventions/none").status_code == 404


def test_intervention_put_needs_county_admin(client_for) -> None:  # noqa: ANN001
    body = {
        "name": "Lokal insats",
        "description_sv": "d",
        "description_en": "d",
        "target_group_sv": "t",
        "target_group_en": "t",
        "factors": ["family_conflict"],
        "problem_areas": ["crime"],
        "evidence": "insufficient",
        "evidence_source": "Ingen utvärdering ännu.",
        "availability_sv": "a",
        "availability_en": "a",
        "cost_level": "low",
    }
    url = "/api/v1/prevention/interventions/lokal-insats?county=01"
    assert (
        client_for("botkyrka")
        .put(url, json.dumps(body), content_type="application/json")
        .status_code
        == 403
    )
    ok = client_for("lan01").put(url, json.dumps(body), content_type="application/json")
    assert ok.status_code == 200 and ok.json()["county"] == "01"
    bad = client_for("lan01").put(
        url, json.dumps({**body, "factors": ["x"]}), content_type="application/json"
    )
    assert bad.status_code == 422 and "unknown factor" in bad.json()["message"]


def test_plans_api_permissions(client, client_for, geography) -> None:  # noqa: ANN001
    body = {"kommun": "0186", "title": "Intrång", "start": "2026-01-01"}
    assert (
        client.post("/api/v1/plans/", json.dumps(body), content_type="application/json").status_code
        == 401
    )
    editor = client_for("botkyrka")
    assert (
        editor.post("/api/v1/plans/", json.dumps(body), content_type="application/json").status_code
        == 403
    )
    assert not Plan.objects.filter(title="Intrång").exists()
    own = editor.post(
        "/api/v1/plans/",
        json.dumps({**body, "kommun": "0127", "title": "Egen"}),
        content_type="application/json",
    )
    assert own.status_code == 200 and len(own.json()["steps"]) == 8
    plan_id = own.json()["id"]
    step_key = own.json()["steps"][0]["checklist"][0]["key"]
    put = editor.put(
        f"/api/v1/plans/{plan_id}/steps/1",
        json.dumps(
            {
                "status": "done",
                "checklist_done": [step_key],
                "perspectives": {"ethics": {"considered": True, "note": "ok"}},
            }
        ),
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["steps"][0]["status"] == "done"
    bad = editor.put(
        f"/api/v1/plans/{plan_id}/steps/1",
        json.dumps({"status": "done", "checklist_done": ["nope"]}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    lid = services.create_plan(geography.get(code="0186"), title="Lidingö", start=date(2026, 1, 1))
    assert editor.get(f"/api/v1/plans/{lid.pk}").status_code == 403
    assert (
        editor.put(
            f"/api/v1/plans/{lid.pk}/steps/1",
            json.dumps({"status": "done"}),
            content_type="application/json",
        ).status_code
        == 403
    )
    county = client_for("viewer").get("/api/v1/plans/?county=01").json()
    assert {p["title"] for p in county} == {"Egen", "Lidingö"}

"""The JSON API: shapes, the same numbers as the pages, and refusals."""

from __future__ import annotations

from django.test import Client


def test_instrument_lists_items_keyed_to_prerequisites(demo):
    data = Client().get("/api/v1/prerequisites/counties/01/instrument").json()
    assert data["version"] == "2019.1"
    assert len({i["prerequisite"] for i in data["items"]}) == 7


def test_summary_and_scores(demo):
    client = Client()
    summary = client.get("/api/v1/prerequisites/counties/01/rounds/2019/summary").json()
    assert summary["respondents"] == 21 and summary["is_demo"] is True
    goals = next(s for s in summary["sentences"] if s["item"] == "public_health_goals")
    assert (goals["count"], goals["total"]) == (9, 21)
    scores = client.get("/api/v1/prerequisites/municipalities/0127/scores/2021").json()
    assert scores["code"] == "0127" and len(scores["prerequisites"]) == 7
    assert 0 <= scores["index"] <= 100


def test_evaluation_endpoint(demo):
    client = Client()
    url = "/api/v1/prerequisites/counties/01/evaluation?baseline=2019&follow_up=2021"
    data = client.get(url).json()
    assert data["counts"] == {"deepened": 4, "some": 8, "none": 9}
    index = next(o for o in data["outcomes"] if o["key"] == "index")
    assert index["permutation"]["assignments"] == 5985
    assert index["did"]["lower"] <= index["did"]["estimate"] <= index["did"]["upper"]
    assert data["limits"]
    only_none = client.get(url + "&compare=none").json()
    assert next(o for o in only_none["outcomes"] if o["key"] == "index")["n_comparison"] == 9
    assert client.get(url + "&compare=everyone").status_code == 422
    bad = client.get("/api/v1/prerequisites/counties/01/evaluation?baseline=2021&follow_up=2019")
    assert bad.status_code == 422 and "later" in bad.json()["message"]


def test_unpublished_round_is_refused_to_the_public(demo):
    response = Client().get("/api/v1/prerequisites/counties/01/rounds/2023/summary")
    assert response.status_code == 404
    assert "2023" in response.json()["message"]


def test_saving_answers_through_the_api(demo, client_for):
    url = "/api/v1/prerequisites/municipalities/0127/responses/2023"
    body = {"answers": {"public_health_goals": "yes", "political_priority": 3}}
    assert Client().put(url, body, content_type="application/json").status_code == 401
    lidingo = client_for("lidingo")
    refused = lidingo.put(url, body, content_type="application/json")
    assert refused.status_code == 403 and "Botkyrka" in refused.json()["message"]
    assert lidingo.get(url).status_code == 403
    botkyrka = client_for("botkyrka")
    saved = botkyrka.put(url, body, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["status"] == "draft"
    assert botkyrka.get(url).json()["answers"]["political_priority"] == 3
    bad = botkyrka.put(url, {"answers": {"political_priority": 9}}, content_type="application/json")
    assert bad.status_code == 422 and "political_priority" in bad.json()["message"]
    submitted = botkyrka.put(url, {**body, "submit": True}, content_type="application/json")
    assert submitted.json()["status"] == "submitted"
    again = botkyrka.put(url, body, content_type="application/json")
    assert again.status_code == 409


def test_openapi_lists_the_prerequisites_routes(geography):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    mine = {p for p in paths if p.startswith("/api/v1/prerequisites/")}
    assert "/api/v1/prerequisites/counties/{code}/evaluation" in mine
    assert "/api/v1/prerequisites/municipalities/{code}/responses/{year}" in mine
    assert len(mine) == 8

"""The local replay server itself: routes, turns, placeholders and the request log."""

from __future__ import annotations

import httpx

from .replay import ReplayServer


def test_routes_answer_by_method_path_query_and_body(replay: ReplayServer) -> None:
    replay.add("GET", "/v3/kpi", json={"values": [], "next_url": "{base}/v3/kpi?page=2"})
    replay.add("GET", "/v3/kpi", query={"page": "2"}, json={"values": [1]})
    replay.add("POST", "/data", body={"response": {"format": "json"}}, json={"f": "json"})
    replay.add("POST", "/data", body={"response": {"format": "csv"}}, json={"f": "csv"})
    with httpx.Client(base_url=replay.url) as client:
        first = client.get("/v3/kpi").json()
        assert first["next_url"] == f"{replay.url}/v3/kpi?page=2"
        assert client.get(first["next_url"]).json() == {"values": [1]}
        body = {"query": [], "response": {"format": "csv"}}
        assert client.post("/data", json=body).json() == {"f": "csv"}
        missing = client.get("/nowhere")
    assert missing.status_code == 404 and "no route" in missing.json()["detail"]
    assert [s.path for s in replay.unmatched] == ["/nowhere"]
    assert replay.count("GET", "/v3/") == 2 and replay.count() == 4
    assert replay.requests[2].json() == {"query": [], "response": {"format": "csv"}}


def test_answers_come_in_turn_and_the_last_repeats(replay: ReplayServer) -> None:
    replay.add("GET", "/x", status=500, text="boom")
    replay.add("GET", "/x", status=429, headers={"Retry-After": "0"})
    replay.add("GET", "/x", json={"ok": True})
    with httpx.Client(base_url=replay.url) as client:
        statuses = [client.get("/x").status_code for _ in range(4)]
        assert client.get("/x").headers["content-type"].startswith("application/json")
    assert statuses == [500, 429, 200, 200]


def test_cases_load_from_fixture_folders_and_the_shared_recordings(replay: ReplayServer) -> None:
    replay.load("kolada").load("scb_v2")
    with httpx.Client(base_url=replay.url) as client:
        areas = client.get("/v3/municipality").json()
        config = client.get("/api/v2/config").json()
    assert areas["count"] == 312
    assert config["maxCallsPerTimeWindow"] == 3  # the real recorded SCB /config

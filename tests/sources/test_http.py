"""The HTTP layer over real sockets: retries (tenacity), giving up offline, throttling, caching."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jamlik.sources import (
    KoladaClient,
    PxWebClient,
    SourceError,
    SourceOfflineError,
    load_query,
    parse_query,
)
from jamlik.sources.http import JsonHttp, RetryPolicy, parse_retry_after
from jamlik.sources.pxweb import rebase_url

from .helpers import FIXTURES
from .replay import ReplayServer, free_port


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = datetime(2015, 10, 21, 7, 27, 30, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now) == 30.0
    assert parse_retry_after("soon") is None


def test_offline_gives_up_fast_naming_the_address_and_the_setting() -> None:
    url = f"http://127.0.0.1:{free_port()}/v3/kpi"
    started = time.monotonic()
    with (
        JsonHttp("Kolada", setting="--base-url or JAMLIK_KOLADA_URL") as http,
        pytest.raises(SourceOfflineError) as info,
    ):
        http.get(url)
    assert time.monotonic() - started < 5
    message = str(info.value)
    assert url.rsplit("/v3", 1)[0] in message
    assert "after 3 attempts" in message
    assert "--base-url or JAMLIK_KOLADA_URL" in message
    assert http.calls == 3


def test_retryable_statuses_are_retried_then_reported(replay: ReplayServer) -> None:
    replay.add("GET", "/x", status=503, headers={"Retry-After": "2"})
    replay.add("GET", "/x", status=500, text="Internal error")
    sleeps: list[float] = []
    policy = RetryPolicy(attempts=4, backoff=0.5)
    with (
        JsonHttp("Test", retry=policy, sleep=sleeps.append) as http,
        pytest.raises(SourceError, match="HTTP 500 for GET .*Internal error"),
    ):
        http.get(f"{replay.url}/x")
    assert replay.count("GET", "/x") == 4
    assert sleeps == [2.0, 1.0, 2.0]  # Retry-After, then 0.5 * 2**n


def test_client_errors_are_not_retried(replay: ReplayServer) -> None:
    replay.add("GET", "/x", status=404, json={"title": "Non-existent table", "status": 404})
    with (
        JsonHttp("Test", sleep=lambda _s: None) as http,
        pytest.raises(SourceError, match="Non-existent table"),
    ):
        http.get(f"{replay.url}/x")
    assert replay.count() == 1


def test_only_successful_metadata_is_cached_on_disk(replay: ReplayServer, tmp_path: Path) -> None:
    replay.add("GET", "/meta", status=500)
    replay.add("GET", "/meta", json={"variables": []})
    replay.add("GET", "/data", json={"value": [1]})
    replay.add("POST", "/data", json={"value": [2]})
    with JsonHttp("Test", cache_dir=tmp_path, sleep=lambda _s: None) as http:
        assert http.metadata(f"{replay.url}/meta") == {"variables": []}  # 500 retried, not kept
        assert http.metadata(f"{replay.url}/meta") == {"variables": []}
    with JsonHttp("Test", cache_dir=tmp_path) as again:  # a later run, same data folder
        assert again.metadata(f"{replay.url}/meta") == {"variables": []}
        for _ in range(2):
            again.get(f"{replay.url}/data")
            again.post(f"{replay.url}/data", {"query": []})
    assert replay.count("GET", "/meta") == 2  # the 500 and the one 200
    assert replay.count("GET", "/data") == 2 and replay.count("POST", "/data") == 2
    assert (tmp_path / "http-cache.sqlite3").exists()


def test_kolada_area_list_is_read_through_the_client(replay: ReplayServer) -> None:
    replay.load("kolada")
    client = KoladaClient(base_url=f"{replay.url}/v3")
    try:
        areas = client.municipalities()
        client.check_areas(["0127", "01", "00"])
        with pytest.raises(SourceError, match="no area 9999"):
            client.check_areas(["0127", "9999"])
    finally:
        client.http.close()
    assert len(areas) == 312
    assert (areas["0127"].title, areas["0127"].type) == ("Botkyrka", "K")
    assert (areas["01"].id, areas["01"].title) == ("0001", "Region Stockholm")
    assert areas["00"].title == "Riket"


def test_pxweb_call_limit_from_config_is_honoured(replay: ReplayServer) -> None:
    """Calls are split to the cell limit and spaced to the call limit of /config."""
    replay.add(
        "GET",
        "/api/v2/config",
        json={"maxDataCells": 6, "maxCallsPerTimeWindow": 2, "timeWindow": 10},
    )
    replay.add(
        "GET", "/api/v2/tables/TAB638/metadata", file=FIXTURES / "pxweb/scb_v2_metadata.json"
    )
    replay.add("POST", "/api/v2/tables/TAB638/data", file=FIXTURES / "pxweb/scb_v2_data.json")
    sleeps: list[float] = []
    query = load_query(FIXTURES / "pxweb/scb_population.json")  # 2 x 3 x 1 x 2 = 12 cells
    with JsonHttp("Test", sleep=sleeps.append) as http:
        result = PxWebClient(http, base_url=f"{replay.url}/api/v2").fetch(query, "tables/TAB638")
    assert (result.limits.max_cells, result.limits.max_calls) == (6, 2)
    assert result.calls == 2
    [pause] = sleeps  # metadata and the first data call fill the window
    assert 9 < pause <= 10
    bodies = [s.json() for s in replay.requests if s.method == "POST"]
    for body in bodies:
        sizes = [len(item["valueCodes"]) for item in body["selection"]]
        assert sizes[0] * sizes[1] * sizes[2] * sizes[3] <= 6


def test_table_urls_are_rebased() -> None:
    base = "http://127.0.0.1:8000/api/v2"
    assert rebase_url("tables/TAB638", base) == f"{base}/tables/TAB638"
    assert rebase_url("/tables/TAB638", base + "/") == f"{base}/tables/TAB638"
    scb = "https://statistikdatabasen.scb.se/api/v2/tables/TAB638"
    assert rebase_url(scb, base) == scb  # a setting resolves paths only
    assert rebase_url(scb, "http://127.0.0.1:8000", redirect=True) == (
        "http://127.0.0.1:8000/api/v2/tables/TAB638"
    )
    assert rebase_url("tables/TAB638", "") == "tables/TAB638"
    with pytest.raises(SourceError, match="not absolute"):
        rebase_url("tables/TAB638", "localhost/api")


def test_relative_table_url_without_a_base_names_the_setting() -> None:
    query = parse_query(
        {
            "indicator": "N01951",
            "variables": {
                "Region": {"role": "area", "values": ["0127"]},
                "Tid": {"role": "period", "values": ["2024"]},
            },
        }
    )
    with JsonHttp("Test") as http, pytest.raises(SourceError, match="JAMLIK_PXWEB_URL"):
        PxWebClient(http).fetch(query, "tables/TAB638")

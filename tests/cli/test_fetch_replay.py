"""``jamlik fetch kolada|pxweb`` end to end against the local replay server.

The commands run in-process (typer's CliRunner) but talk real HTTP to a server
on 127.0.0.1 that answers with recorded-shape Kolada and PxWeb answers
(tests/sources/replay.py, cases under tests/sources/fixtures/replay/), and the
values land in the test database.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.sources.replay import CASES, ReplayServer, free_port, serving
from typer.testing import CliRunner

from jamlik.cli import app
from jamlik.sources.http import RetryPolicy

runner = CliRunner()

KOLADA_DATA = "/v3/data/kpi/N00957/municipality/0127,0000/year/2023"
FOHM_TABLE = (
    "https://fohm-app.folkhalsomyndigheten.se/Folkhalsodata/api/v1/sv/A_Folkhalsodata/A_Mo8/"
    "Halsoutfall/01Overgrip/01.01halsgod/halsgodyreg.px"
)


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    with serving() as server:
        yield server


@pytest.fixture(autouse=True)
def _cache_in_tmp(settings, tmp_path: Path) -> None:  # noqa: ANN001 - pytest-django settings
    """Each test gets its own data folder, so the HTTP cache starts empty."""
    settings.DATA_DIR = tmp_path


def _kolada(replay: ReplayServer, *extra: str) -> object:
    return runner.invoke(
        app,
        ["fetch", "kolada", "--kpi", "N00957", "--area", "0127,00", "--years", "2023", *extra],
    )


def _rows(run_pk: int | None = None) -> dict[tuple[str, str, str, str], object]:
    from jamlik.indicators.models import ImportRun, Observation

    run = ImportRun.objects.get(pk=run_pk) if run_pk else ImportRun.objects.latest("pk")
    return {
        (o.indicator.code, o.area.code, o.period, o.category): o
        for o in Observation.objects.filter(import_run=run).select_related("indicator", "area")
    }


@pytest.mark.django_db
def test_kolada_values_follow_next_url_into_the_database(replay: ReplayServer) -> None:
    replay.load("kolada")
    result = _kolada(replay, "--base-url", f"{replay.url}/v3")
    assert result.exit_code == 0, result.output
    assert "Stored 5 observations" in result.output
    assert "Ohälsotal, dagar" in result.output  # the KPI's title from /v3/kpi
    rows = _rows()
    assert set(rows) == {
        ("N00957", "0127", "2023", "total"),
        ("N00957", "0127", "2023", "female"),
        ("N00957", "0127", "2023", "male"),
        ("N00957", "00", "2023", "total"),
        ("N00957", "00", "2023", "female"),
    }
    assert rows[("N00957", "0127", "2023", "female")].value == pytest.approx(37.9)
    assert rows[("N00957", "00", "2023", "total")].value == pytest.approx(22.6)
    missing = rows[("N00957", "00", "2023", "female")]
    assert missing.value is None and missing.note == "no value published in Kolada"
    first_page = next(s for s in replay.requests if s.path == KOLADA_DATA)
    assert first_page.query == {"per_page": "5000"}
    assert replay.count("GET", KOLADA_DATA) == 2  # page 1 and page 2 (next_url)
    assert replay.unmatched == []


@pytest.mark.django_db
def test_kolada_address_comes_from_the_setting(replay: ReplayServer, settings) -> None:  # noqa: ANN001
    replay.load("kolada")
    settings.JAMLIK_KOLADA_URL = f"{replay.url}/v3/"
    result = _kolada(replay)
    assert result.exit_code == 0, result.output
    assert replay.count("GET", KOLADA_DATA) == 2


@pytest.mark.django_db
def test_metadata_is_cached_but_data_are_fetched_again(replay: ReplayServer) -> None:
    replay.load("kolada")
    for _ in range(2):
        result = _kolada(replay, "--base-url", f"{replay.url}/v3")
        assert result.exit_code == 0, result.output
    assert replay.count("GET", "/v3/kpi/") == 1
    assert replay.count("GET", "/v3/municipality") == 1
    assert replay.count("GET", KOLADA_DATA) == 4  # values are never served from the cache
    result = _kolada(replay, "--base-url", f"{replay.url}/v3", "--no-cache")
    assert result.exit_code == 0, result.output
    assert replay.count("GET", "/v3/kpi/") == 2


@pytest.mark.django_db
def test_unknown_kpi_is_named_before_anything_is_fetched(replay: ReplayServer) -> None:
    replay.add("GET", "/v3/kpi/N99999", json={"values": [], "count": 0, "next_url": None})
    result = runner.invoke(
        app,
        [
            "fetch",
            "kolada",
            "--kpi",
            "N99999",
            "--area",
            "0127",
            "--years",
            "2023",
            "--base-url",
            f"{replay.url}/v3",
        ],
    )
    assert result.exit_code == 1
    assert "N99999" in result.output and "Nothing was stored" in result.output
    assert replay.count("GET", "/v3/data/") == 0


@pytest.mark.django_db
def test_offline_fails_fast_naming_the_address_and_the_setting() -> None:
    port = free_port()  # nothing listens there
    result = _kolada(None, "--base-url", f"http://127.0.0.1:{port}/v3")  # type: ignore[arg-type]
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert f"127.0.0.1:{port}" in text
    assert "--base-url" in text and "JAMLIK_KOLADA_URL" in text
    assert "Nothing was stored" in text
    # Fast by policy, not by a stopwatch (which a loaded machine would fail): three
    # attempts, under a second of waiting in all between them.
    policy = RetryPolicy()
    waits = [policy.offline_backoff * 2**n for n in range(policy.offline_attempts - 1)]
    assert policy.offline_attempts == 3 and sum(waits) < 1


@pytest.mark.django_db
def test_429_with_retry_after_is_retried(replay: ReplayServer) -> None:
    replay.add("GET", KOLADA_DATA, status=429, headers={"Retry-After": "1"})
    replay.load("kolada")
    started = time.monotonic()
    result = _kolada(replay, "--base-url", f"{replay.url}/v3")
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started >= 0.9  # waited as asked
    assert replay.count("GET", KOLADA_DATA) == 3  # 429, page 1, page 2


@pytest.mark.django_db
def test_500_then_200_is_retried(replay: ReplayServer) -> None:
    replay.add("GET", KOLADA_DATA, status=500, text="Internal Server Error")
    replay.load("kolada")
    result = _kolada(replay, "--base-url", f"{replay.url}/v3")
    assert result.exit_code == 0, result.output
    assert "Stored 5 observations" in result.output


@pytest.mark.django_db
def test_bad_request_is_not_retried_and_is_reported(replay: ReplayServer) -> None:
    replay.add("GET", KOLADA_DATA, status=400, json={"message": "URL too long"})
    replay.load("kolada")
    result = _kolada(replay, "--base-url", f"{replay.url}/v3")
    assert result.exit_code == 1
    assert "URL too long" in " ".join(result.output.split())
    assert replay.count("GET", KOLADA_DATA) == 1


# -- PxWeb ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_pxweb_v1_json_from_folkhalsodata(replay: ReplayServer) -> None:
    replay.load("fohm_v1")
    query = CASES / "fohm_v1" / "query_json.toml"
    result = runner.invoke(
        app, ["fetch", "pxweb", FOHM_TABLE, "--query", str(query), "--base-url", replay.url]
    )
    assert result.exit_code == 0, result.output
    rows = _rows()
    assert len(rows) == 3
    total = rows[("U01405", "0127", "2021-2024", "total")]
    assert (total.value, total.lower, total.upper) == (66.1, 62.0, 70.2)
    assert total.source == "Folkhälsomyndigheten, Folkhälsodata, halsgodyreg.px"
    male = rows[("U01405", "0127", "2021-2024", "male")]
    assert male.value is None and "'..'" in male.note
    [post] = [s for s in replay.requests if s.method == "POST"]
    assert post.json()["response"] == {"format": "json"}
    assert replay.unmatched == []


@pytest.mark.django_db
def test_pxweb_v1_json_stat2(replay: ReplayServer) -> None:
    replay.load("fohm_v1")
    query = CASES / "fohm_v1" / "query_jsonstat2.toml"
    result = runner.invoke(app, ["fetch", "pxweb", "--query", str(query), "--base-url", replay.url])
    assert result.exit_code == 0, result.output
    rows = _rows()
    assert rows[("U01405", "0180", "2017-2020", "total")].value == 74.0
    assert rows[("U01405", "0180", "2021-2024", "total")].upper == 76.3


@pytest.mark.django_db
def test_pxweb_v2_json_stat2_relative_table_and_cached_metadata(replay: ReplayServer) -> None:
    replay.load("scb_v2")
    query = CASES / "scb_v2" / "query.json"
    args = ["fetch", "pxweb", "tables/TAB638", "--query", str(query)]
    for _ in range(2):
        result = runner.invoke(app, [*args, "--base-url", f"{replay.url}/api/v2"])
        assert result.exit_code == 0, result.output
    rows = _rows()
    assert len(rows) == 12
    assert rows[("N01951", "0127", "2023", "total")].value == 95300
    assert rows[("N01951", "0180", "2024", "total")].value is None
    assert replay.count("GET", "/api/v2/config") == 1
    assert replay.count("GET", "/api/v2/tables/TAB638/metadata") == 1
    assert replay.count("POST", "/api/v2/tables/TAB638/data") == 2
    assert replay.unmatched == []


@pytest.mark.django_db
def test_pxweb_address_comes_from_the_setting(replay: ReplayServer, settings) -> None:  # noqa: ANN001
    replay.load("scb_v2")
    settings.JAMLIK_PXWEB_URL = f"{replay.url}/api/v2"
    query = CASES / "scb_v2" / "query.json"
    result = runner.invoke(app, ["fetch", "pxweb", "tables/TAB638", "--query", str(query)])
    assert result.exit_code == 0, result.output
    assert replay.count("POST", "/api/v2/tables/TAB638/data") == 1


@pytest.mark.django_db
def test_pxweb_offline_fails_fast() -> None:
    port = free_port()
    query = CASES / "scb_v2" / "query.json"
    started = time.monotonic()
    result = runner.invoke(
        app,
        [
            "fetch",
            "pxweb",
            "tables/TAB638",
            "--query",
            str(query),
            "--base-url",
            f"http://127.0.0.1:{port}/api/v2",
        ],
    )
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert f"127.0.0.1:{port}" in text and "JAMLIK_PXWEB_URL" in text
    assert time.monotonic() - started < 5

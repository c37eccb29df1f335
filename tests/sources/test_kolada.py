"""Kolada v3 connector against hand-made responses in Kolada's exact shapes."""

from __future__ import annotations

import httpx
import pytest
import respx

from jamlik.sources import KoladaClient, SourceError, SourceOfflineError
from jamlik.sources.http import JsonHttp, RetryPolicy
from jamlik.sources.kolada import chunked

from .helpers import load_json

BASE = "https://api.kolada.se/v3"


def test_urls_use_path_form_and_chunk_each_segment_to_25() -> None:
    client = KoladaClient(JsonHttp("Kolada"))
    kpis = [f"N{i:05d}" for i in range(26)]  # 25 + 1 forces a split
    urls = client.data_urls(kpis, ["01", "0127", "00"], list(range(2015, 2025)))
    assert len(urls) == 2
    assert urls[0].startswith(f"{BASE}/data/kpi/N00000,")
    assert urls[0].endswith(
        "/municipality/0001,0127,0000/year/2015,2016,2017,2018,2019,2020,2021,2022,2023,2024"
    )
    assert urls[1] == f"{BASE}/data/kpi/N00025/municipality/0001,0127,0000/year/" + ",".join(
        str(y) for y in range(2015, 2025)
    )
    for url in urls:
        for segment in url.split("/data/")[1].split("/")[1::2]:
            assert len(segment.split(",")) <= 25


def test_urls_need_two_of_three_dimensions() -> None:
    client = KoladaClient(JsonHttp("Kolada"))
    with pytest.raises(ValueError, match="at least two"):
        client.data_urls(["N00957"], [], [])
    assert client.data_urls(["N00957"], [], [2024]) == [f"{BASE}/data/kpi/N00957/year/2024"]


def test_chunked_keeps_order_and_drops_duplicates() -> None:
    assert chunked(["a", "b", "a", "c"], 2) == [["a", "b"], ["c"]]


@respx.mock
def test_fetch_follows_next_url_and_maps_gender_and_areas(http: JsonHttp) -> None:
    # respx matches routes in the order they were added: the page-2 route first.
    second = respx.get(
        f"{BASE}/data/kpi/N00957/municipality/0127,0001,0000/year/2023",
        params={"page": "2", "per_page": "2"},
    ).mock(return_value=httpx.Response(200, json=load_json("kolada/data_page2.json")))
    first = respx.get(f"{BASE}/data/kpi/N00957/municipality/0127,0001,0000/year/2023").mock(
        return_value=httpx.Response(200, json=load_json("kolada/data_page1.json"))
    )
    rows = KoladaClient(http).fetch(["N00957"], ["0127", "01", "00"], [2023])
    assert second.called and first.called
    assert first.calls[0].request.url.params["per_page"] == "5000"
    by_key = {(o.area, o.breakdown, o.category): o for o in rows}
    assert len(rows) == 5
    assert by_key[("0127", "total", "total")].value == pytest.approx(31.4)
    assert by_key[("0127", "sex", "female")].value == pytest.approx(37.9)
    assert by_key[("0127", "sex", "male")].value == pytest.approx(25.2)
    assert by_key[("01", "total", "total")].value == pytest.approx(20.1)  # 0001 → län 01
    assert by_key[("00", "total", "total")].value == pytest.approx(22.6)  # 0000 → riket 00
    assert {o.period for o in rows} == {"2023"}
    assert {o.source for o in rows} == {"Kolada"}


@respx.mock
def test_null_and_deleted_values_are_kept_as_missing_with_a_note(http: JsonHttp) -> None:
    respx.get(f"{BASE}/data/kpi/U01405/municipality/0186/year/2022").mock(
        return_value=httpx.Response(200, json=load_json("kolada/data_missing.json"))
    )
    rows = {o.category: o for o in KoladaClient(http).fetch(["U01405"], ["0186"], [2022])}
    assert rows["total"].value is None
    assert rows["total"].note == "no value published in Kolada"
    assert rows["female"].value is None
    assert "withdrawn" in rows["female"].note
    assert rows["male"].value == pytest.approx(74.5)
    assert rows["male"].note == "Kolada status 'B'"


@respx.mock
def test_unpublished_year_gives_no_rows(http: JsonHttp) -> None:
    respx.get(f"{BASE}/data/kpi/N00957/municipality/0127/year/2030").mock(
        return_value=httpx.Response(200, json=load_json("kolada/data_empty.json"))
    )
    assert KoladaClient(http).fetch(["N00957"], ["0127"], [2030]) == []


@respx.mock
def test_retries_429_and_5xx_with_backoff_and_retry_after(
    http: JsonHttp, sleeps: list[float]
) -> None:
    route = respx.get(f"{BASE}/data/kpi/N00957/municipality/0127/year/2023")
    route.side_effect = [
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(503),
        httpx.Response(200, json=load_json("kolada/data_empty.json")),
    ]
    assert KoladaClient(http).fetch(["N00957"], ["0127"], [2023]) == []
    assert route.call_count == 3
    assert sleeps == [7.0, 1.0]  # Retry-After honoured, then 0.5 * 2**1


@respx.mock
def test_gives_up_after_the_last_attempt_with_the_status(
    http: JsonHttp, sleeps: list[float]
) -> None:
    respx.get(f"{BASE}/data/kpi/N00957/municipality/0127/year/2023").mock(
        return_value=httpx.Response(500, text="Internal error")
    )
    with pytest.raises(SourceError, match="HTTP 500"):
        KoladaClient(http).fetch(["N00957"], ["0127"], [2023])
    assert sleeps == [0.5, 1.0, 2.0]


@respx.mock
def test_bad_request_is_not_retried(http: JsonHttp, sleeps: list[float]) -> None:
    respx.get(f"{BASE}/data/kpi/N00957/municipality/0127/year/2023").mock(
        return_value=httpx.Response(400, json={"message": "URL too long"})
    )
    with pytest.raises(SourceError, match="URL too long"):
        KoladaClient(http).fetch(["N00957"], ["0127"], [2023])
    assert sleeps == []


@respx.mock
def test_offline_gives_a_clear_message() -> None:
    respx.get(f"{BASE}/data/kpi/N00957/municipality/0127/year/2023").mock(
        side_effect=httpx.ConnectError("[Errno -3] Temporary failure in name resolution")
    )
    http = JsonHttp("Kolada", retry=RetryPolicy(attempts=2), sleep=lambda _s: None)
    with pytest.raises(SourceOfflineError) as info:
        KoladaClient(http).fetch(["N00957"], ["0127"], [2023])
    message = str(info.value)
    assert "Could not reach Kolada at api.kolada.se" in message
    assert "network connection" in message
    assert "nothing was fetched" in message


@respx.mock
def test_kpi_metadata(http: JsonHttp) -> None:
    respx.get(f"{BASE}/kpi/N00957").mock(
        return_value=httpx.Response(200, json=load_json("kolada/kpi.json"))
    )
    [entry] = KoladaClient(http).kpi_metadata(["N00957"])
    assert entry["title"] == "Ohälsotal, dagar"
    assert entry["is_divided_by_gender"] is True


@respx.mock
def test_paging_loop_is_refused(http: JsonHttp) -> None:
    url = f"{BASE}/kpi/N00957"
    respx.get(url).mock(return_value=httpx.Response(200, json={"values": [], "next_url": url}))
    with pytest.raises(SourceError, match="loops"):
        KoladaClient(http).kpi_metadata(["N00957"])


def test_unknown_gender_is_an_error() -> None:
    from jamlik.sources.kolada import parse_data_rows

    rows = [
        {
            "kpi": "N1",
            "municipality": "0127",
            "period": 2020,
            "values": [{"gender": "X", "value": 1}],
        }
    ]
    with pytest.raises(SourceError, match="expected T, K or M"):
        list(parse_data_rows(rows))

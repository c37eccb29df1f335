"""``jamlik fetch-kpi``: SCB's answer extends the shipped KPI series, or nothing is written.

The fixture ``fixtures/kpi_fastamed_jsonstat2.json`` is a json-stat2 dataset in the
exact shape SCB's PxWeb returns (apis.md §2.3). Its 2006–2023 levels are the shipped
ones; the 2024 (415.12) and 2025 (418.40) levels are INVENTED test values, not SCB's.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner, Result

from jamlik.cli import app
from jamlik.economics import kpi_update
from jamlik.economics.price_index import KPI_FILE, read_levels, scb_kpi
from jamlik.sources.http import JsonHttp, RetryPolicy

FIXTURE = Path(__file__).with_name("fixtures") / "kpi_fastamed_jsonstat2.json"
URL = kpi_update.DEFAULT_URL
runner = CliRunner()


def answer() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture
def data_dir(settings, tmp_path: Path) -> Iterator[Path]:
    """A fresh data folder; the KPI cache is cleared before and after."""
    settings.DATA_DIR = tmp_path
    scb_kpi.cache_clear()
    yield tmp_path
    scb_kpi.cache_clear()


def quick_http() -> JsonHttp:
    return JsonHttp("SCB PxWeb", retry=RetryPolicy(attempts=2), sleep=lambda _s: None)


def invoke(monkeypatch) -> Result:
    monkeypatch.setattr(kpi_update, "client", quick_http)
    return runner.invoke(app, ["fetch-kpi"])


def test_without_data_dir_file_the_index_is_the_shipped_series(data_dir: Path) -> None:
    assert not (data_dir / "kpi_1980.csv").exists()
    assert dict(scb_kpi().values) == read_levels(KPI_FILE)
    assert max(scb_kpi().values) == 2023


@respx.mock
def test_good_answer_extends_the_index(data_dir: Path, monkeypatch) -> None:
    route = respx.post(URL).mock(return_value=httpx.Response(200, json=answer()))
    scb_kpi()  # fill the cache first: the fetch must clear it
    result = invoke(monkeypatch)
    assert result.exit_code == 0, result.output
    assert "2024, 2025" in result.output
    sent = json.loads(route.calls.last.request.content)
    assert sent["response"] == {"format": "json-stat2"}
    assert {q["code"] for q in sent["query"]} == {"ContentsCode", "Tid"}

    written = (data_dir / "kpi_1980.csv").read_text(encoding="utf-8").splitlines()
    assert written[0] == "year,level,source,fetched"
    assert written[-1].startswith(f"2025,418.40,{URL},")
    kpi = scb_kpi()
    assert sorted(kpi.values) == list(range(2006, 2026))
    assert kpi.values[2023] == 403.70
    assert kpi.values[2025] == 418.40
    assert kpi.factor(2023, 2025) == pytest.approx(418.40 / 403.70)
    assert kpi.factor(2020, 2024) == pytest.approx(415.12 / 335.92)
    assert "fetch-kpi" in kpi.source


@respx.mock
def test_disagreeing_earlier_year_is_refused_naming_it(data_dir: Path, monkeypatch) -> None:
    body = answer()
    position = body["dimension"]["Tid"]["category"]["index"]["2020"]
    body["value"][position] = 336.50
    respx.post(URL).mock(return_value=httpx.Response(200, json=body))
    result = invoke(monkeypatch)
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "2020" in text and "336.50" in text and "335.92" in text
    assert not (data_dir / "kpi_1980.csv").exists()
    assert max(scb_kpi().values) == 2023


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (httpx.Response(400, json={"title": "Non-existent variable", "status": 400}), "HTTP 400"),
        (httpx.Response(200, text="<html>not json</html>"), "not JSON"),
        (httpx.Response(503, text="busy"), "HTTP 503"),
    ],
)
def test_error_answers_give_a_clear_message_and_write_nothing(
    data_dir: Path, monkeypatch, response: httpx.Response, expected: str
) -> None:
    with respx.mock:
        respx.post(URL).mock(return_value=response)
        result = invoke(monkeypatch)
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "not updated" in text and expected in text and "Nothing was written" in text
    assert list(data_dir.iterdir()) == []


def shipped() -> dict[int, float]:
    return read_levels(KPI_FILE)


def test_years_going_backwards_are_refused() -> None:
    pairs = kpi_update.parse_answer(answer(), URL)
    pairs[-2], pairs[-1] = pairs[-1], pairs[-2]
    with pytest.raises(kpi_update.KpiUpdateError, match="backwards.*2024 after 2025"):
        kpi_update.extend(shipped(), pairs)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b["value"].__setitem__(-1, None), "2025 the level"),
        (lambda b: b["value"].__setitem__(-1, -1.0), "positive"),
        (
            lambda b: b["dimension"]["Tid"]["category"].update(
                index={
                    **{
                        k: v
                        for k, v in b["dimension"]["Tid"]["category"]["index"].items()
                        if k != "2025"
                    },
                    "2025M01": 19,
                }
            ),
            "time period '2025M01'",
        ),
        (lambda b: b.update({"class": "collection"}), "cannot be read"),
        (lambda b: b.pop("dimension"), "cannot be read"),
    ],
)
def test_malformed_answers_are_refused(change, message: str) -> None:
    body = copy.deepcopy(answer())
    change(body)
    with pytest.raises(kpi_update.KpiUpdateError, match=message):
        kpi_update.parse_answer(body, URL)


def test_a_gap_is_refused() -> None:
    pairs = [p for p in kpi_update.parse_answer(answer(), URL) if p[0] != 2024]
    with pytest.raises(kpi_update.KpiUpdateError, match="gap.*2024"):
        kpi_update.extend(shipped(), pairs)


def test_a_damaged_data_dir_file_is_not_used(data_dir: Path) -> None:
    (data_dir / "kpi_1980.csv").write_text(
        "year,level,source,fetched\n2023,410.00,x,2026-01-01\n2024,415.12,x,2026-01-01\n",
        encoding="utf-8",
    )
    assert max(scb_kpi().values) == 2023


def test_v2_request_body() -> None:
    body, params = kpi_update.request_body("https://x/api/v2/tables/TAB1234/data", "000004TA")
    assert params == {"lang": "sv", "outputFormat": "json-stat2"}
    assert body["selection"][0] == {"variableCode": "ContentsCode", "valueCodes": ["000004TA"]}


def test_several_contents_are_refused_naming_them() -> None:
    body = answer()
    contents = body["dimension"]["ContentsCode"]["category"]
    contents["index"]["000005TA"] = 1
    contents["label"]["000005TA"] = "KPI, årsförändring"
    body["size"] = [2, body["size"][1]]
    body["value"] = body["value"] + body["value"]
    with pytest.raises(kpi_update.KpiUpdateError, match="000004TA.*000005TA.*--contents-code"):
        kpi_update.parse_answer(body, URL)

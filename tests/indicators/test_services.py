"""Imports and fetches: all-or-nothing, recorded, values computed from counts; the CLI."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

from jamlik.indicators.models import ImportRun, Observation
from jamlik.indicators.services import (
    comparisons_for_area,
    fetch_kolada,
    fetch_pxweb,
    import_file,
    store_observations,
)
from jamlik.sources import (
    ImportValidationError,
    KoladaClient,
    PxWebClient,
)
from jamlik.sources import (
    Observation as SourceObservation,
)
from jamlik.sources.http import JsonHttp, RetryPolicy
from jamlik.stats import Comparison

FIXTURES = Path(__file__).resolve().parents[1] / "sources" / "fixtures"


def _http() -> JsonHttp:
    return JsonHttp("test", retry=RetryPolicy(attempts=2), sleep=lambda _s: None)


def test_import_file_stores_rows_and_computes_values_from_counts(demo, users) -> None:  # noqa: ANN001
    run = import_file(FIXTURES / "import" / "good_semicolon_cp1252.csv", user=users["lan01"])
    assert (run.kind, run.rows, run.user.username) == ("file", 5, "lan01")
    assert "good_semicolon_cp1252.csv" in run.description
    cell = {"indicator__code": "N01481", "area__code": "0180", "period": "2024"}
    mpr = Observation.objects.get(**cell, breakdown="total", import_run=run)
    assert not mpr.is_demo and not mpr.is_live  # staged until the county publishes it
    assert mpr.value == pytest.approx(1234 / 1300 * 100)
    assert mpr.lower < mpr.value < mpr.upper  # Wilson interval from jamlik.stats
    assert run.updated >= 1  # the demo row for N01481/0180/2024 would be replaced
    demo_row = Observation.objects.get(**cell, breakdown="total", is_live=True)
    assert demo_row.is_demo  # ... but until then it is still the live one


def test_import_with_errors_writes_nothing(demo) -> None:  # noqa: ANN001
    before = (Observation.objects.count(), ImportRun.objects.count())
    with pytest.raises(ImportValidationError) as info:
        import_file(FIXTURES / "import" / "errors.csv")
    assert len(info.value.problems) == 5
    assert (Observation.objects.count(), ImportRun.objects.count()) == before


def test_store_refuses_unknown_references_as_a_whole(demo) -> None:  # noqa: ANN001
    before = Observation.objects.count()
    rows = [
        SourceObservation("N03937", "0127", "2030", value=5.0),
        SourceObservation("N03937", "9999", "2030", value=5.0),
        SourceObservation("X1", "0127", "2030", value=5.0),
    ]
    with pytest.raises(ImportValidationError) as info:
        store_observations(rows, kind="file", description="test")
    assert {(p.column, p.value) for p in info.value.problems} == {
        ("area", "9999"),
        ("indicator", "X1"),
    }
    assert Observation.objects.count() == before


@respx.mock
def test_fetch_kolada_expands_a_county_and_keeps_missing_values(demo) -> None:  # noqa: ANN001
    route = respx.get(
        url__startswith="https://api.kolada.se/v3/data/kpi/U01405/municipality/"
    ).mock(
        return_value=httpx.Response(
            200,
            json={
                "values": [
                    {
                        "kpi": "U01405",
                        "municipality": "0001",
                        "period": 2030,
                        "values": [{"gender": "T", "value": 71.5}],
                    },
                    {
                        "kpi": "U01405",
                        "municipality": "0127",
                        "period": 2030,
                        "values": [{"gender": "T", "value": None}],
                    },
                ],
                "next_url": None,
            },
        )
    )
    run = fetch_kolada(["U01405"], ["01"], [2030], client=KoladaClient(_http()))
    url = str(route.calls[0].request.url)
    assert "0001,0114" in url  # the län and its kommuner (26 + 1 = 27 → two chunks)
    assert route.call_count == 2
    assert run.kind == "kolada" and run.rows == 2
    missing = Observation.objects.get(indicator__code="U01405", area__code="0127", period="2030")
    assert missing.value is None and "no value" in missing.note
    assert (
        Observation.objects.get(indicator__code="U01405", area__code="01", period="2030").value
        == 71.5
    )


@respx.mock
def test_fetch_pxweb_with_query_file(demo) -> None:  # noqa: ANN001
    import json

    root = "https://fohm-app.folkhalsomyndigheten.se/Folkhalsodata/api/v1/sv/"
    table = root + "A_Folkhalsodata/A_Mo8/Halsoutfall/01Overgrip/01.01halsgod/halsgodyreg.px"
    load = lambda name: json.loads((FIXTURES / "pxweb" / name).read_text(encoding="utf-8"))  # noqa: E731
    respx.get(root, params={"config": ""}).mock(
        return_value=httpx.Response(200, json=load("fohm_v1_config.json"))
    )
    respx.get(table).mock(return_value=httpx.Response(200, json=load("fohm_v1_metadata.json")))
    respx.post(table).mock(return_value=httpx.Response(200, json=load("fohm_v1_data.json")))
    run, warnings = fetch_pxweb(
        "", FIXTURES / "pxweb" / "fohm_halsgod.toml", client=PxWebClient(_http())
    )
    assert warnings == [] and run.rows == 3
    row = Observation.objects.get(
        indicator__code="U01405", area__code="0127", period="2021-2024", category="total"
    )
    assert (row.value, row.lower, row.upper, row.period_start, row.period_end) == (
        66.1,
        62.0,
        70.2,
        2021,
        2024,
    )


def test_comparisons_for_area(demo, botkyrka) -> None:  # noqa: ANN001
    from jamlik.indicators.own import indicators_for

    result = comparisons_for_area(botkyrka)
    assert len(result) == len(indicators_for(botkyrka))  # the catalogue's 50, the county's own
    by_code = {ind.code: (comparison, period) for ind, comparison, period in result}
    assert by_code["N66080"] == (
        Comparison.WORSE,
        "2024",
    )  # invented: Botkyrka worse than the county
    assert by_code["N15507"][0] is Comparison.NOT_COMPARED  # a mean without interval
    assert all(isinstance(c, Comparison) for _i, c, _p in result)


def test_cli_import_reports_problems_and_exit_code(demo) -> None:  # noqa: ANN001
    from jamlik.cli import app

    runner = CliRunner()
    bad = runner.invoke(app, ["import", str(FIXTURES / "import" / "errors.csv")])
    assert bad.exit_code == 1
    assert "Nothing was imported" in bad.output
    assert "errors.csv, row 2, column 'value': got 'sextio'" in bad.output
    good = runner.invoke(app, ["import", str(FIXTURES / "import" / "good_comma_utf8bom.csv")])
    assert good.exit_code == 0, good.output
    assert "Imported 3 rows" in good.output


def test_cli_fetch_kolada_offline_message(demo, monkeypatch) -> None:  # noqa: ANN001
    from jamlik.cli import app
    from jamlik.sources import SourceOfflineError

    def offline(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise SourceOfflineError(
            "Could not reach Kolada at api.kolada.se after 5 attempts (ConnectError). Check the network connection"
        )

    monkeypatch.setattr("jamlik.indicators.services.fetch_kolada", offline)
    result = CliRunner().invoke(
        app, ["fetch", "kolada", "--kpi", "N00957", "--area", "01", "--years", "2015-2024"]
    )
    assert result.exit_code == 1
    assert "Nothing was stored" in result.output and "Could not reach Kolada" in result.output
    bad_years = CliRunner().invoke(
        app, ["fetch", "kolada", "--kpi", "N00957", "--area", "01", "--years", "soon"]
    )
    assert bad_years.exit_code == 2

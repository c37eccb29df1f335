"""PxWeb v1 (Folkhälsodata) and v2 (SCB) against hand-made responses in their exact shapes."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

from jamlik.sources import PxWebClient, QueryFileError, SourceError, load_query, parse_query
from jamlik.sources.http import JsonHttp
from jamlik.sources.pxweb import parse_endpoint, split_selection

from .helpers import FIXTURES, load_json

FOHM_ROOT = "https://fohm-app.folkhalsomyndigheten.se/Folkhalsodata/api/v1/sv/"
FOHM_TABLE = FOHM_ROOT + "A_Folkhalsodata/A_Mo8/Halsoutfall/01Overgrip/01.01halsgod/halsgodyreg.px"
SCB_V2 = "https://statistikdatabasen.scb.se/api/v2"


def test_endpoints_are_derived_from_table_urls() -> None:
    v1 = parse_endpoint(FOHM_TABLE)
    assert v1.api == "v1"
    assert v1.config_url == FOHM_ROOT + "?config"
    assert v1.data_url == FOHM_TABLE
    scb_v1 = parse_endpoint(
        "https://api.scb.se/OV0104/v1/doris/sv/ssd/BE/BE0101/BE0101A/BefolkningNy"
    )
    assert scb_v1.config_url == "https://api.scb.se/OV0104/v1/doris/sv/?config"
    v2 = parse_endpoint(f"{SCB_V2}/tables/TAB638/data")
    assert (v2.api, v2.table) == ("v2", "TAB638")
    assert v2.config_url == f"{SCB_V2}/config"
    assert v2.metadata_url == f"{SCB_V2}/tables/TAB638/metadata"
    with pytest.raises(SourceError, match="v1 from v2"):
        parse_endpoint("https://example.org/some/table")


def _mock_fohm(data_fixture: str) -> respx.Route:
    respx.get(FOHM_ROOT, params={"config": ""}).mock(
        return_value=httpx.Response(200, json=load_json("pxweb/fohm_v1_config.json"))
    )
    respx.get(FOHM_TABLE).mock(
        return_value=httpx.Response(200, json=load_json("pxweb/fohm_v1_metadata.json"))
    )
    return respx.post(FOHM_TABLE).mock(
        return_value=httpx.Response(200, json=load_json(data_fixture))
    )


@respx.mock
def test_v1_json_with_missing_symbols_and_measures(http: JsonHttp) -> None:
    data = _mock_fohm("pxweb/fohm_v1_data.json")
    query = load_query(FIXTURES / "pxweb/fohm_halsgod.toml")
    result = PxWebClient(http).fetch(query)
    body = json.loads(data.calls[0].request.content)
    assert body["response"] == {"format": "json"}
    selections = {q["code"]: q["selection"] for q in body["query"]}
    assert selections["År"] == {"filter": "item", "values": ["2021-2024"]}  # top 1 = newest
    assert selections["Kön"]["values"] == ["00", "01", "02"]
    assert result.limits.max_cells == 1000
    rows = {o.category: o for o in result.observations}
    assert len(rows) == 3
    total = rows["total"]
    assert (total.indicator, total.area, total.period, total.breakdown) == (
        "U01405",
        "0127",
        "2021-2024",
        "total",
    )
    assert (total.value, total.lower, total.upper) == (66.1, 62.0, 70.2)
    assert rows["female"].breakdown == "sex"
    assert rows["male"].value is None
    assert "symbol '..'" in rows["male"].note
    assert total.source == "Folkhälsomyndigheten, Folkhälsodata, halsgodyreg.px"


@respx.mock
def test_v1_json_stat2_response(http: JsonHttp) -> None:
    data = _mock_fohm("pxweb/fohm_v1_data_jsonstat2.json")
    query = parse_query(
        {
            "indicator": "U01405",
            "variables": {
                "Region": {"role": "area", "values": ["0180"]},
                "Kön": {"role": "fixed", "values": ["00"]},
                "Andel och konfidensintervall": {
                    "role": "measure",
                    "values": ["*"],
                    "measures": {"01": "value", "02": "lower", "03": "upper"},
                },
                "År": {"role": "period", "values": ["2017-2020", "2021-2024"]},
            },
        }
    )
    result = PxWebClient(http).fetch(query, FOHM_TABLE)
    assert json.loads(data.calls[0].request.content)["response"] == {"format": "json-stat2"}
    by_period = {o.period: o for o in result.observations}
    assert by_period["2017-2020"].value == 74.0
    assert by_period["2021-2024"].lower == 74.1  # row-major over id: measure varies before period
    assert by_period["2021-2024"].upper == 76.3


@respx.mock
def test_v2_post_json_stat2_with_status(http: JsonHttp) -> None:
    respx.get(f"{SCB_V2}/config").mock(
        return_value=httpx.Response(200, json=load_json("pxweb/scb_v2_config.json"))
    )
    meta = respx.get(f"{SCB_V2}/tables/TAB638/metadata").mock(
        return_value=httpx.Response(200, json=load_json("pxweb/scb_v2_metadata.json"))
    )
    data = respx.post(f"{SCB_V2}/tables/TAB638/data").mock(
        return_value=httpx.Response(200, json=load_json("pxweb/scb_v2_data.json"))
    )
    query = load_query(FIXTURES / "pxweb/scb_population.json")
    result = PxWebClient(http).fetch(query, f"{SCB_V2}/tables/TAB638")
    assert meta.calls[0].request.url.params["outputFormat"] == "json-stat2"
    body = json.loads(data.calls[0].request.content)
    selection = {s["variableCode"]: s["valueCodes"] for s in body["selection"]}
    assert selection == {
        "Region": ["0127", "0180"],
        "Kon": ["TotSa", "1", "2"],
        "ContentsCode": ["BE0101N1"],
        "Tid": ["2024", "2023"],
    }
    assert result.limits.max_cells == 150000 and result.limits.max_calls == 3
    rows = {(o.area, o.category, o.period): o for o in result.observations}
    assert len(rows) == 12
    assert rows[("0127", "total", "2023")].value == 95300
    assert rows[("0127", "male", "2024")].value == 48300
    assert rows[("0180", "total", "2024")].value is None
    assert rows[("0180", "total", "2024")].note == "value missing in source (symbol '..')"
    assert rows[("0180", "female", "2024")].value == 497500
    assert {o.source for o in result.observations} == {"SCB, Folkmängd"}


@respx.mock
def test_v2_get_uses_valuecodes_parameters(http: JsonHttp) -> None:
    respx.get(f"{SCB_V2}/config").mock(
        return_value=httpx.Response(200, json=load_json("pxweb/scb_v2_config.json"))
    )
    respx.get(f"{SCB_V2}/tables/TAB638/metadata").mock(
        return_value=httpx.Response(200, json=load_json("pxweb/scb_v2_metadata.json"))
    )
    data = respx.get(f"{SCB_V2}/tables/TAB638/data").mock(
        return_value=httpx.Response(200, json=load_json("pxweb/scb_v2_data.json"))
    )
    raw = load_json("pxweb/scb_population.json")
    raw["method"] = "get"
    raw["variables"]["Tid"]["values"] = ["from(2023)"]
    PxWebClient(http).fetch(parse_query(raw), f"{SCB_V2}/tables/TAB638")
    params = data.calls[0].request.url.params
    assert params["valuecodes[Region]"] == "0127,0180"
    assert params["valuecodes[Tid]"] == "2023,2024"
    assert params["valuecodes[Kon]"] == "TotSa,1,2"


@respx.mock
def test_queries_are_split_to_respect_the_cell_limit(http: JsonHttp) -> None:
    respx.get(FOHM_ROOT, params={"config": ""}).mock(
        return_value=httpx.Response(200, json={"maxValues": 4, "maxCalls": 30, "timeWindow": 10})
    )
    respx.get(FOHM_TABLE).mock(
        return_value=httpx.Response(200, json=load_json("pxweb/fohm_v1_metadata.json"))
    )
    data = respx.post(FOHM_TABLE).mock(
        return_value=httpx.Response(200, json=load_json("pxweb/fohm_v1_data_jsonstat2.json"))
    )
    query = parse_query(
        {
            "indicator": "U01405",
            "variables": {
                "Region": {"role": "area", "values": ["0180"]},
                "Kön": {"role": "fixed", "values": ["00"]},
                "Andel och konfidensintervall": {
                    "role": "measure",
                    "values": ["*"],
                    "measures": {"01": "value"},
                },
                "År": {"role": "period", "values": ["*"]},
            },
        }
    )
    result = PxWebClient(http).fetch(query, FOHM_TABLE)
    # 4 measures x 3 periods = 12 cells; at most 4 per call.
    assert result.calls == data.call_count == 3
    for call in data.calls:
        sizes = [len(q["selection"]["values"]) for q in json.loads(call.request.content)["query"]]
        product = 1
        for size in sizes:
            product *= size
        assert product <= 4


def test_split_selection_refuses_when_impossible() -> None:
    assert split_selection({"a": ["1", "2"], "b": ["x"]}, 2) == [{"a": ["1", "2"], "b": ["x"]}]
    parts = split_selection({"a": [str(i) for i in range(10)], "b": ["x", "y"]}, 6)
    assert sum(len(p["a"]) * len(p["b"]) for p in parts) == 20
    assert all(len(p["a"]) * len(p["b"]) <= 6 for p in parts)
    with pytest.raises(SourceError, match="select fewer"):
        split_selection({"a": ["1", "2"]}, 1, fixed=["a"])


@respx.mock
def test_missing_config_falls_back_to_cautious_limits(http: JsonHttp) -> None:
    respx.get(FOHM_ROOT, params={"config": ""}).mock(return_value=httpx.Response(404))
    respx.get(FOHM_TABLE).mock(
        return_value=httpx.Response(200, json=load_json("pxweb/fohm_v1_metadata.json"))
    )
    respx.post(FOHM_TABLE).mock(
        return_value=httpx.Response(200, json=load_json("pxweb/fohm_v1_data.json"))
    )
    result = PxWebClient(http).fetch(load_query(FIXTURES / "pxweb/fohm_halsgod.toml"))
    assert not result.limits.from_config
    assert "cautious limits" in result.warnings[0]


@respx.mock
def test_unknown_variable_and_value_are_named(http: JsonHttp) -> None:
    respx.get(FOHM_ROOT, params={"config": ""}).mock(
        return_value=httpx.Response(200, json=load_json("pxweb/fohm_v1_config.json"))
    )
    respx.get(FOHM_TABLE).mock(
        return_value=httpx.Response(200, json=load_json("pxweb/fohm_v1_metadata.json"))
    )
    query = parse_query(
        {
            "indicator": "X",
            "variables": {
                "Region": {"role": "area", "values": ["0999"]},
                "År": {"role": "period", "values": ["*"]},
            },
        }
    )
    with pytest.raises(SourceError, match="'Region' has no value '0999'"):
        PxWebClient(http).fetch(query, FOHM_TABLE)
    query = parse_query(
        {"indicator": "X", "variables": {"Kommun": {"role": "area"}, "År": {"role": "period"}}}
    )
    with pytest.raises(SourceError, match="no variable 'Kommun'"):
        PxWebClient(http).fetch(query, FOHM_TABLE)


@respx.mock
def test_unmapped_varying_variable_is_an_error(http: JsonHttp) -> None:
    _mock_fohm("pxweb/fohm_v1_data.json")
    query = parse_query(
        {
            "indicator": "U01405",
            "format": "json",
            "variables": {
                "Region": {"role": "area", "values": ["0127"]},
                "Andel och konfidensintervall": {
                    "role": "measure",
                    "values": ["*"],
                    "measures": {"01": "value"},
                },
                "År": {"role": "period", "values": ["2021-2024"]},
            },
        }
    )
    with pytest.raises(SourceError, match="'Kön'"):
        PxWebClient(http).fetch(query, FOHM_TABLE)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "variables: must be a table"),
        (
            {"indicator": "X", "variables": {"R": {"role": "place"}}},
            "variables.R.role: got 'place'",
        ),
        (
            {"indicator": "X", "variables": {"R": {"role": "area"}}},
            "one variable must have role 'period'",
        ),
        (
            {"variables": {"R": {"role": "area"}, "T": {"role": "period"}}},
            "indicator: give the indicator id",
        ),
        (
            {
                "indicator": "X",
                "variables": {
                    "R": {"role": "area"},
                    "T": {"role": "period"},
                    "K": {"role": "breakdown"},
                },
            },
            "variables.K.dimension",
        ),
        (
            {
                "indicator": "X",
                "variables": {
                    "R": {"role": "area"},
                    "T": {"role": "period"},
                    "C": {"role": "measure", "measures": {"1": "mean"}},
                },
            },
            "unknown field",
        ),
        (
            {
                "indicator": "X",
                "variables": {
                    "R": {"role": "area"},
                    "T": {"role": "period"},
                    "C": {"role": "fixed", "values": ["a", "b"]},
                },
            },
            "exactly one value",
        ),
        (
            {
                "indicator": "X",
                "format": "csv",
                "variables": {"R": {"role": "area"}, "T": {"role": "period"}},
            },
            "format",
        ),
    ],
)
def test_query_file_errors_name_the_key(data: dict[str, object], message: str) -> None:
    with pytest.raises(QueryFileError, match=message):
        parse_query(data, origin="q.toml")


def test_query_file_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("indicator = ", encoding="utf-8")
    with pytest.raises(QueryFileError, match="broken.toml: not valid TOML"):
        load_query(path)

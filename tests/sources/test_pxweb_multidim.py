"""PxWeb tables with several breakdowns (SCB TAB6471 style: region × age × sex × month).

Before: two breakdowns were refused by the query file, one left out stopped the
fetch without saying what to do, and a breakdown mapped as an indicator
silently dropped two thirds of the cells.  Now every cell is stored under a
composite breakdown (``age*sex``), and anything unmapped is an error naming
the variable, the codes and their labels.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest
import respx

from jamlik.sources import PxWebClient, QueryFileError, load_query, parse_query
from jamlik.sources.http import JsonHttp
from jamlik.sources.jsonstat import decode_jsonstat2, dimension_labels
from jamlik.sources.observations import (
    STATUS_CONFIDENTIAL,
    STATUS_NONE,
    STATUS_UNAVAILABLE,
    STATUS_VALUE,
)
from jamlik.sources.pxweb import cells_to_observations

from .helpers import FIXTURES, load_json

SCB_V2 = "https://statistikdatabasen.scb.se/api/v2"
TABLE = f"{SCB_V2}/tables/TAB6471"


def _query(**changes: Any) -> dict[str, Any]:
    import tomllib

    raw = tomllib.loads((FIXTURES / "pxweb/scb_tab6471.toml").read_text(encoding="utf-8"))
    for code, spec in changes.items():
        if spec is None:
            raw["variables"].pop(code)
        else:
            raw["variables"][code] = spec
    return raw


def _observations(query: dict[str, Any], fixture: str = "pxweb/scb_tab6471_data.json") -> list:
    body = load_json(fixture)
    return cells_to_observations(
        decode_jsonstat2(body), parse_query(query), "SCB, TAB6471", dimension_labels(body)
    )


def test_two_breakdowns_store_every_cell_under_a_composite_breakdown() -> None:
    rows = _observations(_query())
    # 2 regions × 4 ages × 3 sexes × 2 months: every cell is a row, none lost.
    assert len(rows) == 48
    assert len({o.key for o in rows}) == 48
    by_key = {(o.area, o.period, o.breakdown, o.category): o for o in rows}
    assert by_key[("0127", "2024M01", "total", "total")].value == 1000
    # margins are ordinary single breakdowns
    assert by_key[("0127", "2024M01", "sex", "male")].value == 1002
    assert by_key[("0127", "2024M01", "age", "65-84")].value == 1012
    # a cross-classified cell: women aged 65-84
    assert by_key[("0127", "2024M02", "age*sex", "65-84*female")].value is None
    assert by_key[("0127", "2024M01", "age*sex", "0-64*female")].value == 1010
    assert {o.period for o in rows} == {"2024M01", "2024M02"}
    assert {o.breakdown for o in rows} == {"total", "age", "sex", "age*sex"}


def test_status_symbols_are_decoded_per_cell() -> None:
    rows = {(o.area, o.period, o.category): o for o in _observations(_query())}
    unavailable = rows[("0180", "2024M02", "85+*female")]
    none = rows[("0127", "2024M01", "85+*male")]
    confidential = rows[("0127", "2024M02", "65-84*female")]
    assert (unavailable.value, unavailable.status) == (None, STATUS_UNAVAILABLE)
    assert (none.value, none.status) == (None, STATUS_NONE)
    assert (confidential.value, confidential.status) == (None, STATUS_CONFIDENTIAL)
    assert rows[("0127", "2024M01", "total")].status == STATUS_VALUE
    assert "symbol '-'" in none.note


def test_category_notes_follow_their_rows() -> None:
    rows = _observations(_query())
    stockholm = [o for o in rows if o.area == "0180"]
    assert all("gränsen ändrades" in o.note for o in stockholm)
    assert not any("gränsen" in o.note for o in rows if o.area == "0127")


def test_a_breakdown_mapped_as_indicator_is_an_error_not_a_silent_drop() -> None:
    query = _query(Kon={"role": "indicator", "values": ["*"], "indicators": {"TotSa": "POP"}})
    with pytest.raises(QueryFileError) as caught:
        _observations(query)
    message = str(caught.value)
    assert "variables.Kon.indicators" in message
    assert "'1' (män)" in message and "'2' (kvinnor)" in message


def test_unmapped_breakdown_values_are_listed_with_labels() -> None:
    query = _query(
        Alder={
            "role": "breakdown",
            "dimension": "age",
            "values": ["*"],
            "categories": {"tot": "total", "0-64": "0-64"},
        }
    )
    with pytest.raises(QueryFileError) as caught:
        _observations(query)
    message = str(caught.value)
    assert "variables.Alder.categories" in message
    assert "'65-84' (65-84 år)" in message and "'85+' (85+ år)" in message


def test_a_varying_variable_without_a_role_is_named_with_what_to_add() -> None:
    with pytest.raises(QueryFileError) as caught:
        _observations(_query(Alder=None))
    message = str(caught.value)
    assert "'Alder'" in message and "variables.Alder" in message
    assert "'0-64' (0-64 år)" in message and "'breakdown'" in message


def test_an_answer_without_the_region_variable_says_what_to_change() -> None:
    with pytest.raises(QueryFileError) as caught:
        _observations(_query(), "pxweb/scb_tab6471_data_no_region.json")
    message = str(caught.value)
    assert "no variable 'Region'" in message
    assert "Alder, ContentsCode, Kon, Tid" in message  # what the answer had
    assert "variables.Region.values" in message  # what to change


def test_query_file_accepts_several_breakdowns_and_checks_their_names() -> None:
    query = load_query(FIXTURES / "pxweb/scb_tab6471.toml")
    assert [v.dimension for v in query.by_role(query.variables[1].role)] == ["age", "sex"]
    assert query.variable("Alder").mapping["tot"] == "total"
    duplicate = _query(
        Kon={"role": "breakdown", "dimension": "age", "values": ["*"], "categories": {}}
    )
    with pytest.raises(QueryFileError, match="already the dimension of variable 'Alder'"):
        parse_query(duplicate)
    starred = _query(
        Kon={"role": "breakdown", "dimension": "sex", "categories": {"1": "m*n"}, "values": ["*"]}
    )
    with pytest.raises(QueryFileError, match="may not contain"):
        parse_query(starred)


def test_an_unparseable_time_value_is_an_error() -> None:
    body = copy.deepcopy(load_json("pxweb/scb_tab6471_data.json"))
    tid = body["dimension"]["Tid"]["category"]
    tid["index"] = {"jan 2024": 0, "2024M02": 1}
    tid["label"] = {"jan 2024": "jan 2024", "2024M02": "2024M02"}
    with pytest.raises(Exception, match="'jan 2024'.*month \\(2024M03\\)"):
        cells_to_observations(decode_jsonstat2(body), parse_query(_query()), "SCB")


@respx.mock
def test_fetch_keeps_the_table_notes_and_every_cell(http: JsonHttp) -> None:
    respx.get(f"{SCB_V2}/config").mock(
        return_value=httpx.Response(200, json=load_json("pxweb/scb_v2_config.json"))
    )
    respx.get(f"{TABLE}/metadata").mock(
        return_value=httpx.Response(200, json=load_json("pxweb/scb_tab6471_metadata.json"))
    )
    respx.post(f"{TABLE}/data").mock(
        return_value=httpx.Response(200, json=load_json("pxweb/scb_tab6471_data.json"))
    )
    result = PxWebClient(http).fetch(load_query(FIXTURES / "pxweb/scb_tab6471.toml"))
    assert len(result.observations) == 48
    notes = {n.text: n.mandatory for n in result.notes}
    assert notes["Uppgifterna är preliminära."] is False
    assert notes["Från och med 2024 har slumpmässigt brus lagts till för att skydda enskilda."]
    assert notes["ålder: Ålder vid månadens slut."] is False
    assert notes["Stockholm: Stockholms kommun: gränsen ändrades 2024-01-01."] is True

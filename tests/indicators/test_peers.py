"""Peer-group benchmarks: kommungrupp and similar kommuner on the profile, overview,
indicator page and API (the mean of the peers' published values, the kommun left out)."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pandas as pd
import pytest
from django.test import Client

from jamlik.indicators import analysis
from jamlik.indicators.viewstate import Benchmark, ViewState


# ---------------------------------------------------------------- pure
def _rows(values: dict[int, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": 1,
            "period": "2024",
            "area_id": list(values),
            "value": list(values.values()),
        }
    )


def test_peer_mean_leaves_the_kommun_out_and_counts_peers_with_values() -> None:
    frame = _rows({10: 100.0, 11: 2.0, 12: 4.0, 13: math.nan})
    found = analysis.peer_means(frame, {10: (10, 11, 12, 13), 11: (10, 12)})
    by_area = found.set_index("for_area")
    assert by_area.loc[10, "value"] == pytest.approx(3.0)  # 2 and 4; itself and NaN left out
    assert by_area.loc[10, "count"] == 2
    assert by_area.loc[11, "value"] == pytest.approx(52.0)  # unweighted: (100 + 4) / 2
    assert by_area.loc[11, "count"] == 2


def test_no_peer_with_a_value_gives_no_comparison_not_an_error() -> None:
    from jamlik.indicators.models import Indicator

    indicator = Indicator(pk=1, code="X", polarity="low", value_type="proportion")
    frame = _rows({10: 5.0, 11: math.nan}).assign(lower=4.0, upper=6.0)
    bench = analysis.peer_means(frame, {10: (11,), 12: ()})
    compared = analysis.compare_with(frame[frame["area_id"] == 10], bench, {1: indicator})
    assert math.isnan(compared["benchmark"].iloc[0])
    assert compared["comparison"].iloc[0] == "not_compared"
    assert compared["peer_count"].iloc[0] == 0
    empty = analysis.peer_means(frame.iloc[0:0], {10: (11,)})
    assert list(empty.columns) == analysis.PEER_MEAN_COLUMNS and empty.empty


def test_each_area_is_compared_with_its_own_peers() -> None:
    from jamlik.indicators.models import Indicator

    indicator = Indicator(pk=1, code="X", polarity="low", value_type="proportion")
    frame = _rows({10: 5.0, 11: 5.0, 20: 9.0, 21: 1.0}).assign(lower=4.5, upper=5.5)
    bench = analysis.peer_means(frame, {10: (20,), 11: (21,)})
    compared = analysis.compare_with(frame[frame["area_id"] < 20], bench, {1: indicator})
    assert compared.set_index("area_id")["comparison"].to_dict() == {10: "better", 11: "worse"}


@pytest.mark.parametrize("bench", ["grupp", "liknande"])
def test_the_choice_keeps_its_state_in_the_url(bench: str) -> None:
    state = ViewState.from_query({"bench": bench, "sex": "female"})
    assert state.benchmark is Benchmark(bench) and state.benchmark.is_peer_group
    assert f"bench={bench}" in state.to_query()
    assert ViewState.from_query({"bench": "grannar"}).bench == "lan"
    assert not Benchmark.COUNTY.is_peer_group


# ---------------------------------------------------------------- with the demo data
def _published(indicator_code: str, codes: list[str], period: str) -> dict[str, float]:
    from jamlik.indicators.models import PublicObservation

    rows = PublicObservation.objects.filter(
        indicator__code=indicator_code,
        area__code__in=codes,
        period=period,
        breakdown="total",
        category="total",
        value__isnull=False,
    ).values_list("area__code", "value")
    return {code: float(value) for code, value in rows}


def test_similar_kommuner_on_the_profile_are_the_mean_of_seven_others(demo) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area
    from jamlik.indicators.profile import profile_figures
    from jamlik.indicators.queries import Visibility

    botkyrka = Area.objects.get(code="0127")
    figures = profile_figures(botkyrka, ViewState(bench="liknande"), Visibility.public())
    peers = figures.peers
    assert peers is not None and figures.benchmark is peers
    codes = [p.code for p in peers.peers]
    assert len(codes) == 7 and "0127" not in codes
    assert all(code.startswith("01") for code in codes)  # the only kommuner with values
    assert peers.searched == 26 and peers.left_out == 290 - 26
    rows = {r.indicator.code: r for _name, group in figures.groups for r in group}
    row = rows["N66080"]
    expected = _published("N66080", codes, row.period)
    assert row.peer_count == len(expected) == 7
    assert row.peer_mean == pytest.approx(np.mean(list(expected.values())))
    assert row.marker.key != "not_compared"


def test_a_kommun_whose_group_has_no_values_is_not_compared(demo) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area
    from jamlik.indicators.profile import profile_figures
    from jamlik.indicators.queries import Visibility

    stockholm = Area.objects.get(code="0180")  # A1: Göteborg and Malmö have no demo values
    figures = profile_figures(stockholm, ViewState(bench="grupp"), Visibility.public())
    assert [p.code for p in figures.peers.peers] == ["1280", "1480"]
    assert figures.peers.with_values == 0
    rows = [r for _name, group in figures.groups for r in group]
    assert all(r.peer_mean is None and r.peer_count == 0 for r in rows)
    assert {r.marker.key for r in rows if r.indicator.value_type == "proportion"} == {
        "not_compared"
    }


def test_profile_page_names_the_group_and_its_peers(demo) -> None:  # noqa: ANN001
    client = Client()
    html = client.get("/lagesbild/kommun/0127/?bench=grupp").content.decode()
    assert 'value="grupp" selected' in html
    assert "Pendlingskommun nära storstad (A2)" in html
    assert "21 av de 42" in html
    assert 'href="/lagesbild/kommun/0186/"' in html  # Lidingö, a peer with values
    html = client.get("/lagesbild/kommun/0127/?bench=liknande").content.decode()
    assert 'value="liknande" selected' in html
    assert "Jämförs med genomsnittet för 7 liknande kommuner" in html
    assert "264" in html  # kommuner left out for lacking a value
    html = client.get("/lagesbild/kommun/0180/?bench=grupp").content.decode()
    assert "2 andra kommuner" in html
    assert "Ingen av dem hade publicerade värden" in html


def test_county_overview_compares_each_kommun_with_its_own_peers(demo) -> None:  # noqa: ANN001
    client = Client()
    response = client.get("/lagesbild/lan/01/?bench=liknande")
    assert response.status_code == 200
    assert 'value="liknande" selected' in response.content.decode()
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/lagesbild/lan/01/csv/?bench=liknande").content.decode("utf-8-sig")
            )
        )
    )
    botkyrka = next(r for r in rows if r["area"] == "0127" and r["indicator"] == "N66080")
    danderyd = next(r for r in rows if r["area"] == "0162" and r["indicator"] == "N66080")
    assert botkyrka["benchmark"] != danderyd["benchmark"]  # each against its own peers
    from jamlik.geo.peers import similar

    codes = [n.code for n in similar("0127")]
    expected = _published("N66080", codes, botkyrka["period"])
    assert float(botkyrka["benchmark"]) == pytest.approx(np.mean(list(expected.values())))
    stockholm = next(
        r
        for r in csv.DictReader(
            io.StringIO(
                client.get("/lagesbild/lan/01/csv/?bench=grupp").content.decode("utf-8-sig")
            )
        )
        if r["area"] == "0180" and r["indicator"] == "N66080"
    )
    assert stockholm["benchmark"] == ""  # no A1 peer has demo values: not compared


def test_indicator_page_with_peers(demo) -> None:  # noqa: ANN001
    client = Client()
    response = client.get("/lagesbild/indikator/N66080/?bench=liknande&area=0127")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="liknande" selected' in html
    assert "Södertälje" in html
    assert client.get("/lagesbild/indikator/N66080/?bench=grupp").status_code == 200
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    "/lagesbild/indikator/N66080/csv/?bench=grupp&part=compare"
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert len(rows) == 26


def test_peers_api(demo) -> None:  # noqa: ANN001
    client = Client()
    data = client.get("/api/v1/areas/0127/peers").json()
    assert data["kommungrupp"] == {
        "code": "A2",
        "name_sv": "Pendlingskommun nära storstad",
        "name_en": "Commuting municipality near a large city",
        "size": 43,
    }
    assert data["k"] == 7 and len(data["neighbours"]) == 7
    distances = [n["distance"] for n in data["neighbours"]]
    assert distances == sorted(distances) and distances[0] > 0
    assert data["indicators"] == ["N66080", "N01982", "N03937", "N31807", "N01951"]
    assert data["searched"] == 26 and len(data["left_out"]) == 264
    assert len(client.get("/api/v1/areas/0127/peers?k=3").json()["neighbours"]) == 3
    far = client.get("/api/v1/areas/1480/peers").json()  # Göteborg: no demo values
    assert far["kommungrupp"]["code"] == "A1" and far["neighbours"] == []
    assert client.get("/api/v1/areas/01/peers").status_code == 422
    assert client.get("/api/v1/areas/0127/peers?k=0").status_code == 422
    assert client.get("/api/v1/areas/9999/peers").json()["message"]

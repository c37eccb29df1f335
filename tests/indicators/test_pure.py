"""Pure helpers: URL view state, chart specs, markers, the catalogue file."""

from __future__ import annotations

import pytest

from jamlik.indicators import charts
from jamlik.indicators.catalogue import load_catalogue
from jamlik.indicators.pages import spark_polyline
from jamlik.indicators.presentation import comparison_marker, tile_class, trend_marker
from jamlik.indicators.viewstate import Benchmark, ViewState
from jamlik.stats import Comparison, TrendDirection


def test_view_state_round_trip_and_defaults() -> None:
    state = ViewState.from_query(
        {"indicator": "N03937", "bench": "riket", "sex": "female", "areas": "0127,0180,0127"}
    )
    assert state.benchmark is Benchmark.COUNTRY
    assert state.areas == ("0127", "0180")
    query = state.to_query()
    assert query.startswith("?") and "bench=riket" in query and "areas=0127%2C0180" in query
    assert (
        ViewState.from_query(dict(p.split("=") for p in query[1:].replace("%2C", ",").split("&")))
        == state
    )
    assert ViewState().to_query() == ""
    assert state.to_query(bench="lan", sex="total", indicator="", areas=()) == ""


@pytest.mark.parametrize(
    "query",
    [
        {"bench": "moon"},
        {"sex": "<script>"},
        {"breakdown": "religion"},
        {"indicator": "';--"},
        {"period": "2024; drop"},
    ],
)
def test_view_state_ignores_bad_values(query: dict[str, str]) -> None:
    assert ViewState.from_query(query) == ViewState()


def test_markers_have_symbol_label_and_class_for_every_result() -> None:
    for result in Comparison:
        marker = comparison_marker(result)
        assert marker.symbol and str(marker.label) and marker.css.startswith("badge-")
    for direction in TrendDirection:
        assert trend_marker(direction).symbol
    assert comparison_marker(None).key == "not_compared"
    assert tile_class("worse") == "tile-worse" and tile_class(None) == ""


def test_compare_bars_spec_has_intervals_benchmark_and_quiet_marks() -> None:
    rows = [{"area": "A", "value": 10.0, "lower": 8.0, "upper": 12.0, "comparison": "Similar"}]
    spec = charts.compare_areas_bars(rows, unit="%", benchmark=11.0, benchmark_label="Län")
    kinds = [layer["mark"]["type"] for layer in spec["layer"]]
    assert kinds == ["bar", "rule", "rule"]
    assert spec["layer"][1]["encoding"]["x2"] == {"field": "upper"}
    assert spec["layer"][2]["data"]["values"] == [{"benchmark": 11.0, "label": "Län"}]
    assert all(layer["mark"]["aria"] is False for layer in spec["layer"])
    assert spec["data"]["values"] == rows
    no_bench = charts.compare_areas_bars(rows, unit="", benchmark=None, benchmark_label="")
    assert len(no_bench["layer"]) == 2


def test_trend_and_funnel_specs() -> None:
    trend = charts.trend_chart(
        [{"year": 2024, "value": 1, "lower": 0, "upper": 2, "series": "A", "period": "2024"}],
        unit="%",
    )
    assert [layer["mark"]["type"] for layer in trend["layer"]] == ["area", "line"]
    funnel = charts.funnel_plot(
        [{"x": 10, "value": 1, "area": "A", "comparison": "Similar"}],
        [{"x": 10, "value": 2, "limit": "upper 95 %"}],
        x_title="n",
        unit="%",
    )
    assert funnel["layer"][0]["encoding"]["x"]["scale"]["type"] == "log"


def test_spark_polyline() -> None:
    assert spark_polyline([1.0]) == ""
    points = spark_polyline([1.0, 3.0, 2.0])
    assert points.split() == ["0.0,22.0", "50.0,2.0", "100.0,12.0"]


def test_catalogue_file_is_complete_and_uses_reference_ids(shared_dir) -> None:  # noqa: ANN001
    import csv

    entries = {e.id: e for e in load_catalogue()}
    assert len(entries) == 50
    with open(
        shared_dir / "reference" / "kolada" / "kpis_folkhalsa.csv", encoding="utf-8"
    ) as handle:
        reference = {row["kpi"]: row for row in csv.DictReader(handle)}
    assert set(reference) <= set(entries)
    for kpi, row in reference.items():
        entry = entries[kpi]
        if row["malomrade"]:
            assert int(row["malomrade"]) in entry.target_areas, kpi
        assert entry.definition_sv and entry.definition_en, kpi
        assert entry.definition_sv not in row["description"], (
            f"{kpi}: write the definition in our own words"
        )


def test_method_anchors_exist_in_the_methods_page() -> None:
    import re
    from pathlib import Path

    from jamlik.indicators.labels import METHOD_ANCHORS

    text = (Path(__file__).resolve().parents[2] / "docs" / "methods.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a id="([\w-]+)"', text))
    for anchor in METHOD_ANCHORS.values():
        assert anchor in anchors, anchor
        assert "en-" + anchor in anchors, anchor


def test_every_measure_links_to_a_method() -> None:
    from jamlik.indicators.labels import MEASURE_LABELS, METHOD_ANCHORS

    assert set(MEASURE_LABELS) <= set(METHOD_ANCHORS)

"""Charts print numbers the Swedish way, compile without Vega warnings, and say so when empty.

The specs are compiled and drawn with vl-convert (the same Vega-Lite and Vega as
the browser, run on the server), so a compile warning the browser would log fails
here first. vl-convert does not pass on Vega's run-time warnings ("Infinite
extent"), and charts.js applies the locale in the browser: both are checked in
tests/e2e/test_layout.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import vl_convert as vlc
from django.template.loader import render_to_string
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from jamlik.core import charts as core
from jamlik.core.templatetags.jamlik_format import fmt
from jamlik.indicators import charts
from jamlik.indicators.presentation import COMPARISON_MARKERS, number_formatter
from jamlik.stats.compare import Comparison

NBSP = "\u00a0"


@pytest.fixture
def swedish():
    with translation.override("sv"):
        yield


def label(result: Comparison) -> str:
    return str(COMPARISON_MARKERS[result].label)


def trend_rows(with_interval: bool = True) -> list[dict[str, Any]]:
    return [
        {
            "period": str(year),
            "year": year,
            "series": series,
            "value": 0.25 + i / 10 + (year % 3) / 100,
            "lower": 0.2 if with_interval else None,
            "upper": 0.9 if with_interval else None,
        }
        for i, series in enumerate(["Botkyrka", "Stockholms län", "Sverige"])
        for year in range(2016, 2024)
    ]


def compare_rows() -> list[dict[str, Any]]:
    return [
        {"area": "Botkyrka", "value": 0.42, "lower": 0.4, "upper": 0.45, "comparison": "x"},
        {"area": "Danderyd", "value": 0.61, "lower": 0.58, "upper": 0.64, "comparison": "x"},
        {"area": "Salem", "value": 0.5, "lower": None, "upper": None, "comparison": "x"},
    ]


def funnel_parts() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    points = [
        {"area": "Botkyrka", "x": 95_000, "value": 81.5, "comparison": label(Comparison.WORSE)},
        {"area": "Danderyd", "x": 33_000, "value": 91.2, "comparison": label(Comparison.BETTER)},
        {"area": "Salem", "x": 17_000, "value": 86.0, "comparison": label(Comparison.SIMILAR)},
    ]
    limits = [
        {"x": x, "limit": name, "value": 86 + sign * 200 / x**0.5}
        for x in (1_000, 10_000, 100_000)
        for name, sign in (("95 % upper", 1), ("95 % lower", -1))
    ]
    return points, limits


def every_spec() -> dict[str, dict[str, Any]]:
    points, limits = funnel_parts()
    gap_rows = [
        {"measure": "D", "year": y, "period": str(y), "value": 1.5, "lower": 1.0, "upper": 2.0}
        for y in (2020, 2021, 2022)
    ]
    return {
        "compare": charts.compare_areas_bars(
            compare_rows(), unit="%", benchmark=0.55, benchmark_label="Stockholms län"
        ),
        "trend": charts.trend_chart(trend_rows(), unit="%"),
        "trend without intervals": charts.trend_chart(trend_rows(False), unit="%"),
        "funnel": charts.funnel_plot(points, limits, x_title="Befolkning", unit="%"),
        "groups": charts.group_bars(
            [{"group": "Kvinnor", "value": 0.3, "lower": None, "upper": None}],
            unit="%",
            overall=0.4,
        ),
        "gap trend": charts.gap_trend_chart(gap_rows, unit="%"),
        "sparkline": charts.sparkline([{"year": 2020, "value": 1.5}, {"year": 2021, "value": 2}]),
    }


def svg_texts(svg: str) -> list[str]:
    return [t.replace("&#160;", NBSP) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


# ---------------------------------------------------------------- the locale in the spec
def test_swedish_pages_carry_the_swedish_number_locale(swedish) -> None:  # noqa: ANN001
    meta = core.with_defaults({"mark": "point"})["usermeta"]
    assert meta["language"] == "sv"
    assert meta["formatLocale"]["decimal"] == ","
    assert meta["formatLocale"]["thousands"] == NBSP
    assert meta["formatLocale"]["currency"] == ["", NBSP + "kr"]
    assert meta["timeFormatLocale"]["months"][0] == "januari"


def test_english_pages_keep_english_numbers() -> None:
    with translation.override("en"):
        meta = core.with_defaults({"mark": "point"})["usermeta"]
    assert meta["language"] == "en"
    assert meta["formatLocale"]["decimal"] == "."
    assert meta["formatLocale"]["thousands"] == ","


def test_tooltips_and_axes_use_d3_formats_that_follow_the_locale(swedish) -> None:  # noqa: ANN001
    """Every explicit format is a d3-format string (the locale supplies the marks)."""
    d3 = re.compile(r"^,?\.\d~?[f%]$|^d$|^,\.\d~?f$")
    for name, spec in every_spec().items():
        found = re.findall(r"'format': '([^']*)'", repr(spec))
        assert all(d3.match(f) for f in found), (name, found)
    assert core.BASE_CONFIG["numberFormat"] == core.NUMBER_FORMAT


def test_drawn_chart_writes_decimal_comma_and_spaced_thousands(swedish) -> None:  # noqa: ANN001
    svg = core.to_svg(charts.trend_chart(trend_rows(), unit="%"))
    texts = svg_texts(svg)
    assert any(re.fullmatch(r"0,\d+", t) for t in texts), texts
    assert not any(re.fullmatch(r"0\.\d+", t) for t in texts), texts
    points, limits = funnel_parts()
    funnel = svg_texts(core.to_svg(charts.funnel_plot(points, limits, x_title="n", unit="%")))
    assert any(t == f"10{NBSP}000" for t in funnel), funnel
    assert not any("," in t and t.replace(",", "").isdigit() for t in funnel), funnel


def test_english_chart_keeps_the_decimal_point() -> None:
    with translation.override("en"):
        texts = svg_texts(core.to_svg(charts.trend_chart(trend_rows(), unit="%")))
    assert any(re.fullmatch(r"0\.\d+", t) for t in texts), texts


# ---------------------------------------------------------------- no Vega warnings
@pytest.mark.parametrize("name", list(every_spec()))
def test_specs_compile_and_draw_without_warnings(name: str, swedish, capfd) -> None:  # noqa: ANN001
    """Compiled as the browser gets them (``width: container``) and drawn as the PDF does."""
    spec = every_spec()[name]
    full = core.with_defaults(spec)
    vlc.vegalite_to_vega(full, show_warnings=True)
    core_svg = core.to_svg(spec)
    drawn = full | {"width": 500}
    drawn.pop("autosize", None)
    vlc.vegalite_to_svg(drawn, show_warnings=True)
    err = capfd.readouterr()
    assert "WARN" not in err.out + err.err, err.out + err.err
    assert "<svg" in core_svg


def test_step_height_becomes_pixels_for_a_container_width(swedish) -> None:  # noqa: ANN001
    spec = core.with_defaults(
        charts.compare_areas_bars(compare_rows(), unit="%", benchmark=None, benchmark_label="")
    )
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert spec["height"] == 3 * 18
    dots = {
        "data": {"values": [{"p": p, "v": 1} for p in "abcd"]},
        "mark": "point",
        "encoding": {"y": {"field": "p", "type": "nominal"}, "x": {"field": "v"}},
    }
    assert core.with_defaults(dots)["height"] == 4 * 20  # Vega-Lite's own step
    assert "height" not in core.with_defaults({"mark": "point", "data": {"values": []}})


def test_bars_and_whiskers_share_one_order_largest_first() -> None:
    spec = charts.compare_areas_bars(compare_rows(), unit="", benchmark=None, benchmark_label="")
    sorts = [layer["encoding"]["y"]["sort"] for layer in spec["layer"]]
    assert sorts == [["Danderyd", "Salem", "Botkyrka"]] * 2


# ---------------------------------------------------------------- empty data
def test_no_interval_no_band_layer() -> None:
    spec = charts.trend_chart(trend_rows(False), unit="%")
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["line"]
    bars = charts.group_bars([{"group": "A", "value": 1.0}], unit="", overall=None)
    assert [layer["mark"]["type"] for layer in bars["layer"]] == ["bar"]


def test_empty_chart_is_not_drawn_but_says_so(swedish) -> None:  # noqa: ANN001
    block = core.chart_block(
        charts.trend_chart([], unit="%"),
        title="Trend",
        description="Nothing yet",
        table_columns=[("value", "Värde")],
        table_rows=[],
    )
    assert block["empty"] is True
    html = render_to_string("components/chart.html", {"chart": block})
    assert "Inga värden att visa" in html
    assert "data-vega-spec" not in html
    full = core.chart_block(
        charts.trend_chart(trend_rows(), unit="%"),
        title="Trend",
        description="d",
        table_columns=[("value", "Värde")],
        table_rows=trend_rows(),
    )
    assert full["empty"] is False
    html = render_to_string("components/chart.html", {"chart": full})
    assert "data-vega-spec" in html
    assert 'role="region"' in html and 'tabindex="0"' in html


# ---------------------------------------------------------------- legends and labels
def test_trend_legend_shows_line_colours_and_dashes() -> None:
    spec = charts.trend_chart(trend_rows(), unit="%")
    band, line = spec["layer"]
    assert band["encoding"]["fill"]["scale"] is None  # painted as is: no scale, no legend
    assert "color" not in band["encoding"]
    colours = {r["series"]: r["band"] for r in band["data"]["values"]}
    scale = line["encoding"]["color"]["scale"]
    assert colours == dict(zip(scale["domain"], scale["range"], strict=True))
    assert line["encoding"]["color"]["legend"]["symbolType"] == "stroke"
    assert line["encoding"]["strokeDash"]["field"] == "series"
    assert len(set(scale["range"])) == 3


def test_funnel_names_the_points_outside_the_limits(swedish) -> None:  # noqa: ANN001
    points, limits = funnel_parts()
    spec = charts.funnel_plot(points, limits, x_title="n", unit="%")
    text = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert len(text) == 2  # a white halo, then the name
    assert all([r["area"] for r in t["data"]["values"]] == ["Botkyrka", "Danderyd"] for t in text)
    tooltip = spec["layer"][1]["encoding"]["tooltip"]
    assert tooltip[0]["field"] == "area"
    assert spec["layer"][0]["encoding"]["x"]["scale"]["padding"] > 0
    inside = [dict(p, comparison=label(Comparison.SIMILAR)) for p in points]
    quiet = charts.funnel_plot(inside, limits, x_title="n", unit="%")
    assert [layer["mark"]["type"] for layer in quiet["layer"]] == ["line", "point"]


def test_legends_are_not_cut_short() -> None:
    legend = core.BASE_CONFIG["legend"]
    assert legend["labelLimit"] >= 300 and legend["titleLimit"] >= 300
    assert core.BASE_CONFIG["axis"]["titleLimit"] == 0  # 0 = no limit


# ---------------------------------------------------------------- table numbers
def test_comparison_lower_reads_lagre_and_interval_end_nedre(swedish) -> None:  # noqa: ANN001
    assert label(Comparison.LOWER) == "Lägre"
    assert translation.gettext("Lower") == "Nedre"


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_counts_never_get_decimals(n: int) -> None:
    with translation.override("sv"):
        assert "," not in fmt(n)
        assert "," not in number_formatter()(float(n))


def test_swedish_table_numbers(swedish) -> None:  # noqa: ANN001
    assert fmt(0) == "0"
    assert fmt(0.0) == "0"
    assert fmt(0.25) == "0,25"
    assert fmt(12.34) == "12,3"
    assert fmt(12_345) == f"12{NBSP}345"
    assert fmt(3, 0) == "3"
    assert fmt(0.5, 1) == "0,5"
    number = number_formatter()
    assert number(0.0) == "0"
    assert number(0.25) == "0,25"


def test_long_legend_labels_wrap_onto_two_lines() -> None:
    spec = core.with_defaults(charts.trend_chart(trend_rows(), unit="%"))
    line = spec["layer"][-1]["encoding"]
    assert line["color"]["legend"]["labelExpr"] == core.WRAP_LABEL
    assert line["color"]["legend"]["symbolType"] == "stroke"
    assert "legend" not in spec["layer"][0]["encoding"]["fill"]  # no scale, no legend
    original = charts.trend_chart(trend_rows(), unit="%")
    core.with_defaults(original)
    assert "labelExpr" not in original["layer"][-1]["encoding"]["color"]["legend"]  # a copy

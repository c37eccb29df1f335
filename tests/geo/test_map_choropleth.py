"""The county choropleth: legend, significance outlines, accessible names and link targets."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.geo import choropleth
from jamlik.geo.maps import county_map


def _words(family: str) -> tuple[str, str]:
    return {"better": ("+", "Better"), "worse": ("−", "Worse")}.get(family, ("=", family))


MISSING = choropleth.MapValue("not_compared", "·", "Not compared", "–")


@pytest.fixture
def stockholm(geography):  # noqa: ANN001, ANN201
    from jamlik.geo.models import Area

    kommuner = list(Area.objects.municipalities("01"))
    return county_map(kommuner), kommuner


def _build(county, values, **kwargs):  # noqa: ANN001, ANN003, ANN202
    return choropleth.build(
        county,
        values,
        title="Map: test",
        legend_title="Compared with Stockholms län",
        url_for=lambda code: f"/lagesbild/kommun/{code}/",
        missing=MISSING,
        words=_words,
        **kwargs,
    )


@given(
    st.sampled_from(
        [
            "much_better",
            "better",
            "similar",
            "worse",
            "much_worse",
            "higher",
            "much_lower",
            "not_compared",
            "quintile_3",
            "neutral_quintile_5",
            "unknown",
        ]
    )
)
def test_every_key_has_a_style_and_only_differences_are_significant(key: str) -> None:
    family = choropleth.family(key)
    style = choropleth.STYLES[family]
    assert style.significant == (family in {"better", "worse", "higher", "lower"})
    if style.pattern:
        assert style.pattern in choropleth.PATTERNS


def test_significant_kommuner_get_outlines_and_the_legend_counts_them(stockholm) -> None:  # noqa: ANN001
    county, kommuner = stockholm
    assert county.kind == "boundaries"  # the shipped boundaries are the default
    keys = ["better", "worse", "similar"]
    values = {
        k.code: choropleth.MapValue(keys[i % 3], *_words(keys[i % 3]), f"{i},0")
        for i, k in enumerate(kommuner)
    }
    chart = _build(county, values)
    assert chart is not None and chart.scale == "comparison"
    outlined = {r.code for r in chart.significant}
    assert outlined == {code for code, v in values.items() if v.key != "similar"}
    assert [e.family for e in chart.legend] == ["better", "similar", "worse"]
    assert sum(e.count for e in chart.legend) == len(kommuner)
    # drawn last, so no thin neighbour border covers a thick outline
    flags = [r.style.significant for r in chart.regions]
    assert flags == sorted(flags)


def test_quintile_maps_get_a_sequential_scale_without_outlines(stockholm) -> None:  # noqa: ANN001
    county, kommuner = stockholm
    values = {
        k.code: choropleth.MapValue(f"quintile_{i % 5 + 1}", f"Q{i % 5 + 1}", "q", "1,0")
        for i, k in enumerate(kommuner)
    }
    chart = _build(county, values)
    assert chart.scale == "quintiles" and not chart.significant
    assert [e.family for e in chart.legend] == [f"quintile_{q}" for q in range(1, 6)]
    fills = [choropleth.STYLES[e.family].fill for e in chart.legend]
    assert len(set(fills)) == 5


def test_tile_grid_has_no_choropleth(geography) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area

    tiles = county_map(list(Area.objects.municipalities("01")), kind="rutor")
    assert _build(tiles, {}) is None


def test_template_draws_legend_outlines_names_and_profile_links(stockholm) -> None:  # noqa: ANN001
    from django.template.loader import render_to_string

    county, kommuner = stockholm
    values = {"0127": choropleth.MapValue("worse", "−", "Worse", "12,5")}
    chart = _build(county, values, highlight="0127")
    html = render_to_string("geo/_choropleth.html", {"choropleth": chart})
    # one link per kommun, to its situation picture, named with value and comparison
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"', html)
    assert len(links) == len(kommuner)
    assert {href for href, _ in links} == {f"/lagesbild/kommun/{k.code}/" for k in kommuner}
    assert ("/lagesbild/kommun/0127/", "Botkyrka: 12,5, Worse (−)") in links
    # the worse kommun: hatched, dashed outline; the highlight wins the stroke
    assert 'fill="url(#map-worse)"' in html
    assert 'class="chmap-legend' in html and "Compared with Stockholms län" in html
    assert chart.highlight is not None and chart.highlight.code == "0127"
    assert chart.regions[-1].code == "0127"  # drawn on top
    assert html.count("<title") == len(kommuner) + 1  # each kommun + the map itself
    assert "The map as a table" in html or "Kartan som tabell" in html


@settings(max_examples=20, deadline=None)
@given(st.lists(st.sampled_from(["better", "worse", "similar", "higher", "lower"]), min_size=1))
def test_legend_lists_exactly_the_families_on_the_map(keys: list[str]) -> None:
    from jamlik.geo.maps import CountyMap
    from jamlik.geo.models import Area
    from jamlik.geo.svgmap import MapShape

    drawn = [
        (Area(code=f"{i:04d}", name=f"K{i}"), MapShape(f"{i:04d}", "M0,0 1,1Z", 0, 0, 20))
        for i in range(len(keys))
    ]
    county = CountyMap(kind="boundaries", drawn=drawn, width=10, height=10)
    values = {f"{i:04d}": choropleth.MapValue(k, "s", k, "1") for i, k in enumerate(keys)}
    chart = _build(county, values)
    assert {e.family for e in chart.legend} == set(keys)
    order = [e.family for e in chart.legend]
    assert order == [f for f in choropleth.COMPARISON_ORDER if f in set(keys)]


# ---------------------------------------------------------------- the county overview page


@pytest.fixture(scope="module")
def _seeded(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN202
    from tests.conftest import seeded_once

    from jamlik.indicators.demo import seed

    yield from seeded_once(django_db_blocker, seed)


def test_county_overview_map_links_kommuner_to_their_situation_picture(
    _seeded,  # noqa: ANN001
    client,  # noqa: ANN001
    geography,  # noqa: ANN001
) -> None:
    html = client.get("/lagesbild/lan/01/").content.decode()
    regions = re.findall(r'<a href="(/lagesbild/kommun/\d{4}/)[^"]*" aria-label="([^"]+)"', html)
    assert len(regions) == 26
    assert 'class="chmap-legend' in html
    # a legend entry per category present, with its count, and outlined kommuner
    assert "chmap-significant" in html
    assert "/omrade/" not in "".join(href for href, _ in regions)
    # the tile grid links to the situation picture too
    tiles = client.get("/lagesbild/lan/01/?map=rutor").content.decode()
    assert tiles.count('href="/lagesbild/kommun/') >= 26

"""The Delområden section of the kommun profile: each district against the kommun,
ranked, on a map when the districts have boundaries; the public sees published data only."""

from __future__ import annotations

import re
from typing import Any

import pytest
import shapely

from jamlik.geo import boundaries
from jamlik.geo.models import Area, DistrictKind
from jamlik.geo.services import add_district
from jamlik.indicators.district_overview import district_section
from jamlik.indicators.models import ImportRun, Indicator
from jamlik.indicators.services import store_observations
from jamlik.sources import Observation

PROFILE = "/lagesbild/kommun/0127/"


@pytest.fixture
def districts(botkyrka: Area) -> list[Area]:
    """Three districts of Botkyrka, each a third of the kommun from west to east."""
    shape = boundaries.polygonal(boundaries.from_geojson(botkyrka.boundary))
    xmin, ymin, xmax, ymax = shape.bounds
    step = (xmax - xmin) / 3
    made = []
    for i, (code, name) in enumerate([("S1", "Väst"), ("S2", "Mitt"), ("S3", "Öst")]):
        area = add_district(botkyrka, code=code, name=name, kind=DistrictKind.STADSDEL)
        part = shape.intersection(shapely.box(xmin + i * step, ymin, xmin + (i + 1) * step, ymax))
        area.boundary = boundaries.to_geojson(boundaries.polygonal(part), 5)
        area.save()
        made.append(area)
    return made


@pytest.fixture
def data(districts: list[Area]) -> Indicator:
    """Published values (an open source) for the kommun and two districts; a staged file
    value for the third."""
    indicator = Indicator.objects.create(
        code="TDIST2", name_sv="Andel rökare", name_en="Smokers", value_type="proportion",
        polarity="low",
    )  # fmt: skip
    store_observations(
        [
            Observation("TDIST2", "0127", "2024", value=20.0, lower=19.0, upper=21.0),
            Observation("TDIST2", "S1", "2024", value=30.0, lower=27.0, upper=33.0),
            Observation("TDIST2", "S2", "2024", value=20.5, lower=18.0, upper=23.0),
        ],
        kind=ImportRun.Kind.KOLADA,
        description="open",
    )
    store_observations(
        [Observation("TDIST2", "S3", "2024", value=12.3, lower=10.0, upper=14.0)],
        kind=ImportRun.Kind.FILE,
        description="staged",
    )
    return indicator


def test_section_compares_and_ranks_published_values(data: Indicator, botkyrka: Area) -> None:
    section = district_section(botkyrka)
    assert section is not None and section.chosen == data and section.period == "2024"
    assert section.kommun_value == 20.0
    rows = {r.area.code: r for r in section.rows}
    assert rows["S1"].marker.key == "worse" and rows["S1"].rank == 1
    assert rows["S2"].marker.key == "similar" and rows["S2"].rank == 2
    assert rows["S3"].value is None  # staged: not for the public
    assert [r.area.code for r in section.rows] == ["S1", "S2", "S3"]
    assert section.map is not None and len(section.map.regions) == 3
    assert section.gap_url == "/lagesbild/indikator/TDIST2/?breakdown=district&area=0127"


def test_profile_page_shows_the_section_with_a_map(client: Any, data: Indicator) -> None:
    html = client.get(PROFILE).content.decode()
    section = html[html.index('id="delomraden"') :]
    assert "Väst" in section and "Öst" in section
    assert len(re.findall(r'data-code="S\d"', section)) == 3
    assert "breakdown=district&amp;area=0127" in section
    assert "12,3" not in section  # the staged value
    assert "/omrade/0127/delomraden/" not in section  # no management link for the public


def test_the_kommuns_editor_sees_the_staged_value_but_no_management_link(
    client_for: Any, data: Indicator
) -> None:
    html = client_for("botkyrka").get(PROFILE).content.decode()
    section = html[html.index('id="delomraden"') :]
    assert "12,3" in section and "/omrade/0127/delomraden/" not in section
    html = client_for("lan01").get(PROFILE).content.decode()
    assert "/omrade/0127/delomraden/" in html[html.index('id="delomraden"') :]


def test_without_boundaries_no_map_and_without_districts_no_section(
    client: Any, botkyrka: Area
) -> None:
    assert 'id="delomraden"' not in client.get(PROFILE).content.decode()
    add_district(botkyrka, code="S1", name="Väst")
    section = district_section(botkyrka)
    assert section is not None and section.chosen is None and section.map is None

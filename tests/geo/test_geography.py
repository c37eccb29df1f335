"""Sweden's geography against the official code list, the hierarchy and the tile grids."""

from __future__ import annotations

import csv
import json

import pytest

from jamlik.frameworks import geography
from jamlik.geo.models import Area, AreaLevel
from jamlik.geo.services import BoundaryError, add_district, import_boundaries, load_geography


def _official(shared_dir):
    with open(shared_dir / "reference/geo/kommuner.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_290_municipalities_match_the_official_list(shared_dir, geography):
    official = {r["kommunkod"]: (r["kommun"], r["lanskod"]) for r in _official(shared_dir)}
    assert len(official) == 290
    stored = {
        a.code: (a.name, a.parent.code)
        for a in Area.objects.municipalities().select_related("parent")
    }
    assert stored == official


def test_21_counties_with_official_names(shared_dir, geography):
    official = {r["lanskod"]: r["lan"] for r in _official(shared_dir)}
    stored = dict(Area.objects.counties().values_list("code", "name"))
    assert stored == official
    assert len(stored) == 21
    assert all(c.parent.level == AreaLevel.COUNTRY for c in Area.objects.counties())


def test_stockholm_has_26_municipalities(geography):
    assert Area.objects.municipalities("01").count() == 26


def test_loading_twice_changes_nothing(geography):
    before = Area.objects.count()
    load_geography()
    assert Area.objects.count() == before


@pytest.mark.parametrize("county", [c.code for c in geography.counties()])
def test_every_county_gets_a_tile_grid_with_one_square_per_kommun(county):
    tiles = geography.county_tiles(county)
    kommuner = {m.code for m in geography.municipalities() if m.county_code == county}
    assert {t.code for t in tiles} == kommuner
    positions = [(t.x, t.y) for t in tiles]
    assert len(set(positions)) == len(positions), "two kommuner share a square"


def test_hand_drawn_stockholm_grid_keeps_geography():
    tiles = {t.code: t for t in geography.county_tiles("01")}
    # Norrtälje lies north of Stockholm, Nynäshamn south; Ekerö west of Nacka.
    assert tiles["0188"].y < tiles["0180"].y < tiles["0192"].y
    assert tiles["0125"].x < tiles["0182"].x


def test_computed_grid_preserves_north_south_order():
    points = {"a": (68.0, 20.0), "b": (62.0, 17.0), "c": (56.0, 13.0)}
    tiles = {t.code: t for t in geography.tiles_from_centroids(points)}
    assert tiles["a"].y < tiles["b"].y < tiles["c"].y


def test_import_boundaries_from_the_reference_file(shared_dir, geography):
    result = import_boundaries(shared_dir / "reference/geo/kommuner.geojson")
    assert result.stored == 290
    assert Area.objects.get(code="0127").boundary["type"] in {"Polygon", "MultiPolygon"}


def test_boundary_file_with_an_unknown_code_stores_nothing(tmp_path, geography):
    before = Area.objects.get(code="0127").boundary
    bad = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "0127"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[17.8, 59.2], [17.9, 59.2], [17.9, 59.3], [17.8, 59.2]]],
                },
            },
            {
                "type": "Feature",
                "properties": {"id": "9999"},
                "geometry": {"type": "Polygon", "coordinates": [[[1, 1], [2, 1], [2, 2], [1, 1]]]},
            },
        ],
    }
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(BoundaryError, match=r"bad.geojson: feature 1: unknown area code '9999'"):
        import_boundaries(path)
    assert Area.objects.get(code="0127").boundary == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"type": "Feature"}', "FeatureCollection"),
        (
            '{"type": "FeatureCollection", "features": [{"properties": {"id": "0127"}, "geometry": {"type": "Point", "coordinates": [1, 2]}}]}',
            "Polygon or MultiPolygon",
        ),
        (
            '{"type": "FeatureCollection", "features": [{"properties": {}, "geometry": null}]}',
            "no area code",
        ),
    ],
)
def test_malformed_boundary_files_are_refused_with_a_reason(tmp_path, geography, content, message):
    path = tmp_path / "b.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BoundaryError, match=message):
        import_boundaries(path)


def test_districts_go_under_a_kommun(botkyrka, county):
    district = add_district(botkyrka, code="0127C1010", name="Fittja")
    assert district.parent == botkyrka and district.municipality == botkyrka
    assert district.county == county
    with pytest.raises(ValueError, match="Districts belong under a kommun"):
        add_district(county, code="X1", name="Wrong level")

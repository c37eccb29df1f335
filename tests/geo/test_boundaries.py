"""Boundaries: coordinate systems, codes, repairs, the shipped files and the maps drawn from them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import shapely
from pyproj import CRS, Geod
from shapely.geometry import Point, shape

from jamlik.frameworks import geography
from jamlik.geo import boundaries, shipped, svgmap
from jamlik.geo.boundaries import GeometryError, declared_crs, detect_crs
from jamlik.geo.models import Area
from jamlik.geo.services import BoundaryError, import_boundaries, load_geography, normalise_code

LAN_CODES = [c.code for c in geography.counties()]


def _square(x: float, y: float, size: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]],
    }


def _write(tmp_path: Path, features: list[dict], *, crs: dict | None = None, name="b.geojson"):
    data: dict = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        data["crs"] = crs
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _feature(props: dict, geometry: dict) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


# ------------------------------------------------------------------ coordinate systems
@pytest.mark.parametrize(
    ("member", "epsg"),
    [
        ({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}}, 3006),
        ({"type": "name", "properties": {"name": "EPSG:3006"}}, 3006),
        ({"type": "EPSG", "properties": {"code": 3006}}, 3006),
        ({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3021"}}, 3021),
        ({"type": "name", "properties": {"name": "EPSG:4326"}}, 4326),
    ],
)
def test_a_declared_coordinate_system_is_read_in_every_usual_form(member, epsg):
    assert declared_crs({"crs": member}).to_epsg() == epsg


def test_crs84_is_longitude_latitude():
    crs = declared_crs(
        {"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}}
    )
    assert crs.is_geographic and crs.axis_info[0].direction == "east"


def test_an_unknown_declared_system_is_refused():
    with pytest.raises(GeometryError, match="not known"):
        declared_crs({"crs": {"type": "name", "properties": {"name": "EPSG:999999"}}})


@pytest.mark.parametrize(
    ("bounds", "epsg"),
    [
        ((17.5, 59.0, 18.9, 60.2), 4326),  # Stockholms län in degrees
        ((11.0, 55.3, 24.2, 69.1), 4326),  # all of Sweden
        ((640_000, 6_540_000, 720_000, 6_640_000), 3006),  # Stockholms län in SWEREF 99 TM
        ((266_000, 6_133_000, 922_000, 7_677_000), 3006),  # all of Sweden
    ],
)
def test_ranges_tell_degrees_from_sweref99_tm(bounds, epsg):
    assert detect_crs(None, bounds).to_epsg() == epsg


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        ((1_600_000, 6_560_000, 1_660_000, 6_620_000), "look like RT90"),
        ((59.0, 17.5, 60.2, 18.9), "latitude before longitude"),
        ((120_000, 6_560_000, 180_000, 6_620_000), "cannot tell"),  # SWEREF 99 18 00
        ((0, 0, 1000, 1000), "cannot tell"),
    ],
)
def test_ranges_that_cannot_be_told_are_refused(bounds, message):
    with pytest.raises(GeometryError, match=message):
        detect_crs(None, bounds)


def test_a_declaration_wins_over_the_ranges():
    rt90 = CRS.from_epsg(3021)
    assert detect_crs(rt90, (1_600_000, 6_560_000, 1_660_000, 6_620_000)) == rt90


# ------------------------------------------------------------------ codes
@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("21", "21"),
        (21, "21"),
        (1, "01"),
        ("1", "01"),
        (114, "0114"),
        ("0114", "0114"),
        (2580.0, "2580"),
        ("0180C1010", "0180C1010"),
        (" 0127 ", "0127"),
    ],
)
def test_codes_get_back_the_zeros_numbers_lost(raw, code):
    assert normalise_code(raw) == code


def test_lan_boundaries_import_by_their_two_digit_codes(tmp_path, geography):
    path = _write(
        tmp_path,
        [
            _feature({"lanskod": "21", "lansnamn": "Gävleborgs län"}, _square(16.0, 61.0, 0.5)),
            _feature({"LnKod": 1}, _square(18.0, 59.3, 0.2)),
        ],
        name="lan.geojson",
    )
    result = import_boundaries(path)
    assert result.codes == ("01", "21")
    stored = shape(Area.objects.get(code="21").boundary)
    assert stored.is_valid and stored.bounds == pytest.approx((16.0, 61.0, 16.5, 61.5))


def test_an_unknown_code_names_file_feature_and_property(tmp_path, geography):
    path = _write(
        tmp_path,
        [
            _feature({"kommunkod": "0127"}, _square(17.8, 59.2, 0.1)),
            _feature({"kommunkod": "0999"}, _square(17.8, 59.2, 0.1)),
        ],
        name="kommuner.geojson",
    )
    with pytest.raises(
        BoundaryError,
        match=r"kommuner.geojson: feature 1: unknown area code '0999' \(property 'kommunkod'\)",
    ):
        import_boundaries(path)


def test_an_unknown_deso_says_to_add_the_district_first(tmp_path, geography):
    path = _write(tmp_path, [_feature({"deso": "0127C1010"}, _square(17.8, 59.2, 0.01))])
    with pytest.raises(BoundaryError, match="must first be added under its kommun"):
        import_boundaries(path)


def test_a_deso_added_as_a_district_gets_its_boundary(tmp_path, botkyrka):
    from jamlik.geo.services import add_district

    add_district(botkyrka, code="0127C1010", name="Fittja")
    path = _write(tmp_path, [_feature({"deso": "0127C1010"}, _square(17.86, 59.24, 0.01))])
    assert import_boundaries(path).codes == ("0127C1010",)
    assert shape(Area.objects.get(code="0127C1010").boundary).area == pytest.approx(1e-4, rel=1e-3)


# ------------------------------------------------------------------ reprojection
def _sweref_square(e: float, n: float, size: float) -> dict:
    return _square(e, n, size)


@pytest.mark.parametrize(
    "crs",
    [
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
        {"type": "name", "properties": {"name": "EPSG:3006"}},
        None,  # told from the ranges
    ],
)
def test_sweref99_tm_metres_are_converted_to_longitude_latitude(tmp_path, geography, crs):
    # A square kilometre in central Stockholm (E 674 000, N 6 580 500 is near Riddarholmen).
    path = _write(
        tmp_path, [_feature({"id": "0180"}, _sweref_square(674_000, 6_580_500, 1000))], crs=crs
    )
    result = import_boundaries(path)
    assert result.crs == "SWEREF99 TM"
    stored = shape(Area.objects.get(code="0180").boundary)
    lon0, lat0, lon1, lat1 = stored.bounds
    assert 18.0 < lon0 < lon1 < 18.15 and 59.3 < lat0 < lat1 < 59.36
    # One square kilometre on the ellipsoid (TM's scale error is below 0.01 % here); its
    # sides turn by the meridian convergence, 3° east of the central meridian 15° E.
    area, perimeter = Geod(ellps="GRS80").geometry_area_perimeter(stored)
    assert abs(area) == pytest.approx(1_000_000, rel=0.002)
    assert perimeter == pytest.approx(4000, rel=0.001)


def test_shipped_kommun_converted_to_sweref_and_back_lands_where_it_was(tmp_path, geography):
    botkyrka = shape(shipped.shipped_geometries()["0127"])
    metres = boundaries.reproject(
        shapely.from_wkt([botkyrka.wkt]), boundaries.WGS84, boundaries.SWEREF99_TM
    )[0]
    path = _write(
        tmp_path,
        [_feature({"id": "0127"}, json.loads(shapely.to_geojson(metres)))],
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
    )
    import_boundaries(path, tolerance=0)
    back = shape(Area.objects.get(code="0127").boundary)
    assert back.symmetric_difference(botkyrka).area < 1e-3 * botkyrka.area
    assert back.contains(Point(17.78, 59.20)) or back.distance(Point(17.78, 59.20)) < 0.05


def test_rt90_without_a_declaration_is_refused_and_nothing_is_stored(tmp_path, geography):
    before = Area.objects.get(code="0180").boundary
    path = _write(
        tmp_path,
        [_feature({"id": "0180"}, _square(1_628_000, 6_581_000, 1000))],
        name="rt90.geojson",
    )
    with pytest.raises(BoundaryError, match=r"rt90.geojson: .*look like RT90.*EPSG::3021"):
        import_boundaries(path)
    assert Area.objects.get(code="0180").boundary == before


def test_rt90_with_a_declaration_is_converted(tmp_path, geography):
    path = _write(
        tmp_path,
        [_feature({"id": "0180"}, _square(1_628_000, 6_581_000, 1000))],
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3021"}},
    )
    import_boundaries(path)
    lon0, lat0, _lon1, _lat1 = shape(Area.objects.get(code="0180").boundary).bounds
    assert lon0 == pytest.approx(18.05, abs=0.02) and lat0 == pytest.approx(59.33, abs=0.02)


def test_a_shape_outside_sweden_after_conversion_is_refused(tmp_path, geography):
    path = _write(
        tmp_path,
        [_feature({"id": "0180"}, _square(674_000, 6_580_500, 1000))],
        crs={"type": "name", "properties": {"name": "EPSG:4326"}},
    )
    with pytest.raises(BoundaryError, match=r"feature 0 \(0180\): read as WGS 84.*outside Sweden"):
        import_boundaries(path)


# ------------------------------------------------------------------ validity
def test_a_self_intersecting_polygon_is_repaired_and_reported(tmp_path, geography):
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[17.8, 59.2], [17.9, 59.3], [17.9, 59.2], [17.8, 59.3], [17.8, 59.2]]],
    }
    assert not shape(bow_tie).is_valid
    path = _write(tmp_path, [_feature({"id": "0127"}, bow_tie)])
    result = import_boundaries(path)
    assert result.repaired == ("feature 0 (0127)",)
    stored = shape(Area.objects.get(code="0127").boundary)
    assert stored.is_valid and stored.area == pytest.approx(0.005, rel=0.01)


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (
            {
                "type": "Polygon",
                "coordinates": [[[17.8, 59.2], [17.9, 59.2], [17.8, 59.2], [17.9, 59.2]]],
            },
            r"b.geojson: feature 0 \(0127\): the polygon encloses no area",
        ),
        (
            {"type": "Polygon", "coordinates": [[[17.8, 59.2], [17.9, 59.2]]]},
            r"feature 0 \(0127\): the coordinates cannot form a polygon",
        ),
        (
            {"type": "LineString", "coordinates": [[17.8, 59.2], [17.9, 59.2]]},
            r"feature 0 \(0127\): geometry type must be Polygon",
        ),
    ],
)
def test_shapes_without_area_are_refused_naming_the_feature(tmp_path, geography, geometry, message):
    path = _write(tmp_path, [_feature({"id": "0127"}, geometry)])
    with pytest.raises(BoundaryError, match=message):
        import_boundaries(path)


# ------------------------------------------------------------------ shipped files
def _collection(name: str) -> dict:
    return json.loads((shipped.data_dir() / name).read_text(encoding="utf-8"))


def test_shipped_files_hold_every_kommun_and_lan_with_valid_shapes():
    kommuner = _collection(shipped.KOMMUNER_FILE)["features"]
    lan = _collection(shipped.LAN_FILE)["features"]
    official = {m.code: m for m in geography.municipalities()}
    assert [f["properties"]["code"] for f in kommuner] == sorted(official)
    assert [f["properties"]["code"] for f in lan] == LAN_CODES
    for feature in kommuner + lan:
        geometry = shape(feature["geometry"])
        assert geometry.is_valid and geometry.area > 0, feature["properties"]
        assert boundaries.in_sweden(geometry.bounds)
    for feature in kommuner:
        m = official[feature["properties"]["code"]]
        assert feature["properties"]["county_code"] == m.county_code
        # the approximate point of each kommun in the code list lies in (or at) its shape
        assert shape(feature["geometry"]).distance(Point(m.lon, m.lat)) < 0.05, m.name
    size = sum(
        (shipped.data_dir() / n).stat().st_size for n in (shipped.KOMMUNER_FILE, shipped.LAN_FILE)
    )
    assert size < 1_000_000


def test_each_lan_is_its_kommuner():
    kommuner = {
        f["properties"]["code"]: shape(f["geometry"])
        for f in _collection(shipped.KOMMUNER_FILE)["features"]
    }
    for feature in _collection(shipped.LAN_FILE)["features"]:
        lan = shape(feature["geometry"])
        parts = shapely.union_all(
            [
                kommuner[m.code]
                for m in geography.municipalities()
                if m.county_code == feature["properties"]["code"]
            ]
        )
        assert lan.symmetric_difference(parts).area < 0.001 * lan.area


def test_the_build_script_reproduces_the_shipped_files(shared_dir):
    built = shipped.build(shared_dir / "reference/geo/kommuner.geojson")
    for text, name in ((built.kommuner, shipped.KOMMUNER_FILE), (built.lan, shipped.LAN_FILE)):
        fresh = json.loads(text)["features"]
        stored = _collection(name)["features"]
        assert [f["properties"] for f in fresh] == [f["properties"] for f in stored]
        for a, b in zip(fresh, stored, strict=True):
            one, other = shape(a["geometry"]), shape(b["geometry"])
            assert one.symmetric_difference(other).area <= 1e-6 + 1e-4 * other.area


def test_the_build_refuses_a_source_missing_a_kommun(tmp_path, shared_dir):
    data = json.loads((shared_dir / "reference/geo/kommuner.geojson").read_text(encoding="utf-8"))
    data["features"] = [f for f in data["features"] if f["properties"]["id"] != "2584"]
    source = tmp_path / "short.geojson"
    source.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(GeometryError, match="short.geojson: no boundary for the kommuner 2584"):
        shipped.build(source)


def test_load_geography_fills_boundaries_and_keeps_imported_ones(geography):
    assert (
        not Area.objects.exclude(level="country")
        .filter(boundary=None, level__in=["county", "municipality"])
        .exists()
    )
    mine = _square(17.8, 59.2, 0.1)
    Area.objects.filter(code="0127").update(boundary=mine)
    Area.objects.filter(code="0114").update(boundary=None)
    load_geography()
    assert Area.objects.get(code="0127").boundary == mine
    assert Area.objects.get(code="0114").boundary == shipped.shipped_geometries()["0114"]


# ------------------------------------------------------------------ drawing
def _drawn(county: str):
    geometries = shipped.shipped_geometries()
    return svgmap.draw(
        {m.code: geometries[m.code] for m in geography.municipalities() if m.county_code == county}
    )


def _centre(path: str) -> tuple[float, float]:
    points = [tuple(map(float, p.split(","))) for p in re.findall(r"-?[\d.]+,-?[\d.]+", path)]
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def test_the_map_has_north_up_and_a_positive_size():
    shapes, width, height = _drawn("01")
    assert 0 < width <= 600 and 0 < height <= 600
    paths = {s.code: s.path for s in shapes}
    norrtalje, nynashamn = _centre(paths["0188"]), _centre(paths["0192"])
    ekero, varmdo = _centre(paths["0125"]), _centre(paths["0120"])
    assert norrtalje[1] < nynashamn[1]  # north is up
    assert ekero[0] < varmdo[0]  # west is left
    for s in shapes:
        xs_ys = [float(v) for v in re.findall(r"-?[\d.]+", s.path)]
        assert min(xs_ys) >= -0.1 and max(xs_ys[0::2]) <= width + 0.1


def test_norrbotten_is_drawn_taller_than_wide_and_gotland_narrow():
    _shapes, width, height = _drawn("25")
    assert 0.8 < width / height < 1.0  # about 290 × 340 km in SWEREF 99 TM
    _shapes, width, height = _drawn("09")
    assert 0.5 < width / height < 0.75


@pytest.mark.parametrize("county", LAN_CODES)
def test_every_kommun_of_every_lan_has_a_named_path_on_the_county_page(client, geography, county):
    html = client.get(f"/omrade/{county}/").content.decode()
    box = re.search(r'<svg viewBox="0 0 (\d+) (\d+)"', html)
    assert box and int(box[1]) > 0 and int(box[2]) > 0
    for m in Area.objects.municipalities(county):
        assert re.search(
            rf'<a href="/lagesbild/kommun/{m.code}/" aria-label="{re.escape(m.name)}"><title>{re.escape(m.name)}</title><path d="M[\d.]',
            html,
        ), m.name
    assert "tile-map" not in html
    assert len(html.encode()) < 120_000


def test_the_tile_grid_is_one_click_away_and_back(client, geography):
    html = client.get("/omrade/01/").content.decode()
    assert 'href="?map=rutor"' in html
    tiles = client.get("/omrade/01/?map=rutor").content.decode()
    assert (
        tiles.count('class="tile-code"') == 26
        and "<svg" not in tiles.split('id="map-h"')[1].split("</section>")[0]
    )
    assert 'href="?"' in tiles


def test_a_drawn_county_comes_from_the_cache(client, geography, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    calls = []
    real = svgmap.draw
    monkeypatch.setattr(svgmap, "draw", lambda g, **kw: calls.append(1) or real(g, **kw))
    first, second = (
        re.search(r"<svg.*?</svg>", client.get("/omrade/25/").content.decode(), re.S)[0]
        for _ in range(2)
    )
    assert first == second and len(calls) == 1
    Area.objects.filter(code="2580").update(boundary=_square(22.0, 65.5, 0.2))
    client.get("/omrade/25/")
    assert len(calls) == 2  # a changed boundary is drawn afresh


def test_an_undrawable_boundary_falls_back_to_tiles(client, geography):
    Area.objects.filter(code="0127").update(boundary={"type": "Point", "coordinates": [17.8, 59.2]})
    html = client.get("/omrade/01/").content.decode()
    assert html.count('class="tile-code"') == 26


def test_a_boundary_stored_in_metres_is_not_drawn_upside_down(client, geography):
    """Before imports converted them, SWEREF 99 TM metres were stored and drawn with a
    negative height; such a county now shows its tile grid."""
    Area.objects.filter(code="0127").update(boundary=_square(650_000, 6_560_000, 5000))
    with pytest.raises(GeometryError, match="0127 is not longitude/latitude"):
        svgmap.draw({"0127": Area.objects.get(code="0127").boundary})
    html = client.get("/omrade/01/").content.decode()
    assert html.count('class="tile-code"') == 26 and "viewBox" not in html

"""The boundaries shipped with Jämlik: every kommun and län, so maps show real geography.

:func:`build` makes ``data/kommuner.geojson`` and ``data/lan.geojson`` from an openly
reusable kommun boundary file (``scripts/build_boundaries.py`` runs it; ``data/README.md``
records the source and terms); :func:`shipped_geometries` reads them for
:func:`jamlik.geo.services.load_geography`.

The län are the union of their kommuner (a län is exactly its kommuner), after the
kommuner are simplified together, so a län border is the same line as its kommuner's.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import shapely

from jamlik.frameworks import geography
from jamlik.geo.boundaries import (
    GeometryError,
    feature_collection,
    from_geojson,
    polygonal,
    simplify_coverage,
    snap,
    to_geojson,
)

#: Coverage-simplification tolerance in degrees (Visvalingam–Whyatt: the square root of
#: the smallest triangle kept, about 60–110 m): below a pixel on a 600 px county map.
TOLERANCE = 0.001
#: Coordinates on a 0.0001° grid (about 11 m north–south): four decimals in the file.
GRID = 0.0001
DIGITS = 4
#: Holes smaller than this (square degrees, about 5 km² at 60° N) in a dissolved län are
#: gaps between kommuner in the source, not geography: no län encloses another's land.
LAN_HOLE_LIMIT = 0.001

KOMMUNER_FILE = "kommuner.geojson"
LAN_FILE = "lan.geojson"
#: Code property of the source (okfse/sweden-geojson): ``id`` holds the kommun code.
SOURCE_CODE_PROPERTY = "id"


@dataclass(frozen=True)
class Built:
    kommuner: str
    lan: str


def _fill_small_holes(geometry: shapely.Geometry, limit: float) -> shapely.Geometry:
    polygons = []
    for part in shapely.get_parts(geometry):
        holes = [h for h in part.interiors if shapely.Polygon(h).area >= limit]
        polygons.append(shapely.Polygon(part.exterior, holes))
    return polygonal(shapely.union_all(polygons))


def build(source: Path) -> Built:
    """The shipped files' text, built from the kommun boundary file ``source``.

    Refuses a source whose kommun codes are not exactly the 290 official ones.
    """
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    official = {m.code: m for m in geography.municipalities()}
    by_code: dict[str, shapely.Geometry] = {}
    for index, feature in enumerate(data["features"]):
        code = str((feature.get("properties") or {}).get(SOURCE_CODE_PROPERTY, ""))
        if code not in official:
            raise GeometryError(
                f"{source.name}: feature {index}: property {SOURCE_CODE_PROPERTY!r} = {code!r} "
                "is not one of the 290 kommun codes."
            )
        if code in by_code:
            raise GeometryError(f"{source.name}: feature {index}: kommun {code} appears twice.")
        try:
            by_code[code] = polygonal(from_geojson(feature.get("geometry")))
        except GeometryError as exc:
            raise GeometryError(f"{source.name}: feature {index} ({code}): {exc}") from exc
    missing = sorted(set(official) - set(by_code))
    if missing:
        raise GeometryError(f"{source.name}: no boundary for the kommuner {', '.join(missing)}.")
    codes = sorted(by_code)
    simplified = simplify_coverage([by_code[c] for c in codes], TOLERANCE)
    kommuner = {c: snap(g, GRID) for c, g in zip(codes, simplified, strict=True)}
    per_lan: dict[str, list[shapely.Geometry]] = defaultdict(list)
    for code, shape in kommuner.items():
        per_lan[official[code].county_code].append(shape)
    names = {c.code: c.name for c in geography.counties()}
    lan = {
        code: snap(_fill_small_holes(shapely.union_all(parts), LAN_HOLE_LIMIT), GRID)
        for code, parts in sorted(per_lan.items())
    }
    return Built(
        kommuner=feature_collection(
            {
                "type": "Feature",
                "properties": {
                    "code": code,
                    "name": official[code].name,
                    "county_code": official[code].county_code,
                },
                "geometry": to_geojson(shape, DIGITS),
            }
            for code, shape in kommuner.items()
        ),
        lan=feature_collection(
            {
                "type": "Feature",
                "properties": {"code": code, "name": names[code]},
                "geometry": to_geojson(shape, DIGITS),
            }
            for code, shape in lan.items()
        ),
    )


def data_dir() -> Path:
    """The folder of the shipped files (inside the installed package)."""
    return Path(str(resources.files("jamlik.geo").joinpath("data")))


@cache
def shipped_geometries() -> dict[str, dict[str, Any]]:
    """``{area code: GeoJSON geometry}`` for the 290 kommuner and 21 län."""
    found: dict[str, dict[str, Any]] = {}
    for name in (KOMMUNER_FILE, LAN_FILE):
        data = json.loads((data_dir() / name).read_text(encoding="utf-8"))
        found |= {f["properties"]["code"]: f["geometry"] for f in data["features"]}
    return found

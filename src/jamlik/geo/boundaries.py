"""Boundary geometry: which coordinate system a file uses, and WGS84 shapes small enough for the web.

Pure functions (no Django): :mod:`jamlik.geo.services` reads files with them and
``scripts/build_boundaries.py`` builds the boundaries shipped with the package.

*Coordinate systems.* GeoJSON (RFC 7946) says longitude/latitude on WGS84, but Swedish
files often come in SWEREF 99 TM metres (EPSG:3006, Lantmäteriet's and SCB's national
projection) or the older RT90, with or without the pre-2016 ``crs`` member. A declared
``crs`` is read with pyproj (``urn:ogc:def:crs:EPSG::3006``, ``EPSG:3006``, the
``{"type": "EPSG", "properties": {"code": 3006}}`` form of the 2008 draft, …). Without
one the coordinate ranges decide: Sweden lies within longitude 10.9–24.2° and latitude
55.3–69.1°, SWEREF 99 TM eastings 265 000–925 000 m and northings 6 130 000–7 680 000 m.
RT90 is refused without a declaration: its six zones share the same false easting
(1 500 000 m), so the numbers cannot say which zone was meant. Eastings below SWEREF 99
TM's are SWEREF 99's local zones (false easting 150 000 m), equally ambiguous.

*Validity.* Each shape is repaired with GEOS ``MakeValid`` (self-intersections, rings
touching themselves); only its polygonal part is kept, and a shape with no area left is
refused.

*Size.* Shapes are simplified together with GEOS's coverage simplifier (Visvalingam–
Whyatt on the shared edges, so neighbours keep a common border without gaps or slivers;
Martin Davis, JTS ``CoverageSimplifier``) and snapped to a coordinate grid.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError as PyprojCRSError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

WGS84 = CRS.from_epsg(4326)
SWEREF99_TM = CRS.from_epsg(3006)

#: (x min, x max, y min, y max) with a margin around Sweden, per coordinate system.
LONLAT_RANGE = (10.0, 25.5, 55.0, 69.5)
SWEREF99_TM_RANGE = (200_000.0, 1_000_000.0, 6_050_000.0, 7_750_000.0)
RT90_RANGE = (1_100_000.0, 1_950_000.0, 6_050_000.0, 7_750_000.0)

#: Import: 0.0001° (about 11 m north–south, 5 m east–west) keeps DeSO-sized areas true.
IMPORT_TOLERANCE = 0.0001
IMPORT_GRID = 0.00001


class GeometryError(ValueError):
    """A geometry or file that cannot be read; the message says what was expected."""


def _within(bounds: Sequence[float], box: Sequence[float]) -> bool:
    xmin, ymin, xmax, ymax = bounds
    return box[0] <= xmin and xmax <= box[1] and box[2] <= ymin and ymax <= box[3]


def declared_crs(data: Mapping[str, Any]) -> CRS | None:
    """The coordinate system named in a GeoJSON ``crs`` member, or None when there is none."""
    member = data.get("crs")
    if member is None:
        return None
    props = member.get("properties") if isinstance(member, dict) else None
    if not isinstance(props, dict):
        raise GeometryError(
            "the 'crs' member has no 'properties'; expected for example "
            '{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}}.'
        )
    value = props.get("name") or props.get("code")
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        value = f"EPSG:{value}"
    try:
        return CRS.from_user_input(value)
    except (PyprojCRSError, TypeError) as exc:
        raise GeometryError(
            f"the coordinate system {value!r} in the 'crs' member is not known; expected an "
            "EPSG code such as 'EPSG:3006' (SWEREF 99 TM) or 'EPSG:4326' (WGS84)."
        ) from exc


def detect_crs(declared: CRS | None, bounds: Sequence[float]) -> CRS:
    """The coordinate system of coordinates spanning ``bounds`` (xmin, ymin, xmax, ymax).

    A declared system wins; otherwise the ranges decide (see the module's docstring).
    """
    if declared is not None:
        return declared
    if _within(bounds, LONLAT_RANGE):
        return WGS84
    if _within(bounds, SWEREF99_TM_RANGE):
        return SWEREF99_TM
    xmin, ymin, xmax, ymax = (round(v, 1) for v in bounds)
    span = f"x {xmin}–{xmax}, y {ymin}–{ymax}"
    if _within(bounds, (LONLAT_RANGE[2], LONLAT_RANGE[3], LONLAT_RANGE[0], LONLAT_RANGE[1])):
        raise GeometryError(
            f"the coordinates ({span}) look like latitude before longitude; GeoJSON puts "
            "longitude first."
        )
    if _within(bounds, RT90_RANGE):
        raise GeometryError(
            f"the coordinates ({span}) look like RT90, but its zones cannot be told apart "
            "from the numbers; declare the coordinate system in the file (for example "
            '"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3021"}} '
            "for RT90 2.5 gon V) or convert the file to WGS84 or SWEREF 99 TM."
        )
    raise GeometryError(
        f"cannot tell the coordinate system from the coordinates ({span}); expected "
        "longitude/latitude in degrees (WGS84) or SWEREF 99 TM metres (EPSG:3006), or a "
        "'crs' member naming the system."
    )


@cache
def transformer(source: str, target: str = "EPSG:4326") -> Transformer:
    """A pyproj transformer, x/y in easting/northing or longitude/latitude order."""
    return Transformer.from_crs(CRS.from_user_input(source), target, always_xy=True)


def reproject(geometries: np.ndarray, source: CRS, target: CRS = WGS84) -> np.ndarray:
    """``geometries`` moved from ``source`` to ``target`` (identity when they are the same)."""
    if source == target:
        return geometries
    move = transformer(source.to_wkt(), target.to_wkt())
    return shapely.transform(geometries, lambda x, y: move.transform(x, y), interleaved=False)


def from_geojson(geometry: Any) -> BaseGeometry:
    """A shapely polygon or multipolygon from a GeoJSON geometry object (2-D)."""
    if not isinstance(geometry, dict):
        raise GeometryError("the geometry is missing; expected a Polygon or MultiPolygon.")
    if geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise GeometryError(
            f"geometry type must be Polygon or MultiPolygon, got {geometry.get('type')!r}."
        )
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise GeometryError("'coordinates' is empty.")
    try:
        return shapely.force_2d(shape(geometry))
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise GeometryError(f"the coordinates cannot form a polygon ({exc}).") from exc


def polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """The valid polygonal part of ``geometry`` (GEOS MakeValid, lines and points dropped)."""
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    polygons = [q for p in parts for q in shapely.get_parts(p)]
    if not polygons:
        return shapely.MultiPolygon()
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def simplify_coverage(geometries: Sequence[BaseGeometry], tolerance: float) -> list[BaseGeometry]:
    """Simplify shapes that share borders so the borders stay shared.

    GEOS's coverage simplifier when the result is valid; otherwise (shapes that overlap
    too much to form a coverage) each shape on its own with topology preserved.
    """
    if tolerance <= 0:
        return list(geometries)
    array = np.array(geometries, dtype=object)
    try:
        simplified = shapely.coverage_simplify(array, tolerance)
    except shapely.errors.GEOSException:
        simplified = None
    result = []
    for i, original in enumerate(geometries):
        candidate = simplified[i] if simplified is not None else None
        if candidate is None or candidate.is_empty or not candidate.is_valid:
            candidate = original.simplify(tolerance, preserve_topology=True)
        result.append(polygonal(candidate))
    return result


def snap(geometry: BaseGeometry, grid: float) -> BaseGeometry:
    """``geometry`` on a ``grid``-sized coordinate grid, still valid (GEOS SetPrecision)."""
    return polygonal(shapely.set_precision(geometry, grid)) if grid > 0 else geometry


def to_geojson(geometry: BaseGeometry, digits: int) -> dict[str, Any]:
    """A GeoJSON geometry object with coordinates rounded to ``digits`` decimals.

    Counter-clockwise outer rings and clockwise holes (RFC 7946 §3.1.6), so that
    drawing with SVG's default fill rule leaves holes open.
    """
    geometry = shapely.orient_polygons(geometry)

    def ring(r: Any) -> list[list[float]]:
        return [[round(x, digits), round(y, digits)] for x, y in r.coords]

    def polygon(p: Any) -> list[list[list[float]]]:
        return [ring(p.exterior), *(ring(i) for i in p.interiors)]

    if geometry.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": polygon(geometry)}
    return {"type": "MultiPolygon", "coordinates": [polygon(p) for p in geometry.geoms]}


def feature_collection(features: Iterable[dict[str, Any]]) -> str:
    """A compact GeoJSON FeatureCollection, one feature per line (diff-friendly)."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def in_sweden(bounds: Sequence[float]) -> bool:
    """Whether longitude/latitude ``bounds`` (xmin, ymin, xmax, ymax) lie around Sweden."""
    return _within(bounds, LONLAT_RANGE)

"""Draw stored boundaries as an SVG map (pure: geometry in, path strings out).

*Projection.* Boundaries are stored as WGS84 longitude/latitude and drawn in SWEREF 99
TM (EPSG:3006, via pyproj): the national transverse Mercator projection of Lantmäteriet
and SCB, so a län looks as on Sweden's official maps. It is conformal with a scale error
under 0.1 % across the country; the simpler equirectangular projection with one cos(lat)
factor stretches a tall län such as Norrbotten (latitude 65.3–69.1°: cos falls by 14 %
from south to north) and bends its meridians. SVG's y axis points down, so northings are
flipped (``y = top − northing``): the height is positive and north is up.

*Size.* Drawn shapes are simplified for the size they are drawn at: to half a pixel of
the final picture (coverage simplification, so neighbours keep a common border), with
coordinates to a tenth of a pixel. A county map then carries a few thousand points
whatever the resolution stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from jamlik.geo import boundaries


@dataclass(frozen=True)
class MapShape:
    """A drawn area: its SVG path, and a point inside it with room for a symbol there.

    ``x``/``y`` is shapely's point on surface (always inside, unlike a centroid of a
    crescent); ``room`` is the shorter side of the shape's bounding box in pixels, so a
    map can leave out symbols that would not fit.
    """

    code: str
    path: str
    x: float = 0.0
    y: float = 0.0
    room: float = 0.0


def _ring_path(ring: Any) -> str:
    coords = np.asarray(ring.coords)[:-1]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    return f"M{points}Z"


def _path(geometry: Any) -> str:
    return "".join(
        _ring_path(ring)
        for polygon in shapely.get_parts(geometry)
        for ring in (polygon.exterior, *polygon.interiors)
    )


def draw(
    geometries: Mapping[str, Mapping[str, Any]],
    *,
    width: float = 600,
    height: float = 600,
    pixel_tolerance: float = 0.5,
) -> tuple[list[MapShape], float, float]:
    """Project ``{code: GeoJSON geometry}`` (WGS84) into a box at most ``width`` × ``height``.

    Returns the shapes in code order and the drawing's width and height (both positive;
    the shorter side is below its limit). Raises
    :class:`~jamlik.geo.boundaries.GeometryError` for a geometry that is not a polygon.
    """
    codes = sorted(geometries)
    if not codes:
        return [], width, 0.0
    read = []
    for code in codes:
        shape = boundaries.polygonal(boundaries.from_geojson(geometries[code]))
        if shape.is_empty or not boundaries.in_sweden(shape.bounds):
            # e.g. SWEREF 99 TM metres stored before imports converted them
            raise boundaries.GeometryError(
                f"the boundary of {code} is not longitude/latitude in Sweden; import it again."
            )
        read.append(shape)
    shapes = np.array(read, dtype=object)
    projected = boundaries.reproject(shapes, boundaries.WGS84, boundaries.SWEREF99_TM)
    xmin, ymin, xmax, ymax = shapely.total_bounds(projected)
    scale = min(width / ((xmax - xmin) or 1.0), height / ((ymax - ymin) or 1.0))
    simplified = boundaries.simplify_coverage(list(projected), pixel_tolerance / scale)
    # Outer rings one way, holes the other: SVG's default (non-zero) fill leaves holes open.
    on_page = shapely.transform(
        shapely.orient_polygons(np.array(simplified, dtype=object)),
        lambda xy: np.column_stack(((xy[:, 0] - xmin) * scale, (ymax - xy[:, 1]) * scale)),
    )
    inside = shapely.get_coordinates(shapely.point_on_surface(on_page))
    bounds = shapely.bounds(on_page)
    room = np.minimum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
    drawn = [
        MapShape(code, _path(g), round(float(p[0]), 1), round(float(p[1]), 1), float(r))
        for code, g, p, r in zip(codes, on_page, inside, room, strict=True)
    ]
    return drawn, round((xmax - xmin) * scale, 1), round((ymax - ymin) * scale, 1)

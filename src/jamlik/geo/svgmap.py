"""Draw stored boundaries as an SVG map (pure: geometry in, path strings out).

An equirectangular projection with longitude scaled by the cosine of the mean
latitude is adequate at county scale and keeps the drawing dependency-free.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MapShape:
    code: str
    path: str


def _rings(geometry: Mapping[str, Any]) -> Iterable[Sequence[Sequence[float]]]:
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    else:
        for polygon in geometry["coordinates"]:
            yield from polygon


def draw(
    geometries: Mapping[str, Mapping[str, Any]], *, width: float = 600
) -> tuple[list[MapShape], float, float]:
    """Project ``{code: geometry}`` into an SVG box ``width`` wide; returns shapes, width, height."""
    points = [pt for g in geometries.values() for ring in _rings(g) for pt in ring]
    if not points:
        return [], width, 0.0
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    x0, x1 = min(lons) * k, max(lons) * k
    y0, y1 = -max(lats), -min(lats)
    scale = width / ((x1 - x0) or 1.0)
    height = (y1 - y0) * scale
    shapes = []
    for code, geometry in sorted(geometries.items()):
        parts = []
        for ring in _rings(geometry):
            coords = " ".join(
                f"{(lon * k - x0) * scale:.1f},{(-lat - y0) * scale:.1f}" for lon, lat, *_ in ring
            )
            parts.append(f"M{coords}Z")
        shapes.append(MapShape(code, "".join(parts)))
    return shapes, width, height

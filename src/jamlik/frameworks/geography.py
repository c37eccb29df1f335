"""Sweden's official geography as data: riket, the 21 län and the 290 kommuner.

Codes and names are the official ones (SCB's län and kommun codes); centroids are
approximate points inside each kommun, used only to lay out tile-grid maps when no
hand-drawn layout exists. Stockholms län has a hand-drawn tile grid
(``data/geography/tiles_01.csv``) placed to resemble the map.

Pure module: no Django. The ``geo`` app loads these into the database.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from scipy.optimize import linear_sum_assignment

COUNTRY_CODE = "00"
COUNTRY_NAME = "Sverige"


@dataclass(frozen=True)
class County:
    code: str
    name: str


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    county_code: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Tile:
    code: str
    x: int
    y: int


def _rows(filename: str) -> list[dict[str, str]]:
    text = (
        resources.files("jamlik.frameworks")
        .joinpath("data/geography", filename)
        .read_text(encoding="utf-8")
    )
    return list(csv.DictReader(text.splitlines()))


@cache
def counties() -> tuple[County, ...]:
    """The 21 län, ordered by code."""
    return tuple(County(r["code"], r["name"]) for r in _rows("lan.csv"))


@cache
def municipalities() -> tuple[Municipality, ...]:
    """The 290 kommuner, ordered by code."""
    return tuple(
        Municipality(r["code"], r["name"], r["county_code"], float(r["lat"]), float(r["lon"]))
        for r in _rows("kommuner.csv")
    )


def hand_drawn_tiles(county_code: str) -> tuple[Tile, ...] | None:
    """The hand-drawn tile grid of a county, or None when there is none."""
    try:
        rows = _rows(f"tiles_{county_code}.csv")
    except FileNotFoundError:
        return None
    return tuple(Tile(r["code"], int(r["x"]), int(r["y"])) for r in rows)


def tiles_from_centroids(points: dict[str, tuple[float, float]]) -> tuple[Tile, ...]:
    """Lay out one square per area on a grid so that the grid resembles the map.

    ``points`` maps a code to (lat, lon). The points are projected equirectangularly
    (longitude scaled by the cosine of the mean latitude), scaled onto a grid with
    about 1.6 cells per area, and each area is assigned a distinct cell by minimising
    the total squared displacement (Hungarian algorithm, Kuhn 1955, via
    ``scipy.optimize.linear_sum_assignment``). Deterministic for the same input.
    """
    if not points:
        return ()
    codes = sorted(points)
    lat = np.array([points[c][0] for c in codes])
    lon = np.array([points[c][1] for c in codes])
    x = lon * math.cos(math.radians(float(lat.mean())))
    y = -lat
    width = float(np.ptp(x)) or 1.0
    height = float(np.ptp(y)) or 1.0
    n = len(codes)
    cells = max(n, math.ceil(n * 1.6))
    cols = max(1, round(math.sqrt(cells * width / height)))
    rows = max(1, math.ceil(cells / cols))
    while cols * rows < n:
        rows += 1
    px = (x - x.min()) / width * (cols - 1)
    py = (y - y.min()) / height * (rows - 1)
    grid_x, grid_y = np.meshgrid(np.arange(cols), np.arange(rows))
    gx, gy = grid_x.ravel(), grid_y.ravel()
    cost = (px[:, None] - gx[None, :]) ** 2 + (py[:, None] - gy[None, :]) ** 2
    assigned_rows, assigned_cells = linear_sum_assignment(cost)
    tiles = [
        Tile(codes[i], int(gx[cell]), int(gy[cell]))
        for i, cell in zip(assigned_rows, assigned_cells, strict=True)
    ]
    return tuple(sorted(tiles, key=lambda t: t.code))


def county_tiles(county_code: str) -> tuple[Tile, ...]:
    """The tile grid for a county: hand-drawn when available, else computed."""
    drawn = hand_drawn_tiles(county_code)
    if drawn is not None:
        return drawn
    return tiles_from_centroids(
        {m.code: (m.lat, m.lon) for m in municipalities() if m.county_code == county_code}
    )

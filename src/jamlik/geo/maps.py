"""Which map a county page shows: real boundaries when stored for every kommun, else tiles."""

from __future__ import annotations

from dataclasses import dataclass, field

from jamlik.geo import svgmap
from jamlik.geo.models import Area


@dataclass
class TileCell:
    area: Area
    x: int
    y: int
    css_class: str = ""
    label: str = ""


@dataclass
class CountyMap:
    kind: str  # "boundaries" or "tiles"
    cols: int = 0
    rows: list[list[TileCell | None]] = field(default_factory=list)
    shapes: list[tuple[Area, str]] = field(default_factory=list)
    width: float = 0
    height: float = 0


def county_map(
    municipalities: list[Area],
    *,
    classes: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
) -> CountyMap:
    """Build the map for ``municipalities``; ``classes``/``labels`` colour and annotate by code."""
    classes, labels = classes or {}, labels or {}
    if municipalities and all(m.boundary for m in municipalities):
        shapes, width, height = svgmap.draw({m.code: m.boundary for m in municipalities})
        by_code = {m.code: m for m in municipalities}
        return CountyMap(
            kind="boundaries",
            shapes=[(by_code[s.code], s.path) for s in shapes],
            width=width,
            height=height,
        )
    placed = [m for m in municipalities if m.tile_x is not None and m.tile_y is not None]
    if not placed:
        return CountyMap(kind="tiles")
    cols = max(m.tile_x for m in placed) + 1  # type: ignore[type-var]
    nrows = max(m.tile_y for m in placed) + 1  # type: ignore[type-var]
    grid: list[list[TileCell | None]] = [[None] * cols for _ in range(nrows)]
    for m in placed:
        grid[m.tile_y][m.tile_x] = TileCell(  # type: ignore[index]
            m,
            m.tile_x,
            m.tile_y,
            classes.get(m.code, ""),
            labels.get(m.code, ""),  # type: ignore[arg-type]
        )
    return CountyMap(kind="tiles", cols=cols, rows=grid)

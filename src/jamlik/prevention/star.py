"""Draw Preventionsstjärnan as an accessible SVG (pure; no Django).

Layout: the five problem areas sit at the tips of a five-pointed star. Each risk or
protective factor in the knowledge base is a numbered marker placed by how many problem
areas it predicts: in the green centre when it predicts all of them, in the yellow middle
(pulled towards the tips it shares) when it predicts some, and in the red tip when it
predicts one. Prioritised factors are drawn filled dark with a white number *and* a ring,
so the highlight does not rest on colour alone. The SVG carries ``<title>`` and ``<desc>``;
the page shows the same content as a table (``rows``).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from html import escape

from jamlik.frameworks import Preventionsstjarna, StarZone

CX, CY = 360.0, 330.0
OUTER = 290.0
INNER = 120.0
CENTRE_RADIUS = 88.0
TIP_FRACTION = 0.38  # share of a point's length, from the tip, drawn as the red tip
MARKER = 11.0
TIP_FILL, MIDDLE_FILL, CENTRE_FILL = "#F6B8A8", "#FBE59A", "#BFE3B4"
INK, HIGHLIGHT = "#1A1A1A", "#123E6B"


@dataclass(frozen=True)
class StarRow:
    number: int
    key: str
    name: str
    kind: str
    domain: str
    zone: StarZone
    problem_areas: tuple[str, ...]
    highlighted: bool
    x: float
    y: float


def _point(angle_deg: float, radius: float) -> tuple[float, float]:
    a = math.radians(angle_deg)
    return CX + radius * math.cos(a), CY + radius * math.sin(a)


def tip_angles(count: int) -> list[float]:
    return [-90.0 + i * 360.0 / count for i in range(count)]


def star_polygon(count: int) -> list[tuple[float, float]]:
    points = []
    for angle in tip_angles(count):
        points.append(_point(angle, OUTER))
        points.append(_point(angle + 180.0 / count, INNER))
    return points


def _inside(poly: list[tuple[float, float]], x: float, y: float) -> bool:
    inside = False
    j = len(poly) - 1
    for i in range(len(poly)):
        xi, yi = poly[i]
        xj, yj = poly[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _free(x: float, y: float, taken: list[tuple[float, float]]) -> bool:
    return all(math.hypot(x - tx, y - ty) >= 2 * MARKER + 3 for tx, ty in taken)


def _fits(poly: list[tuple[float, float]], x: float, y: float) -> bool:
    """Inside the star with the whole marker (checked at eight points on its rim)."""
    return all(
        _inside(poly, x + (MARKER + 2) * math.cos(t), y + (MARKER + 2) * math.sin(t))
        for t in (k * math.pi / 4 for k in range(8))
    )


def layout(star: Preventionsstjarna, highlighted: Collection[str], lang: str) -> list[StarRow]:
    areas = star.problem_areas.keys()
    angles = dict(zip(areas, tip_angles(len(areas)), strict=True))
    poly = star_polygon(len(areas))
    taken: list[tuple[float, float]] = []
    rows: list[StarRow] = []
    zone_order = {StarZone.CENTRE: 0, StarZone.TIP: 1, StarZone.SHARED: 2}
    factors = sorted(star.factors, key=lambda f: (zone_order[star.zone(f)], -len(f.problem_areas)))
    centre = [f for f in factors if star.zone(f) == StarZone.CENTRE]
    positions: dict[str, tuple[float, float]] = {}
    # Centre: rings around the middle.
    ring_slots = [(0.0, 0)] + [(34.0, k) for k in range(6)] + [(64.0, k) for k in range(12)]
    for factor, (radius, k) in zip(centre, ring_slots, strict=False):
        count = 6 if radius == 34.0 else 12
        pos = _point(-90.0 + k * 360.0 / count, radius) if radius else (CX, CY)
        positions[factor.key] = pos
    for factor in factors:
        zone = star.zone(factor)
        if zone == StarZone.CENTRE:
            if factor.key not in positions:  # more centre factors than ring slots
                positions[factor.key] = _search(CX, CY, 0.0, [40.0, 70.0], poly, taken)
            taken.append(positions[factor.key])
            continue
        vx = sum(math.cos(math.radians(angles[a])) for a in factor.problem_areas)
        vy = sum(math.sin(math.radians(angles[a])) for a in factor.problem_areas)
        base = math.degrees(math.atan2(vy, vx))
        if zone == StarZone.TIP:
            radii = [OUTER * (1 - TIP_FRACTION / 2) - 6 * i for i in range(8)] + [OUTER - 40.0]
        else:
            radii = [CENTRE_RADIUS + 26.0 + 22.0 * i for i in range(6)]
        positions[factor.key] = _search(CX, CY, base, radii, poly, taken, zone=zone)
        taken.append(positions[factor.key])
    for number, factor in enumerate(star.factors, start=1):
        x, y = positions[factor.key]
        rows.append(
            StarRow(
                number=number,
                key=factor.key,
                name=factor.name(lang),
                kind=factor.kind.value,
                domain=factor.domain,
                zone=star.zone(factor),
                problem_areas=factor.problem_areas,
                highlighted=factor.key in highlighted,
                x=round(x, 1),
                y=round(y, 1),
            )
        )
    return rows


def _search(
    cx: float,
    cy: float,
    base: float,
    radii: list[float],
    poly: list[tuple[float, float]],
    taken: list[tuple[float, float]],
    zone: StarZone | None = None,
) -> tuple[float, float]:
    """First free spot near angle ``base``, trying nearby angles and radii in turn."""
    offsets = [0.0] + [sign * step for step in range(6, 180, 6) for sign in (1, -1)]
    for offset in offsets:
        for radius in radii:
            x, y = _point(base + offset, radius)
            if zone == StarZone.SHARED and math.hypot(x - cx, y - cy) < CENTRE_RADIUS + MARKER + 2:
                continue
            if _fits(poly, x, y) and _free(x, y, taken):
                return x, y
    raise ValueError("the star has no room left for another factor marker")


def render_svg(
    star: Preventionsstjarna,
    rows: list[StarRow],
    *,
    lang: str,
    title: str,
    description: str,
    svg_id: str = "prevention-star",
) -> str:
    """The star as an SVG string with ``role="img"``, ``<title>`` and ``<desc>``."""
    count = len(star.problem_areas)
    poly = star_polygon(count)
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in poly)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 640" id="{svg_id}" '
        f'role="img" aria-labelledby="{svg_id}-title {svg_id}-desc" class="prevention-star">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
        f'<desc id="{svg_id}-desc">{escape(description)}</desc>',
        f'<polygon points="{pts}" fill="{MIDDLE_FILL}" stroke="{INK}" stroke-width="2"/>',
    ]
    for i in range(count):
        tip = poly[2 * i]
        left = poly[2 * i - 1]
        right = poly[2 * i + 1]
        a = (tip[0] + (left[0] - tip[0]) * TIP_FRACTION, tip[1] + (left[1] - tip[1]) * TIP_FRACTION)
        b = (
            tip[0] + (right[0] - tip[0]) * TIP_FRACTION,
            tip[1] + (right[1] - tip[1]) * TIP_FRACTION,
        )
        parts.append(
            f'<polygon points="{tip[0]:.1f},{tip[1]:.1f} {a[0]:.1f},{a[1]:.1f} {b[0]:.1f},{b[1]:.1f}" '
            f'fill="{TIP_FILL}" stroke="{INK}" stroke-width="1"/>'
        )
        area = star.problem_areas[i]
        lx, ly = tip
        ly = ly + 30 if ly > CY else ly - 14
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle" font-size="18" '
            f'font-weight="700" fill="{INK}">{escape(area.name(lang))}</text>'
        )
    parts.append(
        f'<circle cx="{CX}" cy="{CY}" r="{CENTRE_RADIUS}" fill="{CENTRE_FILL}" stroke="{INK}" stroke-width="1"/>'
    )
    for row in rows:
        fill, ink, ring = (HIGHLIGHT, "#FFFFFF", 3) if row.highlighted else ("#FFFFFF", INK, 1)
        marker_title = f"{row.number}. {row.name}"
        parts.append(
            f'<g class="factor{" factor-highlighted" if row.highlighted else ""}" data-factor="{escape(row.key)}">'
            f"<title>{escape(marker_title)}</title>"
            f'<circle cx="{row.x}" cy="{row.y}" r="{MARKER}" fill="{fill}" stroke="{INK}" stroke-width="{ring}"/>'
        )
        if row.highlighted:
            parts.append(
                f'<circle cx="{row.x}" cy="{row.y}" r="{MARKER + 4}" fill="none" stroke="{HIGHLIGHT}" stroke-width="2"/>'
            )
        parts.append(
            f'<text x="{row.x}" y="{row.y + 4}" text-anchor="middle" font-size="11" font-weight="700" '
            f'fill="{ink}">{row.number}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)

"""Draw the actor network as an accessible SVG (server-side, no JavaScript).

*Layout.* Actors sit on one circle, grouped by sector: each sector has its own arc,
marked by a coloured band with the sector's letter, so "who links across sectors" reads
as lines crossing the circle and "who works only inside their sector" as short chords
inside one arc. A circular layout grouped by attribute is deterministic (the same
picture on every load, no random seed) and never hides a node behind another, which a
force-directed hairball of 150 actors and 1 000 links does. Within a sector, actors are
ordered by the mean position of their contacts (a few barycentre sweeps, Sugiyama,
Tagawa & Toda 1981, IEEE SMC 11), which shortens the chords. Links are drawn as curves
pulled towards the centre (a light form of Holten's 2006 edge bundling, IEEE TVCG 12).

*Encoding.* A node's area grows with its number of links (degree); a link's width and
opacity with its strength (number of ties). Sector is colour *and* the letter on its
arc (colour is never the only cue). Every node is a link to the actor's page with a
``<title>`` (name, sector, links); its name shows on hover and keyboard focus, and the
names of the most central actors are always shown. The SVG has a ``<title>`` and
``<desc>``; the centrality table beside it is the text alternative. Actors without any
link are not drawn on the circle but listed on the page.
"""

from __future__ import annotations

import math
from collections import defaultdict

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from jamlik.actors.choices import ActorType
from jamlik.actors.graph import NetworkAnalysis, NodeInfo

# Okabe & Ito (2008) colour-blind-safe colours, one per sector, with a letter.
SECTOR_STYLE: dict[str, tuple[str, str]] = {
    ActorType.MUNICIPAL: ("#0072B2", "K"),
    ActorType.REGION: ("#D55E00", "R"),
    ActorType.COUNTY_BOARD: ("#000000", "L"),
    ActorType.STATE_AGENCY: ("#CC79A7", "S"),
    ActorType.CIVIL_SOCIETY: ("#009E73", "C"),
    ActorType.BUSINESS: ("#E69F00", "N"),
    ActorType.ACADEMIA: ("#56B4E9", "A"),
    ActorType.OTHER: ("#666666", "Ö"),
}
SECTOR_ORDER = list(SECTOR_STYLE)
#: Sectors drawn inside another's arc, in its colour and letter (the legend stays one entry
#: per colour): the county board's own units sit with the county board.
DRAWN_AS: dict[str, str] = {ActorType.COUNTY_BOARD_UNIT: ActorType.COUNTY_BOARD}
WIDTH, HEIGHT = 1100, 760
RADIUS = 275
#: Vertical room of one always-shown name (px), so neighbouring names do not overlap.
LABEL_SPACING = 17
#: Longer names are shortened on the picture (in full in the title and the table).
LABEL_CHARS = 30
#: Empty slots between two sectors' arcs.
SECTOR_GAP = 3
#: Names always drawn: the most central actors.
LABELLED = 12
SWEEPS = 4

_STYLE = (
    "<style>"
    ".net-node .net-name{display:none}"
    ".net-node.net-top .net-name{display:inline}"
    ".net-node:hover .net-name,.net-node:focus .net-name{display:inline;font-weight:700}"
    ".net-node:focus{outline:none}"
    ".net-node:hover circle,.net-node:focus circle{stroke:#000;stroke-width:3}"
    "</style>"
)


def _text_colour(fill: str) -> str:
    """Black or white, whichever contrasts more with the fill (WCAG relative luminance)."""
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


def drawn_sector(sector: str) -> str:
    """The arc an actor of ``sector`` is drawn in (pure)."""
    sector = DRAWN_AS.get(sector, sector)
    return sector if sector in SECTOR_STYLE else ActorType.OTHER


def _style(sector: str) -> tuple[str, str]:
    return SECTOR_STYLE[drawn_sector(sector)]


def layout(analysis: NetworkAnalysis) -> dict[int, float]:
    """Angle (radians, 0 = up, clockwise) of every linked actor: sectors in arcs (pure)."""
    graph = analysis.graph
    linked = [n for n in analysis.nodes if n.degree > 0]
    by_sector: dict[str, list[NodeInfo]] = defaultdict(list)
    for info in linked:
        by_sector[drawn_sector(info.sector)].append(info)
    sectors = [s for s in SECTOR_ORDER if by_sector.get(s)]
    slots = len(linked) + SECTOR_GAP * len(sectors)
    step = 2 * math.pi / max(slots, 1)
    order = {s: sorted(by_sector[s], key=lambda n: (-n.degree, n.name)) for s in sectors}

    def place() -> dict[int, float]:
        angles, slot = {}, 0
        for sector in sectors:
            for info in order[sector]:
                angles[info.key] = slot * step
                slot += 1
            slot += SECTOR_GAP
        return angles

    angles = place()
    for _ in range(SWEEPS):
        for sector in sectors:

            def barycentre(info: NodeInfo, current: dict[int, float] = angles) -> tuple:
                points = [current[n] for n in graph.neighbors(info.key) if n in current]
                if not points:
                    return (current[info.key], info.name)
                x = sum(math.sin(a) for a in points)
                y = sum(math.cos(a) for a in points)
                return (math.atan2(x, y) % (2 * math.pi), info.name)

            order[sector] = sorted(order[sector], key=barycentre)
        angles = place()
    return angles


def _point(angle: float, radius: float) -> tuple[float, float]:
    return WIDTH / 2 + radius * math.sin(angle), HEIGHT / 2 - radius * math.cos(angle)


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


def spread_labels(wanted: list[tuple[int, float]], spacing: float) -> dict[int, float]:
    """Label heights at least ``spacing`` apart, each as near its wanted ``y`` as the order allows.

    ``wanted`` is ``(key, y)``; labels keep their order from top to bottom and are pushed
    down, then the whole run is pulled back up so it is centred on the wanted places (pure).
    """
    ordered = sorted(wanted, key=lambda item: item[1])
    placed: list[float] = []
    for _key, y in ordered:
        placed.append(max(y, placed[-1] + spacing) if placed else y)
    if placed:
        shift = (sum(y for _k, y in ordered) - sum(placed)) / len(placed)
        placed = [y + min(shift, 0) for y in placed]
        # keep the spacing after the shift (a uniform shift does)
    return {key: y for (key, _y), y in zip(ordered, placed, strict=True)}


def render_network_svg(
    analysis: NetworkAnalysis, *, title: str, description: str, labelled: int = LABELLED
) -> str:
    infos = {n.key: n for n in analysis.nodes}
    angles = layout(analysis)
    graph = analysis.graph
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" class="network-svg" '
        'font-family="system-ui, sans-serif" role="group" '
        'aria-labelledby="netsvg-title netsvg-desc">',
        f'<title id="netsvg-title">{escape(title)}</title>',
        f'<desc id="netsvg-desc">{escape(description)}</desc>',
        _STYLE,
    ]
    # Sector arcs with their letters, just outside the circle.
    arcs: dict[str, list[float]] = defaultdict(list)
    for key, angle in angles.items():
        arcs[drawn_sector(infos[key].sector)].append(angle)
    half = math.pi / max(len(angles) + SECTOR_GAP * len(arcs), 1)
    parts.append('<g class="net-sectors" aria-hidden="true">')
    band = RADIUS + 14
    for sector, sector_angles in arcs.items():
        fill, letter = _style(sector)
        start, end = min(sector_angles) - half, max(sector_angles) + half
        (x1, y1), (x2, y2) = _point(start, band), _point(end, band)
        large = 1 if end - start > math.pi else 0
        parts.append(
            f'<path d="M{x1:.1f},{y1:.1f} A{band},{band} 0 {large} 1 {x2:.1f},{y2:.1f}" '
            f'fill="none" stroke="{fill}" stroke-width="6"/>'
        )
        mx, my = _point((start + end) / 2, band)
        parts.append(
            f'<circle cx="{mx:.1f}" cy="{my:.1f}" r="9" fill="{fill}" stroke="#ffffff"/>'
            f'<text x="{mx:.1f}" y="{my + 4:.1f}" text-anchor="middle" font-size="11" '
            f'font-weight="700" fill="{_text_colour(fill)}">{letter}</text>'
        )
    parts.append("</g>")
    # Links: curves pulled towards the centre, wider and darker when stronger.
    parts.append('<g class="net-links" fill="none" stroke="#3d4650" aria-hidden="true">')
    edges = sorted(graph.edges(data="weight"), key=lambda e: (e[2], e[0], e[1]))
    for a, b, weight in edges:
        if a not in angles or b not in angles:
            continue
        (x1, y1), (x2, y2) = _point(angles[a], RADIUS), _point(angles[b], RADIUS)
        cx, cy = (
            WIDTH / 2 + ((x1 + x2) / 2 - WIDTH / 2) * 0.25,
            HEIGHT / 2 + ((y1 + y2) / 2 - HEIGHT / 2) * 0.25,
        )
        width = min(0.6 + 1.1 * (weight - 1), 5)
        opacity = min(0.18 + 0.2 * (weight - 1), 0.9)
        parts.append(
            f'<path d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}" '
            f'stroke-width="{width:.1f}" stroke-opacity="{opacity:.2f}"/>'
        )
    parts.append("</g>")
    # Actors: links to their pages, named on hover and focus, the central ones always.
    top = {n.key for n in analysis.ranked[:labelled] if n.degree > 0}
    max_degree = max((i.degree for i in infos.values()), default=1) or 1
    # Always-shown names of the central actors, spread apart on each side of the circle.
    label_at: dict[int, tuple[float, float, str]] = {}
    for side in ("start", "end", "middle"):
        wanted = []
        for key in top:
            angle = angles[key]
            sin = math.sin(angle)
            anchor = "start" if sin > 0.05 else "end" if sin < -0.05 else "middle"
            if anchor == side:
                wanted.append((key, _point(angle, RADIUS + 30)[1] + 5))
        for key, y in spread_labels(wanted, LABEL_SPACING).items():
            label_at[key] = (_point(angles[key], RADIUS + 30)[0], y, side)
    parts.append('<g class="net-nodes">')
    for key, angle in sorted(angles.items(), key=lambda item: (item[0] in top, item[0])):
        info = infos[key]
        fill, letter = _style(info.sector)
        x, y = _point(angle, RADIUS)
        radius = 3 + 7 * math.sqrt(info.degree / max_degree)
        if key in label_at:
            lx, ly, anchor = label_at[key]
        else:
            lx, ly = _point(angle, RADIUS + 30)
            ly += 5
            sin = math.sin(angle)
            anchor = "start" if sin > 0.05 else "end" if sin < -0.05 else "middle"
        name = escape(info.name)
        links = ngettext("%(n)s link", "%(n)s links", info.degree) % {"n": info.degree}
        sector_name = ActorType(info.sector).label if info.sector in ActorType.values else ""
        leader = ""
        if key in label_at:
            ex, ey = _point(angle, RADIUS + radius + 2)
            tx = lx - 3 if anchor == "start" else lx + 3 if anchor == "end" else lx
            leader = (
                f'<path d="M{ex:.1f},{ey:.1f} L{tx:.1f},{ly - 5:.1f}" stroke="#6b7480" '
                'stroke-width="0.8" fill="none"/>'
            )
        parts.append(
            f'<a class="net-node{" net-top" if key in top else ""}" '
            f'href="{reverse("actors:actor", args=[key])}" '
            f'aria-label="{name}, {escape(sector_name)}, {links}">'
            f"<title>{name} ({letter} = {escape(sector_name)}), {links}</title>"
            f"{leader}"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{fill}" '
            f'stroke="#ffffff" stroke-width="1"/>'
            f'<text class="net-name" x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" '
            f'font-size="15" fill="#1b1f24" stroke="#ffffff" stroke-width="3" '
            f'paint-order="stroke">{escape(_short(info.name))}</text></a>'
        )
    parts.append("</g></svg>")
    return "".join(parts)


def legend() -> list[dict[str, str]]:
    """One entry per colour; a sector that also holds the units drawn with it says so."""
    hosts = set(DRAWN_AS.values())
    return [
        {
            "key": key,
            "label": gettext("%(sector)s and its units") % {"sector": ActorType(key).label}
            if key in hosts
            else str(ActorType(key).label),
            "colour": colour,
            "letter": letter,
        }
        for key, (colour, letter) in SECTOR_STYLE.items()
    ]

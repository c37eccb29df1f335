"""Draw the actor network as an accessible SVG (server-side, no JavaScript).

Networks are squares, actors circles; an actor's sector is shown by colour *and* by a
letter inside the circle (colour is never the only cue). The SVG has a ``<title>`` and
``<desc>``; every node has its own ``<title>``. The page beside it carries the same
information as tables. Layout: Fruchterman–Reingold force-directed placement
(Fruchterman & Reingold 1991, Software—Practice & Experience 21) with a fixed seed so the
picture is the same on every load; actors without links are lined up below.
"""

from __future__ import annotations

import math

import networkx as nx
from django.utils.html import escape

from jamlik.actors.choices import ActorType
from jamlik.actors.graph import NetworkAnalysis

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
WIDTH, HEIGHT, MARGIN = 960, 640, 30


def _text_colour(fill: str) -> str:
    """Black or white, whichever contrasts more with the fill (WCAG relative luminance)."""
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


def render_network_svg(analysis: NetworkAnalysis, *, title: str, description: str) -> str:
    display = nx.Graph()
    infos = {n.key: n for n in analysis.nodes}
    connected = [k for k, info in infos.items() if info.degree > 0]
    member_of = {(n, a) for n, a in analysis.memberships}
    networks = {n.pk: n for n in analysis.networks if any(m[0] == n.pk for m in member_of)}
    for key in connected:
        display.add_node(("a", key))
    for pk in networks:
        display.add_node(("n", pk))
    for network, actor in member_of:
        if actor in infos and infos[actor].degree > 0 and network in networks:
            display.add_edge(("n", network), ("a", actor))
    for a, b, _kind in analysis.relations:
        if a in infos and b in infos and a != b:
            display.add_edge(("a", a), ("a", b))
    isolated = sorted((infos[k] for k in infos if infos[k].degree == 0), key=lambda i: i.name)
    components = sorted(nx.connected_components(display), key=lambda c: (-len(c), min(c)))
    pix: dict[tuple[str, int], tuple[float, float]] = {}
    if components:
        giant = display.subgraph(components[0])
        positions = nx.spring_layout(
            giant, seed=7, k=1.8 / math.sqrt(max(giant.number_of_nodes(), 1)), iterations=100
        )
        xs = [p[0] for p in positions.values()]
        ys = [p[1] for p in positions.values()]
        span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
        for node, (x, y) in positions.items():
            pix[node] = (
                MARGIN + (x - min(xs)) / span_x * (WIDTH - 2 * MARGIN),
                MARGIN + (y - min(ys)) / span_y * (HEIGHT - 2 * MARGIN),
            )
    # Groups not linked to the main graph get their own small circles in a band below it.
    small = components[1:]
    per_row = (WIDTH - 2 * MARGIN) // 90
    small_band = 40 + math.ceil(len(small) / per_row) * 80 if small else 0
    for index, component in enumerate(small):
        cx = MARGIN + 45 + (index % per_row) * 90
        cy = HEIGHT + 60 + (index // per_row) * 80
        sub = display.subgraph(component)
        layout = (
            nx.circular_layout(sub, scale=24) if len(component) > 1 else {n: (0, 0) for n in sub}
        )
        for node, (x, y) in layout.items():
            pix[node] = (cx + float(x), cy + float(y))
    rows_needed = math.ceil(len(isolated) / 30) if isolated else 0
    band = 40 + rows_needed * 26 if isolated else 0
    height = HEIGHT + small_band + band

    def place(node: tuple[str, int]) -> tuple[float, float]:
        return pix[node]

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="network-svg" font-family="system-ui, sans-serif" role="img" aria-labelledby="netsvg-title netsvg-desc">',
        f'<title id="netsvg-title">{escape(title)}</title>',
        f'<desc id="netsvg-desc">{escape(description)}</desc>',
        '<g class="edges" stroke="#8a939e" stroke-width="0.8" stroke-opacity="0.7">',
    ]
    for u, v in display.edges():
        (x1, y1), (x2, y2) = place(u), place(v)
        dash = ' stroke-dasharray="3 2"' if u[0] == "a" and v[0] == "a" else ""
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"{dash}/>')
    parts.append('</g><g class="networks">')
    for pk, network in networks.items():
        x, y = place(("n", pk))
        parts.append(
            f"<g><title>{escape(network.name)}</title>"
            f'<rect x="{x - 9:.1f}" y="{y - 9:.1f}" width="18" height="18" fill="#ffffff" '
            f'stroke="#1b1f24" stroke-width="2"/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="10" '
            f'font-weight="700" fill="#1b1f24">N</text></g>'
        )
    parts.append('</g><g class="actors">')
    top = {n.key for n in analysis.central[:5]}

    def actor_node(info, x: float, y: float, radius: float) -> str:  # noqa: ANN001
        fill, letter = SECTOR_STYLE.get(info.sector, SECTOR_STYLE[ActorType.OTHER])
        ink = _text_colour(fill)
        label = ""
        if info.key in top:
            label = (
                f'<text x="{x + radius + 3:.1f}" y="{y + 4:.1f}" font-size="11" fill="#1b1f24" '
                f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(info.name)}</text>'
            )
        return (
            f"<g><title>{escape(info.name)}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{fill}" stroke="#ffffff" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{y + 3:.1f}" text-anchor="middle" font-size="8" fill="{ink}">{letter}</text>'
            f"{label}</g>"
        )

    max_degree = max((i.degree for i in infos.values()), default=1) or 1
    for key in connected:
        x, y = place(("a", key))
        info = infos[key]
        parts.append(actor_node(info, x, y, 5 + 6 * math.sqrt(info.degree / max_degree)))
    parts.append("</g>")
    if small:
        parts.append(
            f'<text x="{MARGIN}" y="{HEIGHT + 16:.1f}" font-size="12" fill="#1b1f24">'
            f"{escape(_small_label())}</text>"
        )
    if isolated:
        y0 = HEIGHT + small_band + 16
        parts.append(
            f'<text x="{MARGIN}" y="{y0:.1f}" font-size="12" fill="#1b1f24">{escape(_isolated_label())}</text>'
        )
        for index, info in enumerate(isolated):
            x = MARGIN + 10 + (index % 30) * 30
            y = y0 + 18 + (index // 30) * 26
            parts.append(actor_node(info, x, y, 6))
    parts.append("</svg>")
    return "".join(parts)


def _small_label() -> str:
    from django.utils.translation import gettext

    return gettext("Groups not linked to the rest:")


def _isolated_label() -> str:
    from django.utils.translation import gettext

    return gettext("Actors without any link:")


def legend() -> list[dict[str, str]]:
    return [
        {"key": key, "label": str(ActorType(key).label), "colour": colour, "letter": letter}
        for key, (colour, letter) in SECTOR_STYLE.items()
    ]

"""The prevention star SVG: accessible, complete, highlights the priorities."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

from jamlik import frameworks
from jamlik.frameworks import StarZone
from jamlik.prevention import star

NS = {"svg": "http://www.w3.org/2000/svg"}


def _render(highlight: set[str]) -> tuple[list[star.StarRow], ET.Element]:
    fw = frameworks.load("preventionsstjarna")
    rows = star.layout(fw, highlight, "en")
    svg = star.render_svg(
        fw, rows, lang="en", title="The prevention star", description="Five problems"
    )
    return rows, ET.fromstring(svg)


def test_svg_is_accessible_and_lists_every_factor() -> None:
    rows, root = _render({"family_conflict", "gang_involvement"})
    assert root.get("role") == "img"
    assert root.find("svg:title", NS).text == "The prevention star"
    assert root.find("svg:desc", NS).text == "Five problems"
    labelled_by = root.get("aria-labelledby").split()
    assert labelled_by == ["prevention-star-title", "prevention-star-desc"]
    fw = frameworks.load("preventionsstjarna")
    groups = root.findall("svg:g", NS)
    assert len(groups) == len(fw.factors) == len(rows)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    for area in fw.problem_areas:
        assert area.name("en") in texts


def test_highlight_marked_by_class_and_ring_not_colour_alone() -> None:
    rows, root = _render({"family_conflict"})
    highlighted = [
        g for g in root.findall("svg:g", NS) if "factor-highlighted" in g.get("class", "")
    ]
    assert [g.get("data-factor") for g in highlighted] == ["family_conflict"]
    assert len(highlighted[0].findall("svg:circle", NS)) == 2  # marker + ring
    assert [r.key for r in rows if r.highlighted] == ["family_conflict"]


def test_markers_sit_in_their_zone_without_overlap() -> None:
    rows, _ = _render(set())
    for a in rows:
        for b in rows:
            if a.key < b.key:
                assert math.hypot(a.x - b.x, a.y - b.y) >= 2 * star.MARKER, (a.key, b.key)
    for row in rows:
        distance = math.hypot(row.x - star.CX, row.y - star.CY)
        if row.zone == StarZone.CENTRE:
            assert distance <= star.CENTRE_RADIUS - star.MARKER + 1, row.key
        elif row.zone == StarZone.SHARED:
            assert distance > star.CENTRE_RADIUS, row.key
        else:
            assert distance > star.OUTER * (1 - star.TIP_FRACTION) - 10, row.key

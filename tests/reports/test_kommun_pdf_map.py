"""The kommun PDF prints the county map as inline SVG, the kommun highlighted."""

from __future__ import annotations

import io
import re

import pytest


@pytest.fixture(scope="module")
def _seeded(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN202
    from tests.conftest import seeded_once

    from jamlik.indicators.demo import seed

    yield from seeded_once(django_db_blocker, seed)


@pytest.fixture
def botkyrka_html(_seeded, db, geography):  # noqa: ANN001, ANN201
    from django.utils import translation

    from jamlik.geo.models import Area
    from jamlik.indicators.viewstate import ViewState
    from jamlik.reports.kommun_profile import kommun_profile_html

    with translation.override("sv"):
        return kommun_profile_html(Area.objects.get(code="0127"), ViewState(indicator="N66080"))


def test_profile_html_holds_the_county_map_with_the_kommun_highlighted(botkyrka_html) -> None:  # noqa: ANN001
    html = botkyrka_html
    svg = html[
        html.index('<svg class="chmap"') : html.index("</svg>", html.index('<svg class="chmap"'))
    ]
    # every kommun of Stockholms län drawn, none a link (a PDF has no site to go to)
    assert len(re.findall(r'class="chmap-region', svg)) == 26
    assert "<a " not in svg
    assert 'data-code="0127"' in svg and "chmap-highlight" in svg
    highlighted = re.findall(r'class="chmap-region[^"]*chmap-highlight" data-code="(\d+)"', svg)
    assert highlighted == ["0127"]
    assert 'width="80mm"' in svg
    # the legend, and the indicator named in the heading
    assert 'class="chmap-legend' in html
    assert "Invånare med låg ekonomisk standard" in html.split('<svg class="chmap"')[0]
    # no interactive CSS that WeasyPrint would warn about
    assert "stroke-dasharray: none" not in html


def test_the_pdf_draws_the_map(botkyrka_html) -> None:  # noqa: ANN001
    from pypdf import PdfReader

    from jamlik.reports.pdf import render_pdf

    pdf = render_pdf(botkyrka_html)
    first = PdfReader(io.BytesIO(pdf)).pages[0]
    text = first.extract_text()
    assert "Botkyrka (svart kant)" in text
    assert "Jämfört med Stockholms län" in text
    # the map is vector paths on the page, not an image
    content = first.get_contents().get_data()
    assert content.count(b" l\n") + content.count(b" c\n") > 500


def test_print_charts_are_measured_and_drawn_in_the_pdf_font() -> None:
    """Vega measures labels in the font the SVG names; WeasyPrint must draw that font."""
    from jamlik.reports.pdf import PRINT_FONT, print_svg

    spec = {
        "data": {"values": [{"who": "Individen och övriga", "v": 3}, {"who": "Kommun", "v": -1}]},
        "width": "container",
        "height": 80,
        "mark": "bar",
        "encoding": {
            "y": {"field": "who", "type": "nominal"},
            "x": {"field": "v", "type": "quantitative"},
        },
    }
    svg = print_svg(spec, width=400)
    fonts = set(re.findall(r'font-family="([^"]+)"', svg))
    assert fonts and all(PRINT_FONT in f for f in fonts), fonts
    assert "Individen och övriga" in svg

"""The kommun profile (lokal lägesbild) as a printable PDF.

The same numbers as the web page (:func:`jamlik.indicators.profile.profile_page`),
rendered to HTML and then to PDF by WeasyPrint (:mod:`jamlik.reports.pdf`); charts
are the page's Vega-Lite specs drawn to SVG on the server with
:func:`jamlik.core.charts.to_svg`. The county map of the county overview
(:func:`jamlik.indicators.pages.overview_page`, the indicator in ``state.indicator`` or
the overview's first) is printed as inline SVG, the kommun outlined in black, with the
same legend as on the web.

The PDF shows public data only, so it is rendered once per publication and
choice (benchmark, breakdown) and then served from the cache
(:func:`jamlik.indicators.figure_cache.public_cached`); its figures and gap
blocks are the very ones the page computed and cached.  Where a first
rendering spends its time (national data set, ``bench/bench_pdf.py``):
WeasyPrint's layout and drawing of about seven pages of tables, then the
charts (Vega-Lite to SVG, and WeasyPrint drawing each SVG letter by letter),
then the figures.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from jamlik.geo import choropleth
from jamlik.geo.models import Area
from jamlik.indicators.figure_cache import public_cached
from jamlik.indicators.profile import profile_page
from jamlik.indicators.viewstate import ViewState
from jamlik.reports.pdf import gc_paused, print_svg, render_pdf, svg_data_uri

#: Gap blocks the PDF prints (the page shows them all).
PRINTED_GAPS = 12


def county_map(area: Area, state: ViewState) -> choropleth.Choropleth | None:
    """The county overview's map with ``area`` highlighted (public data; ``None`` without
    a county or drawable boundaries)."""
    from jamlik.indicators.pages import overview_page

    county = area.county
    if county is None:
        return None
    chart = overview_page(county, state).choropleth
    return choropleth.highlighted(chart, area.code) if chart else None


def kommun_profile_html(area: Area, state: ViewState) -> str:
    """The profile as standalone HTML for printing."""
    page = profile_page(area, state)
    gap_images = [
        {**block, "image": svg_data_uri(print_svg(block["chart"]["spec"]))}
        for block in page.gaps[:PRINTED_GAPS]
    ]
    return render_to_string(
        "reports/kommun_profile.html",
        {
            "page": page,
            "gaps": gap_images,
            "generated": timezone.localtime(),
            "county_map": county_map(area, state),
        },
    )


def kommun_profile_pdf(area: Area, state: ViewState) -> bytes:
    """The profile as PDF bytes (rendered once per publication, language and choice)."""

    def build() -> bytes:
        with gc_paused():  # see jamlik.reports.pdf
            return render_pdf(kommun_profile_html(area, state))

    return public_cached(
        "kommun-profile-pdf", (area.pk, state.bench, state.breakdown, state.indicator), None, build
    )

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

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from jamlik.geo import choropleth
from jamlik.geo.models import Area
from jamlik.indicators.figure_cache import public_cached
from jamlik.indicators.profile import profile_page
from jamlik.indicators.viewstate import ViewState
from jamlik.reports.document import Document, Section, Table
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


def kommun_profile_document(area: Area, state: ViewState) -> Document:
    """The profile's published tables as a :class:`Document` (for the XLSX download).

    One table per target-area group (keys ``group_1`` …, in the page's order) and one for
    the gaps between groups of the chosen breakdown, the same rows as the page and its PDF.
    """
    from django.utils.translation import gettext as _

    page = profile_page(area, state)
    source = _("Jämlik, published values (the local situation picture of %(name)s).") % {
        "name": area.name
    }
    notes = (_("* = suppressed: too few cases to publish."),)
    county_name = page.county.name if page.county else _("County")
    sections: list[Section] = []
    for number, (group_name, rows) in enumerate(page.groups, start=1):
        table = Table(
            key=f"group_{number}",
            title=str(group_name),
            columns=[
                _("Indicator"),
                _("Period"),
                area.name,
                _("Lower 95 %"),
                _("Upper 95 %"),
                county_name,
                _("Sweden"),
                _("Comparison"),
                _("Recent trend"),
            ],
            rows=[
                [
                    row.indicator.name,
                    row.period or None,
                    "*" if row.suppressed else row.value,
                    row.lower,
                    row.upper,
                    row.county,
                    row.country,
                    str(row.marker.label),
                    str(row.trend.label),
                ]
                for row in rows
            ],
            source=source,
            notes=notes,
        )
        sections.append(Section(key=f"group_{number}", title=str(group_name), blocks=[table]))
    gap_rows: list[list[Any]] = []
    for block in page.gaps:
        for g in block["rows"]:
            gap_rows.append(
                [
                    block["indicator"].name,
                    block["period"],
                    g["group"],
                    "*" if g["suppressed"] else g["value"],
                    g["lower"],
                    g["upper"],
                ]
            )
    sections.append(
        Section(
            key="gaps",
            title=_("Gaps between groups"),
            blocks=[
                Table(
                    key="gaps",
                    title=_("Gaps between groups"),
                    columns=[
                        _("Indicator"),
                        _("Period"),
                        _("Group"),
                        _("Value"),
                        _("Lower 95 %"),
                        _("Upper 95 %"),
                    ],
                    rows=gap_rows,
                    source=source,
                    notes=notes,
                )
            ],
        )
    )
    return Document(
        title=_("Local situation picture: %(name)s") % {"name": area.name},
        area_code=area.code,
        area_name=area.name,
        year=timezone.localdate().year,
        generated=timezone.localdate(),
        sections=sections,
        subtitle=_("Compared with %(bench)s") % {"bench": page.benchmark.name},
        notes=(_("Invented demonstration data — not real figures."),) if page.is_demo else (),
    )

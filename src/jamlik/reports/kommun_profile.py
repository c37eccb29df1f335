"""The kommun profile (lokal lägesbild) as a printable PDF.

The same numbers as the web page (:func:`jamlik.indicators.profile.profile_page`),
rendered to HTML and then to PDF by WeasyPrint; charts are the page's
Vega-Lite specs drawn to SVG on the server with :func:`jamlik.core.charts.to_svg`.
"""

from __future__ import annotations

import base64
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from jamlik.core.charts import to_svg
from jamlik.geo.models import Area
from jamlik.indicators.profile import profile_page
from jamlik.indicators.viewstate import ViewState


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _print_svg(spec: dict[str, Any]) -> str:
    """The chart as SVG for print, with room for labels drawn in the PDF's own font."""
    printable = {**spec, "padding": {"left": 24, "right": 12, "top": 4, "bottom": 4}}
    return to_svg(printable, width=480)


def kommun_profile_html(area: Area, state: ViewState) -> str:
    """The profile as standalone HTML for printing."""
    page = profile_page(area, state)
    gap_images = [
        {**block, "image": _svg_data_uri(_print_svg(block["chart"]["spec"]))}
        for block in page.gaps[:12]
    ]
    return render_to_string(
        "reports/kommun_profile.html",
        {"page": page, "gaps": gap_images, "generated": timezone.localtime()},
    )


def kommun_profile_pdf(area: Area, state: ViewState) -> bytes:
    """The profile as PDF bytes."""
    from weasyprint import HTML

    return bytes(HTML(string=kommun_profile_html(area, state)).write_pdf())

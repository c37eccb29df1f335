"""Vega-Lite charts: one spec, rendered in the browser and on the server.

In the browser the spec is rendered by vendored vega-embed with Vega's expression
interpreter (no ``eval``, so the Content-Security-Policy can forbid it). On the server
:func:`to_svg` renders the same spec with vl-convert for PDF reports. Every chart comes
with a data table, so the numbers are readable without the picture.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

_ids = itertools.count(1)

# Colour-blind-safe palette (Okabe & Ito 2008) used by every chart.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

BASE_CONFIG: dict[str, Any] = {
    "font": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": "#222", "titleColor": "#222"},
    "legend": {"labelFontSize": 12, "titleFontSize": 13},
    "range": {"category": PALETTE},
    "view": {"stroke": None},
}


def with_defaults(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The spec with the schema, site config and responsive width filled in."""
    full = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", **spec}
    full.setdefault("width", "container")
    config = {**BASE_CONFIG, **full.get("config", {})}
    full["config"] = config
    return full


def chart_block(
    spec: Mapping[str, Any],
    *,
    title: str,
    description: str,
    table_columns: Sequence[tuple[str, str]],
    table_rows: Sequence[Mapping[str, Any]],
    csv_url: str | None = None,
    method_url: str | None = None,
) -> dict[str, Any]:
    """Context for ``components/chart.html``: the chart, its description and its table."""
    full = with_defaults(spec)
    full.setdefault("description", description)
    chart_id = f"chart-{next(_ids)}"
    return {
        "id": chart_id,
        "spec_id": f"{chart_id}-spec",
        "spec": full,
        "title": title,
        "description": description,
        "columns": list(table_columns),
        "rows": [[row.get(key) for key, _label in table_columns] for row in table_rows],
        "csv_url": csv_url,
        "method_url": method_url,
    }


def to_svg(spec: Mapping[str, Any], *, width: int = 640) -> str:
    """Render a Vega-Lite spec to SVG on the server (for PDF reports)."""
    import vl_convert as vlc

    full = with_defaults(spec)
    if full.get("width") == "container":
        full["width"] = width
    return str(vlc.vegalite_to_svg(vl_spec=full))

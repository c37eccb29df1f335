"""Vega-Lite charts: one spec, rendered in the browser and on the server.

In the browser the spec is rendered by vendored vega-embed with Vega's expression
interpreter (no ``eval``, so the Content-Security-Policy can forbid it). On the server
:func:`to_svg` renders the same spec with vl-convert for PDF reports. Every chart comes
with a data table, so the numbers are readable without the picture.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

_ids = itertools.count(1)

#: d3-format locales (https://github.com/d3/d3-format/tree/main/locale): Swedish
#: writes a decimal comma, a non-breaking space between thousands and "kr" after
#: an amount (Språkrådet, *Svenska skrivregler*, 2017, ch. 12). The spec carries
#: its locale in ``usermeta`` so the browser (charts.js) and the PDF renderer
#: (:func:`to_svg`) print the same numbers from one definition.
NUMBER_LOCALES: dict[str, dict[str, Any]] = {
    "sv": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", "\u00a0SEK"]},
}


def _words(text: str) -> list[str]:
    """A list of names written as one line of words."""
    return text.split()


#: d3-time-format locales (d3-time-format's sv-SE with lower-case names, as Swedish writes them).
TIME_LOCALES: dict[str, dict[str, Any]] = {
    "sv": {
        "dateTime": "%A den %d %B %Y %X",
        "date": "%Y-%m-%d",
        "time": "%H:%M:%S",
        "periods": ["fm", "em"],
        "days": ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
        "shortDays": ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
        "months": _words(
            "januari februari mars april maj juni juli augusti september oktober november december"
        ),
        "shortMonths": _words("jan feb mar apr maj jun jul aug sep okt nov dec"),
    },  # fmt: skip
    "en": {
        "dateTime": "%x, %X",
        "date": "%Y-%m-%d",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        "months": _words(
            "January February March April May June July August September October November December"
        ),
        "shortMonths": _words("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"),
    },  # fmt: skip
}

#: d3-format strings for axes, tooltips and labels; they print in the page's
#: locale (``,`` = group thousands, ``~`` = drop trailing zeros).
NUMBER_FORMAT = ",.3~f"
DECIMAL_1 = ",.1f"
DECIMAL_2 = ",.2f"
INTEGER = ",.0f"
PERCENT = ".0%"
YEAR = "d"

# Colour-blind-safe palette (Okabe & Ito 2008) used by every chart.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

#: A legend label longer than 32 characters goes on two lines, broken at the
#: last space before the 32nd (a phone has about 260 px beside the symbols).
WRAP_LABEL = (
    "length(datum.label) > 32 && lastindexof(slice(datum.label, 0, 32), ' ') > 0"
    " ? [slice(datum.label, 0, lastindexof(slice(datum.label, 0, 32), ' ')),"
    " slice(datum.label, lastindexof(slice(datum.label, 0, 32), ' ') + 1)]"
    " : datum.label"
)

BASE_CONFIG: dict[str, Any] = {
    "font": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
    "axis": {
        "labelFontSize": 12,
        "titleFontSize": 13,
        "labelColor": "#222",
        "titleColor": "#222",
        "labelLimit": 220,
        "titleLimit": 0,
    },
    # Legends below the plot, one entry a line, nothing cut short: on a phone a
    # legend at the side would squeeze the plot to nothing.
    "legend": {
        "labelFontSize": 12,
        "titleFontSize": 13,
        "orient": "bottom",
        "direction": "vertical",
        "columns": 1,
        "labelLimit": 320,
        "titleLimit": 340,
    },
    "range": {"category": PALETTE},
    # Default format of every number on an axis, in a legend, text mark or tooltip.
    "numberFormat": NUMBER_FORMAT,
    "view": {"stroke": None},
}


_LEGEND_CHANNELS = ("color", "fill", "stroke", "shape", "strokeDash")


def wrap_legend_labels(spec: dict[str, Any]) -> None:
    """Give every legend of ``spec`` (and its layers) the two-line :data:`WRAP_LABEL`, in place.

    Vega-Lite takes ``labelExpr`` from a legend, not from ``config.legend``.
    """
    encoding = spec.get("encoding", {})
    for channel in _LEGEND_CHANNELS:
        definition = encoding.get(channel)
        if not isinstance(definition, dict) or "field" not in definition:
            continue
        if definition.get("type") not in ("nominal", "ordinal"):
            continue
        if definition.get("legend", {}) is None or definition.get("scale", {}) is None:
            continue  # no legend: switched off, or values painted as they are
        legend = dict(definition.get("legend") or {})
        legend.setdefault("labelExpr", WRAP_LABEL)
        definition["legend"] = legend
    for layer in spec.get("layer", []):
        wrap_legend_labels(layer)


def chart_language(language: str | None = None) -> str:
    """``"sv"`` or ``"en"``: the locale charts print numbers in (Swedish unless English)."""
    return "en" if (language or get_language() or "sv").lower().startswith("en") else "sv"


def with_defaults(spec: Mapping[str, Any], *, language: str | None = None) -> dict[str, Any]:
    """The spec with the schema, site config, responsive width and number locale filled in.

    A ``"container"`` width gets autosize ``fit-x``: Vega-Lite's default ``fit``
    would also try to fit the height and warn when the height is a step per bar.
    """
    full = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", **copy.deepcopy(spec)}
    wrap_legend_labels(full)
    full.setdefault("width", "container")
    if full["width"] == "container":
        full.setdefault("autosize", {"type": "fit-x", "contains": "padding"})
        height = fixed_height(full)
        if height is not None:
            full["height"] = height
    config = dict(BASE_CONFIG)
    for key, value in full.get("config", {}).items():
        if isinstance(value, Mapping) and isinstance(config.get(key), Mapping):
            config[key] = {**config[key], **value}
        else:
            config[key] = value
    full["config"] = config
    lang = chart_language(language)
    full["usermeta"] = {
        **full.get("usermeta", {}),
        "language": lang,
        "formatLocale": NUMBER_LOCALES[lang],
        "timeFormatLocale": TIME_LOCALES[lang],
        # Vega's warnings reach the console while developing (and the browser
        # tests, which fail on any); a visitor's console stays quiet.
        "logLevel": "warn" if settings.DEBUG else "error",
    }
    return full


def _band_field(spec: Mapping[str, Any]) -> tuple[str, list[Any]] | None:
    """The discrete y field of ``spec`` (or its first layer that has one) and its rows."""
    encoding = spec.get("encoding", {})
    y = encoding.get("y") if isinstance(encoding, Mapping) else None
    data = spec.get("data")
    values = data.get("values") if isinstance(data, Mapping) else None
    if isinstance(y, Mapping) and y.get("type") in ("nominal", "ordinal") and "field" in y:
        return str(y["field"]), values if isinstance(values, list) else []
    for layer in spec.get("layer", []):
        found = _band_field(layer)
        if found is not None:
            field, rows = found
            return field, rows or (values if isinstance(values, list) else [])
    return None


#: Vega-Lite's height for a discrete y without one (``config.view.discreteHeight``).
DEFAULT_STEP = {"step": 20}


def fixed_height(spec: Mapping[str, Any]) -> Any:
    """A height of ``{"step": n}`` as pixels: ``n`` times the number of bands.

    Vega-Lite fits a ``"container"`` width only with autosize ``fit-x``, and
    warns ("Dropping fit-y because spec has discrete height") whenever a fit
    meets a step height, so a chart that is as wide as its box and a step per
    bar tall gets its height counted here (no height on a discrete y is
    Vega-Lite's step of 20). Other heights pass unchanged.
    """
    height = spec.get("height", DEFAULT_STEP)
    if not (isinstance(height, Mapping) and set(height) == {"step"}):
        return height
    found = _band_field(spec)
    if found is None:
        return spec.get("height")
    field, rows = found
    bands = len({repr(row.get(field)) for row in rows if isinstance(row, Mapping)})
    return max(bands, 1) * float(height["step"])


def inline_datasets(spec: Mapping[str, Any]) -> Iterator[list[Any]]:
    """Every inline ``data.values`` list of ``spec`` and its layers."""
    data = spec.get("data")
    if isinstance(data, Mapping) and isinstance(data.get("values"), list):
        yield data["values"]
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            yield from inline_datasets(child)
    if isinstance(spec.get("spec"), Mapping):
        yield from inline_datasets(spec["spec"])


def has_values(spec: Mapping[str, Any]) -> bool:
    """Whether the chart has anything to draw: some inline data set is not empty.

    An empty chart is not drawn (the page says "No values to show"); drawn, it
    would be empty axes and Vega's "Infinite extent" warnings.
    """
    return any(values for values in inline_datasets(spec))


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
        "empty": not has_values(full),
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
        full.pop("autosize", None)
    meta = full["usermeta"]
    return str(
        vlc.vegalite_to_svg(
            vl_spec=full,
            format_locale=meta["formatLocale"],
            time_format_locale=meta["timeFormatLocale"],
        )
    )

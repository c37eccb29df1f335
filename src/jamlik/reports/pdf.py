"""HTML to PDF with WeasyPrint, without paying Python's garbage collector on every page.

WeasyPrint builds hundreds of thousands of short-lived objects (boxes, styles,
text layouts) for a report of a few pages.  Each burst of allocations starts
a collection, and in a server process every collection of the older
generations walks the whole heap (Django, pandas, the URL conf: some 300 000
objects), so on the national data set about a quarter of a kommun profile's
rendering went to the collector (``bench/bench_pdf.py`` measures it).  The
collector is therefore paused while a PDF is rendered; the few megabytes of
cycles one rendering leaves are freed by the next ordinary collection.

Measured and left alone: a shared font configuration (under 2 % of a
rendering) and a fixed table layout (about 10 %, but it changes the columns).

Charts in a PDF (:func:`print_svg`) are Vega-Lite drawn to SVG on the server. Vega
measures every label to lay out the axes; if it measures with one font and WeasyPrint
then draws with another (the site's ``system-ui`` stack falls back to the wider DejaVu
Sans in print), long labels overrun the space Vega left for them and are clipped at the
SVG's edge. So print charts name the PDF's own font, :data:`PRINT_FONT`, for both.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_paused = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (nested and threaded uses nest:
    it is enabled again when the last one ends, if it was enabled before the first)."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()


def render_pdf(html: str) -> bytes:
    """PDF bytes of standalone ``html`` (no external resources: images as data URIs)."""
    from weasyprint import HTML

    with gc_paused():
        return bytes(HTML(string=html).write_pdf())


#: The font of every printed report (the ``font-family`` of their style sheets).
PRINT_FONT = "DejaVu Sans"
#: Room around a printed chart (px) for the outermost tick labels and axis titles.
PRINT_PADDING = {"left": 12, "right": 16, "top": 8, "bottom": 6}


def print_svg(spec: Mapping[str, Any], *, width: int = 480) -> str:
    """SVG of a Vega-Lite ``spec`` for a PDF, measured and drawn in :data:`PRINT_FONT`."""
    from jamlik.core.charts import to_svg

    config = dict(spec.get("config", {}))
    config["font"] = PRINT_FONT
    return to_svg({**spec, "config": config, "padding": PRINT_PADDING}, width=width)


def svg_data_uri(svg: str) -> str:
    """``svg`` as a data URI for an ``<img>`` (reports are standalone HTML)."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")

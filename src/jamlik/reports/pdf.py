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
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

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

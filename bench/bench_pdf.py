"""Benchmark: the 26 kommun PDFs of län 01 at national scale, against the same PDFs the old way.

On the national data set (:func:`national.national_database`: 312 areas × 50
indicators × 15 years × sex, 702 000 published values) it requests
``/rapporter/kommun/<code>/lagesbild.pdf`` for every kommun of Stockholms län
through Django's test client (server time; the process's CPU time too, as other
processes on a shared machine stretch the wall time) three times:

* **first**: Django's cache cleared once, so every kommun's figures, gap
  blocks, charts and PDF are computed and rendered (the target: < 60 s for
  the 26);
* **after the pages**: the cache cleared, each kommun's web page requested
  (not timed), then its PDF: the PDF reuses the figures the page computed;
* **again**: the same 26 once more, served from the cache.

The baseline, in the same run: each of the 26 PDFs rendered the way every PDF
was before (nothing reused, the cache cleared, WeasyPrint with the garbage
collector running), alternating with the first pass kommun by kommun.  The
figures and gaps are computed by today's code on both sides, so the baseline
leaves out their own gains (see ``bench_profile.py``).  It also reports where one PDF's
time goes (median of three: figures, gaps, charts to SVG, HTML, WeasyPrint's
layout and its drawing and writing with the collector paused, WeasyPrint
without the charts, and all of WeasyPrint with the collector running) and the
SQL queries of a cold and a cached PDF, and the first PDF in a new process
(imports, fonts and all; timed in a child process).

Run: ``.venv/bin/python bench/bench_pdf.py``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import Options, write_results  # noqa: E402 - beside this file
from national import first_request_ms, national_site, time_first_request  # noqa: E402
from timing import HOST, count_queries, get, seconds  # noqa: E402

COUNTY = "01"
TARGET_S = 60.0


def _pdf(client: Any, code: str) -> bytes:
    body = get(client, f"/rapporter/kommun/{code}/lagesbild.pdf")
    assert body[:5] == b"%PDF-"
    return bytes(body)


def old_pdf(code: str) -> None:
    """One PDF as before: nothing cached, everything computed, the collector running."""
    from django.core.cache import cache
    from weasyprint import HTML

    from jamlik.geo.models import Area
    from jamlik.indicators.viewstate import ViewState
    from jamlik.reports.kommun_profile import kommun_profile_html

    cache.clear()
    html = kommun_profile_html(Area.objects.get(code=code), ViewState())
    HTML(string=html).write_pdf()


def phases(code: str, repeats: int = 3) -> dict[str, float]:
    """Milliseconds of each step of one PDF computed from nothing (median of ``repeats``)."""
    runs = [_phases_once(code) for _ in range(repeats)]
    return {k: statistics.median(run[k] for run in runs) for k in runs[0]}


def _phases_once(code: str) -> dict[str, float]:
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils import timezone
    from weasyprint import HTML

    from jamlik.geo.models import Area
    from jamlik.indicators import gap_blocks
    from jamlik.indicators.profile import profile_figures, profile_page
    from jamlik.indicators.queries import Visibility
    from jamlik.indicators.viewstate import ViewState
    from jamlik.reports import kommun_profile as report
    from jamlik.reports.pdf import gc_paused

    cache.clear()
    area, state, public = Area.objects.get(code=code), ViewState(), Visibility.public()
    found: dict[str, float] = {}
    found["figures"] = seconds(lambda: profile_figures(area, state, public))
    found["gaps"] = seconds(lambda: gap_blocks.gap_blocks(area, state.breakdown))
    page = profile_page(area, state)
    images: list[dict[str, Any]] = []
    found["charts_to_svg"] = seconds(
        lambda: images.extend(
            {**b, "image": report._svg_data_uri(report._print_svg(b["chart"]["spec"]))}
            for b in page.gaps[: report.PRINTED_GAPS]
        )
    )
    html: list[str] = []
    found["html"] = seconds(
        lambda: html.append(
            render_to_string(
                "reports/kommun_profile.html",
                {"page": page, "gaps": images, "generated": timezone.localtime()},
            )
        )
    )
    with gc_paused():
        document: list[Any] = []
        found["weasyprint_layout"] = seconds(lambda: document.append(HTML(string=html[0]).render()))
        found["weasyprint_draw_and_write"] = seconds(lambda: document[0].write_pdf())
        no_charts = html[0].split('<img class="chart"')[0]
        found["weasyprint_without_charts"] = seconds(lambda: HTML(string=no_charts).write_pdf())
    found["weasyprint_collector_running"] = seconds(lambda: HTML(string=html[0]).write_pdf())
    return {k: v * 1000 for k, v in found.items()}


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = Options(__doc__)
    parser.add_argument("--first-pdf", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.read(argv)
    if args.first_pdf:
        # the first PDF after start-up: imports, fonts, everything computed
        time_first_request(args.first_pdf, "first_pdf_ms", lambda c: _pdf(c, "0127"))
        return {}
    results: dict[str, float] = {}
    with national_site("pdf"):
        from django.core.cache import cache
        from django.test import Client

        from jamlik.geo.models import Area

        codes = list(
            Area.objects.filter(parent__code=COUNTY, level="municipality")
            .order_by("code")
            .values_list("code", flat=True)
        )
        client = Client()
        _pdf(client, codes[-1])  # imports (WeasyPrint, vl-convert), fonts, URL conf
        old_pdf(codes[-1])
        steps = phases(codes[0])

        # New and old alternate kommun by kommun, so that the load of other
        # processes on a shared machine weighs on both alike.
        cache.clear()
        first, old, first_cpu = [], [], 0.0
        for code in codes:
            cpu = time.process_time()
            first.append(seconds(lambda c=code: _pdf(client, c)))
            first_cpu += time.process_time() - cpu
            old.append(seconds(lambda c=code: old_pdf(c)))  # clears the cache
        cache.clear()
        after_pages = []
        for code in codes:
            client.get(f"/lagesbild/kommun/{code}/", **HOST)
            after_pages.append(seconds(lambda c=code: _pdf(client, c)))
        again = [seconds(lambda c=c: _pdf(client, c)) for c in codes]

        cache.clear()
        cold_queries, _ = count_queries(lambda: _pdf(client, codes[0]))
        cached_queries, _ = count_queries(lambda: _pdf(client, codes[0]))

    first_in_process = first_request_ms(__file__, "--first-pdf", "first_pdf_ms")
    baseline = sum(old)
    results.update(
        {
            "pdfs": len(codes),
            "first_s": sum(first),
            "first_cpu_s": first_cpu,
            "after_pages_s": sum(after_pages),
            "again_s": sum(again),
            "one_pdf_first_median_ms": statistics.median(first) * 1000,
            "one_pdf_old_median_ms": statistics.median(old) * 1000,
            "first_pdf_in_new_process_ms": first_in_process,
            "baseline_s": baseline,
            "first_ratio": baseline / sum(first),
            "after_pages_ratio": baseline / sum(after_pages),
            "again_ratio": baseline / sum(again),
            "cold_queries": cold_queries,
            "cached_queries": cached_queries,
            "target_s": TARGET_S,
            "target_met": float(sum(first) < TARGET_S),
            **{f"phase_{k}_ms": v for k, v in steps.items()},
        }
    )
    print(
        f"{len(codes)} kommun PDFs of län {COUNTY}: first {sum(first):.1f} s "
        f"(median {statistics.median(first) * 1000:.0f} ms each; {first_cpu:.1f} s of this "
        f"process's CPU, all threads), after their pages "
        f"{sum(after_pages):.1f} s, again {sum(again):.2f} s",
        flush=True,
    )
    print(
        f"baseline: the same PDFs the old way {baseline:.1f} s "
        f"(median {statistics.median(old) * 1000:.0f} ms each); "
        f"ratios: first {baseline / sum(first):.1f}x, after pages "
        f"{baseline / sum(after_pages):.1f}x, again {baseline / sum(again):.0f}x",
        flush=True,
    )
    print(
        "one PDF from nothing (ms): " + ", ".join(f"{k} {v:.0f}" for k, v in steps.items()),
        flush=True,
    )
    print(f"the first PDF in a new process: {first_in_process:.0f} ms", flush=True)
    print(
        f"queries: {cold_queries} for a PDF computed from nothing, "
        f"{cached_queries} for a cached one",
        flush=True,
    )
    verdict = "met" if sum(first) < TARGET_S else f"MISSED by {sum(first) - TARGET_S:.1f} s"
    print(f"target 26 PDFs < {TARGET_S:.0f} s (first rendering): {verdict}", flush=True)
    write_results("bench_pdf", results)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])

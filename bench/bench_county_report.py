"""Benchmark: the county report of Stockholms län (01) in PDF, XLSX and DOCX, against a kommun PDF.

On the demo data (every app's demo seeder, as ``jamlik demo`` runs them) or, with
``--national`` (a process of its own: one database per process), on the national data set (:func:`national.national_database`: 702 000
published values for all 290 kommuner) with the other apps' demo records for län 01
added on top, it times:

* **build**: :func:`jamlik.reports.county_report.build_county_report` with Django's
  cache cleared (every figure, gap block and economic scenario computed);
* **pdf**, **xlsx**, **docx**: each renderer on that document;
* **all three**: the three downloads through Django's test client as a county
  administrator, the cache cleared before each (what a user waits for; the target:
  under 20 s in total for the three);
* the SQL queries of one cold build (a fixed number for the county, no query per kommun).

The baseline, in the same run: the kommun profile PDF of Botkyrka (0127) from a cleared
cache (``/rapporter/kommun/0127/lagesbild.pdf``), so the figures are ratios that compare
across machines ("the county report costs N kommun PDFs").

Run: ``.venv/bin/python bench/bench_county_report.py [--national]`` or
``.venv/bin/python bench/run.py county_report``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import Options, data_folder, setup_django, write_results  # noqa: E402 - beside this file
from timing import count_queries, get, seconds  # noqa: E402

COUNTY = "01"
TARGET_S = 20.0
REPEATS = 3


def seed_demo(*, skip_indicators: bool = False) -> list[str]:
    """Every app's demo seeder (the indicators' one left out on the national data set,
    whose published values stand in for it); the seeders that failed, with the start of
    their error (on the national data set the youth survey's, whose districts come with
    the indicators' demo: the county report does not read it)."""
    from jamlik.setup import demo_seeders

    failed = []
    for label, seed in demo_seeders():
        if skip_indicators and "indicators" in seed.__module__:
            continue
        try:
            seed(lambda _m: None)
        except Exception as exc:  # noqa: BLE001 - reported, the rest still measured
            failed.append(f"{label}: {str(exc)[:200]}")
    return failed


def measure(scale: str) -> dict[str, float]:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    from jamlik.geo.models import Area
    from jamlik.reports import renderers
    from jamlik.reports.county_report import build_county_report

    year = time.localtime().tm_year
    county = Area.objects.get(code=COUNTY)
    admin = Client()
    admin.force_login(get_user_model().objects.get(username="lan01"))
    public = Client()
    # warm imports and fonts (WeasyPrint, vl-convert, openpyxl, python-docx)
    renderers.render_pdf(build_county_report(county, year))
    get(public, "/rapporter/kommun/0127/lagesbild.pdf")

    def baseline() -> None:
        cache.clear()
        get(public, "/rapporter/kommun/0127/lagesbild.pdf")

    builds, pdfs, xlsxs, docxs, downloads, baselines = [], [], [], [], [], []
    for _ in range(REPEATS):
        # alternate with the baseline so that other processes' load weighs on both alike
        baselines.append(seconds(baseline))
        cache.clear()
        started = time.perf_counter()
        doc = build_county_report(county, year)
        builds.append(time.perf_counter() - started)
        pdfs.append(seconds(lambda d=doc: renderers.render_pdf(d)))
        xlsxs.append(seconds(lambda d=doc: renderers.render_xlsx(d)))
        docxs.append(seconds(lambda d=doc: renderers.render_docx(d)))
        total = 0.0
        for suffix in ("pdf", "xlsx", "docx"):
            cache.clear()
            total += seconds(
                lambda s=suffix: get(admin, f"/rapporter/lan/{COUNTY}/{year}/rapport.{s}")
            )
        downloads.append(total)
    cache.clear()
    queries, doc = count_queries(lambda: build_county_report(county, year))
    base = statistics.median(baselines)
    all_three = statistics.median(downloads)
    results = {
        "scale": scale,
        "tables": len(doc.tables()),
        "table_rows": sum(len(t.rows) for t in doc.tables()),
        "build_s": statistics.median(builds),
        "pdf_s": statistics.median(pdfs),
        "xlsx_s": statistics.median(xlsxs),
        "docx_s": statistics.median(docxs),
        "all_three_downloads_s": all_three,
        "cold_build_queries": queries,
        "baseline_kommun_pdf_s": base,
        "all_three_in_kommun_pdfs": all_three / base,
        "build_in_kommun_pdfs": statistics.median(builds) / base,
        "pdf_in_kommun_pdfs": statistics.median(pdfs) / base,
        "target_s": TARGET_S,
        "within_target": all_three < TARGET_S,
    }
    for key, value in results.items():
        shown = f"{value:.2f}" if isinstance(value, float) else value
        print(f"  {scale:8} {key:28} {shown}", flush=True)
    return results


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = Options(__doc__)
    parser.add_argument("--national", action="store_true", help="also at national scale")
    args = parser.read(argv)
    results: dict[str, Any] = {}
    if args.national:
        # one database per process: Django is configured once, on the national data set
        from national import national_site

        with national_site("county-report"):
            failed = seed_demo(skip_indicators=True)
            results["national"] = measure("national")
            results["national"]["failed_seeders"] = failed
    else:
        with data_folder("county-report") as data_dir:
            setup_django(data_dir)
            started = time.perf_counter()
            failed = seed_demo()
            print(f"demo seeded: {time.perf_counter() - started:.1f} s", flush=True)
            results["demo"] = measure("demo")
            results["demo"]["failed_seeders"] = failed
    name = "bench_county_report_national" if args.national else "bench_county_report"
    path = write_results(name, results)
    print(f"written: {path}", flush=True)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])

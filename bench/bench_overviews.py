"""Benchmark: county overview, national matrix and indicator page at national scale, warm
and cold, each against baselines run in the same command.

On the national data set (:func:`national.national_database`: 312 areas × 50
indicators × 15 years × sex, 702 000 published values) it times, through
Django's test client (server time, template rendering included, median of
``--repeats``), for an anonymous reader:

* ``/lagesbild/lan/01/`` (26 kommuner × 50 indicators; target < 150 ms),
* ``/lagesbild/riket/`` (290 kommuner × 50 indicators, 14 500 cells; < 500 ms),
* ``/lagesbild/indikator/U01405/`` and ``…?area=0127`` (< 200 ms);

**warm**: the figures already computed for this publication (comparisons,
quintiles, the indicator page's rows: :mod:`jamlik.indicators.figure_cache`),
against two baselines:

* **cold**: Django's cache cleared before each request, so every figure is
  computed from the public table per request, as every request once did
  (the same code path with caching disabled);
* **per-cell cells** (the two matrices): the cells' HTML built the way the
  page did before, one ``format_html`` and one ``fmt`` per cell, from the same
  figures: what rendering alone cost before it was done in one pass.

It also counts the SQL queries of a cold and a warm request (they must not
grow with the number of areas: compare the county with the national matrix),
and times the page-size calls into :mod:`jamlik.stats` (150 rows, as one
indicator's kommuner): the public ``compare``/``quantiles``/``trend`` against
their plain-array paths in :mod:`jamlik.stats.arrays`.

Run: ``.venv/bin/python bench/bench_overviews.py [--repeats 7]``
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import Options, write_results  # noqa: E402 - beside this file
from national import national_site  # noqa: E402
from timing import count_queries, get, median_ms  # noqa: E402

#: (name, URL, target in ms)
PAGES = [
    ("county_overview", "/lagesbild/lan/01/", 150),
    ("national_matrix", "/lagesbild/riket/", 500),
    ("indicator_page", "/lagesbild/indikator/U01405/", 200),
    ("indicator_page_focus", "/lagesbild/indikator/U01405/?area=0127", 200),
]


def per_cell_html(code: str) -> Callable[[], None]:
    """The matrix's cells built as before: one ``format_html`` (and one ``fmt``) per cell."""
    from django.utils.html import format_html

    from jamlik.core.templatetags.jamlik_format import fmt
    from jamlik.geo.models import Area
    from jamlik.indicators.analysis import MARKER_KEYS
    from jamlik.indicators.pages import overview_page
    from jamlik.indicators.presentation import comparison_marker
    from jamlik.indicators.viewstate import ViewState

    page = overview_page(Area.objects.get(code=code), ViewState.from_query({}), with_cells=False)
    figures = page.figures
    texts = {k: str(comparison_marker(k).label) for k in MARKER_KEYS}

    def build() -> None:
        for _name, rows in page.groups:
            for row in rows:
                i = row.index
                for value, m, hidden in zip(
                    figures.value[i], figures.marker[i], figures.suppressed[i], strict=True
                ):
                    marker = comparison_marker(MARKER_KEYS[m])
                    if hidden:
                        format_html('<span aria-hidden="true">*</span>{}', "suppressed")
                    elif value != value:
                        format_html('<span aria-hidden="true">–</span>{}', "no value")
                    else:
                        format_html(
                            '{}<span class="ind-sym" aria-hidden="true">{}</span>'
                            '<span class="ind-sr">, {}</span>',
                            fmt(float(value)),
                            marker.symbol,
                            texts[marker.key],
                        )

    return build


def page_size_stats(repeats: int = 200) -> dict[str, float]:
    """Microseconds per call at 150 rows: each public function and its plain-array path."""
    import numpy as np

    from jamlik.stats import compare, quantiles, trend
    from jamlik.stats.arrays import compare_codes, quantile_codes, trend_codes

    rng = np.random.default_rng(7)
    n = 150
    value = rng.uniform(10, 90, n)
    half = rng.uniform(0.5, 5, n)
    lower, upper, bench = value - half, value + half, np.full(n, 50.0)
    polarity = np.array(["high_is_good"] * n, dtype=object)
    codes = np.zeros(n, dtype=np.int8)
    groups = np.repeat(np.arange(30), 5)
    years = np.tile(np.arange(2020.0, 2025.0), 30)
    pairs = {
        "compare": (
            lambda: compare(value, lower, upper, bench, polarity=polarity),
            lambda: compare_codes(value, lower, upper, bench, codes),
        ),
        "quantiles": (
            lambda: quantiles(value, n_quantiles=5, polarity=polarity, by=groups // 6),
            lambda: quantile_codes(value, groups // 6, False, 5),
        ),
        "trend": (
            lambda: trend(years, value, lower, upper, by=groups, polarity="high_is_good"),
            lambda: trend_codes(years, value, lower, upper, groups, np.zeros(30, np.int8)),
        ),
    }
    out = {}
    for name, (full, fast) in pairs.items():
        full_us = median_ms(full, repeats) * 1000
        fast_us = median_ms(fast, repeats) * 1000
        out.update(
            {
                f"stats_{name}_150_full_us": full_us,
                f"stats_{name}_150_arrays_us": fast_us,
                f"stats_{name}_150_ratio": full_us / fast_us,
            }
        )
        print(
            f"jamlik.stats.{name} at 150 rows: {full_us:.0f} µs; plain-array path "
            f"{fast_us:.0f} µs; ratio {full_us / fast_us:.1f}x",
            flush=True,
        )
    return out


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = Options(__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.read(argv)
    results: dict[str, float] = {}
    with national_site("overviews", grouping=","):
        from django.core.cache import cache
        from django.test import Client

        client = Client()
        get(client, "/lagesbild/lan/03/")  # imports, URL conf, templates
        for name, url, target in PAGES:
            cold = median_ms(lambda u=url: get(client, u), args.repeats, before=cache.clear)
            cache.clear()
            cold_queries, _ = count_queries(lambda u=url: get(client, u))
            warm_queries, _ = count_queries(lambda u=url: get(client, u))
            warm = median_ms(lambda u=url: get(client, u), args.repeats)
            results.update(
                {
                    f"{name}_warm_ms": warm,
                    f"{name}_cold_ms": cold,
                    f"{name}_cold_over_warm_ratio": cold / warm,
                    f"{name}_warm_queries": warm_queries,
                    f"{name}_cold_queries": cold_queries,
                    f"{name}_target_ms": target,
                    f"{name}_target_met": float(warm < target),
                }
            )
            verdict = "met" if warm < target else f"MISSED by {warm / target:.1f}x"
            print(
                f"{name} {url}: warm {warm:.0f} ms ({warm_queries} queries); "
                f"cold {cold:.0f} ms ({cold_queries} queries) = {cold / warm:.1f}x warm; "
                f"target < {target} ms {verdict}",
                flush=True,
            )
        for name, code in (("county_overview", "01"), ("national_matrix", "00")):
            build = per_cell_html(code)
            cells = median_ms(build, max(1, args.repeats // 2))
            warm = results[f"{name}_warm_ms"]
            results[f"{name}_per_cell_html_ms"] = cells
            results[f"{name}_per_cell_html_over_warm_ratio"] = cells / warm
            print(
                f"{name}: the cells alone built one format_html at a time {cells:.0f} ms "
                f"= {cells / warm:.1f}x the whole warm page",
                flush=True,
            )
    results.update(page_size_stats())
    write_results("bench_overviews", results)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])

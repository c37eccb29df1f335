"""Benchmark: the kommun profile at national scale, warm and cold, against the page's old costs.

On the national data set (:func:`national.national_database`: 312 areas × 50
indicators × 15 years × sex, 702 000 published values) it times
``/lagesbild/kommun/0127/`` through Django's test client (server time, template
rendering included, median of ``--repeats``):

* **warm**: the figures, gap blocks and rendered gap section already computed
  for this publication (:mod:`jamlik.indicators.figure_cache`), the target
  (< 300 ms);
* **cold**: Django's cache cleared before each request, so everything is
  computed from the public table and rendered: what every request cost when
  nothing was kept between requests;
* **first request**: in a fresh process (imports, URL conf, templates and the
  cold computation), timed in a child process;

against two baselines in the same run: the cold page itself, and the gaps alone
computed the way the page once did (one read and one pass per indicator and
period, :func:`bench_pages.per_period_gaps`). It also counts the SQL queries
of a warm and a cold request.

Run: ``.venv/bin/python bench/bench_profile.py [--repeats 5]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import Options, write_results  # noqa: E402 - beside this file
from national import first_request_ms, national_site, time_first_request  # noqa: E402
from timing import count_queries, get, median_ms  # noqa: E402

URL = "/lagesbild/kommun/0127/"
TARGET_MS = 300


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = Options(__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--first-request", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.read(argv)
    if args.first_request:
        time_first_request(args.first_request, "first_request_ms", lambda c: get(c, URL))
        return {}
    results: dict[str, float] = {}
    with national_site("profile"):
        from django.core.cache import cache
        from django.test import Client

        from bench_pages import per_period_gaps

        client = Client()
        get(client, "/lagesbild/kommun/0114/")  # imports, URL conf, templates
        cold = median_ms(lambda: get(client, URL), args.repeats, before=cache.clear)
        get(client, URL)
        warm = median_ms(lambda: get(client, URL), args.repeats)
        cpu = time.process_time()
        for _ in range(args.repeats):
            get(client, URL)
        warm_cpu = (time.process_time() - cpu) / args.repeats * 1000
        gaps = median_ms(lambda: per_period_gaps("0127", "sex"), max(1, args.repeats // 2))
        cache.clear()
        cold_queries, _ = count_queries(lambda: get(client, URL))
        warm_queries, _ = count_queries(lambda: get(client, URL))
    first = first_request_ms(__file__, "--first-request", "first_request_ms")
    results.update(
        {
            "profile_warm_ms": warm,
            "profile_warm_cpu_ms": warm_cpu,
            "profile_cold_ms": cold,
            "profile_first_request_ms": first,
            "per_indicator_gaps_ms": gaps,
            "cold_over_warm_ratio": cold / warm,
            "per_indicator_gaps_over_warm_ratio": gaps / warm,
            "per_indicator_gaps_over_cold_ratio": gaps / cold,
            "warm_queries": warm_queries,
            "cold_queries": cold_queries,
            "target_ms": TARGET_MS,
            "target_met": float(warm < TARGET_MS),
        }
    )
    print(
        f"kommun profile {URL} at national scale: warm {warm:.0f} ms "
        f"({warm_cpu:.0f} ms CPU, {warm_queries} queries), cold {cold:.0f} ms ({cold_queries} queries), "
        f"first request in a new process {first:.0f} ms",
        flush=True,
    )
    print(
        f"baselines: cold page {cold / warm:.1f}x warm; gaps alone the per-indicator way "
        f"{gaps:.0f} ms = {gaps / warm:.1f}x warm, {gaps / cold:.1f}x cold",
        flush=True,
    )
    verdict = "met" if warm < TARGET_MS else f"MISSED by {warm - TARGET_MS:.0f} ms"
    print(f"target warm < {TARGET_MS} ms: {verdict}", flush=True)
    write_results("bench_profile", results)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])

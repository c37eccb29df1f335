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
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from national import national_database  # noqa: E402 - beside this file

URL = "/lagesbild/kommun/0127/"
HOST = {"HTTP_HOST": "127.0.0.1"}
TARGET_MS = 300


def _get(client: Any, url: str) -> None:
    response = client.get(url, **HOST)
    assert response.status_code == 200, (url, response.status_code)


def _median_ms(
    work: Callable[[], Any], repeats: int, before: Callable[[], Any] | None = None
) -> float:
    times = []
    for _ in range(repeats):
        if before:
            before()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def first_request(data_dir: str) -> None:
    """Child process: the first request after start-up, printed as JSON."""
    national_database(Path(data_dir))
    from django.test import Client

    started = time.perf_counter()
    _get(Client(), URL)
    print(json.dumps({"first_request_ms": (time.perf_counter() - started) * 1000}))


def _first_request_ms() -> float:
    with tempfile.TemporaryDirectory(prefix="jamlik-bench-first-") as tmp:
        done = subprocess.run(
            [sys.executable, __file__, "--first-request", tmp],
            check=True,
            capture_output=True,
            text=True,
        )
    return float(json.loads(done.stdout.strip().splitlines()[-1])["first_request_ms"])


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--first-request", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv if argv is not None else [])
    if args.first_request:
        first_request(args.first_request)
        return {}
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="jamlik-bench-profile-") as tmp:
        started = time.perf_counter()
        built = national_database(Path(tmp))
        print(
            f"national database ({built['values']} values): {time.perf_counter() - started:.1f} s"
        )
        from django.core.cache import cache
        from django.db import connection, connections
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from bench_pages import per_period_gaps

        client = Client()
        _get(client, "/lagesbild/kommun/0114/")  # imports, URL conf, templates
        cold = _median_ms(lambda: _get(client, URL), args.repeats, before=cache.clear)
        _get(client, URL)
        warm = _median_ms(lambda: _get(client, URL), args.repeats)
        cpu = time.process_time()
        for _ in range(args.repeats):
            _get(client, URL)
        warm_cpu = (time.process_time() - cpu) / args.repeats * 1000
        gaps = _median_ms(lambda: per_period_gaps("0127", "sex"), max(1, args.repeats // 2))
        cache.clear()
        with CaptureQueriesContext(connection) as cold_queries:
            _get(client, URL)
        with CaptureQueriesContext(connection) as warm_queries:
            _get(client, URL)
        connections.close_all()
    first = _first_request_ms()
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
            "warm_queries": len(warm_queries),
            "cold_queries": len(cold_queries),
            "target_ms": TARGET_MS,
            "target_met": float(warm < TARGET_MS),
        }
    )
    print(
        f"kommun profile {URL} at national scale: warm {warm:.0f} ms "
        f"({warm_cpu:.0f} ms CPU, {len(warm_queries)} queries), cold {cold:.0f} ms ({len(cold_queries)} queries), "
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
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "bench_profile.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return results


if __name__ == "__main__":
    main(sys.argv[1:])

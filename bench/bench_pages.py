"""Benchmark: the kommun profile with its gaps over time, against the per-period baseline.

Builds a throw-away SQLite database with Sweden's geography and the demo data
(:func:`jamlik.indicators.demo.seed`: the catalogue, the districts of Stockholm
and Botkyrka, invented observations by sex, education and district, published
to the protected public table). Then, for three profile pages:

* ``/lagesbild/kommun/0127/`` (sex: women − men and women / men per period),
* ``/lagesbild/kommun/0180/?breakdown=district`` (districts ranked by
  deprivation: PHE's simulated SII/RII and WHO's regression SII/RII per period),
* ``/lagesbild/kommun/0127/?breakdown=education`` (three ordered groups),

it reports the server time of the real page (``GET`` through Django's test
client, template rendering included, median of several first loads: the cache
is cleared before each; and warm, once the page's figures are cached for the
publication) against a baseline run in the same command: the gaps
alone computed the way the page did before, one read per indicator and one
call of :func:`jamlik.indicators.gap_measures.compute` per measure and period.
The baseline leaves out the rest of the page, so the ratio understates the gain.

Run: ``.venv/bin/python bench/bench_pages.py [--repeats 3]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import setup_django  # noqa: E402 - beside this file

PAGES = [
    ("0127", "sex", "/lagesbild/kommun/0127/"),
    ("0180", "district", "/lagesbild/kommun/0180/?breakdown=district"),
    ("0127", "education", "/lagesbild/kommun/0127/?breakdown=education"),
]


def _setup(data_dir: Path) -> None:
    setup_django(data_dir)
    from jamlik.indicators.demo import seed

    seed(lambda _m: None)


def per_period_gaps(code: str, breakdown: str) -> float:
    """Seconds for the gaps computed the old way: one read per indicator, then for every
    period its groups in pandas and one ``gap_measures.compute`` per measure."""
    from jamlik.geo.models import Area
    from jamlik.indicators import gap_measures, gaps
    from jamlik.indicators.models import Indicator
    from jamlik.indicators.queries import Visibility

    started = time.perf_counter()
    area = Area.objects.get(code=code)
    visibility = Visibility.public()
    available = gaps.breakdown_indicator_ids(area, breakdown, visibility=visibility)
    ranks = gaps.deprivation_ranks(area, visibility=visibility) if breakdown == "district" else None
    for indicator in Indicator.objects.all():
        if indicator.pk not in available:
            continue
        rows = gaps.group_rows([indicator], area, breakdown, visibility=visibility)
        latest = gaps.latest_period(rows)
        if latest.empty:
            continue
        values = gaps.group_values(indicator, breakdown, latest, ranks)
        keys = gap_measures.default_measures(values)
        for key in keys:
            gap_measures.compute(key, values)
        ordered = rows.sort_values(["period_end", "period_start"])
        for _period, part in ordered.groupby("period", sort=False):
            if part["value"].isna().all():
                continue
            period_values = gaps.group_values(indicator, breakdown, part, ranks)
            for key in keys:
                gap_measures.compute(key, period_values)
    return time.perf_counter() - started


def page_time(client, url: str, repeats: int) -> float:  # noqa: ANN001
    from django.core.cache import cache

    times = []
    for _ in range(repeats):
        cache.clear()
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST="127.0.0.1")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def warm_time(client, url: str, repeats: int) -> float:  # noqa: ANN001
    """Median seconds of the page once its figures are cached for this publication."""
    client.get(url, HTTP_HOST="127.0.0.1")
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST="127.0.0.1")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv if argv is not None else [])
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="jamlik-bench-") as tmp:
        started = time.perf_counter()
        _setup(Path(tmp))
        print(f"demo database: {time.perf_counter() - started:.1f} s", flush=True)
        from django.test import Client

        client = Client()
        client.get("/lagesbild/kommun/0114/", HTTP_HOST="127.0.0.1")  # imports, URL conf
        for code, breakdown, url in PAGES:
            page = page_time(client, url, args.repeats)
            warm = warm_time(client, url, args.repeats)
            baseline = statistics.median(
                per_period_gaps(code, breakdown) for _ in range(max(1, args.repeats // 2))
            )
            name = f"profile_{code}_{breakdown}"
            print(
                f"kommun profile {code} by {breakdown}: page {page * 1000:.0f} ms (warm "
                f"{warm * 1000:.0f} ms); per-period gaps alone {baseline * 1000:.0f} ms; "
                f"ratio {baseline / page:.1f}x (warm {baseline / warm:.0f}x)",
                flush=True,
            )
            results.update(
                {
                    f"{name}_ms": page * 1000,
                    f"{name}_warm_ms": warm * 1000,
                    f"{name}_baseline_ms": baseline * 1000,
                    f"{name}_ratio": baseline / page,
                }
            )
        from django.db import connections

        connections.close_all()
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "bench_pages.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return results


if __name__ == "__main__":
    main(sys.argv[1:])

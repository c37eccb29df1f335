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

import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import Options, data_folder, setup_django, write_results  # noqa: E402 - beside this file
from timing import HOST, get, median_seconds  # noqa: E402

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


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = Options(__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.read(argv)
    results: dict[str, float] = {}
    with data_folder("pages") as tmp:
        started = time.perf_counter()
        _setup(tmp)
        print(f"demo database: {time.perf_counter() - started:.1f} s", flush=True)
        from django.core.cache import cache
        from django.test import Client

        client = Client()
        client.get("/lagesbild/kommun/0114/", **HOST)  # imports, URL conf
        for code, breakdown, url in PAGES:
            # first loads (nothing cached), then warm: the figures cached for the publication
            page = median_seconds(lambda u=url: get(client, u), args.repeats, before=cache.clear)
            get(client, url)
            warm = median_seconds(lambda u=url: get(client, u), args.repeats)
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
    write_results("bench_pages", results)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])

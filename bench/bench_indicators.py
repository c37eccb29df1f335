"""Benchmark: lägesbild server time and import throughput, each against a naive baseline.

Builds a throw-away SQLite database with Sweden's geography, the 50-indicator
catalogue and about 1.08 million synthetic observations (312 areas × 50
indicators × 23 years × 3 sex groups), loaded through the real import path
(:func:`jamlik.indicators.services.store_observations`: one transaction,
values and intervals computed from counts with ``jamlik.stats``). Then:

* **import throughput**: rows per second of that load, against a naive loader
  (one ``update_or_create`` per row with its own area and indicator look-ups)
  timed on a sample and expressed per row;
* **county overview** (26 kommuner × 50 indicators) and **national overview**
  (290 × 50): server time of the real page (``GET`` through Django's test
  client, template rendering included, median of several runs) against a naive
  computation that asks the database for each cell and compares it with the
  benchmark one cell at a time (rendering not included in the baseline, so the
  ratio understates the gain).

Run: ``.venv/bin/python bench/bench_indicators.py [--rows-scale 1.0]``
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import Options, data_folder, setup_django, write_results  # noqa: E402 - beside this file
from timing import get, median_seconds  # noqa: E402


def _setup(data_dir: Path) -> None:
    setup_django(data_dir)
    from jamlik.indicators.services import sync_catalogue

    sync_catalogue()


def synthetic(years: range) -> list:
    """Observations for riket, every län and every kommun (seeded, invented)."""
    from jamlik.geo.models import Area
    from jamlik.indicators.models import Indicator
    from jamlik.sources import Observation

    rng = np.random.default_rng(2024)
    areas = list(Area.objects.exclude(level="district").values_list("code", flat=True))
    out = []
    for ind in Indicator.objects.all():
        counts = ind.value_type in ("proportion", "rate", "dsr")
        for area in areas:
            base = rng.uniform(5, 80)
            den = float(rng.integers(400, 60_000))
            for year in years:
                for breakdown, category in (("total", "total"), ("sex", "female"), ("sex", "male")):
                    value = float(np.clip(base + rng.normal(0, 2), 0.5, 99.5))
                    if counts:
                        scale = ind.multiplier
                        num = float(
                            min(
                                round(value / scale * den * (100 / scale if scale > 100 else 1)),
                                den,
                            )
                        )
                        figures = {"numerator": num, "denominator": den}
                    else:
                        figures = {"value": round(value, 2)}
                    out.append(
                        Observation(ind.code, area, str(year), breakdown, category, **figures)
                    )
    return out


def naive_import(observations: list) -> float:
    """Seconds per row for a row-at-a-time loader (rolled back afterwards)."""
    from django.db import transaction

    from jamlik.geo.models import Area
    from jamlik.indicators.models import Indicator
    from jamlik.indicators.models import Observation as Row
    from jamlik.sources import parse_period

    started = time.perf_counter()
    try:
        with transaction.atomic():
            for obs in observations:
                period = parse_period(obs.period)
                Row.objects.update_or_create(
                    indicator=Indicator.objects.get(code=obs.indicator),
                    area=Area.objects.get(code=obs.area),
                    period=period.label,
                    breakdown=obs.breakdown,
                    category=obs.category,
                    defaults={
                        "period_start": period.start_year,
                        "period_end": period.end_year,
                        "numerator": obs.numerator,
                        "denominator": obs.denominator,
                        "value": obs.value,
                    },
                )
            raise _Rollback
    except _Rollback:
        pass
    return (time.perf_counter() - started) / len(observations)


class _Rollback(Exception):
    pass


def naive_overview(area_codes: list[str], bench_code: str) -> float:
    """Seconds for a cell-by-cell overview: one query per cell, one comparison per cell."""
    import pandas as pd

    from jamlik.geo.models import Area
    from jamlik.indicators.analysis import POLARITY
    from jamlik.indicators.models import Indicator
    from jamlik.indicators.models import Observation as Row
    from jamlik.stats import compare, suppress

    started = time.perf_counter()
    bench = Area.objects.get(code=bench_code)
    for ind in Indicator.objects.all():
        for code in area_codes:
            area = Area.objects.get(code=code)
            row = (
                Row.objects.filter(indicator=ind, area=area, breakdown="total")
                .order_by("-period_end")
                .first()
            )
            ref = (
                Row.objects.filter(
                    indicator=ind, area=bench, breakdown="total", period=row.period
                ).first()
                if row
                else None
            )
            if row is None or ref is None:
                continue
            table = suppress(
                pd.DataFrame(
                    {
                        "numerator": [row.numerator if row.numerator is not None else np.nan],
                        "value": [row.value],
                        "lower": [row.lower],
                        "upper": [row.upper],
                    }
                ),
                count_columns=["numerator"],
                totals="none",
            )
            compare(
                table["value"],
                table["lower"],
                table["upper"],
                [ref.value],
                polarity=POLARITY[ind.polarity],
            )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = Options(__doc__)
    parser.add_argument(
        "--years", type=int, default=23, help="years per series (23 gives ~1.08 M rows)"
    )
    parser.add_argument(
        "--naive-rows", type=int, default=3000, help="rows for the naive import sample"
    )
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.read(argv)
    with data_folder("indicators") as tmp:
        _setup(tmp)
        from django.test import Client

        from jamlik.geo.models import Area
        from jamlik.indicators.services import store_observations

        observations = synthetic(range(2025 - args.years, 2025))
        n = len(observations)
        print(f"synthetic observations: {n:,}", flush=True)
        started = time.perf_counter()
        run = store_observations(observations, kind="file", description="benchmark", actor="bench")
        load_seconds = time.perf_counter() - started
        rate = n / load_seconds
        naive_per_row = naive_import(observations[: args.naive_rows])
        naive_rate = 1 / naive_per_row
        print(
            f"import: {n:,} rows in {load_seconds:.1f} s = {rate:,.0f} rows/s; naive {naive_rate:,.0f} rows/s; ratio {rate / naive_rate:.1f}x",
            flush=True,
        )
        assert run.created == n
        # A file import is staged; publishing builds and audits the protected public table
        # (disclosure control over every area, breakdown and period) that all pages read.
        from django.db.models import Sum

        from jamlik.indicators.models import Publication
        from jamlik.indicators.publication import audit_published
        from jamlik.indicators.staging import publish

        started = time.perf_counter()
        publish(run, user=None)
        publish_seconds = time.perf_counter() - started
        built = Publication.objects.aggregate(
            cells=Sum("cells"), suppressed=Sum("suppressed"), audited=Sum("audited")
        )
        started = time.perf_counter()
        reports = audit_published()
        audit_seconds = time.perf_counter() - started
        assert not any(r.at_risk for r in reports)
        print(
            f"publish: {built['cells']:,} cells protected ({built['suppressed']:,} suppressed, "
            f"{built['audited']:,} hidden counts audited) in {publish_seconds:.1f} s, "
            f"{publish_seconds / load_seconds:.2f}x the import; re-audit of the public table "
            f"{audit_seconds:.1f} s ({sum(r.programmes for r in reports):,} linear programmes)",
            flush=True,
        )

        client = Client()
        county = [a.code for a in Area.objects.municipalities("01")]
        nation = [a.code for a in Area.objects.municipalities()]
        county_page = median_seconds(lambda: get(client, "/lagesbild/lan/01/"), args.repeats)
        county_naive = naive_overview(county, "01")
        print(
            f"county overview 26x50: page {county_page * 1000:.0f} ms; naive {county_naive * 1000:.0f} ms; ratio {county_naive / county_page:.1f}x",
            flush=True,
        )
        national_page = median_seconds(
            lambda: get(client, "/lagesbild/riket/"), max(1, args.repeats // 2)
        )
        national_naive = naive_overview(nation, "00")
        print(
            f"national overview 290x50: page {national_page * 1000:.0f} ms; naive {national_naive * 1000:.0f} ms; ratio {national_naive / national_page:.1f}x",
            flush=True,
        )
        results = {
            "rows": n,
            "import_seconds": load_seconds,
            "import_rows_per_second": rate,
            "naive_import_rows_per_second": naive_rate,
            "import_ratio": rate / naive_rate,
            "publish_seconds": publish_seconds,
            "publish_to_import_ratio": publish_seconds / load_seconds,
            "audit_seconds": audit_seconds,
            "county_overview_ms": county_page * 1000,
            "county_naive_ms": county_naive * 1000,
            "county_ratio": county_naive / county_page,
            "national_overview_ms": national_page * 1000,
            "national_naive_ms": national_naive * 1000,
            "national_ratio": national_naive / national_page,
        }
    write_results("bench_indicators", results)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])

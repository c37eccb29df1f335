"""Benchmark: the area and observation API at national scale, against the readers they replaced.

On the national data set (:func:`national.national_database`: 312 areas × 50
indicators × 15 years × sex, 702 000 published values) it times, through
Django's test client (server time, rendering included):

* ``/api/v1/areas`` against the old listing, which deferred the boundary and
  then loaded it per area to say whether there was one (one query per area);
* ``/api/v1/observations`` for ten indicators (140 000 rows): the first page
  (cold: counted after the cache is cleared; warm: counted once per
  publication), a deep page (offset 130 000) and a 5 000-row page, against
  the old whole-table path (:func:`jamlik.indicators.public.public_observations`
  reading every matching row into pandas, sorting and slicing them, then
  validating the page with the response schema);
* the CSV of one indicator (14 000 rows, streamed) against the old path (every
  row read, then one :func:`jamlik.core.exports.csv_response`);
* the same first and deep pages for a county administrator after an
  unpublished import of the whole data set again (702 000 staged rows; the
  county's 7 % of them laid over the public rows), against the old path for
  that reader;
* peak Python memory (``tracemalloc``) of the first page and the one-indicator
  CSV, new and old.

Every figure is a ratio against its baseline in the same run.

Run: ``.venv/bin/python bench/bench_api.py [--repeats 3]``
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import Options, write_results  # noqa: E402 - beside this file
from national import national_site  # noqa: E402
from timing import count_queries, get, median_ms  # noqa: E402

DEEP = 130_000


def _peak_mb(work: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def old_areas() -> list[Any]:
    """The listing as it was: boundary deferred, then loaded per area to test it."""
    from jamlik.geo.api import AreaOut
    from jamlik.geo.models import Area

    return [
        AreaOut(
            code=a.code,
            name=a.name,
            level=a.level,
            parent=a.parent.code if a.parent else None,
            tile_x=a.tile_x,
            tile_y=a.tile_y,
            has_boundary=a.boundary is not None,
        )
        for a in Area.objects.select_related("parent").defer("boundary").order_by("code")
    ]


def old_page(codes: list[str], offset: int, limit: int, user: Any = None) -> str:
    """A page as it was made: every matching row read and sorted, sliced, validated."""
    from jamlik.indicators.api import ObservationPage
    from jamlik.indicators.public import public_observations

    rows = public_observations(codes, user=user)
    page = {"count": len(rows), "limit": limit, "offset": offset}
    page["results"] = rows[offset : offset + limit]
    return ObservationPage.model_validate(page).model_dump_json()


def old_csv(codes: list[str]) -> bytes:
    from jamlik.core.exports import csv_response
    from jamlik.indicators.api import CSV_COLUMNS
    from jamlik.indicators.public import public_observations

    rows = public_observations(codes)
    demo = any(r["is_demo"] for r in rows)
    return csv_response("observations.csv", CSV_COLUMNS, rows, demo=demo).content


def stage_everything_again() -> Any:
    """An unpublished file import holding every published value again, slightly changed
    (written in SQL: the import path is not what is timed here); returns a county
    administrator of Stockholms län, who sees the staged rows of the län's areas."""
    from django.db import connection

    from jamlik.accounts.models import RoleKind
    from jamlik.accounts.services import create_user, grant_role
    from jamlik.geo.models import Area
    from jamlik.indicators.models import ImportRun

    run = ImportRun.objects.create(
        kind=ImportRun.Kind.FILE, description="bench: everything again", published=False
    )
    columns = (
        "indicator_id, area_id, period, period_start, period_end, breakdown, category, "
        "numerator, denominator, lower, upper, note, source, is_demo"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO indicators_observation ({columns}, value, import_run_id, is_live) "
            f"SELECT {columns}, value * 1.01, %s, %s FROM indicators_publicobservation",
            [run.pk, False],
        )
        cursor.execute("ANALYZE")
    user = create_user("bench-lan01", "bench-password-not-secret")
    grant_role(user, RoleKind.COUNTY_ADMIN, Area.objects.get(code="01"))
    return user


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = Options(__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.read(argv)
    repeats = args.repeats
    results: dict[str, float] = {}

    def report(name: str, new_ms: float, old_ms: float, note: str = "") -> None:
        results.update(
            {f"{name}_ms": new_ms, f"{name}_baseline_ms": old_ms, f"{name}_ratio": old_ms / new_ms}
        )
        print(
            f"{name}: {new_ms:.0f} ms; before {old_ms:.0f} ms; {old_ms / new_ms:.0f}x {note}",
            flush=True,
        )

    with national_site("api"):
        from django.core.cache import cache
        from django.test import Client

        from jamlik.indicators.models import Indicator

        client = Client()
        get(client, "/api/v1/areas?parent=01")  # imports, URL conf
        codes = list(Indicator.objects.order_by("code").values_list("code", flat=True)[:10])
        ten = f"/api/v1/observations?indicator={','.join(codes)}"

        queries, _ = count_queries(lambda: get(client, "/api/v1/areas"))
        results["areas_queries"] = queries
        results["areas_baseline_queries"] = count_queries(old_areas)[0]
        report(
            "areas",
            median_ms(lambda: get(client, "/api/v1/areas"), repeats),
            median_ms(old_areas, repeats),
            f"({queries} query; before {results['areas_baseline_queries']})",
        )
        old_first = median_ms(lambda: old_page(codes, 0, 1000), repeats)
        report(
            "observations_first_page_cold",
            median_ms(lambda: get(client, ten), repeats, before=cache.clear),
            old_first,
        )
        report("observations_first_page", median_ms(lambda: get(client, ten), repeats), old_first)
        cache.clear()
        results["observations_cold_queries"] = count_queries(lambda: get(client, ten))[0]
        results["observations_queries"] = count_queries(
            lambda: get(client, f"{ten}&offset={DEEP}")
        )[0]
        results["observations_baseline_queries"] = count_queries(lambda: old_page(codes, 0, 10))[0]
        print(
            "queries: first page {observations_cold_queries} (cold), deep page "
            "{observations_queries}; before {observations_baseline_queries}".format(**results),
            flush=True,
        )
        report(
            "observations_deep_page",
            median_ms(lambda: get(client, f"{ten}&offset={DEEP}"), repeats),
            median_ms(lambda: old_page(codes, DEEP, 1000), repeats),
            f"(offset {DEEP})",
        )
        report(
            "observations_5000_rows",
            median_ms(lambda: get(client, f"{ten}&offset=70000&limit=5000"), repeats),
            median_ms(lambda: old_page(codes, 70000, 5000), repeats),
        )
        one_csv = "/api/v1/observations?indicator=U01405&format=csv"
        report(
            "csv_one_indicator",
            median_ms(lambda: get(client, one_csv), repeats),
            median_ms(lambda: old_csv(["U01405"]), repeats),
        )
        results["ten_indicators_peak_mb"] = _peak_mb(lambda: get(client, ten))
        results["ten_indicators_baseline_peak_mb"] = _peak_mb(lambda: old_page(codes, 0, 1000))
        results["csv_peak_mb"] = _peak_mb(lambda: get(client, one_csv))
        results["csv_baseline_peak_mb"] = _peak_mb(lambda: old_csv(["U01405"]))
        print(
            "peak Python memory: first page {ten_indicators_peak_mb:.1f} MB (before "
            "{ten_indicators_baseline_peak_mb:.0f} MB); CSV {csv_peak_mb:.1f} MB (before "
            "{csv_baseline_peak_mb:.0f} MB)".format(**results),
            flush=True,
        )

        started = time.perf_counter()
        editor = stage_everything_again()
        print(f"staged 702 000 rows again: {time.perf_counter() - started:.1f} s", flush=True)
        staff = Client()
        staff.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
        queries, body = count_queries(lambda: get(staff, ten))
        page = json.loads(body)
        assert not all(r["published"] for r in page["results"]), "the editor sees staged rows"
        results["editor_queries"] = queries
        report(
            "editor_first_page",
            median_ms(lambda: get(staff, ten), repeats),
            median_ms(lambda: old_page(codes, 0, 1000, editor), repeats),
            f"({queries} queries, count {page['count']})",
        )
        report(
            "editor_deep_page",
            median_ms(lambda: get(staff, f"{ten}&offset={DEEP}"), repeats),
            median_ms(lambda: old_page(codes, DEEP, 1000, editor), repeats),
        )
    write_results("bench_api", results)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])

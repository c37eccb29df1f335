"""The national data set the benchmarks time pages on: generated, imported, published.

Riket, 21 län and 290 kommuner × the 50-indicator catalogue × ``years`` years
× (total, women, men): 702 000 values for 15 years.  Values are invented
(seeded), counts for proportions and rates, ready values for the rest.  They
are written as a Swedish office would export them (semicolon-separated,
decimal commas, Windows-1252) and loaded through the project's own import
path (:func:`jamlik.indicators.services.import_file`), then published
(:func:`jamlik.indicators.staging.publish`), so every county and national cell
a benchmark times is full of published data.

Nothing is committed as data: the file and the database are generated.  The
database is kept in ``$JAMLIK_BENCH_CACHE`` (default ``/tmp/jamlik-bench-cache``),
keyed on the year count and the latest migration of every app, so several
benchmarks in one run, and the next run, reuse it; ``fresh=True`` rebuilds it.

Use: ``from national import national_database``;
``timings = national_database(data_dir, years=15)`` after nothing else has set
up Django; or ``with national_site("name"):`` for the database in a temporary
folder, its build time printed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import configure_django, data_folder, migrate_with_geography  # noqa: E402 - beside this file

SEXES = (("", ""), ("sex", "female"), ("sex", "male"))
HEADER = "indikator;område;period;indelning;kategori;täljare;nämnare;värde\n"


def _decimal(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def national_lines(
    indicators: list, areas: list[str], years: range, seed: int = 2024
) -> Iterator[str]:
    """CSV lines (header first) for every indicator × area × year × sex (seeded, invented).

    ``indicators`` are ``(code, value_type, multiplier)``; counts are written for
    proportions and rates (women and men add up to the total), ready values otherwise.
    """
    rng = np.random.default_rng(seed)
    yield HEADER
    for code, value_type, multiplier in indicators:
        counts = value_type in ("proportion", "rate", "dsr")
        per = 100.0 if value_type == "proportion" else float(multiplier)
        for area in areas:
            base = rng.uniform(5, 80)
            population = int(rng.integers(800, 120_000))
            for year in years:
                level = float(np.clip(base + rng.normal(0, 2), 0.5, 99.5))
                if counts:
                    women = population // 2
                    men = population - women
                    share = min(level / per, 1.0) if value_type == "proportion" else level / per
                    num_w = min(round(share * women * rng.uniform(0.9, 1.1)), women)
                    num_m = min(round(share * men * rng.uniform(0.9, 1.1)), men)
                    for (breakdown, category), num, den in zip(
                        SEXES, (num_w + num_m, num_w, num_m), (population, women, men), strict=True
                    ):
                        yield f"{code};{area};{year};{breakdown};{category};{num};{den};\n"
                else:
                    for breakdown, category in SEXES:
                        value = _decimal(level + rng.normal(0, 1))
                        yield f"{code};{area};{year};{breakdown};{category};;;{value}\n"


def write_national_csv(path: Path, years: int) -> None:
    """Write the data set for the last ``years`` years (to 2024) to ``path`` as a Swedish
    office would export it (Windows-1252), for the catalogue and the areas above districts
    in the configured database: what :func:`national_database` imports, and what
    ``bench_import.py`` times importing."""
    from jamlik.geo.models import Area
    from jamlik.indicators.models import Indicator

    indicators = list(
        Indicator.objects.order_by("code").values_list("code", "value_type", "multiplier")
    )
    areas = list(
        Area.objects.exclude(level="district").order_by("code").values_list("code", flat=True)
    )
    with path.open("w", encoding="cp1252", newline="") as out:
        out.writelines(national_lines(indicators, areas, range(2025 - years, 2025)))


def _schema_key() -> str:
    """The latest migration of every app: a cached database from another schema is rebuilt."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaves = sorted(f"{app}.{name}" for app, name in loader.graph.leaf_nodes())
    return hashlib.sha256("|".join(leaves).encode()).hexdigest()[:12]


def national_database(data_dir: Path, *, years: int = 15, fresh: bool = False) -> dict[str, float]:
    """Set up Django on a database in ``data_dir`` holding the national data set.

    Returns the timings of the build (write, import, publish: zero when the
    database came from the cache) and the number of values.
    """
    cache = Path(os.environ.get("JAMLIK_BENCH_CACHE", "/tmp/jamlik-bench-cache"))
    configure_django(data_dir)
    from django.conf import settings

    database = Path(settings.DATABASES["default"]["NAME"])
    cached = cache / f"national-{years}y-{_schema_key()}.sqlite3"
    if cached.exists() and not fresh:
        database.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, database)
        from jamlik.indicators.models import PublicObservation

        return {
            "values": PublicObservation.objects.count(),
            "write": 0.0,
            "import": 0.0,
            "publish": 0.0,
        }
    migrate_with_geography()
    from jamlik.indicators.services import import_file, sync_catalogue
    from jamlik.indicators.staging import publish

    sync_catalogue()
    path = data_dir / "national.csv"
    started = time.perf_counter()
    write_national_csv(path, years)
    timings = {"write": time.perf_counter() - started}
    started = time.perf_counter()
    run = import_file(path)
    timings["import"] = time.perf_counter() - started
    started = time.perf_counter()
    publish(run, user=None)
    timings["publish"] = time.perf_counter() - started
    timings["values"] = run.rows
    path.unlink()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob(f"national-{years}y-*.sqlite3"):
        old.unlink()
    shutil.copyfile(database, cached)
    return timings


@contextlib.contextmanager
def national_site(name: str, *, grouping: str = "") -> Iterator[dict[str, float]]:
    """The national database in a temporary data folder for the benchmark ``name``, its
    build time printed (values grouped with ``grouping``, a format spec such as ``","``);
    yields :func:`national_database`'s figures. The benchmarks that time pages at national
    scale all start so."""
    with data_folder(name) as data_dir:
        started = time.perf_counter()
        built = national_database(data_dir)
        print(
            f"national database ({built['values']:{grouping}} values): "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        yield built


def time_first_request(data_dir: str, key: str, request: Callable[[Any], Any]) -> None:
    """In the child process :func:`first_request_ms` starts: set up the national database in
    ``data_dir``, time ``request(Client())`` (imports, URL conf, templates and whatever
    the request computes first) and print the milliseconds as JSON under ``key``."""
    national_database(Path(data_dir))
    from django.test import Client

    started = time.perf_counter()
    request(Client())
    print(json.dumps({key: (time.perf_counter() - started) * 1000}))


def first_request_ms(script: str, flag: str, key: str) -> float:
    """Milliseconds of the first request after start-up, measured in a fresh process: the
    benchmark ``script`` run with ``flag DIR``, which calls :func:`time_first_request` with
    ``key`` (this process has long imported and warmed everything)."""
    with tempfile.TemporaryDirectory(prefix=f"jamlik-bench-{flag.strip('-')}-") as tmp:
        done = subprocess.run(
            [sys.executable, script, flag, tmp], check=True, capture_output=True, text=True
        )
    return float(json.loads(done.stdout.strip().splitlines()[-1])[key])


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="jamlik-national-") as tmp:
        print(
            national_database(
                Path(tmp), years=int(sys.argv[1]) if len(sys.argv) > 1 else 15, fresh=True
            )
        )

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
up Django.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import setup_django  # noqa: E402 - beside this file

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
    os.environ["JAMLIK_MODE"] = "demo"
    os.environ["JAMLIK_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jamlik.settings"
    import django

    django.setup()
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
    setup_django(data_dir)
    from jamlik.geo.models import Area
    from jamlik.indicators.models import Indicator
    from jamlik.indicators.services import import_file, sync_catalogue
    from jamlik.indicators.staging import publish

    sync_catalogue()
    indicators = list(
        Indicator.objects.order_by("code").values_list("code", "value_type", "multiplier")
    )
    areas = list(
        Area.objects.exclude(level="district").order_by("code").values_list("code", flat=True)
    )
    path = data_dir / "national.csv"
    started = time.perf_counter()
    with path.open("w", encoding="cp1252", newline="") as out:
        out.writelines(national_lines(indicators, areas, range(2025 - years, 2025)))
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


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory(prefix="jamlik-national-") as tmp:
        print(
            national_database(
                Path(tmp), years=int(sys.argv[1]) if len(sys.argv) > 1 else 15, fresh=True
            )
        )

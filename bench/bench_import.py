"""Benchmark: a million values from a file, imported and published, while others save.

Writes the national data set for 22 years (312 areas × 50 indicators × 22
years × total/women/men = 1 029 600 values) as a Swedish office CSV
(semicolon, decimal commas, Windows-1252; :mod:`national`), then, each in a
fresh process on a fresh database so peak memory is the import's own:

* **import**: ``jamlik import`` 's path (:func:`jamlik.indicators.services.import_file`),
  seconds and peak RSS; baseline: reading the same file with the standard
  :mod:`csv` module alone, the least any Python reader does with every cell;
* **publish**: :func:`jamlik.indicators.staging.publish` of that run (protected
  public table of every area, breakdown and period, audited);
* **other people's saves meanwhile**: a second connection saves a small row
  every 50 ms during the import and the publication and records how long each
  save waited; baseline: the same import run as one transaction, as before
  batching (saves then wait for the whole import, or give up after the 20 s
  busy timeout).

Targets (issue 13): 1 000 000 values imported in < 30 s with peak RSS < 500 MB.

On PostgreSQL (``--postgres URL``) the import and publication are timed on a
fresh database; the saving neighbour is left out there, since PostgreSQL writers
of different rows never wait for each other.

Run: ``.venv/bin/python bench/bench_import.py [--years 22] [--skip-baseline]
[--postgres postgres://jamlik:jamlik@127.0.0.1:5432/jamlik]``
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import Options, data_folder, setup_django, write_results  # noqa: E402 - beside this file
from national import write_national_csv  # noqa: E402


def _write_file(path: Path, years: int) -> int:
    """Write the national data set for ``years`` years to ``path``; the values in it."""
    write_national_csv(path, years)
    with path.open("rb") as counted:
        return sum(1 for _ in counted) - 1


def _save_loop(database: str, every: float, stop: Any, ready: Any, out: Any) -> None:
    """Save one small row every ``every`` seconds until ``stop``; report the waits."""
    import sqlite3

    connection = sqlite3.connect(database, timeout=20, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 20000")
    waits: list[float] = []
    failures = 0
    while not stop.is_set():
        started = time.perf_counter()
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO bench_saves VALUES (?)", (started,))
            connection.execute("COMMIT")
            waits.append(time.perf_counter() - started)
        except sqlite3.OperationalError:
            failures += 1
        ready.set()
        time.sleep(every)
    connection.close()
    out.put((waits, failures))


class Saver:
    """Another person saving: a separate process (so it waits for the database, not for
    this process's interpreter) that saves a small row every ``every`` seconds."""

    def __init__(self, database: str, every: float = 0.05, *, enabled: bool = True) -> None:
        import sqlite3

        self.enabled = enabled
        self.waits: list[float] = []
        self.failures = 0
        if not enabled:  # PostgreSQL: writers of different rows do not wait for each other
            return
        with sqlite3.connect(database, timeout=20) as connection:
            connection.execute("CREATE TABLE IF NOT EXISTS bench_saves (at REAL)")
        context = multiprocessing.get_context("spawn")
        self.stop, self.ready, self.out = context.Event(), context.Event(), context.Queue()
        self.process = context.Process(
            target=_save_loop, args=(database, every, self.stop, self.ready, self.out)
        )

    def __enter__(self) -> Saver:
        if not self.enabled:
            return self
        self.process.start()
        self.ready.wait(60)  # saving before the measured work starts
        return self

    def __exit__(self, *_exc: object) -> None:
        if not self.enabled:
            return
        self.stop.set()
        self.waits, self.failures = self.out.get()
        self.process.join()

    def summary(self) -> dict[str, float]:
        waits = sorted(self.waits) or [0.0]
        return {
            "saves": len(self.waits),
            "failed": self.failures,
            "max_wait_s": waits[-1],
            "p95_wait_s": waits[int(0.95 * (len(waits) - 1))],
        }


def _child(
    task: str, data_dir: str, csv_path: str, out: multiprocessing.Queue, database_url: str | None
) -> None:
    """One measurement in a fresh process (peak RSS is then this task's own)."""
    import resource

    setup_django(Path(data_dir), database_url)
    from django.conf import settings
    from django.db import transaction

    from jamlik.indicators.services import import_file, sync_catalogue
    from jamlik.indicators.staging import publish

    sync_catalogue()
    database = str(settings.DATABASES["default"]["NAME"])
    sqlite = not database_url
    result: dict[str, object] = {}
    if task == "csv-module":
        import csv
        import io

        started = time.perf_counter()
        with open(csv_path, "rb") as raw:
            rows = sum(1 for _ in csv.reader(io.TextIOWrapper(raw, "cp1252"), delimiter=";"))
        result = {"seconds": time.perf_counter() - started, "rows": rows}
    elif task == "import":
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with Saver(database, enabled=sqlite) as saver:
            started = time.perf_counter()
            run = import_file(csv_path)
            result["import_s"] = time.perf_counter() - started
        result["import_saves"] = saver.summary()
        result["rows"] = run.rows
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result["rss_before_mb"] = before / 1024
        with Saver(database, enabled=sqlite) as saver:
            started = time.perf_counter()
            publish(run, user=None)
            result["publish_s"] = time.perf_counter() - started
        result["publish_saves"] = saver.summary()
        result["peak_rss_after_publish_mb"] = (
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        )
    elif task == "one-transaction":
        with Saver(database) as saver:
            started = time.perf_counter()
            with transaction.atomic():
                run = import_file(csv_path)
            result["import_s"] = time.perf_counter() - started
        result["import_saves"] = saver.summary()
    out.put(result)


def _measure(task: str, csv_path: Path, postgres: str | None = None) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    with tempfile.TemporaryDirectory(prefix="jamlik-bench-") as tmp, _database(postgres) as url:
        process = context.Process(target=_child, args=(task, tmp, str(csv_path), queue, url))
        process.start()
        result = queue.get()
        process.join()
    return result


@contextlib.contextmanager
def _database(postgres: str | None) -> Iterator[str | None]:
    """A fresh, empty PostgreSQL database beside ``postgres`` for one measurement."""
    if not postgres:
        yield None
        return
    import psycopg

    name = f"jamlik_bench_{os.getpid()}"
    with psycopg.connect(postgres, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield postgres.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(postgres, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main(argv: list[str] | None = None) -> dict:
    parser = Options(__doc__)
    parser.add_argument("--years", type=int, default=22, help="22 years give 1 029 600 values")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="import into a fresh database beside this PostgreSQL one (its user may create databases)",
    )
    args = parser.read(argv)
    with data_folder("file") as tmp:
        setup_django(tmp / "db")
        from jamlik.indicators.services import sync_catalogue

        sync_catalogue()
        csv_path = tmp / "national.csv"
        values = _write_file(csv_path, args.years)
        print(f"file: {values:,} values, {csv_path.stat().st_size / 1e6:.0f} MB", flush=True)
        floor = _measure("csv-module", csv_path)
        measured = _measure("import", csv_path, args.postgres)
        baseline = (
            None if args.skip_baseline or args.postgres else _measure("one-transaction", csv_path)
        )
    results = {"values": values, "csv_module_s": floor["seconds"], **measured}
    if baseline:
        results["one_transaction"] = baseline
    rate = values / measured["import_s"]
    print(
        f"import: {values:,} values in {measured['import_s']:.1f} s ({rate:,.0f}/s), "
        f"{measured['import_s'] / floor['seconds']:.1f}x reading the file with the csv module "
        f"alone ({floor['seconds']:.1f} s); peak RSS {measured['peak_rss_mb']:.0f} MB "
        f"(target < 30 s, < 500 MB: {'met' if measured['import_s'] < 30 and measured['peak_rss_mb'] < 500 else 'MISSED'})",
        flush=True,
    )
    print(
        f"publish: {measured['publish_s']:.1f} s ({measured['publish_s'] / measured['import_s']:.2f}x the import); "
        f"peak RSS after publishing {measured['peak_rss_after_publish_mb']:.0f} MB",
        flush=True,
    )
    for phase in () if args.postgres else ("import_saves", "publish_saves"):
        s = measured[phase]
        print(
            f"others' saves during {phase.split('_')[0]}: {s['saves']} saved, {s['failed']} failed, "
            f"longest wait {s['max_wait_s'] * 1000:.0f} ms, p95 {s['p95_wait_s'] * 1000:.0f} ms",
            flush=True,
        )
    if baseline:
        s = baseline["import_saves"]
        print(
            f"baseline, the import as one transaction: {baseline['import_s']:.1f} s; others' saves "
            f"{s['saves']} saved, {s['failed']} failed, longest wait {s['max_wait_s'] * 1000:.0f} ms "
            f"({s['max_wait_s'] / max(measured['import_saves']['max_wait_s'], 1e-3):.0f}x the batched import's)",
            flush=True,
        )
    write_results("bench_import_pg" if args.postgres else "bench_import", results)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])

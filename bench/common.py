"""What the benchmarks share outside the work they time: a throw-away demo-mode database in a
temporary folder, their command line, and where their figures are written.

Every ``bench_*.py`` imports this as ``common`` with its own folder on ``sys.path`` (as
``bench/run.py`` and ``python bench/bench_x.py`` both have it), so nothing here may import
Django at module level: a benchmark chooses its database before Django is set up.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

#: Where every benchmark writes its figures, one ``<benchmark>.json`` each (not committed).
RESULTS = Path(__file__).resolve().parent / "results"


def configure_django(data_dir: Path, database_url: str | None = None) -> None:
    """Set Django up in demo mode on ``data_dir`` (its SQLite database there, or
    ``database_url``) without touching the database: :func:`national.national_database`
    first looks for a cached copy, which a migration would only slow down."""
    os.environ["JAMLIK_MODE"] = "demo"
    os.environ["JAMLIK_DATA_DIR"] = str(data_dir)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jamlik.settings"
    import django

    django.setup()


def migrate_with_geography() -> None:
    """Create the schema of the configured database and load Sweden's geography: what
    every benchmark's data stands on."""
    from django.core.management import call_command

    from jamlik.geo.services import load_geography

    call_command("migrate", interactive=False, verbosity=0)
    load_geography(lambda _m: None)


def setup_django(data_dir: Path, database_url: str | None = None) -> None:
    """Point Jämlik at a fresh SQLite database in ``data_dir`` (or at ``database_url``), migrate it and load the
    geography; each benchmark then loads the data it measures."""
    configure_django(data_dir, database_url)
    migrate_with_geography()


@contextlib.contextmanager
def data_folder(name: str) -> Iterator[Path]:
    """A temporary folder for one benchmark's database and files, removed afterwards.

    Django's connections are closed before the folder goes, also when the benchmark
    fails: an open SQLite file would otherwise outlive its folder (and keep a later
    benchmark in the same ``bench/run.py`` process talking to it).
    """
    with tempfile.TemporaryDirectory(prefix=f"jamlik-bench-{name}-") as tmp:
        try:
            yield Path(tmp)
        finally:
            from django.conf import settings

            if settings.configured:
                from django.db import connections

                connections.close_all()


class Options(argparse.ArgumentParser):
    """A benchmark's command line, described by the first line of its docstring.

    :meth:`read` parses only the ``argv`` handed to ``main``: ``bench/run.py`` calls every
    ``main()`` without arguments while its own (the names of the benchmarks to run) are in
    ``sys.argv``, so a benchmark run from there takes its defaults.
    """

    def __init__(self, doc: str | None) -> None:
        super().__init__(description=(doc or "").partition("\n")[0])

    def read(self, argv: list[str] | None) -> argparse.Namespace:
        return self.parse_args(argv if argv is not None else [])


def write_results(name: str, results: Mapping[str, Any]) -> Path:
    """Write a benchmark's figures as ``bench/results/<name>.json`` (indented, UTF-8) and
    return the path: one place, so every run's figures can be found and compared."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return path

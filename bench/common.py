"""What the Django benchmarks share: a throw-away demo-mode database in a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path


def setup_django(data_dir: Path, database_url: str | None = None) -> None:
    """Point Jämlik at a fresh SQLite database in ``data_dir`` (or at ``database_url``), migrate it and load the
    geography; each benchmark then loads the data it measures."""
    os.environ["JAMLIK_MODE"] = "demo"
    os.environ["JAMLIK_DATA_DIR"] = str(data_dir)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jamlik.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from jamlik.geo.services import load_geography

    call_command("migrate", interactive=False, verbosity=0)
    load_geography(lambda _m: None)

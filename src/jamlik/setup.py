"""Setting up an installation: migrations, geography, frameworks check, demo seeders."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string

Progress = Callable[[str], None]


def initialise(progress: Progress) -> str:
    """Migrate, load geography and validate the frameworks (and county overrides). Idempotent."""
    progress("database tables")
    call_command("migrate", interactive=False, verbosity=0)
    from jamlik.geo.services import load_geography

    counts = load_geography(progress)
    progress("frameworks")
    frameworks = check_frameworks()
    progress("indicator catalogue")
    from jamlik.indicators.services import sync_catalogue

    indicators = sync_catalogue(update_existing=False)
    progress("protected public tables")
    from jamlik.indicators.publication import rebuild_stale
    from jamlik.indicators.staging import discard_abandoned

    discard_abandoned()
    rebuild_stale()
    return (
        f"{counts['counties']} counties, {counts['municipalities']} municipalities, "
        f"{frameworks} frameworks, {indicators} catalogue indicators"
    )


def check_frameworks() -> int:
    """Load every framework once (and each county's overrides) so bad files fail early."""
    from jamlik.frameworks import FRAMEWORK_NAMES, load
    from jamlik.geo.models import Area

    for name in FRAMEWORK_NAMES:
        load(name)
        for county in Area.objects.counties().values_list("code", flat=True):
            load(name, county=county)
    return len(FRAMEWORK_NAMES)


def demo_seeders() -> list[tuple[str, Callable[[Progress], None]]]:
    """Each app's demo seeder, in ``demo_order``."""
    found = []
    for config in apps.get_app_configs():
        path = getattr(config, "demo_seed", None)
        if path:
            found.append((getattr(config, "demo_order", 100), str(config.verbose_name), path))
        # An app's further seeders, each with its own place in the order (e.g. records
        # that need another app's demo first).
        for order, extra in getattr(config, "demo_extra", ()):
            found.append((order, str(config.verbose_name), extra))
    return [
        (label, import_string(path)) for _order, label, path in sorted(found, key=lambda t: t[0])
    ]


def mark_demo_loaded() -> None:
    from jamlik.core.models import SiteState

    state = SiteState.get()
    state.demo_loaded, state.demo_county = True, "01"
    state.demo_seeded_at = timezone.now()
    state.save()


def seed_demo(progress: Progress) -> None:
    """Everything ``jamlik demo --no-serve`` does, for tests and scripts."""
    initialise(progress)
    for _label, seed in demo_seeders():
        seed(progress)
    mark_demo_loaded()

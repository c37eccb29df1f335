"""The invented youth survey for the demo: Stockholms län's file imported and published.

Runs after the indicators' demo (which creates the districts the file names).  Idempotent:
earlier demo survey imports are removed with their figures first.
"""

from __future__ import annotations

from collections.abc import Callable

from jamlik.geo.models import Area, AreaLevel
from jamlik.surveys import services
from jamlik.surveys.models import SurveyImport

COUNTY = "01"


def remove_demo() -> None:
    """Earlier demo survey imports and the figures they stored (publishing the new import
    rebuilds the public table of every survey indicator it touches)."""
    from jamlik.indicators.staging import discard

    for record in SurveyImport.objects.filter(is_demo=True).select_related("import_run"):
        run = record.import_run
        record.delete()
        if run is not None:
            discard(run)


def seed(progress: Callable[[str], None] = print) -> SurveyImport | None:
    from jamlik.indicators.staging import publish

    county = Area.objects.filter(code=COUNTY, level=AreaLevel.COUNTY).first()
    if county is None or not services.DEMO_FILE.exists():
        return None
    progress("invented youth survey for Stockholms län")
    remove_demo()
    record = services.import_survey(
        county,
        services.DEMO_FILE.name,
        services.DEMO_FILE.read_bytes(),
        user=None,
        is_demo=True,
    )
    if record.import_run is not None:
        publish(record.import_run, user=None)
    return record

"""Demo: the demo county (Stockholms län, 01) releases its four parts to the national
picture, so the national pages show one county beside 20 that have not released."""

from __future__ import annotations

from collections.abc import Callable

from jamlik.geo.models import Area, AreaLevel
from jamlik.reports import releases
from jamlik.reports.models import CountyRelease

DEMO_COUNTY = "01"


def seed(progress: Callable[[str], None]) -> None:
    """Release the demo county's parts once; a second run adds nothing (idempotent).

    The reports app's one demo seeder: it also seeds the reporting-upward demo.
    """
    from jamlik.reports import demo_upward

    demo_upward.seed(progress)
    county = Area.objects.filter(code=DEMO_COUNTY, level=AreaLevel.COUNTY).first()
    if county is None:  # no geography loaded
        return
    released = set(CountyRelease.objects.filter(county=county).values_list("domain", flat=True))
    for domain in releases.DOMAINS:
        if domain not in released:
            releases.release(county, domain, None)
    progress("Demo county released to the national picture")

"""The actor map's section on kommun and county pages: activity counts by målområde."""

from __future__ import annotations

from collections import Counter

from django.http import HttpRequest
from django.utils.translation import gettext as _

from jamlik.actors import vocab
from jamlik.actors.choices import TagDimension
from jamlik.actors.models import Activity, ActivityTag
from jamlik.actors.queries import CURRENT, CURRENT_STATUSES, DirectoryFilter
from jamlik.core.sections import Section
from jamlik.geo.models import Area, AreaLevel


def area_sections(area: Area, request: HttpRequest) -> list[Section]:
    if area.level not in (AreaLevel.COUNTY, AreaLevel.MUNICIPALITY):
        return []
    county = area if area.level == AreaLevel.COUNTY else area.parent
    if area.level == AreaLevel.COUNTY:
        activities = Activity.objects.filter(county=area, status__in=CURRENT_STATUSES)
        base = DirectoryFilter(county=area.code, status=CURRENT)
    else:
        activities = Activity.objects.filter(area=area, status__in=CURRENT_STATUSES)
        base = DirectoryFilter(county=county.code, area=area.code, status=CURRENT)
    counts = Counter(
        ActivityTag.objects.filter(
            dimension=TagDimension.TARGET_AREA, activity__in=activities
        ).values_list("key", flat=True)
    )
    rows = [
        {"name": t.name, "count": counts.get(t.key, 0), "query": base.query_string(malomrade=t.key)}
        for t in vocab.target_areas(county.code)
    ]
    context = {
        "actor_total": activities.count(),
        "actor_counts": rows,
        "actor_query": base.query_string(),
        "actor_county": county.code,
        "actor_is_county": area.level == AreaLevel.COUNTY,
        "actor_demo": activities.filter(is_demo=True).exists(),
    }
    return [
        Section(_("Actors and activities"), "actors/_section.html", context, anchor="actor-map")
    ]

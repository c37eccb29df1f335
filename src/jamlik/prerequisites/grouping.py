"""Which kommuner received how much support between two survey rounds.

Two sources, and the evaluation page always says which one was used:

* **support records** (the ``support`` app, when installed and migrated): an agreement on
  deepened collaboration (not a draft) in force at some time between 1 January of the
  baseline year and 31 December of the year before the follow-up → *deepened*; otherwise
  any recorded participation in a support activity in that period → *some*; otherwise
  *none*;
* **set by hand** by the county administration (``GroupAssignment``).
"""

from __future__ import annotations

import datetime as dt
import enum

from django.apps import apps
from django.db import DatabaseError, transaction

from jamlik.geo.models import Area
from jamlik.prerequisites.models import GroupAssignment, SupportGroup


class GroupingSource(enum.StrEnum):
    SUPPORT_RECORDS = "support"
    MANUAL = "manual"


def period(baseline_year: int, follow_up_year: int) -> tuple[dt.date, dt.date]:
    return dt.date(baseline_year, 1, 1), dt.date(follow_up_year - 1, 12, 31)


def manual_groups(county: Area, baseline_year: int, follow_up_year: int) -> dict[str, str]:
    return dict(
        GroupAssignment.objects.filter(
            county=county, baseline_year=baseline_year, follow_up_year=follow_up_year
        ).values_list("municipality__code", "group")
    )


def support_groups(county: Area, baseline_year: int, follow_up_year: int) -> dict[str, str] | None:
    """Groups from the support app's records; None when that app has no usable records."""
    if not apps.is_installed("jamlik.support"):
        return None
    try:
        Agreement = apps.get_model("support", "Agreement")
        Participation = apps.get_model("support", "Participation")
    except LookupError:
        return None
    start, end = period(baseline_year, follow_up_year)
    try:
        # a savepoint, so a missing table does not spoil the caller's transaction
        with transaction.atomic():
            deepened = set(
                Agreement.objects.filter(county=county, start__lte=end)
                .exclude(status="draft")
                .exclude(end__lt=start)
                .values_list("municipality__code", flat=True)
            )
            some = set(
                Participation.objects.filter(
                    activity__county=county, activity__date__gte=start, activity__date__lte=end
                ).values_list("municipality__code", flat=True)
            )
    except DatabaseError:  # the support app's tables are not migrated yet
        return None
    if not deepened and not some:
        return None
    groups = {}
    for kommun in Area.objects.municipalities(county.code).values_list("code", flat=True):
        if kommun in deepened:
            groups[kommun] = SupportGroup.DEEPENED.value
        elif kommun in some:
            groups[kommun] = SupportGroup.SOME.value
        else:
            groups[kommun] = SupportGroup.NONE.value
    return groups


def groups_for(
    county: Area, baseline_year: int, follow_up_year: int, wanted: str | None = None
) -> tuple[dict[str, str], GroupingSource | None]:
    """The groups and where they came from. Without a choice, hand-set groups win (the
    county made them for this comparison on purpose), then support records."""
    manual = manual_groups(county, baseline_year, follow_up_year)
    if wanted == GroupingSource.MANUAL:
        return manual, GroupingSource.MANUAL
    if wanted == GroupingSource.SUPPORT_RECORDS:
        records = support_groups(county, baseline_year, follow_up_year)
        return records or {}, GroupingSource.SUPPORT_RECORDS
    if manual:
        return manual, GroupingSource.MANUAL
    records = support_groups(county, baseline_year, follow_up_year)
    if records:
        return records, GroupingSource.SUPPORT_RECORDS
    return {}, None

"""Evaluation groups: set by hand, or derived from the support app's records."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db import connection

from jamlik.prerequisites import services
from jamlik.prerequisites.grouping import GroupingSource, groups_for, support_groups


def _support_tables_exist() -> bool:
    if not apps.is_installed("jamlik.support"):
        return False
    try:
        Agreement = apps.get_model("support", "Agreement")
    except LookupError:
        return False
    return Agreement._meta.db_table in connection.introspection.table_names()


def test_hand_set_groups_win_by_default(county):
    services.set_groups(county, 2019, 2021, {"0127": "deepened", "0114": "none"})
    groups, source = groups_for(county, 2019, 2021)
    assert source == GroupingSource.MANUAL
    assert groups == {"0127": "deepened", "0114": "none"}


def test_no_groups_and_no_records(county):
    """No hand-set groups and no support records for the county: no grouping at all."""
    assert support_groups(county, 2019, 2021) is None
    assert groups_for(county, 2019, 2021) == ({}, None)


def test_groups_from_support_records(county, geography):
    if not _support_tables_exist():
        assert support_groups(county, 2019, 2021) is None  # refuses quietly, no crash
        return
    Agreement = apps.get_model("support", "Agreement")
    Activity = apps.get_model("support", "SupportActivity")
    Participation = apps.get_model("support", "Participation")
    botkyrka, lidingo = geography.get(code="0127"), geography.get(code="0186")
    Agreement.objects.create(
        county=county,
        municipality=botkyrka,
        title="Fördjupad samverkan",
        parties="LST, kommun",
        start=dt.date(2019, 6, 1),
        goals="Mål",
        status="active",
    )
    Agreement.objects.create(
        county=county,
        municipality=lidingo,
        title="Utkast",
        parties="LST, kommun",
        start=dt.date(2019, 6, 1),
        goals="Mål",
        status="draft",
    )
    activity = Activity.objects.create(
        county=county, kind="seminar", title="Seminarium", date=dt.date(2020, 3, 1)
    )
    Participation.objects.create(activity=activity, municipality=lidingo, role="official", count=2)
    groups = support_groups(county, 2019, 2021)
    assert groups["0127"] == "deepened"
    assert groups["0186"] == "some"  # a draft agreement is not support
    assert groups["0114"] == "none"

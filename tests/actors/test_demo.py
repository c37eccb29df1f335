"""The invented demo map: size, labelling, determinism and idempotence."""

from __future__ import annotations

import pytest


@pytest.mark.slow
def test_demo_map_is_labelled_and_idempotent(geography, users):
    from jamlik.actors.demo import seed
    from jamlik.actors.models import Activity, Actor, ChangeLogEntry, InventoryRound, Network

    seed(lambda _m: None)
    stockholm = {"county__code": "01"}
    counts = (
        Actor.objects.filter(**stockholm).count(),
        Activity.objects.filter(**stockholm).count(),
        Network.objects.filter(**stockholm).count(),
    )
    assert 140 <= counts[0] <= 160 and 395 <= counts[1] <= 410 and counts[2] == 20
    # The invented Uppsala package: merged with Stockholm where it names the same organisation.
    uppsala = Actor.objects.filter(county__code="03")
    assert uppsala.exists() and uppsala.exclude(canonical=None).count() >= 2
    assert not uppsala.filter(source_package=None).exists()
    assert not Actor.objects.filter(is_demo=False).exists()
    assert not Activity.objects.filter(is_demo=False).exists()
    assert InventoryRound.objects.count() == 1
    log = ChangeLogEntry.objects.count()
    names = sorted(Actor.objects.values_list("name", "org_number"))
    seed(lambda _m: None)
    assert (
        Actor.objects.filter(**stockholm).count(),
        Activity.objects.filter(**stockholm).count(),
        Network.objects.filter(**stockholm).count(),
    ) == counts
    assert ChangeLogEntry.objects.count() == log
    assert sorted(Actor.objects.values_list("name", "org_number")) == names


def test_demo_rows_are_deterministic(geography):
    from jamlik.actors.demo import build_rows

    kommuner = list(geography.municipalities("01"))
    assert build_rows(kommuner, {}) == build_rows(kommuner, {})

"""The county board's own work (pillar 1): its units and their activities by målområde.

Public health is also built inside the county board's ordinary work — regional growth,
community planning, social sustainability — not only in what it offers the kommuner. The
board's internal units are actors of their own (``ActorType.COUNTY_BOARD_UNIT``, part of
the county board actor), so their activities can be counted per målområde and shown apart
from the external actors of the map. Read-only; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from jamlik.actors import vocab
from jamlik.actors.choices import ActorType, TagDimension
from jamlik.actors.models import Activity, ActivityTag, Actor
from jamlik.geo.models import Area

#: A unit of the county board: typed as one, or placed inside a county board actor.
UNIT_Q = Q(actor_type=ActorType.COUNTY_BOARD_UNIT) | Q(part_of__actor_type=ActorType.COUNTY_BOARD)


@dataclass
class UnitWork:
    actor: Actor
    activities: list[Activity]

    @property
    def target_area_keys(self) -> list[str]:
        """The målområden the unit's activities work on, by number."""
        keys = {k for a in self.activities for k in a.tag_keys(TagDimension.TARGET_AREA)}
        return sorted(keys, key=lambda k: (not k.isdigit(), int(k) if k.isdigit() else 0, k))


@dataclass
class TargetAreaGroup:
    """One målområde and the board's activities tagged with it."""

    key: str
    name: str
    activities: list[Activity] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.activities)


@dataclass
class BoardWork:
    boards: list[Actor]
    units: list[UnitWork]
    by_target_area: list[TargetAreaGroup]
    untagged: list[Activity]

    @property
    def activities(self) -> list[Activity]:
        """Every activity of the units once, by title."""
        seen = {a.pk: a for unit in self.units for a in unit.activities}
        return sorted(seen.values(), key=lambda a: (a.title, a.pk))


def group_by_target_area(
    activities: Iterable[Activity], terms: Iterable[vocab.Term]
) -> tuple[list[TargetAreaGroup], list[Activity]]:
    """Every målområde (in the framework's order, empty ones too, so a gap shows) with the
    activities tagged with it, and the activities tagged with none (pure given prefetched
    tags). An activity working on two målområden is counted under both, as in the coverage
    matrix; the page says so."""
    groups = [TargetAreaGroup(t.key, t.name) for t in terms]
    by_key = {g.key: g for g in groups}
    untagged = []
    for activity in activities:
        keys = [k for k in activity.tag_keys(TagDimension.TARGET_AREA) if k in by_key]
        for key in keys:
            by_key[key].activities.append(activity)
        if not keys:
            untagged.append(activity)
    return groups, untagged


def units_of_county(county: Area) -> list[Actor]:
    return list(
        Actor.objects.filter(UNIT_Q, county=county)
        .select_related("part_of", "area")
        .order_by("part_of__name", "name")
    )


def county_board_work(county: Area) -> BoardWork:
    """The county board actors of ``county``, their units with their activities, and the
    units' activities grouped by målområde."""
    boards = list(Actor.objects.filter(county=county, actor_type=ActorType.COUNTY_BOARD))
    activities = Prefetch(
        "activities",
        queryset=Activity.objects.select_related("area")
        .prefetch_related(Prefetch("tags", queryset=ActivityTag.objects.all()))
        .order_by("title", "pk"),
    )
    units = [
        UnitWork(unit, list(unit.activities.all()))
        for unit in Actor.objects.filter(UNIT_Q, county=county)
        .select_related("part_of", "area")
        .prefetch_related(activities)
        .order_by("part_of__name", "name")
    ]
    work = BoardWork(boards, units, [], [])
    work.by_target_area, work.untagged = group_by_target_area(
        work.activities, vocab.target_areas(county.code)
    )
    return work

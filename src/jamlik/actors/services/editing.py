"""Creating, changing and deleting actors, activities, networks and relations.

Every change checks the permission itself (``jamlik.edit_area`` on the record's owner area,
and on the new owner area when it moves) — views check too, but the service is the last
line, so an import or an API call cannot slip past it. Every change is written to the
change log with the fields before and after, and tied to the county's open inventory round.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from jamlik.actors.choices import ChangeAction, RelationKind, RoundStatus, TagDimension
from jamlik.actors.models import (
    Activity,
    ActivityTag,
    Actor,
    ActorRelation,
    ChangeLogEntry,
    InventoryRound,
    Network,
)
from jamlik.actors.rows import Row, activity_row, actor_row, diff_rows, network_row
from jamlik.actors.units import part_of_problem, reaches
from jamlik.core.versioning import claim
from jamlik.geo.models import Area

RecordT = TypeVar("RecordT", Actor, Activity, Network)

PROVENANCE_FIELDS = ("source_package", "is_demo")
ACTOR_FIELDS = (
    "name",
    "org_number",
    "actor_type",
    "level",
    "area",
    "contact",
    "website",
    "part_of",
    *PROVENANCE_FIELDS,
)
ACTIVITY_FIELDS = (
    "title",
    "description",
    "orientation",
    "prevention_level",
    "age_min",
    "age_max",
    "area",
    "start_year",
    "end_year",
    "funding",
    "method",
    "intervention_key",
    "evidence",
    "status",
    *PROVENANCE_FIELDS,
)
NETWORK_FIELDS = (
    "name",
    "convenor",
    "purpose",
    "meeting_frequency",
    "malomraden",
    "area",
    *PROVENANCE_FIELDS,
)


def can_edit(user: Any, area: Area | None) -> bool:
    return bool(area is not None and user is not None and user.has_perm("jamlik.edit_area", area))


def ensure_can_edit(user: Any, area: Area) -> None:
    if not can_edit(user, area):
        raise PermissionDenied(f"{user} may not change records of {area}.")


def open_round(county: Area) -> InventoryRound | None:
    return InventoryRound.objects.filter(county=county, status=RoundStatus.OPEN).first()


def log_change(
    user: Any,
    obj: Actor | Activity | Network,
    action: ChangeAction,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> ChangeLogEntry | None:
    changes = diff_rows(dict(before) if before else None, dict(after) if after else None)
    if before is not None and after is not None and not changes:
        return None  # saved without a difference (e.g. an unchanged row re-imported)
    return ChangeLogEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        county=obj.county,
        area=obj.area,
        round=open_round(obj.county),
        object_type=type(obj).__name__.lower(),
        object_id=obj.pk,
        object_label=str(obj)[:200],
        action=action,
        changes=changes,
    )


def _assign(obj: Any, fields: Iterable[str], data: Mapping[str, Any]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def _ensure_ref(obj: Actor | Activity | Network, prefix: str) -> None:
    if not obj.ref:
        obj.ref = f"{prefix}{obj.pk}"
        type(obj).objects.filter(pk=obj.pk).update(ref=obj.ref)


def _save_record(
    user: Any,
    obj: RecordT | None,
    model: type[RecordT],
    fields: Iterable[str],
    data: Mapping[str, Any],
    *,
    row: Callable[[RecordT], Row],
    prefix: str,
    check: bool,
    exclude: Iterable[str] = ("county", "ref"),
    version: int | None = None,
) -> tuple[RecordT, Row | None]:
    """The steps every save shares; returns the saved record and its row before the change.

    The permission is checked on the current owner area and again after the
    fields are assigned, so a record can neither be edited in nor moved into a
    kommun the user may not change. An existing record is saved only if it is still
    at ``version`` (the one the editor loaded; None: no check), else
    :class:`~jamlik.core.versioning.VersionConflict`; every save raises the version.
    """
    before = row(obj) if obj is not None else None
    if check and obj is not None:
        ensure_can_edit(user, obj.area)
    record = obj or model()
    _assign(record, fields, data)
    if data.get("ref"):
        record.ref = data["ref"]
    if check:
        ensure_can_edit(user, record.area)
    record.full_clean(exclude=list(exclude))
    if obj is not None:
        claim(record, version)
    record.save()
    _ensure_ref(record, prefix)
    return record, before


def _log_saved(
    user: Any,
    obj: RecordT,
    action: ChangeAction | None,
    before: Mapping[str, Any] | None,
    row: Callable[[RecordT], Row],
) -> None:
    """Log a save as created or updated unless the caller names the action (e.g. merged)."""
    created_or_updated = ChangeAction.CREATED if before is None else ChangeAction.UPDATED
    log_change(user, obj, action or created_or_updated, before, row(obj))


@transaction.atomic
def save_actor(
    user: Any,
    data: Mapping[str, Any],
    *,
    actor: Actor | None = None,
    areas_served: Iterable[Area] | None = None,
    action: ChangeAction | None = None,
    check: bool = True,
    version: int | None = None,
) -> Actor:
    """Create (``actor=None``) or update an actor from cleaned data (``version``: see
    :func:`_save_record`)."""
    actor, before = _save_record(
        user, actor, Actor, ACTOR_FIELDS, data, row=actor_row, prefix="A", check=check,
        exclude=("county", "ref", "canonical", "part_of", "version"), version=version,
    )  # fmt: skip
    check_unit(actor)
    if areas_served is not None:
        actor.areas_served.set(list(areas_served))
    _log_saved(user, actor, action, before, actor_row)
    return actor


def check_unit(actor: Actor) -> None:
    """Refuse (ValueError, rolling the save back) a saved actor whose ``part_of`` breaks the
    rules of :mod:`jamlik.actors.units`; the form checks first, this is the last line."""
    parent = Actor.objects.filter(pk=actor.part_of_id).first() if actor.part_of_id else None
    cycle = False
    if parent is not None and parent.pk != actor.pk:
        parents = dict(
            Actor.objects.filter(county_id=actor.county_id).values_list("pk", "part_of_id")
        )
        cycle = reaches(parent.pk, parents, actor.pk)
    problem = part_of_problem(
        actor_type=actor.actor_type,
        parent_type=parent.actor_type if parent else None,
        same_county=parent is None or parent.county_id == actor.county_id,
        is_self=parent is not None and parent.pk == actor.pk,
        cycle=cycle,
    )
    if problem:
        raise ValueError(problem)


def set_tags(activity: Activity, tags: Mapping[TagDimension, Iterable[str]]) -> None:
    """Make the activity's tags of the given dimensions exactly ``tags``.

    Three statements whatever the number of dimensions (read, delete, insert): the actor
    map's import saves hundreds of activities with half a dozen dimensions each.
    """
    wanted = {(str(d), str(k)) for d, keys in tags.items() for k in keys}
    current = {
        (str(d), k): pk
        for pk, d, k in activity.tags.filter(dimension__in=list(tags)).values_list(
            "pk", "dimension", "key"
        )
    }
    stale = [pk for pair, pk in current.items() if pair not in wanted]
    if stale:
        ActivityTag.objects.filter(pk__in=stale).delete()
    ActivityTag.objects.bulk_create(
        [
            ActivityTag(activity=activity, dimension=d, key=k)
            for d, k in sorted(wanted - current.keys())
        ]
    )


@transaction.atomic
def save_activity(
    user: Any,
    data: Mapping[str, Any],
    *,
    activity: Activity | None = None,
    actors: Iterable[Actor] | None = None,
    tags: Mapping[TagDimension, Iterable[str]] | None = None,
    districts: Iterable[Area] | None = None,
    action: ChangeAction | None = None,
    check: bool = True,
    version: int | None = None,
) -> Activity:
    """Create or update an activity with its actors, tags and districts."""
    activity, before = _save_record(
        user, activity, Activity, ACTIVITY_FIELDS, data, row=activity_row, prefix="I",
        check=check, version=version,
    )  # fmt: skip
    if actors is not None:
        activity.actors.set(list(actors))
    if tags is not None:
        set_tags(activity, tags)
    if districts is not None:
        district_list = list(districts)
        for district in district_list:
            if district.parent_id != activity.area_id:
                raise ValueError(
                    _("%(district)s does not lie in %(area)s.")
                    % {"district": district.name, "area": activity.area.name}
                )
        activity.districts.set(district_list)
    activity = Activity.objects.prefetch_related("tags", "actors", "districts").get(pk=activity.pk)
    _log_saved(user, activity, action, before, activity_row)
    return activity


@transaction.atomic
def save_network(
    user: Any,
    data: Mapping[str, Any],
    *,
    network: Network | None = None,
    members: Iterable[Actor] | None = None,
    action: ChangeAction | None = None,
    check: bool = True,
    version: int | None = None,
) -> Network:
    network, before = _save_record(
        user, network, Network, NETWORK_FIELDS, data, row=network_row, prefix="N",
        check=check, version=version,
    )  # fmt: skip
    if members is not None:
        network.members.set(list(members))
    _log_saved(user, network, action, before, network_row)
    return network


@transaction.atomic
def delete_record(user: Any, obj: Actor | Activity | Network) -> None:
    ensure_can_edit(user, obj.area)
    row = {Actor: actor_row, Activity: activity_row, Network: network_row}[type(obj)](obj)
    log_change(user, obj, ChangeAction.DELETED, row, None)
    obj.delete()


@transaction.atomic
def add_relation(
    user: Any, source: Actor, target: Actor, kind: RelationKind, *, check: bool = True
) -> ActorRelation:
    """Record that ``source`` collaborates with or funds ``target``; the source's editors decide."""
    if kind not in (RelationKind.COLLABORATES, RelationKind.FUNDS):
        raise ValueError(
            _("Who convenes a network and who is a member are recorded on the network itself.")
        )
    if source.pk == target.pk:
        raise ValueError(_("An actor cannot be related to itself."))
    if check:
        ensure_can_edit(user, source.area)
    relation, _created = ActorRelation.objects.get_or_create(
        source=source, target=target, kind=kind
    )
    return relation

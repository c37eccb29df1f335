"""Records of the map as plain dicts: one shape for export files, round snapshots and the change log.

Keys are the column names of the import/export template (see :mod:`jamlik.actors.tabular`),
so a snapshot diff, a downloaded file and an uploaded file all speak the same language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from jamlik.actors.choices import TagDimension
from jamlik.actors.models import Activity, ActivityTag, Actor, ActorRelation, Network

Row = dict[str, Any]


def actor_ref(actor: Actor) -> str:
    return actor.ref or f"A{actor.pk}"


def actor_row(actor: Actor) -> Row:
    return {
        "ref": actor_ref(actor),
        "name": actor.name,
        "org_number": actor.org_number,
        "type": actor.actor_type,
        "level": actor.level,
        "area": actor.area.code,
        "areas_served": sorted(a.code for a in actor.areas_served.all()),
        "contact": actor.contact,
        "website": actor.website,
        # Only when set, as intervention_key below: older snapshots and packages have no
        # such field, and an empty one would show as a change of every actor.
        **({"part_of": actor_ref(actor.part_of)} if actor.part_of_id else {}),
    }


def activity_row(activity: Activity) -> Row:
    return {
        "ref": activity.ref or f"I{activity.pk}",
        "title": activity.title,
        "description": activity.description,
        "actors": sorted(actor_ref(a) for a in activity.actors.all()),
        "malomraden": sorted(int(k) for k in activity.tag_keys(TagDimension.TARGET_AREA)),
        "problem_areas": activity.tag_keys(TagDimension.PROBLEM_AREA),
        "orientation": activity.orientation,
        "prevention_level": activity.prevention_level,
        "age_min": activity.age_min,
        "age_max": activity.age_max,
        "target_groups": activity.tag_keys(TagDimension.TARGET_GROUP),
        "settings": activity.tag_keys(TagDimension.SETTING),
        "area": activity.area.code,
        "districts": sorted(d.code for d in activity.districts.all()),
        "start_year": activity.start_year,
        "end_year": activity.end_year,
        "funding": activity.funding,
        "method": activity.method,
        "evidence": activity.evidence,
        "status": activity.status,
        # Only when set: rows stored in earlier rounds' snapshots have no such field, and
        # an empty value would show as a change of every activity.
        **({"intervention_key": activity.intervention_key} if activity.intervention_key else {}),
    }


def network_row(network: Network) -> Row:
    return {
        "ref": network.ref or f"N{network.pk}",
        "name": network.name,
        "convenor": actor_ref(network.convenor) if network.convenor else "",
        "members": sorted(actor_ref(a) for a in network.members.all()),
        "purpose": network.purpose,
        "meeting_frequency": network.meeting_frequency,
        "malomraden": sorted(int(n) for n in network.malomraden),
        "area": network.area.code,
    }


def relation_row(relation: ActorRelation) -> Row:
    return {
        "source": actor_ref(relation.source),
        "kind": relation.kind,
        "target": actor_ref(relation.target),
    }


def actors_qs(county_code: str) -> QuerySet[Actor]:
    return (
        Actor.objects.filter(county__code=county_code)
        .select_related("area", "part_of")
        .prefetch_related("areas_served")
        .order_by("pk")
    )


def activities_qs(county_code: str) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(county__code=county_code)
        .select_related("area")
        .prefetch_related(
            Prefetch("actors", queryset=Actor.objects.only("pk", "ref")),
            Prefetch("tags", queryset=ActivityTag.objects.all()),
            "districts",
        )
        .order_by("pk")
    )


def networks_qs(county_code: str) -> QuerySet[Network]:
    return (
        Network.objects.filter(county__code=county_code)
        .select_related("area", "convenor")
        .prefetch_related(Prefetch("members", queryset=Actor.objects.only("pk", "ref")))
        .order_by("pk")
    )


def relations_qs(county_code: str) -> QuerySet[ActorRelation]:
    return (
        ActorRelation.objects.filter(source__county__code=county_code)
        .select_related("source", "target")
        .order_by("pk")
    )


def county_rows(county_code: str, *, with_contacts: bool = True) -> dict[str, list[Row]]:
    """The whole actor map of one county as rows per sheet.

    Without ``with_contacts`` the contact column is empty: contact details are shown only to
    people with a role in the county, in case someone typed a person's address there.
    """
    actors = [actor_row(a) for a in actors_qs(county_code)]
    if not with_contacts:
        for row in actors:
            row["contact"] = ""
    return {
        "actors": actors,
        "activities": [activity_row(a) for a in activities_qs(county_code)],
        "networks": [network_row(n) for n in networks_qs(county_code)],
        "relations": [relation_row(r) for r in relations_qs(county_code)],
    }


def diff_rows(before: Row | None, after: Row | None) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields that differ (all fields for a new or gone record)."""
    before, after = before or {}, after or {}
    keys: Iterable[str] = list(dict.fromkeys([*before, *after]))
    return {
        k: [before.get(k), after.get(k)]
        for k in keys
        if k != "ref" and before.get(k) != after.get(k)
    }

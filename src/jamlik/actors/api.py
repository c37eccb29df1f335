"""Actor map API: actors, activities and networks.

Reading is open (the same filters as the directory). Adding, replacing (PUT) and removing
actors and activities need a logged-in session and the CSRF token (django-ninja's session
auth checks it); the service then applies the same rights as the pages, so an editor can
only change records in their own kommun and cannot move one out of it.
"""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import django_auth

from jamlik.actors import services
from jamlik.actors.choices import Setting, TagDimension, TargetGroup
from jamlik.actors.models import Activity, Actor, Network
from jamlik.actors.queries import DirectoryFilter, filter_activities, filter_actors
from jamlik.core.versioning import CONFLICT_RESPONSES, set_etag, versioned_put
from jamlik.geo.models import Area

router = Router(tags=["actors"])
#: A record id as the database can hold it (BigAutoField); larger ones are a 422, not a 500.
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]
MAX_LIMIT = 500


class ActorOut(Schema):
    id: int
    ref: str
    name: str
    org_number: str
    type: str
    level: str
    area: str
    county: str
    areas_served: list[str]
    contact: str
    website: str
    same_as: int | None
    #: The organisation this actor is a unit of (e.g. the county board), if any.
    part_of: int | None = None
    source_package: str | None
    is_demo: bool
    version: int


class ActivityOut(Schema):
    id: int
    ref: str
    title: str
    description: str
    actors: list[int]
    malomraden: list[int]
    problem_areas: list[str]
    target_groups: list[str]
    settings: list[str]
    orientation: str
    prevention_level: str
    age_min: int | None
    age_max: int | None
    area: str
    county: str
    districts: list[str]
    start_year: int | None
    end_year: int | None
    funding: str
    method: str
    evidence: str
    status: str
    is_demo: bool
    version: int


class NetworkOut(Schema):
    id: int
    ref: str
    name: str
    convenor: int | None
    members: list[int]
    purpose: str
    meeting_frequency: str
    malomraden: list[int]
    area: str
    county: str
    is_demo: bool
    version: int


class Page(Schema):
    count: int
    offset: int
    limit: int


class ActorPage(Page):
    items: list[ActorOut]


class ActivityPage(Page):
    items: list[ActivityOut]


class Filters(Schema):
    q: str = ""
    county: str = ""
    area: str = ""
    malomrade: str = ""
    problem: str = ""
    group: str = ""
    setting: str = ""
    level: str = ""
    sector: str = ""
    prevention: str = ""
    status: str = ""
    offset: int = 0
    limit: int = 100


def _actor(a: Actor, request: HttpRequest | None = None) -> ActorOut:
    return ActorOut(
        id=a.pk,
        ref=a.ref,
        name=a.name,
        org_number=a.org_number,
        type=a.actor_type,
        level=a.level,
        area=a.area.code,
        county=a.county.code,
        areas_served=sorted(x.code for x in a.areas_served.all()),
        contact=a.contact if request is None or _may_see_contact(request, a) else "",
        website=a.website,
        same_as=a.canonical_id,
        part_of=a.part_of_id,
        source_package=str(a.source_package) if a.source_package_id else None,
        is_demo=a.is_demo,
        version=a.version,
    )


def _may_see_contact(request: HttpRequest, actor: Actor) -> bool:
    user = request.user
    return bool(
        user.has_perm("jamlik.view_area_unpublished", actor.area)
        or user.has_perm("jamlik.edit_area", actor.area)
    )


def _activity(a: Activity) -> ActivityOut:
    return ActivityOut(
        id=a.pk,
        ref=a.ref,
        title=a.title,
        description=a.description,
        actors=sorted(x.pk for x in a.actors.all()),
        malomraden=sorted(int(k) for k in a.tag_keys(TagDimension.TARGET_AREA)),
        problem_areas=a.tag_keys(TagDimension.PROBLEM_AREA),
        target_groups=a.tag_keys(TagDimension.TARGET_GROUP),
        settings=a.tag_keys(TagDimension.SETTING),
        orientation=a.orientation,
        prevention_level=a.prevention_level,
        age_min=a.age_min,
        age_max=a.age_max,
        area=a.area.code,
        county=a.county.code,
        districts=sorted(d.code for d in a.districts.all()),
        start_year=a.start_year,
        end_year=a.end_year,
        funding=a.funding,
        method=a.method,
        evidence=a.evidence,
        status=a.status,
        is_demo=a.is_demo,
        version=a.version,
    )


def _network(n: Network) -> NetworkOut:
    return NetworkOut(
        id=n.pk,
        ref=n.ref,
        name=n.name,
        convenor=n.convenor_id,
        members=sorted(m.pk for m in n.members.all()),
        purpose=n.purpose,
        meeting_frequency=n.meeting_frequency,
        malomraden=sorted(int(x) for x in n.malomraden),
        area=n.area.code,
        county=n.county.code,
        is_demo=n.is_demo,
        version=n.version,
    )


def _window(filters: Filters) -> tuple[int, int]:
    return max(0, filters.offset), min(max(1, filters.limit), MAX_LIMIT)


@router.get("/actors", response=ActorPage, summary="Actors of the map")
def list_actors(request: HttpRequest, filters: Query[Filters]) -> ActorPage:
    """Actors; the filters are those of the directory (`county`, `area`, `sector`, `level`, `q`, …)."""
    f = DirectoryFilter.from_query(filters.dict())
    qs = (
        filter_actors(f)
        .select_related("county", "source_package__county")
        .prefetch_related("areas_served")
    )
    offset, limit = _window(filters)
    return ActorPage(
        count=qs.count(),
        offset=offset,
        limit=limit,
        items=[_actor(a, request) for a in qs[offset : offset + limit]],
    )


@router.get("/actors/{actor_id}", response=ActorOut, summary="One actor")
def get_actor(request: HttpRequest, actor_id: int, response: HttpResponse) -> ActorOut:
    """One actor; the `ETag` names its version, for `If-Match` on a later PUT."""
    actor = get_object_or_404(
        Actor.objects.select_related("area", "county", "source_package__county").prefetch_related(
            "areas_served"
        ),
        pk=actor_id,
    )
    set_etag(response, actor)
    return _actor(actor, request)


@router.get("/activities", response=ActivityPage, summary="Activities (insatser)")
def list_activities(request: HttpRequest, filters: Query[Filters]) -> ActivityPage:
    """Activities filtered like the directory: `malomrade` (1–8), `group`, `setting`, `area`, …"""
    f = DirectoryFilter.from_query(filters.dict())
    qs = filter_activities(f).select_related("county")
    offset, limit = _window(filters)
    return ActivityPage(
        count=qs.count(),
        offset=offset,
        limit=limit,
        items=[_activity(a) for a in qs[offset : offset + limit]],
    )


@router.get("/activities/{activity_id}", response=ActivityOut, summary="One activity")
def get_activity(request: HttpRequest, activity_id: int, response: HttpResponse) -> ActivityOut:
    """One activity; the `ETag` names its version, for `If-Match` on a later PUT."""
    activity = get_object_or_404(
        Activity.objects.select_related("area", "county").prefetch_related(
            "tags", "actors", "districts"
        ),
        pk=activity_id,
    )
    set_etag(response, activity)
    return _activity(activity)


@router.get("/networks", response=list[NetworkOut], summary="Networks")
def list_networks(request: HttpRequest, county: str = "") -> list[NetworkOut]:
    qs = (
        Network.objects.select_related("area", "county")
        .prefetch_related("members")
        .order_by("name", "pk")
    )
    if county:
        qs = qs.filter(county__code=county)
    return [_network(n) for n in qs]


@router.get("/networks/{network_id}", response=NetworkOut, summary="One network")
def get_network(request: HttpRequest, network_id: int, response: HttpResponse) -> NetworkOut:
    """One network; the `ETag` names its version, for `If-Match` on a later PUT."""
    network = get_object_or_404(
        Network.objects.select_related("area", "county").prefetch_related("members"), pk=network_id
    )
    set_etag(response, network)
    return _network(network)


# ---- writing (session login and CSRF token required; the editor's rights apply) ----------


class ActorIn(Schema):
    name: str
    type: str
    level: str
    area: str
    org_number: str = ""
    areas_served: list[str] = []
    contact: str = ""
    website: str = ""
    #: The id of the organisation it is a unit of; left out, a PUT keeps the stored one.
    part_of: RecordId | None = None
    version: int | None = None  # PUT: the version this replaces (or If-Match); POST ignores it


class ActivityIn(Schema):
    title: str
    actors: list[RecordId]
    malomraden: list[int]
    orientation: str
    area: str
    description: str = ""
    problem_areas: list[str] = []
    target_groups: list[str] = []
    settings: list[str] = []
    prevention_level: str = ""
    age_min: int | None = None
    age_max: int | None = None
    districts: list[str] = []
    start_year: int | None = None
    end_year: int | None = None
    funding: str = ""
    method: str = ""
    evidence: str = "unknown"
    status: str = "ongoing"
    version: int | None = None  # PUT: the version this replaces (or If-Match); POST ignores it


def _area(code: str, field: str) -> Area:
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise HttpError(422, f"{field}: unknown area code {code!r}")
    if area.county is None:  # riket: the map's records belong to a län or a kommun
        raise HttpError(422, f"{field}: {code!r} is the whole country; give a kommun or län code")
    return area


def _guard(call):  # noqa: ANN001, ANN202 - turns service refusals into API errors
    try:
        return call()
    except PermissionDenied as exc:
        raise HttpError(403, "You may not change records of this area.") from exc
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):  # raised without naming a field
            raise HttpError(422, " ".join(exc.messages)) from exc
        raise HttpError(
            422, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        ) from exc
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc


def _actor_input(payload: ActorIn) -> tuple[dict, list[Area]]:
    """Model data and served areas from a payload (codes checked, rights not yet)."""
    data = {
        "name": payload.name,
        "actor_type": payload.type,
        "level": payload.level,
        "area": _area(payload.area, "area"),
        "org_number": payload.org_number,
        "contact": payload.contact,
        "website": payload.website,
    }
    if "part_of" in payload.model_fields_set:
        parent = Actor.objects.filter(pk=payload.part_of).first() if payload.part_of else None
        if payload.part_of and parent is None:
            raise HttpError(422, f"part_of: no actor with id {payload.part_of}")
        data["part_of"] = parent
    return data, [_area(code, "areas_served") for code in payload.areas_served]


def _actor_out(actor: Actor, request: HttpRequest) -> ActorOut:
    return _actor(Actor.objects.select_related("area", "county").get(pk=actor.pk), request)


def _remove(request: HttpRequest, model: type[Actor | Activity | Network], pk: int) -> Status[None]:
    """Delete one record through the service (rights checked, change logged): 204."""
    record = get_object_or_404(model, pk=pk)
    _guard(lambda: services.delete_record(request.user, record))
    return Status(204, None)


@router.post("/actors", response={201: ActorOut}, auth=django_auth, summary="Add an actor")
def create_actor(request: HttpRequest, payload: ActorIn) -> Status[ActorOut]:
    """Add an actor to a kommun (or län) the logged-in user may edit."""
    data, served = _actor_input(payload)
    actor = _guard(lambda: services.save_actor(request.user, data, areas_served=served))
    return Status(201, _actor_out(actor, request))


@router.put(
    "/actors/{actor_id}",
    response={200: ActorOut, **CONFLICT_RESPONSES},
    auth=django_auth,
    summary="Replace an actor",
)
def update_actor(
    request: HttpRequest, actor_id: int, payload: ActorIn, response: HttpResponse
) -> ActorOut | Status:
    """Replace an actor's fields. The user must be allowed to edit both the kommun it
    belongs to now and the one the payload names, so nothing is moved out of reach.

    Send the version you read (`If-Match` with the GET's `ETag`, or `version` in the body):
    if someone saved in between, nothing is written and the answer is 412 (If-Match) or
    409 (`version`) with both versions and the stored record. Without either the PUT
    replaces the record unconditionally."""
    actor = get_object_or_404(Actor, pk=actor_id)
    data, served = _actor_input(payload)
    return versioned_put(
        request,
        response,
        payload,
        lambda version: _guard(
            lambda: services.save_actor(
                request.user, data, actor=actor, areas_served=served, version=version
            )
        ),
        lambda saved: _actor_out(saved, request),
    )


@router.delete(
    "/actors/{actor_id}", response={204: None}, auth=django_auth, summary="Remove an actor"
)
def delete_actor(request: HttpRequest, actor_id: int) -> Status[None]:
    """Remove an actor (and its place in activities and networks); the change log keeps it."""
    return _remove(request, Actor, actor_id)


def _activity_input(payload: ActivityIn) -> tuple[dict, dict]:
    """Model data and the related records from a payload, every key and id checked."""
    area = _area(payload.area, "area")
    actors = list(Actor.objects.filter(pk__in=payload.actors, county=area.county))
    if len(actors) != len(set(payload.actors)):
        raise HttpError(422, "actors: every id must be an actor in the same county")
    ctx = services.parse_context(area.county)
    if not payload.malomraden or set(payload.malomraden) - ctx.target_area_numbers:
        raise HttpError(
            422, f"malomraden: numbers among {sorted(ctx.target_area_numbers)}, at least one"
        )
    if set(payload.problem_areas) - ctx.problem_area_keys:
        raise HttpError(422, f"problem_areas: keys among {sorted(ctx.problem_area_keys)}")
    if set(payload.target_groups) - set(TargetGroup.values) or set(payload.settings) - set(
        Setting.values
    ):
        raise HttpError(422, "target_groups or settings: unknown key")
    data = payload.dict(
        exclude={
            "actors",
            "malomraden",
            "problem_areas",
            "target_groups",
            "settings",
            "districts",
            "version",
        }  # fmt: skip
    )
    data["area"] = area
    related = {
        "actors": actors,
        "tags": {
            TagDimension.TARGET_AREA: [str(n) for n in payload.malomraden],
            TagDimension.PROBLEM_AREA: payload.problem_areas,
            TagDimension.TARGET_GROUP: payload.target_groups,
            TagDimension.SETTING: payload.settings,
        },
        "districts": [_area(code, "districts") for code in payload.districts],
    }
    return data, related


@router.post(
    "/activities", response={201: ActivityOut}, auth=django_auth, summary="Add an activity"
)
def create_activity(request: HttpRequest, payload: ActivityIn) -> Status[ActivityOut]:
    """Add an activity in a kommun the logged-in user may edit; actors are given by id."""
    data, related = _activity_input(payload)
    activity = _guard(lambda: services.save_activity(request.user, data, **related))
    return Status(201, _activity(activity))


@router.put(
    "/activities/{activity_id}",
    response={200: ActivityOut, **CONFLICT_RESPONSES},
    auth=django_auth,
    summary="Replace an activity",
)
def update_activity(
    request: HttpRequest, activity_id: int, payload: ActivityIn, response: HttpResponse
) -> ActivityOut | Status:
    """Replace an activity's fields, actors, tags and districts (same rights as adding).
    `If-Match` or `version` as for actors: 412/409 with both versions when stale."""
    activity = get_object_or_404(Activity, pk=activity_id)
    data, related = _activity_input(payload)
    return versioned_put(
        request,
        response,
        payload,
        lambda version: _guard(
            lambda: services.save_activity(
                request.user, data, activity=activity, version=version, **related
            )
        ),
        _activity,
    )


@router.delete(
    "/activities/{activity_id}",
    response={204: None},
    auth=django_auth,
    summary="Remove an activity",
)
def delete_activity(request: HttpRequest, activity_id: int) -> Status[None]:
    return _remove(request, Activity, activity_id)


class NetworkIn(Schema):
    name: str
    area: str
    convenor: RecordId | None = None
    members: list[RecordId] = []
    purpose: str = ""
    meeting_frequency: str = ""
    malomraden: list[int] = []
    version: int | None = None  # PUT: the version this replaces (or If-Match); POST ignores it


def _network_input(payload: NetworkIn) -> tuple[dict, list[Actor]]:
    """Model data and members from a payload; every actor must be of the same county."""
    area = _area(payload.area, "area")
    ids = set(payload.members) | ({payload.convenor} if payload.convenor else set())
    actors = {a.pk: a for a in Actor.objects.filter(pk__in=ids, county=area.county)}
    if len(actors) != len(ids):
        raise HttpError(422, "convenor and members: every id must be an actor in the same county")
    ctx = services.parse_context(area.county)
    if set(payload.malomraden) - ctx.target_area_numbers:
        raise HttpError(422, f"malomraden: numbers among {sorted(ctx.target_area_numbers)}")
    data = {
        "name": payload.name,
        "area": area,
        "convenor": actors.get(payload.convenor) if payload.convenor else None,
        "purpose": payload.purpose,
        "meeting_frequency": payload.meeting_frequency,
        "malomraden": sorted(set(payload.malomraden)),
    }
    return data, [actors[i] for i in sorted(set(payload.members))]


def _network_out(network: Network) -> NetworkOut:
    return _network(
        Network.objects.select_related("area", "county")
        .prefetch_related("members")
        .get(pk=network.pk)
    )


@router.post("/networks", response={201: NetworkOut}, auth=django_auth, summary="Add a network")
def create_network(request: HttpRequest, payload: NetworkIn) -> Status[NetworkOut]:
    """Add a network whose responsible area (kommun, or the län) the user may edit."""
    data, members = _network_input(payload)
    network = _guard(lambda: services.save_network(request.user, data, members=members))
    return Status(201, _network_out(network))


@router.put(
    "/networks/{network_id}",
    response={200: NetworkOut, **CONFLICT_RESPONSES},
    auth=django_auth,
    summary="Replace a network",
)
def update_network(
    request: HttpRequest, network_id: int, payload: NetworkIn, response: HttpResponse
) -> NetworkOut | Status:
    """Replace a network. `If-Match` or `version` as for actors: 412/409 when stale."""
    network = get_object_or_404(Network, pk=network_id)
    data, members = _network_input(payload)
    return versioned_put(
        request,
        response,
        payload,
        lambda version: _guard(
            lambda: services.save_network(
                request.user, data, network=network, members=members, version=version
            )
        ),
        _network_out,
    )


@router.delete(
    "/networks/{network_id}", response={204: None}, auth=django_auth, summary="Remove a network"
)
def delete_network(request: HttpRequest, network_id: int) -> Status[None]:
    return _remove(request, Network, network_id)

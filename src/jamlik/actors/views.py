"""Pages of the actor map. Thin: parse the request, call a query or service, render."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamlik.accounts.decorators import check_area_permission
from jamlik.actors import board, graph, queries, services, svg_graph, vocab
from jamlik.actors.choices import (
    ActorLevel,
    ActorType,
    PreventionLevel,
    RelationKind,
    Setting,
    TargetGroup,
)
from jamlik.actors.forms import (
    ActivityForm,
    ActorForm,
    NetworkForm,
    RelationForm,
    editable_areas,
)
from jamlik.actors.gaps import gap_report
from jamlik.actors.models import Activity, Actor, Network
from jamlik.core.version_forms import conflict_response
from jamlik.core.versioning import VersionConflict
from jamlik.geo.models import Area, AreaLevel

RecordT = TypeVar("RecordT", Activity, Network)


def county_from_request(request: HttpRequest) -> Area:
    """The county in ``?county=``, else the one with the most actors (the demo county)."""
    code = request.GET.get("county", "")
    if code:
        return get_object_or_404(Area, code=code, level=AreaLevel.COUNTY)
    busiest = Actor.objects.values("county").annotate(n=Count("pk")).order_by("-n").first()
    if busiest:
        return Area.objects.get(pk=busiest["county"])
    return Area.objects.get(code="01")


def may_see_contacts(user: Any, area: Area) -> bool:
    """Contact details are for people with a role in the area's county or kommun."""
    return bool(
        user.has_perm("jamlik.view_area_unpublished", area) or services.can_edit(user, area)
    )


def has_demo(county: Area) -> bool:
    return Actor.objects.filter(county=county, is_demo=True).exists()


def directory(request: HttpRequest) -> HttpResponse:
    f = queries.DirectoryFilter.from_query(request.GET)
    counties = Area.objects.counties()
    county_code = f.county or None
    kommuner = Area.objects.municipalities(county_code) if county_code else Area.objects.none()
    view = request.GET.get("view", "activities")
    units = None
    if view == "actors":
        results = queries.filter_actors(f)
        if f.sector != ActorType.COUNTY_BOARD_UNIT:
            # The county board's own units are listed apart from the external actors.
            units = list(results.filter(board.UNIT_Q))
            results = results.exclude(board.UNIT_Q)
    else:
        view = "activities"
        results = queries.filter_activities(f)
    page = Paginator(results, 50).get_page(request.GET.get("page"))
    context = {
        "f": f,
        "view": view,
        "page": page,
        "units": units,
        "counties": counties,
        "kommuner": kommuner,
        "target_areas": vocab.target_areas(county_code),
        "target_area_names": vocab.target_area_short(county_code),
        "problem_areas": vocab.problem_areas(county_code),
        "groups": TargetGroup.choices,
        "settings": Setting.choices,
        "levels": ActorLevel.choices,
        "sectors": ActorType.choices,
        "prevention_levels": PreventionLevel.choices,
        "demo": Actor.objects.filter(is_demo=True).exists(),
        "query": f.query_string(),
        "can_add": bool(editable_areas(request.user)) if request.user.is_authenticated else False,
    }
    return render(request, "actors/directory.html", context)


def actor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_object_or_404(
        Actor.objects.select_related("area", "county", "canonical", "part_of"), pk=pk
    )
    activities = actor.activities.select_related("area").order_by("title")
    relations = [
        (_("collaborates with") if r.kind == "collaborates" else _("funds"), r.target)
        for r in actor.relations_out.select_related("target")
    ] + [
        (_("collaborates with") if r.kind == "collaborates" else _("is funded by"), r.source)
        for r in actor.relations_in.select_related("source")
    ]
    context = {
        "actor": actor,
        "activities": activities,
        "relations": relations,
        "networks": actor.networks.all(),
        "convened": actor.convened_networks.all(),
        "can_edit": services.can_edit(request.user, actor.area),
        "show_contact": may_see_contacts(request.user, actor.area),
        "relation_form": RelationForm(actor=actor)
        if services.can_edit(request.user, actor.area)
        else None,
        "duplicates": actor.duplicates.select_related("county"),
        "units": actor.units.annotate(n_activities=Count("activities")).order_by("name"),
        "can_add_unit": actor.actor_type == ActorType.COUNTY_BOARD
        and services.can_edit(request.user, actor.area),
        "can_add_activity": request.user.is_authenticated
        and bool(editable_areas(request.user, actor.county)),
    }
    return render(request, "actors/actor_detail.html", context)


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        Activity.objects.select_related("area").prefetch_related("tags", "actors", "districts"),
        pk=pk,
    )
    from jamlik.actors.choices import TagDimension

    context = {
        "activity": activity,
        "target_areas": [
            vocab.target_area_short(activity.county.code).get(k, k)
            for k in activity.tag_keys(TagDimension.TARGET_AREA)
        ],
        "problem_areas": [
            vocab.names(vocab.problem_areas(activity.county.code)).get(k, k)
            for k in activity.tag_keys(TagDimension.PROBLEM_AREA)
        ],
        "groups": [
            TargetGroup(k).label
            for k in activity.tag_keys(TagDimension.TARGET_GROUP)
            if k in TargetGroup.values
        ],
        "settings": [
            Setting(k).label for k in activity.tag_keys(TagDimension.SETTING) if k in Setting.values
        ],
        "can_edit": services.can_edit(request.user, activity.area),
    }
    return render(request, "actors/activity_detail.html", context)


def _save_form(
    request: HttpRequest,
    form,  # noqa: ANN001
    save,  # noqa: ANN001
    conflict_page,  # noqa: ANN001 - (VersionConflict) -> the 409 page
) -> HttpResponse | None:
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form)
        except VersionConflict as conflict:
            return conflict_page(conflict)
        except (ValueError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                raise
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect(obj)
    return None


def _actor_preset(request: HttpRequest) -> dict[str, Any]:
    """A new unit started from its organisation's page (``?part_of=``): inside it, with its
    level and area (when the user may edit that area); a county board's unit by type."""
    key = request.GET.get("part_of", "")
    parent = Actor.objects.filter(pk=int(key)).first() if key.isdigit() else None
    if parent is None:
        return {}
    preset: dict[str, Any] = {"part_of": parent.pk, "level": parent.level}
    if parent.actor_type == ActorType.COUNTY_BOARD:
        preset["actor_type"] = ActorType.COUNTY_BOARD_UNIT
    if any(a.pk == parent.area_id for a in editable_areas(request.user)):
        preset["area"] = parent.area_id
    return preset


@login_required
def actor_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = get_object_or_404(Actor, pk=pk) if pk else None
    if actor is not None:
        check_area_permission(request, "jamlik.edit_area", actor.area)
    elif not editable_areas(request.user):
        raise PermissionDenied
    form = ActorForm(
        request.POST or None,
        instance=actor,
        user=request.user,
        initial=_actor_preset(request) if actor is None else None,
    )

    def save(form: ActorForm) -> Actor:
        data = {k: v for k, v in form.cleaned_data.items() if k != "areas_served"}
        return services.save_actor(
            request.user,
            data,
            actor=Actor.objects.get(pk=actor.pk) if actor else None,
            areas_served=form.cleaned_data["areas_served"],
            version=form.loaded_version(),
        )

    template, context = "actors/actor_form.html", {"form": form, "actor": actor}

    def conflict_page(conflict: VersionConflict) -> HttpResponse:
        stored = ActorForm(instance=conflict.current, user=request.user)
        return conflict_response(request, template, context, form, conflict, stored)

    return _save_form(request, form, save, conflict_page) or render(request, template, context)


def _record_to_edit(
    request: HttpRequest, model: type[RecordT], pk: int | None
) -> tuple[RecordT | None, Area]:
    """The record to change (None for a new one) and its county, refusing users who may not edit.

    An existing record needs edit rights on its owner area; a new one needs the
    user to be able to edit somewhere in the county it is being added to.
    """
    record = get_object_or_404(model, pk=pk) if pk else None
    if record is not None:
        check_area_permission(request, "jamlik.edit_area", record.area)
        return record, record.county
    county = county_from_request(request)
    if not editable_areas(request.user, county):
        raise PermissionDenied
    return None, county


def _activity_preset(request: HttpRequest, county: Area) -> dict[str, Any]:
    """A new activity started from an actor's page (``?actor=``): that actor, its area."""
    key = request.GET.get("actor", "")
    actor = Actor.objects.filter(pk=int(key), county=county).first() if key.isdigit() else None
    if actor is None:
        return {}
    preset: dict[str, Any] = {"actors": [actor.pk]}
    if any(a.pk == actor.area_id for a in editable_areas(request.user, county)):
        preset["area"] = actor.area_id
    return preset


@login_required
def activity_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    activity, county = _record_to_edit(request, Activity, pk)
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        user=request.user,
        county=county,
        initial=_activity_preset(request, county) if activity is None else None,
    )

    def save(form: ActivityForm) -> Activity:
        skip = {"actors", "districts", *ActivityForm.TAG_FIELDS}
        data = {k: v for k, v in form.cleaned_data.items() if k not in skip}
        return services.save_activity(
            request.user,
            data,
            activity=Activity.objects.get(pk=activity.pk) if activity else None,
            actors=form.cleaned_data["actors"],
            tags=form.tags(),
            districts=form.cleaned_data["districts"],
            version=form.loaded_version(),
        )

    template = "actors/activity_form.html"
    context = {"form": form, "activity": activity, "county": county}

    def conflict_page(conflict: VersionConflict) -> HttpResponse:
        stored = ActivityForm(instance=conflict.current, user=request.user, county=county)
        return conflict_response(request, template, context, form, conflict, stored)

    return _save_form(request, form, save, conflict_page) or render(request, template, context)


@login_required
def network_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    network, county = _record_to_edit(request, Network, pk)
    form = NetworkForm(request.POST or None, instance=network, user=request.user, county=county)

    def save(form: NetworkForm) -> Network:
        data = {k: v for k, v in form.cleaned_data.items() if k != "members"}
        return services.save_network(
            request.user,
            data,
            network=Network.objects.get(pk=network.pk) if network else None,
            members=form.cleaned_data["members"],
            version=form.loaded_version(),
        )

    template = "actors/network_form.html"
    context = {"form": form, "network": network, "county": county}

    def conflict_page(conflict: VersionConflict) -> HttpResponse:
        stored = NetworkForm(instance=conflict.current, user=request.user, county=county)
        return conflict_response(request, template, context, form, conflict, stored)

    return _save_form(request, form, save, conflict_page) or render(request, template, context)


RECORD_TYPES = {"aktor": Actor, "insats": Activity, "natverk": Network}


@require_POST
def record_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = RECORD_TYPES.get(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(model, pk=pk)
    refusal = check_area_permission(request, "jamlik.edit_area", obj.area)
    if refusal:
        return refusal
    county = obj.county.code
    services.delete_record(request.user, obj)
    messages.success(request, _("Deleted: %(name)s.") % {"name": str(obj)})
    return redirect(f"{reverse('actors:directory')}?county={county}")


@require_POST
def relation_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_object_or_404(Actor, pk=pk)
    refusal = check_area_permission(request, "jamlik.edit_area", actor.area)
    if refusal:
        return refusal
    form = RelationForm(request.POST, actor=actor)
    if form.is_valid():
        services.add_relation(
            request.user,
            actor,
            form.cleaned_data["target"],
            RelationKind(form.cleaned_data["kind"]),
        )
        messages.success(request, _("Relation saved."))
    else:
        messages.error(request, _("Choose a relation and another actor."))
    return redirect(actor)


def matrix(request: HttpRequest) -> HttpResponse:
    county = county_from_request(request)
    kind = "groups" if request.GET.get("rows") == "groups" else "kommuner"
    table = queries.group_matrix(county) if kind == "groups" else queries.kommun_matrix(county)
    context = {
        "county": county,
        "counties": Area.objects.counties(),
        "kind": kind,
        "matrix": table,
        "demo": has_demo(county),
    }
    return render(request, "actors/matrix.html", context)


def gaps(request: HttpRequest) -> HttpResponse:
    county = county_from_request(request)
    context = {
        "county": county,
        "counties": Area.objects.counties().only("code", "name"),  # not their boundaries
        "report": gap_report(county),
        "demo": has_demo(county),
    }
    return render(request, "actors/gaps.html", context)


def county_board(request: HttpRequest) -> HttpResponse:
    """The county board's own work: its units and their activities per målområde."""
    county = county_from_request(request)
    context = {
        "county": county,
        "counties": Area.objects.counties().only("code", "name"),
        "work": board.county_board_work(county),
        "target_area_names": vocab.target_area_short(county.code),
        "target_areas": vocab.target_areas(county.code),
        "demo": has_demo(county),
        "can_add": services.can_edit(request.user, county),
    }
    return render(request, "actors/county_board.html", context)


#: How the centrality table beside the network can be sorted (query value → key).
NETWORK_SORTS = {
    "betweenness": lambda n: (-n.betweenness, -n.degree, n.name),
    "degree": lambda n: (-n.degree, -n.betweenness, n.name),
    "strength": lambda n: (-n.strength, -n.degree, n.name),
    "name": lambda n: (n.name,),
}


def _query_without(request: HttpRequest, name: str) -> str:
    """The page's query string without ``name``, ending so another parameter can follow."""
    query = request.GET.copy()
    query.pop(name, None)
    encoded = query.urlencode()
    return f"?{encoded}&" if encoded else "?"


def network_view(request: HttpRequest) -> HttpResponse:
    county = county_from_request(request)
    kommun_code = request.GET.get("kommun", "")
    kommun = Area.objects.filter(code=kommun_code, parent=county).first() if kommun_code else None
    chosen = graph.NetworkFilter.from_query(request.GET, ActorType.values)
    analysis = graph.county_network(county.code, kommun.code if kommun else None, chosen)
    scope = kommun.name if kommun else county.name
    linked = sum(1 for n in analysis.nodes if n.degree)
    description = _(
        "%(actors)s actors with %(links)s links in %(scope)s, on a circle grouped by sector "
        "(coloured arcs with the sector's letter). A circle's size shows its number of links; "
        "a line's width shows the link's strength (shared relations, networks and "
        "activities). %(isolated)s actors have no link and are listed below."
    ) % {
        "actors": linked,
        "links": analysis.graph.number_of_edges(),
        "scope": scope,
        "isolated": len(analysis.isolated),
    }
    svg = svg_graph.render_network_svg(
        analysis, title=_("Actor network, %(scope)s") % {"scope": scope}, description=description
    )
    sort = request.GET.get("sort", "betweenness")
    sort = sort if sort in NETWORK_SORTS else "betweenness"
    malomraden = vocab.target_area_short(county.code)
    context = {
        "county": county,
        "kommun": kommun,
        "counties": Area.objects.counties().only("code", "name"),
        "kommuner": Area.objects.municipalities(county.code).only("code", "name"),
        "analysis": analysis,
        "svg": svg,
        "legend": svg_graph.legend(),
        "description": description,
        "demo": has_demo(county),
        "filter": chosen,
        "sectors": [(value, label, value in chosen.sectors) for value, label in ActorType.choices],
        "malomraden": sorted(malomraden.items(), key=lambda item: int(item[0])),
        "strengths": range(1, graph.MAX_MIN_STRENGTH + 1),
        "sort": sort,
        "sorts": [
            ("betweenness", _("Betweenness")),
            ("degree", _("Links")),
            ("strength", _("Strength")),
            ("name", _("Name")),
        ],
        "table": sorted(analysis.nodes, key=NETWORK_SORTS[sort]),
        "unsorted_query": _query_without(request, "sort"),
        "labelled": svg_graph.LABELLED,
    }
    return render(request, "actors/network.html", context)


def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_object_or_404(Network.objects.select_related("convenor", "area"), pk=pk)
    names = vocab.target_area_short(network.county.code)
    return render(
        request,
        "actors/network_detail.html",
        {
            "network": network,
            "members": network.members.select_related("area").order_by("name"),
            "target_areas": [names.get(str(n), n) for n in network.malomraden],
            "can_edit": services.can_edit(request.user, network.area),
        },
    )

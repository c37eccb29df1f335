"""JSON API for the support ladder: ``/api/v1/support/...``.

Everything here is internal to the county board and the kommuner concerned: reading
needs a role in the county (or, for one kommun, in that kommun); writing needs the
county administrator. Anonymous requests get 401, others without the right role 403.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from jamlik.geo.models import Area, AreaLevel
from jamlik.support import services
from jamlik.support.access import visible_activities
from jamlik.support.api_access import allow, allow_activities, area_or_404
from jamlik.support.models import (
    ActivityKind,
    Agreement,
    Commitment,
    OrganiserRole,
    ParticipantRole,
    SupportType,
)

router = Router(tags=["support"])


def _county(code: str) -> Area:
    return area_or_404(code, AreaLevel.COUNTY)


def _ladder_json(row: services.LadderRow) -> dict[str, Any]:
    return {
        "code": row.municipality.code,
        "name": row.municipality.name,
        "step": row.status.step,
        "step_name": row.step_name,
        "since": row.status.since,
        "years": {str(y): s for y, s in row.status.years.items()},
        "changes": [{"on": c.on, "step": c.step} for c in row.status.changes],
        "last_activity": row.last_activity,
        "activity_count": row.activity_count,
        "is_demo": row.is_demo,
    }


@router.get("/ladder", summary="Derived ladder step of every kommun in a county")
def ladder(request: HttpRequest, county: str = "01") -> list[dict[str, Any]]:
    area = _county(county)
    allow(request, "jamlik.view_area_unpublished", area)
    return [_ladder_json(r) for r in services.ladder_for_county(area, date.today())]


@router.get("/ladder/{code}", summary="Derived ladder step and history of one kommun")
def ladder_one(request: HttpRequest, code: str) -> dict[str, Any]:
    area = Area.objects.filter(code=code, level=AreaLevel.MUNICIPALITY).first()
    if area is None:
        raise HttpError(404, f"No municipality with code {code!r}.")
    allow(request, "jamlik.view_area_unpublished", area)
    return _ladder_json(services.ladder_for_municipality(area, date.today()))


class ParticipantIn(Schema):
    kommun: str
    role: ParticipantRole
    count: int = 0


class OrganiserIn(Schema):
    actor_id: int
    role: OrganiserRole
    hours: float | None = None
    note: str = ""


class ActivityIn(Schema):
    county: str = "01"
    kind: ActivityKind
    title: str
    date: dt.date
    end_date: dt.date | None = None
    theme: str = ""
    description: str = ""
    materials: str = ""
    support_type: SupportType | None = None
    subject_areas: list[str] = []
    target_areas: list[int] = []
    agreement_id: int | None = None
    participants: list[ParticipantIn]
    organisers: list[OrganiserIn] = []


def _activity_json(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "title": a.title,
        "date": a.date,
        "end_date": a.end_date,
        "theme": a.theme,
        "subject_areas": a.subject_areas,
        "target_areas": a.target_areas,
        "materials": a.materials,
        "support_type": a.support_type,
        "organisers": [
            {
                "actor_id": o.actor_id,
                "name": o.actor.name,
                "role": o.role,
                "hours": float(o.hours) if o.hours is not None else None,
                "note": o.note,
            }
            for o in a.organisers.all()
        ],
        "agreement_id": a.agreement_id,
        "is_demo": a.is_demo,
        "participants": [
            {"kommun": p.municipality.code, "role": p.role, "count": p.count}
            for p in a.participations.all()
        ],
    }


@router.get("/activities", summary="Support activities in a county, newest first")
def activities(
    request: HttpRequest, county: str = "01", kind: str | None = None
) -> list[dict[str, Any]]:
    area = _county(county)
    allow_activities(request, area)
    qs = services.with_organisers(
        visible_activities(request.user, area)
        .prefetch_related("participations__municipality")
        .order_by("-date", "title")
    )
    if kind:
        qs = qs.filter(kind=kind)
    return [_activity_json(a) for a in qs[:1000]]


@router.post(
    "/activities", summary="Record a support activity (county administrator)", auth=django_auth
)
def create_activity(request: HttpRequest, payload: ActivityIn) -> dict[str, Any]:
    area = _county(payload.county)
    allow(request, "jamlik.admin_county", area)
    kommuner = {k.code: k for k in Area.objects.municipalities(area.code)}
    parts = []
    for p in payload.participants:
        if p.kommun not in kommuner:
            raise HttpError(
                422, f"participants: {p.kommun!r} is not a municipality in {area.name}."
            )
        parts.append(services.ParticipationInput(kommuner[p.kommun], p.role, p.count))
    agreement = None
    if payload.agreement_id is not None:
        agreement = Agreement.objects.filter(pk=payload.agreement_id, county=area).first()
        if agreement is None:
            raise HttpError(
                422, f"agreement_id: no agreement {payload.agreement_id} in {area.name}."
            )
    actors = _organiser_actors(area, payload.organisers)
    organisers = [
        services.OrganiserInput(
            actors[o.actor_id],
            o.role,
            None if o.hours is None else Decimal(str(o.hours)),
            o.note,
        )
        for o in payload.organisers
    ]
    values = payload.dict(exclude={"county", "participants", "agreement_id", "organisers"})
    values["agreement"] = agreement
    values["support_type"] = values.get("support_type") or ""
    try:
        activity = services.save_activity(
            area, values, parts, user=request.user, organisers=organisers
        )
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    return _activity_json(activity)


def _organiser_actors(area: Area, organisers: list[OrganiserIn]) -> dict[int, Any]:
    """The actor-map organisations named by ``organisers``, each checked to be in ``area``."""
    from jamlik.actors.models import Actor

    ids = {o.actor_id for o in organisers}
    found = {a.pk: a for a in Actor.objects.filter(pk__in=ids, county=area)}
    missing = sorted(ids - found.keys())
    if missing:
        raise HttpError(
            422,
            f"organisers: actor id(s) {', '.join(map(str, missing))} are not on the actor map "
            f"of {area.name}.",
        )
    return found


def _agreement_json(view: services.AgreementView) -> dict[str, Any]:
    a = view.agreement
    return {
        "id": a.pk,
        "title": a.title,
        "kommun": a.municipality.code,
        "parties": a.parties,
        "start": a.start,
        "end": a.end,
        "status": a.status,
        "goals": a.goals,
        "agreed_support": a.agreed_support,
        "is_demo": a.is_demo,
        "summary": {
            "total": view.summary.total,
            "done": view.summary.done,
            "late": view.summary.late,
            "due_soon": view.summary.due_soon,
        },
        "commitments": [
            {
                "id": v.commitment.pk,
                "phase": v.commitment.phase,
                "party": v.commitment.party,
                "text": v.commitment.text,
                "due": v.commitment.due,
                "status": v.commitment.status,
                "state": v.state.value,
                "days_late": v.days_late,
            }
            for phase in ("before", "during", "after")
            for v in view.by_phase[phase]
        ],
    }


@router.get("/agreements", summary="Agreements in a county with due/late summaries")
def agreements(request: HttpRequest, county: str = "01") -> list[dict[str, Any]]:
    area = _county(county)
    allow(request, "jamlik.view_area_unpublished", area)
    today = date.today()
    return [
        _agreement_json(services.agreement_view(a, today))
        for a in services.agreements_for_county(area)
    ]


@router.get("/agreements/{agreement_id}", summary="One agreement with what is due and late")
def agreement(request: HttpRequest, agreement_id: int) -> dict[str, Any]:
    a = get_object_or_404(
        Agreement.objects.select_related("municipality", "county"), pk=agreement_id
    )
    allow(request, "jamlik.view_area_unpublished", a.municipality)
    return _agreement_json(services.agreement_view(a, date.today()))


class CommitmentStatusIn(Schema):
    status: str
    note: str | None = None


@router.post(
    "/commitments/{commitment_id}/status",
    summary="Mark a commitment open, done or cancelled",
    auth=django_auth,
)
def commitment_status(
    request: HttpRequest, commitment_id: int, payload: CommitmentStatusIn
) -> dict[str, Any]:
    c = get_object_or_404(Commitment.objects.select_related("agreement__county"), pk=commitment_id)
    allow(request, "jamlik.admin_county", c.agreement.county)
    try:
        services.set_commitment_status(c, payload.status, date.today(), payload.note)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    return {"id": c.pk, "status": c.status, "done_on": c.done_on}


@router.get("/need", summary="Need against support per kommun")
def need_against_support(
    request: HttpRequest, county: str = "01", years: int = 2
) -> dict[str, Any]:
    area = _county(county)
    allow(request, "jamlik.view_area_unpublished", area)
    if not 1 <= years <= 5:
        raise HttpError(422, "years: expected 1 to 5.")
    last = date.today()
    first = date(last.year - years, last.month, min(last.day, 28))
    result = services.need_against_support(area, first, last)
    return {
        "first": first,
        "last": last,
        "components": [
            {
                "id": c.pk,
                "source": c.source,
                "reference": c.reference,
                "label": c.label,
                "weight": c.weight,
                "higher_is_worse": c.higher_is_worse,
                "kommuner_with_data": result.available.get(c.pk, 0),
            }
            for c in result.components
        ],
        "rows": [
            {
                "code": r.code,
                "name": result.names[r.code],
                "need": r.need,
                "coverage": r.coverage,
                "support": r.support,
                "need_rank": r.need_rank,
                "support_rank": r.support_rank,
                "gap": r.gap,
                "flagged": r.flagged,
            }
            for r in result.rows
        ],
        "no_need_data": result.no_need_data,
    }

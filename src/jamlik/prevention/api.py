"""JSON API: ``/api/v1/prevention/...`` (star, interventions, selection) and
``/api/v1/plans/...`` (plans through the eight steps).

The knowledge base, the interventions registry and the selection help for hand-picked
factors are public. Plans are working documents: reading needs a role for the kommun or
its county, writing needs edit rights on the kommun (its editor or the county admin).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import django_auth

from jamlik.core.versioning import (
    CONFLICT_RESPONSES,
    VersionConflict,
    etag,
    precondition,
    refuse,
    set_etag,
    versioned_put,
)
from jamlik.geo.models import Area, AreaLevel
from jamlik.prevention import services, star
from jamlik.prevention.models import (
    CostLevel,
    EvidenceRating,
    Intervention,
    Plan,
    PlanStatus,
    StepStatus,
)
from jamlik.support.api_access import allow, area_or_404

router = Router(tags=["prevention"])
plans_router = Router(tags=["plans"])


# ---- knowledge base and star -----------------------------------------------------------


@router.get("/factors", summary="Risk and protective factors with their place in the star")
def factors(request: HttpRequest, county: str = "01") -> dict[str, Any]:
    framework = services.star_for(area_or_404(county, AreaLevel.COUNTY))
    data = framework.to_dict()
    data["meta"].pop("source_path", None)
    zones = {f.key: framework.zone(f).value for f in framework.factors}
    for factor in data["factors"]:
        factor["zone"] = zones[factor["key"]]
    return data


def _county_and_factors(
    request: HttpRequest, county: str, kommun: str | None, factors: list[str]
) -> tuple[Area, list[str]]:
    """The county and the factors asked for; with ``kommun``, its county and its plan's factors.

    A kommun's prioritised factors come from its (possibly unpublished) plans, so
    naming a kommun needs the right to see them.
    """
    area = area_or_404(county, AreaLevel.COUNTY)
    if not kommun:
        return area, list(factors)
    chosen = area_or_404(kommun, AreaLevel.MUNICIPALITY)
    allow(request, "jamlik.view_area_unpublished", chosen)
    return chosen.parent, services.prioritised_factors(chosen)


@router.get("/star.svg", summary="The prevention star as SVG", response={200: None})
def star_svg(
    request: HttpRequest,
    county: str = "01",
    kommun: str | None = None,
    factor: list[str] = Query([]),  # noqa: B008
) -> HttpResponse:
    area, highlighted = _county_and_factors(request, county, kommun, factor)
    framework = services.star_for(area)
    lang = getattr(request, "LANGUAGE_CODE", "sv") or "sv"
    rows = star.layout(framework, set(highlighted), lang)
    svg = star.render_svg(
        framework,
        rows,
        lang=lang,
        title=framework.meta.title(lang),
        description=", ".join(a.name(lang) for a in framework.problem_areas),
    )
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


# ---- interventions ----------------------------------------------------------------------


def _intervention_json(i: Intervention) -> dict[str, Any]:
    return {
        "key": i.key,
        "name": i.name,
        "county": i.county.code if i.county_id else None,
        "description_sv": i.description_sv,
        "description_en": i.description_en,
        "target_group_sv": i.target_group_sv,
        "target_group_en": i.target_group_en,
        "age_min": i.age_min,
        "age_max": i.age_max,
        "settings": i.settings,
        "factors": i.factors,
        "problem_areas": i.problem_areas,
        "evidence": i.evidence,
        "evidence_source": i.evidence_source,
        "availability_sv": i.availability_sv,
        "availability_en": i.availability_en,
        "cost_level": i.cost_level,
        "url": i.url,
        "version": i.county_version,
    }


@router.get("/interventions", summary="The county's interventions registry")
def interventions(request: HttpRequest, county: str = "01") -> list[dict[str, Any]]:
    return [
        _intervention_json(i)
        for i in services.interventions_for(area_or_404(county, AreaLevel.COUNTY))
    ]


@router.get("/interventions/{key}", summary="One intervention as the county sees it")
def intervention(
    request: HttpRequest, key: str, response: HttpResponse, county: str = "01"
) -> dict[str, Any]:
    """One intervention; the `ETag` names the county's version of it, for `If-Match` on
    its PUT: `"0"` while the county uses the shipped entry, then its own copy's version."""
    try:
        found = services.intervention_for(area_or_404(county, AreaLevel.COUNTY), key)
    except Intervention.DoesNotExist as exc:
        raise HttpError(404, f"No intervention {key!r}.") from exc
    response["ETag"] = etag(found.county_version)
    return _intervention_json(found)


class InterventionIn(Schema):
    name: str
    description_sv: str
    description_en: str
    target_group_sv: str
    target_group_en: str
    age_min: int | None = None
    age_max: int | None = None
    settings: list[str] = []
    factors: list[str]
    problem_areas: list[str]
    evidence: EvidenceRating
    evidence_source: str
    availability_sv: str
    availability_en: str
    cost_level: CostLevel
    url: str = ""
    version: int | None = None  # the county's version this replaces (or If-Match); 0: shipped


def _checked_values(area: Area, payload: InterventionIn) -> dict[str, Any]:
    framework = services.star_for(area)
    bad = [f for f in payload.factors if f not in framework.factors]
    if bad:
        raise HttpError(422, f"factors: unknown factor(s) {', '.join(bad)}.")
    bad = [a for a in payload.problem_areas if a not in framework.problem_areas]
    if bad:
        raise HttpError(422, f"problem_areas: unknown problem area(s) {', '.join(bad)}.")
    if not payload.factors or not payload.problem_areas:
        raise HttpError(422, "factors and problem_areas: name at least one of each.")
    return payload.dict(exclude={"version"})


@router.put(
    "/interventions/{key}",
    summary="Save the county's version of an intervention (county admin)",
    response={200: dict[str, Any], **CONFLICT_RESPONSES},
    auth=django_auth,
)
def save_intervention(
    request: HttpRequest,
    key: str,
    payload: InterventionIn,
    response: HttpResponse,
    county: str = "01",
) -> dict[str, Any] | Status:
    """Save the county's own copy of an intervention (made on its first save).

    Send the version you read (`If-Match` with the GET's `ETag`, or `version`; `0` for
    a shipped entry): if another admin of the county saved in between, nothing is
    written and the answer is 412 (If-Match) or 409 (`version`) with both versions and
    the stored copy. Without either the PUT saves unconditionally."""
    area = area_or_404(county, AreaLevel.COUNTY)
    allow(request, "jamlik.admin_county", area)
    values = _checked_values(area, payload)
    return versioned_put(
        request,
        response,
        payload,
        lambda version: services.save_intervention(area, key, values, version=version),
        _intervention_json,
    )


class SelectionOut(Schema):
    factors: list[str]
    problem_areas: list[str]
    ranked: list[dict[str, Any]]


@router.get(
    "/selection", summary="Interventions ranked for prioritised factors", response=SelectionOut
)
def selection(
    request: HttpRequest,
    county: str = "01",
    kommun: str | None = None,
    factor: list[str] = Query([]),  # noqa: B008
    problem_area: list[str] = Query([]),  # noqa: B008
) -> dict[str, Any]:
    area, chosen = _county_and_factors(request, county, kommun, factor)
    result = services.select_interventions(area, chosen, problem_area)
    return {
        "factors": result.factors,
        "problem_areas": result.problem_areas,
        "ranked": [
            {
                "rank": r.rank,
                "key": r.candidate.key,
                "name": r.candidate.name,
                "matched_factors": list(r.matched_factors),
                "matched_problem_areas": list(r.matched_problem_areas),
                "evidence": r.candidate.evidence.value,
                "evidence_source": result.by_key[r.candidate.key].evidence_source,
            }
            for r in result.ranked
        ],
    }


@router.get("/suggestions", summary="Factors a kommun's situation picture points to")
def suggestions(request: HttpRequest, kommun: str) -> list[dict[str, Any]]:
    area = area_or_404(kommun, AreaLevel.MUNICIPALITY)
    found = services.factor_suggestions(area)
    return [
        {
            "factor": s.factor,
            "indicator": s.indicator,
            "value": s.value,
            "period": found.periods.get(s.indicator, ""),
            "worse_than_share": s.worse_than_share,
            "compared_with": s.compared_with,
            "why_sv": found.links[(s.indicator, s.factor)].why_sv,
            "why_en": found.links[(s.indicator, s.factor)].why_en,
        }
        for s in found.suggestions
    ]


# ---- plans ------------------------------------------------------------------------------


def _step_json(v: services.StepView) -> dict[str, Any]:
    """One step with its own ``version`` (the If-Match of its PUT)."""
    return {
        "number": v.step.number,
        "key": v.step.key,
        "status": v.step.status,
        "start": v.step.start,
        "due": v.step.due,
        "notes": v.step.notes,
        "evidence": v.step.evidence,
        "checklist": [{"key": t.item_key, "done": t.done} for _i, t in v.ticks],
        "perspectives": [
            {"key": n.perspective_key, "considered": n.considered, "note": n.note}
            for _p, n in v.perspectives
        ],
        "version": v.step.version,
    }


def _plan_json(plan: Plan, *, detail: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": plan.pk,
        "kommun": plan.municipality.code,
        "title": plan.title,
        "status": plan.status,
        "start": plan.start,
        "end": plan.end,
        "prioritised_factors": plan.prioritised_factors,
        "progress": services.plan_progress(plan),
        "is_demo": plan.is_demo,
        "version": plan.version,
    }
    if detail:
        data["summary"] = plan.summary
        data["steps"] = [_step_json(v) for v in services.plan_steps(plan)]
        data["targets"] = []
        for t in plan.targets.all():
            p = services.target_progress(t)
            data["targets"].append(
                {
                    "indicator_code": t.indicator_code,
                    "label": t.label,
                    "baseline_value": t.baseline_value,
                    "baseline_period": t.baseline_period,
                    "target_value": t.target_value,
                    "target_period": t.target_period,
                    "latest_value": p.latest,
                    "latest_period": p.latest_period,
                    "latest_from_catalogue": p.from_catalogue,
                    "share_of_way": p.share_of_way,
                }
            )
    return data


@plans_router.get(
    "/", summary="Plans of a kommun (?kommun=) or of every kommun in a county (?county=)"
)
def plan_list(
    request: HttpRequest, county: str | None = None, kommun: str | None = None
) -> list[dict[str, Any]]:
    if kommun:
        area = area_or_404(kommun, AreaLevel.MUNICIPALITY)
        allow(request, "jamlik.view_area_unpublished", area)
        plans = services.plans_for_municipality(area).select_related("municipality")
    else:
        area = area_or_404(county or "01", AreaLevel.COUNTY)
        allow(request, "jamlik.view_area_unpublished", area)
        plans = services.plans_for_county(area)
    return [_plan_json(p) for p in plans]


def _plan(request: HttpRequest, plan_id: int, perm: str) -> Plan:
    plan = Plan.objects.select_related("municipality__parent").filter(pk=plan_id).first()
    if plan is None:
        raise HttpError(404, f"No plan {plan_id}.")
    allow(request, perm, plan.municipality)
    return plan


@plans_router.get(
    "/{plan_id}", summary="One plan with its steps, checklists, perspectives and targets"
)
def plan_detail(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return _plan_json(_plan(request, plan_id, "jamlik.view_area_unpublished"), detail=True)


class PlanIn(Schema):
    kommun: str
    title: str
    start: dt.date
    end: dt.date | None = None
    summary: str = ""
    status: PlanStatus = PlanStatus.DRAFT
    prioritised_factors: list[str] = []


@plans_router.post(
    "/", summary="Create a plan with the eight steps (editor of the kommun)", auth=django_auth
)
def plan_create(request: HttpRequest, payload: PlanIn) -> dict[str, Any]:
    area = area_or_404(payload.kommun, AreaLevel.MUNICIPALITY)
    allow(request, "jamlik.edit_area", area)
    try:
        plan = services.create_plan(
            area,
            title=payload.title,
            start=payload.start,
            end=payload.end,
            summary=payload.summary,
            prioritised=payload.prioritised_factors,
            status=payload.status,
            user=request.user,
        )
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    return _plan_json(plan, detail=True)


class PerspectiveIn(Schema):
    considered: bool = False
    note: str = ""


class StepIn(Schema):
    status: StepStatus
    start: dt.date | None = None
    due: dt.date | None = None
    notes: str = ""
    evidence: str = ""
    checklist_done: list[str] = []
    perspectives: dict[str, PerspectiveIn] = {}
    version: int | None = None  # the step's version this replaces (or If-Match)


def _step_view(plan: Plan, number: int) -> services.StepView:
    found = next((v for v in services.plan_steps(plan) if v.step.number == number), None)
    if found is None:
        raise HttpError(404, f"Plan {plan.pk} has no step {number}.")
    return found


@plans_router.get("/{plan_id}/steps/{number}", summary="One step of a plan, with its ETag")
def plan_step_detail(
    request: HttpRequest, plan_id: int, number: int, response: HttpResponse
) -> dict[str, Any]:
    """One step; the `ETag` names the step's version, for `If-Match` on its PUT."""
    view = _step_view(_plan(request, plan_id, "jamlik.view_area_unpublished"), number)
    set_etag(response, view.step)
    return _step_json(view)


@plans_router.put(
    "/{plan_id}/steps/{number}",
    summary="Save one step of a plan (editor of the kommun)",
    response={200: dict[str, Any], **CONFLICT_RESPONSES},
    auth=django_auth,
)
def plan_step(
    request: HttpRequest, plan_id: int, number: int, payload: StepIn, response: HttpResponse
) -> dict[str, Any] | Status:
    """Save a step. Send the step's version (`If-Match` with the step's `ETag`, or
    `version`): if someone saved the step in between, nothing is written and the answer
    is 412 (If-Match) or 409 (`version`) with both versions and the stored step.
    Without either the PUT saves unconditionally. Answers the whole plan."""
    plan = _plan(request, plan_id, "jamlik.edit_area")
    step = plan.steps.filter(number=number).first()
    if step is None:
        raise HttpError(404, f"Plan {plan_id} has no step {number}.")
    known = set(step.ticks.values_list("item_key", flat=True))
    unknown = [k for k in payload.checklist_done if k not in known]
    if unknown:
        raise HttpError(
            422, f"checklist_done: unknown item(s) {', '.join(unknown)} for step {number}."
        )
    pre = precondition(request, payload.version)
    try:
        services.update_step(
            step,
            status=payload.status,
            start=payload.start,
            due=payload.due,
            notes=payload.notes,
            evidence=payload.evidence,
            ticked=payload.checklist_done,
            perspective_notes={k: (v.considered, v.note) for k, v in payload.perspectives.items()},
            version=pre.version,
        )
    except VersionConflict as conflict:
        set_etag(response, conflict.current)
        return refuse(pre, conflict, _step_json(_step_view(plan, number)), payload)
    set_etag(response, step)
    return _plan_json(plan, detail=True)

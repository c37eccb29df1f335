"""JSON API for socioeconomic scenarios, mounted at /api/v1/economics.

Reading follows the page rules (published scenarios for everyone, unpublished
ones for people working in that kommun); writing needs ``jamlik.edit_area``.
``POST /evaluate`` computes a scenario without saving it.

Results carry the optional public funds factor (marginal cost of public funds):
``public_funds_factor`` echoes it with its source (``null`` when not applied),
``deterministic.societal`` and ``monte_carlo.societal`` hold the results with
the factor, and the tornado swings the societal NPV. Every other money figure,
including ``by_payer``, is in plain kronor. ``deterministic.by_intervention``
gives each intervention's contribution (its savings and its own costs) and
``deterministic.programme_pv_costs`` the programme-level costs; together they
sum to the totals. Inputs use the format of :mod:`serialization` (several
``interventions`` and ``programme_costs``; an old single ``intervention`` is read
as a one-item list).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import django_auth

from jamlik.core.versioning import (
    CONFLICT_RESPONSES,
    VersionConflict,
    precondition,
    refuse,
    set_etag,
)
from jamlik.economics import services
from jamlik.economics.inputs import PAYERS
from jamlik.economics.models import Scenario
from jamlik.economics.montecarlo import DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS
from jamlik.economics.price_index import scb_kpi
from jamlik.economics.serialization import estimate_to_dict, scenario_from_dict
from jamlik.economics.unit_costs import unit_costs
from jamlik.geo.models import Area, AreaLevel

router = Router(tags=["economics"])

#: Stateless evaluation is open to everyone, so it is capped lower than saved scenarios.
MAX_API_DRAWS = 20_000


class ScenarioSummary(Schema):
    id: int
    name: str
    kommun: str
    kommun_name: str
    published: bool
    is_demo: bool
    url: str
    version: int


class ScenarioWrite(Schema):
    kommun: str
    inputs: dict[str, Any]
    published: bool = False
    draws: int = DEFAULT_DRAWS
    seed: int = DEFAULT_SEED
    version: int | None = None  # PUT: the version this replaces (or If-Match); POST ignores it


class EvaluateRequest(Schema):
    inputs: dict[str, Any]
    draws: int = DEFAULT_DRAWS
    seed: int = DEFAULT_SEED


def _summary(s: Scenario) -> dict[str, Any]:
    return {
        "id": s.pk,
        "name": s.name,
        "kommun": s.area.code,
        "kommun_name": s.area.name,
        "published": s.published,
        "is_demo": s.is_demo,
        "url": f"/ekonomi/scenario/{s.pk}/",
        "version": s.version,
    }


def _analysis_dict(analysis: services.Analysis) -> dict[str, Any]:
    r, mc, t = analysis.result, analysis.montecarlo, analysis.tornado

    def interval(i: Any) -> dict[str, float]:
        return {"mean": i.mean, "p05": i.p05, "p50": i.p50, "p95": i.p95}

    factor = analysis.inputs.public_funds_factor
    return {
        "currency": "SEK",
        "price_year": analysis.inputs.price_year,
        "discount_rate": r.discount_rate,
        "discount_rate_source": analysis.inputs.discount_rate_source,
        "public_funds_factor": None
        if factor is None
        else {
            **estimate_to_dict(factor),
            "source": analysis.inputs.public_funds_factor_source,
        },
        "horizon_years": analysis.inputs.horizon_years,
        "deterministic": {
            "pv_savings": r.pv_savings,
            "pv_costs": r.pv_costs,
            "npv": r.npv,
            "benefit_cost_ratio": r.benefit_cost_ratio,
            "break_even_year": r.break_even_year,
            "internal_rate_of_return": r.internal_rate_of_return,
            "societal": {
                "public_funds_factor": r.public_funds_factor,
                "pv_savings": r.societal_pv_savings,
                "pv_costs": r.societal_pv_costs,
                "npv": r.societal_npv,
                "benefit_cost_ratio": r.societal_benefit_cost_ratio,
            },
            "by_payer": {
                p.value: {
                    "pv_savings": r.by_payer[p].pv_savings,
                    "pv_costs": r.by_payer[p].pv_costs,
                    "npv": r.by_payer[p].npv,
                }
                for p in PAYERS
            },
            "by_intervention": [
                {"name": c.name, "pv_savings": c.pv_savings, "pv_costs": c.pv_costs, "npv": c.npv}
                for c in r.by_intervention
            ],
            "programme_pv_costs": r.programme_pv_costs,
            "per_year": [
                {
                    "year": year,
                    "savings": {p.value: r.savings_per_year[p][i] for p in PAYERS},
                    "costs": {p.value: r.costs_per_year[p][i] for p in PAYERS},
                }
                for i, year in enumerate(r.years)
            ],
        },
        "tornado": {
            "public_funds_factor_applied": t.public_funds_factor_applied,
            "base_npv": t.base_npv,
            "bars": [
                {
                    "parameter": b.parameter_id,
                    "label": b.label,
                    "low_value": b.low_value,
                    "high_value": b.high_value,
                    "npv_at_low": b.npv_at_low,
                    "npv_at_high": b.npv_at_high,
                }
                for b in t.bars
            ],
        },
        "monte_carlo": {
            "draws": mc.draws,
            "seed": mc.seed,
            "npv": interval(mc.npv),
            "npv_by_payer": {p.value: interval(mc.npv_by_payer[p]) for p in PAYERS},
            "benefit_cost_ratio": None
            if mc.benefit_cost_ratio is None
            else interval(mc.benefit_cost_ratio),
            "probability_benefits_exceed_costs": mc.probability_benefits_exceed_costs,
            "probability_by_payer": {p.value: mc.probability_by_payer[p] for p in PAYERS},
            "societal": {
                "public_funds_factor_applied": mc.public_funds_factor_applied,
                "npv": interval(mc.societal_npv),
                "benefit_cost_ratio": None
                if mc.societal_benefit_cost_ratio is None
                else interval(mc.societal_benefit_cost_ratio),
                "probability_benefits_exceed_costs": (
                    mc.probability_societal_benefits_exceed_costs
                ),
            },
        },
    }


def _visible(request: HttpRequest, pk: int) -> Scenario:
    scenario = get_object_or_404(Scenario.objects.select_related("area"), pk=pk)
    if not services.can_view(request.user, scenario):
        if not request.user.is_authenticated:
            raise HttpError(401, "Log in first.")
        raise HttpError(403, "You may not see this scenario.")
    return scenario


def _kommun(code: str) -> Area:
    area = Area.objects.filter(code=code, level=AreaLevel.MUNICIPALITY).first()
    if area is None:
        raise HttpError(404, f"kommun: no municipality with code {code!r}")
    return area


def _save(
    request: HttpRequest,
    payload: ScenarioWrite,
    instance: Scenario | None,
    version: int | None = None,
) -> Scenario:
    if not request.user.is_authenticated:
        raise HttpError(401, "Log in first.")
    try:
        return services.save_scenario(
            request.user,
            _kommun(payload.kommun),
            payload.inputs,
            published=payload.published,
            instance=instance,
            draws=payload.draws,
            seed=payload.seed,
            version=version,
        )
    except PermissionDenied:
        raise HttpError(403, "You may not change scenarios for this municipality.") from None
    except ValueError as exc:
        raise HttpError(422, str(exc)) from None


@router.get("/scenarios", response=list[ScenarioSummary])
def list_scenarios(request: HttpRequest, kommun: str | None = None) -> list[dict[str, Any]]:
    area = _kommun(kommun) if kommun else None
    return [_summary(s) for s in services.visible_scenarios(request.user, area)]


@router.get("/scenarios/{scenario_id}")
def get_scenario(request: HttpRequest, scenario_id: int, http: HttpResponse) -> dict[str, Any]:
    """One scenario with its results; the `ETag` names its version, for `If-Match` on a PUT."""
    scenario = _visible(request, scenario_id)
    set_etag(http, scenario)
    return {
        **_summary(scenario),
        "inputs": scenario.inputs,
        "results": _analysis_dict(services.analyse(scenario)),
    }


@router.post("/scenarios", response={201: ScenarioSummary}, auth=django_auth)
def create_scenario(request: HttpRequest, payload: ScenarioWrite) -> Status[dict[str, Any]]:
    return Status(201, _summary(_save(request, payload, None)))


@router.put(
    "/scenarios/{scenario_id}",
    response={200: ScenarioSummary, **CONFLICT_RESPONSES},
    auth=django_auth,
)
def update_scenario(
    request: HttpRequest, scenario_id: int, payload: ScenarioWrite, http: HttpResponse
) -> dict[str, Any] | Status:
    """Replace a scenario. Send the version you read (`If-Match` with the GET's `ETag`, or
    `version`): if someone saved in between, nothing is written and the answer is 412
    (If-Match) or 409 (`version`) with both versions and the stored scenario. Without
    either the PUT replaces it unconditionally."""
    scenario = _visible(request, scenario_id)
    pre = precondition(request, payload.version)
    try:
        saved = _save(request, payload, scenario, pre.version)
    except VersionConflict as conflict:
        current = conflict.current
        set_etag(http, current)
        stored = {**_summary(current), "inputs": current.inputs}
        return refuse(pre, conflict, stored, payload)
    set_etag(http, saved)
    return _summary(saved)


@router.delete("/scenarios/{scenario_id}", response={204: None}, auth=django_auth)
def delete_scenario(request: HttpRequest, scenario_id: int) -> Status[None]:
    scenario = _visible(request, scenario_id)
    try:
        services.delete_scenario(request.user, scenario)
    except PermissionDenied:
        raise HttpError(403, "You may not change scenarios for this municipality.") from None
    return Status(204, None)


@router.post("/evaluate")
def evaluate_inputs(request: HttpRequest, payload: EvaluateRequest) -> dict[str, Any]:
    """Compute a scenario without saving it (at most 20 000 draws)."""
    if not 2 <= payload.draws <= min(MAX_DRAWS, MAX_API_DRAWS):
        raise HttpError(422, f"draws: must be between 2 and {MAX_API_DRAWS} (got {payload.draws})")
    try:
        inputs = scenario_from_dict(payload.inputs)
        analysis = services.analyse_inputs(inputs, payload.draws, payload.seed)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from None
    return _analysis_dict(analysis)


@router.get("/unit-costs")
def list_unit_costs(request: HttpRequest) -> list[dict[str, Any]]:
    """The shipped, sourced unit costs."""
    return [
        {
            "key": u.key,
            "description_en": u.description_en,
            "description_sv": u.description_sv,
            "unit": u.unit.value,
            "amount_sek": u.amount_sek,
            "price_year": u.price_year,
            "payer": u.payer.value,
            "source": u.source,
            "note": u.note,
        }
        for u in unit_costs()
    ]


@router.get("/price-index")
def shipped_price_index(request: HttpRequest) -> dict[str, Any]:
    """The shipped KPI annual averages (1980=100), with their source."""
    kpi = scb_kpi()
    return {
        "name": kpi.name,
        "source": kpi.source,
        "values": {str(year): level for year, level in sorted(kpi.values.items())},
    }

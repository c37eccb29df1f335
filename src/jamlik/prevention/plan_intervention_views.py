"""Pages to add, edit and remove a plan's chosen interventions (thin).

Who may: exactly those who may edit the plan (``jamlik.edit_area`` on its kommun: the
kommun's editors, the county's administrators, national administrators). A chosen
intervention is always looked up through its plan's pk in the path, so a post naming
another plan's intervention answers 404 and touches nothing.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamlik.core.version_forms import conflict_response
from jamlik.core.versioning import VersionConflict, claim, save_versioned
from jamlik.prevention import services
from jamlik.prevention.chain import prefill_factors
from jamlik.prevention.models import Plan, PlanIntervention
from jamlik.prevention.plan_intervention_forms import PlanInterventionForm
from jamlik.support.pages import login_redirect, refusal_for

EDIT = "jamlik.edit_area"
TEMPLATE = "prevention/plan_intervention_form.html"


def _plan(pk: int) -> Plan:
    return get_object_or_404(Plan.objects.select_related("municipality__parent"), pk=pk)


def _form(
    request: HttpRequest, plan: Plan, *, bound: bool = True, **kwargs: object
) -> PlanInterventionForm:
    return PlanInterventionForm(
        (request.POST or None) if bound else None,
        star=services.star_for(plan.municipality),
        registry=services.interventions_for(plan.municipality.parent),
        **kwargs,
    )


def _back(plan: Plan) -> str:
    return f"{reverse('prevention:plan', args=[plan.pk])}#chosen"


def _save(request: HttpRequest, form: PlanInterventionForm, context: dict, message: str):  # noqa: ANN202
    """Save a valid form (refused with the 409 page when someone saved in between)."""
    instance = form.instance
    try:
        with transaction.atomic():
            save_versioned(instance, form.loaded_version())
    except VersionConflict as conflict:
        stored = _form(request, context["plan"], instance=conflict.current, bound=False)
        return conflict_response(request, TEMPLATE, context, form, conflict, stored)
    messages.success(request, message)
    return redirect(_back(context["plan"]))


def add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(pk)
    if (refusal := refusal_for(request, EDIT, plan.municipality)) is not None:
        return refusal
    initial = {}
    key = request.GET.get("insats", "")
    registry = {i.key: i for i in services.interventions_for(plan.municipality.parent)}
    if key in registry:
        star = services.star_for(plan.municipality)
        initial = {
            "intervention_key": key,
            "factors": prefill_factors(registry[key].factors, [f.key for f in star.factors]),
        }
    form = _form(request, plan, initial=initial, instance=PlanIntervention(plan=plan))
    context = {"plan": plan, "form": form, "title": _("Choose an intervention for the plan")}
    if request.method == "POST" and form.is_valid():
        return _save(request, form, context, _("The intervention was added to the plan."))
    return render(request, TEMPLATE, context)


def edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    plan = _plan(pk)
    if (refusal := refusal_for(request, EDIT, plan.municipality)) is not None:
        return refusal
    chosen = get_object_or_404(PlanIntervention, pk=item, plan=plan)
    form = _form(request, plan, instance=chosen)
    context = {"plan": plan, "form": form, "chosen": chosen, "title": _("Chosen intervention")}
    if request.method == "POST" and form.is_valid():
        return _save(request, form, context, _("The chosen intervention was saved."))
    return render(request, TEMPLATE, context)


@require_POST
def delete(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    plan = _plan(pk)
    if (refusal := refusal_for(request, EDIT, plan.municipality)) is not None:
        return refusal
    chosen = get_object_or_404(PlanIntervention, pk=item, plan=plan)
    try:
        expected: int | None = int(request.POST["version"])
    except (KeyError, ValueError):
        expected = None  # a client that names no version removes what is stored
    try:
        with transaction.atomic():
            claim(chosen, expected)
            chosen.delete()
    except VersionConflict as conflict:
        # Someone saved the intervention after this page was opened: show what is stored
        # now and remove nothing, so the removal is a decision about the current record.
        current = conflict.current
        context = {
            "plan": plan,
            "form": _form(request, plan, bound=False, instance=current),
            "chosen": current,
            "title": _("Chosen intervention"),
            "removal_conflict": True,
        }
        return render(request, TEMPLATE, context, status=409)
    messages.success(request, _("The intervention was removed from the plan."))
    return redirect(_back(plan))


def choose(request: HttpRequest) -> HttpResponse:
    """ "Choose for a plan" from the selection page: to the add page of the chosen plan,
    with the intervention preselected (the add page checks the permission)."""
    if (refusal := login_redirect(request)) is not None:
        return refusal
    try:
        plan_pk = int(request.GET.get("plan", ""))
    except ValueError as exc:
        raise Http404(_("No such plan.")) from exc
    plan = _plan(plan_pk)
    query = urlencode({"insats": request.GET.get("insats", "")})
    return redirect(f"{reverse('prevention:plan-intervention-add', args=[plan.pk])}?{query}")

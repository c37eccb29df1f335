"""Pages for the prevention star, interventions, selection help and plans (thin)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamlik.accounts.services import areas_user_can_edit
from jamlik.core.version_forms import conflict_response
from jamlik.core.versioning import VersionConflict
from jamlik.geo.models import Area, AreaLevel
from jamlik.prevention import dialogue, evidence_views, services, star
from jamlik.prevention.chain_pages import (
    CHOOSING_STEP,
    chosen_rows,
    chosen_section,
    selection_chain,
)
from jamlik.prevention.forms import (
    SETTING_LABELS,
    InterventionForm,
    PlanForm,
    StepForm,
    TargetForm,
)
from jamlik.prevention.models import IndicatorTarget, Intervention, Plan
from jamlik.support.pages import (
    apply_posted_form,
    county_from,
    login_redirect,
    refusal_for,
    save_posted_form,
)

VIEW = "jamlik.view_area_unpublished"
EDIT = "jamlik.edit_area"
ADMIN = "jamlik.admin_county"


def _lang(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "sv") or "sv"


def _visible_kommun(request: HttpRequest) -> Area | None:
    """The kommun named by ``?kommun=`` if the user may see its (unpublished) plans."""
    code = request.GET.get("kommun")
    if not code:
        return None
    area = get_object_or_404(Area, code=code, level=AreaLevel.MUNICIPALITY)
    if not request.user.has_perm(VIEW, area):
        raise PermissionDenied
    return area


def star_page(request: HttpRequest) -> HttpResponse:
    kommun = _visible_kommun(request)
    county = kommun.parent if kommun else county_from(request)
    framework = services.star_for(county)
    lang = _lang(request)
    chosen = [f for f in request.GET.getlist("factor") if f in framework.factors]
    highlighted = services.prioritised_factors(kommun) if kommun else chosen
    rows = star.layout(framework, set(highlighted), lang)
    names = [framework.factors.get(k).name(lang) for k in highlighted if k in framework.factors]
    title = _("The prevention star")
    if kommun:
        title = _("The prevention star for %(kommun)s") % {"kommun": kommun.name}
    description = _(
        "Five problem areas at the tips: %(areas)s. %(centre)s factors predict all five and sit "
        "in the centre, %(shared)s predict some of them, %(tip)s predict one. Prioritised: %(prio)s."
    ) % {
        "areas": ", ".join(a.name(lang) for a in framework.problem_areas),
        "centre": sum(r.zone == "centre" for r in rows),
        "shared": sum(r.zone == "shared" for r in rows),
        "tip": sum(r.zone == "tip" for r in rows),
        "prio": ", ".join(names) if names else _("none"),
    }
    svg = star.render_svg(framework, rows, lang=lang, title=title, description=description)
    factor_rows = []
    for row in rows:
        factor = framework.factors.get(row.key)
        factor_rows.append(
            {
                "row": row,
                "factor": factor,
                "domain": framework.domains.get(factor.domain).name(lang),
                "areas": [framework.problem_areas.get(a).name(lang) for a in factor.problem_areas],
                "sources": [(s, framework.sources.get(s).short(lang)) for s in factor.sources],
            }
        )
    area_counts = [
        (area, sum(1 for f in framework.factors if area.key in f.problem_areas))
        for area in framework.problem_areas
    ]
    return render(
        request,
        "prevention/star.html",
        {
            "svg": mark_safe(svg),  # built by star.render_svg with every text escaped
            "title": title,
            "description": description,
            "framework": framework,
            "factor_rows": factor_rows,
            "area_counts": area_counts,
            "sources": [(s.key, s.name(lang), s.description(lang)) for s in framework.sources],
            "kommun": kommun,
            "county": county,
            "highlighted": names,
            "kommun_choices": _kommun_choices(request, county),
            "lang": lang,
        },
    )


def _kommun_choices(request: HttpRequest, county: Area) -> list[Area]:
    if not request.user.is_authenticated:
        return []
    return [k for k in Area.objects.municipalities(county.code) if request.user.has_perm(VIEW, k)]


def intervention_list(request: HttpRequest) -> HttpResponse:
    county = county_from(request)
    framework = services.star_for(county)
    lang = _lang(request)
    interventions = services.interventions_for(county)
    return render(
        request,
        "prevention/intervention_list.html",
        {
            "county": county,
            "rows": [
                (
                    i,
                    [
                        framework.problem_areas.get(a).name(lang)
                        for a in i.problem_areas
                        if a in framework.problem_areas
                    ],
                )
                for i in interventions
            ],
            "can_admin": request.user.has_perm(ADMIN, county),
            "lang": lang,
        },
    )


def intervention_detail(request: HttpRequest, key: str) -> HttpResponse:
    county = county_from(request)
    try:
        intervention = services.intervention_for(county, key)
    except Intervention.DoesNotExist as exc:
        raise Http404(_("No such intervention.")) from exc
    framework = services.star_for(county)
    lang = _lang(request)
    return render(
        request,
        "prevention/intervention_detail.html",
        {
            "county": county,
            "intervention": intervention,
            "factors": [
                framework.factors.get(f) for f in intervention.factors if f in framework.factors
            ],
            "areas": [
                framework.problem_areas.get(a).name(lang)
                for a in intervention.problem_areas
                if a in framework.problem_areas
            ],
            "settings": [SETTING_LABELS.get(k, k) for k in intervention.settings or []],
            "can_admin": request.user.has_perm(ADMIN, county),
            "lang": lang,
            **evidence_views.evidence_context(intervention.key, lang),
        },
    )


def intervention_edit(request: HttpRequest, key: str | None = None) -> HttpResponse:
    county = county_from(request)
    if (refusal := refusal_for(request, ADMIN, county)) is not None:
        return refusal
    instance = None
    if key is not None:
        try:
            instance = services.intervention_for(county, key)
        except Intervention.DoesNotExist as exc:
            raise Http404(_("No such intervention.")) from exc
    framework = services.star_for(county)
    form = InterventionForm(request.POST or None, instance=instance, star=framework)
    context = {"form": form, "title": _("Intervention"), "county": county}
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            saved = services.save_intervention(county, key, values, version=form.loaded_version())
        except VersionConflict as conflict:
            stored = InterventionForm(instance=conflict.current, star=framework)
            return conflict_response(
                request, "prevention/form.html", context, form, conflict, stored
            )
        messages.success(
            request, _("The intervention was saved for %(county)s.") % {"county": county.name}
        )
        return redirect(f"{reverse('prevention:intervention', args=[saved.key])}?lan={county.code}")
    return render(request, "prevention/form.html", context)


def selection(request: HttpRequest) -> HttpResponse:
    kommun = _visible_kommun(request)
    county = kommun.parent if kommun else county_from(request)
    framework = services.star_for(county)
    lang = _lang(request)
    factors = services.prioritised_factors(kommun) if kommun else request.GET.getlist("factor")
    suggested_for = None
    suggestion_rows = []
    survey_rows: list[dict[str, object]] = []
    covered_names: list[str] = []
    suggested: list[str] = []
    if request.GET.get("suggest"):
        suggested_for = get_object_or_404(
            Area, code=request.GET["suggest"], level=AreaLevel.MUNICIPALITY, parent=county
        )
        found = services.factor_suggestions(suggested_for)
        for s in found.suggestions:
            link = found.links[(s.indicator, s.factor)]
            suggestion_rows.append(
                {
                    "factor": framework.factors.get(s.factor).name(lang),
                    "indicator": found.indicator_names.get(s.indicator, s.indicator),
                    "code": s.indicator,
                    "value": s.value,
                    "period": found.periods.get(s.indicator, ""),
                    "share": s.worse_than_share,
                    "why": link.why_en if lang.startswith("en") else link.why_sv,
                }
            )
        survey_rows = [
            {
                "factor": framework.factors.get(s.factor).name(lang),
                "name": s.name,
                "code": s.scale,
                "survey": s.survey,
                "year": s.year,
                "value": s.value,
                "lower": s.lower,
                "upper": s.upper,
                "county": s.county_value,
            }
            for s in found.survey
        ]
        covered_names = sorted(framework.factors.get(f).name(lang) for f in found.covered)
        suggested = list(
            dict.fromkeys([s.factor for s in found.survey] + [s.factor for s in found.suggestions])
        )
        if not request.GET.getlist("factor"):
            factors = suggested
    result = services.select_interventions(county, factors)
    from jamlik.prevention.forms import factor_choices

    return render(
        request,
        "prevention/selection.html",
        {
            "county": county,
            "kommun": kommun,
            "groups": factor_choices(framework),
            "chosen": result.factors,
            "chosen_names": [framework.factors.get(f).name(lang) for f in result.factors],
            "area_names": [framework.problem_areas.get(a).name(lang) for a in result.problem_areas],
            "ranked": [
                (
                    r,
                    result.by_key[r.candidate.key],
                    [framework.factors.get(f).name(lang) for f in r.matched_factors],
                    [framework.problem_areas.get(a).name(lang) for a in r.matched_problem_areas],
                )
                for r in result.ranked
            ],
            "kommun_choices": _kommun_choices(request, county),
            "all_kommuner": Area.objects.municipalities(county.code),
            "suggested_for": suggested_for,
            "suggestions": suggestion_rows,
            "survey_suggestions": survey_rows,
            "survey_covered": covered_names,
            **selection_chain(
                request, county, kommun or suggested_for, result.factors, lang, suggested
            ),
            "lang": lang,
        },
    )


# ---- plans ------------------------------------------------------------------------------


def plan_list(request: HttpRequest) -> HttpResponse:
    if (refusal := login_redirect(request)) is not None:
        return refusal
    if request.GET.get("lan") == "00":  # Sweden: the counties' released plans side by side
        return redirect("national:plans")
    kommun_code = request.GET.get("kommun")
    if kommun_code:
        area = get_object_or_404(Area, code=kommun_code, level=AreaLevel.MUNICIPALITY)
        county = area.parent
        if not request.user.has_perm(VIEW, area):
            raise PermissionDenied
        plans = services.plans_for_municipality(area).select_related("municipality")
        kommuner = [area]
    else:
        county = county_from(request)
        if not request.user.has_perm(VIEW, county):
            editable = [
                a for a in areas_user_can_edit(request.user) if a.level == AreaLevel.MUNICIPALITY
            ]
            if editable:
                return redirect(f"{reverse('prevention:plans')}?kommun={editable[0].code}")
            raise PermissionDenied
        plans = services.plans_for_county(county)
        kommuner = list(Area.objects.municipalities(county.code))
    by_kommun: dict[int, list] = {}
    for plan in plans:
        by_kommun.setdefault(plan.municipality_id, []).append(
            (plan, sorted(plan.steps.all(), key=lambda s: s.number), services.plan_progress(plan))
        )
    rows = [(k, by_kommun.get(k.pk, [])) for k in kommuner]
    model = services.quality_model_for(county)
    return render(
        request,
        "prevention/plan_list.html",
        {
            "county": county,
            "rows": rows,
            "single": bool(kommun_code),
            "steps": model.steps,
            "demo": any(p.is_demo for p in plans),
            "can_create": [k for k in kommuner if request.user.has_perm(EDIT, k)],
            "with_plans": sum(1 for _k, ps in rows if ps),
            "lang": _lang(request),
        },
    )


def plan_create(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(Area, code=code, level=AreaLevel.MUNICIPALITY)
    if (refusal := refusal_for(request, EDIT, area)) is not None:
        return refusal
    form = PlanForm(request.POST or None, star=services.star_for(area))
    plan = save_posted_form(
        request,
        form,
        lambda: services.create_plan(
            area,
            title=form.cleaned_data["title"],
            summary=form.cleaned_data["summary"],
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            status=form.cleaned_data["status"],
            prioritised=form.cleaned_data["prioritised_factors"],
            user=request.user,
        ),
        _("The plan was created with the eight steps."),
    )
    if plan is not None:
        return redirect("prevention:plan", pk=plan.pk)
    return render(
        request,
        "prevention/form.html",
        {"form": form, "title": _("New plan for %(kommun)s") % {"kommun": area.name}},
    )


def _plan_or_404(pk: int) -> Plan:
    return get_object_or_404(Plan.objects.select_related("municipality__parent"), pk=pk)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(pk)
    if (refusal := refusal_for(request, VIEW, plan.municipality)) is not None:
        return refusal
    framework = services.star_for(plan.municipality)
    lang = _lang(request)
    can_edit = request.user.has_perm(EDIT, plan.municipality)
    names = services.indicator_names()
    targets = [
        (t, services.target_progress(t), services.target_name(t, names)) for t in plan.targets.all()
    ]
    return render(
        request,
        "prevention/plan_detail.html",
        {
            **chosen_section(request, plan, framework, lang),
            "plan": plan,
            "steps": services.plan_steps(plan),
            "progress": services.plan_progress(plan),
            "factors": [
                framework.factors.get(f) for f in plan.prioritised_factors if f in framework.factors
            ],
            "targets": targets,
            "can_edit": can_edit,
            "target_form": TargetForm(indicator_choices=services.indicator_choices())
            if can_edit
            else None,
            "demo": plan.is_demo,
            "lang": lang,
            # The dialogue on each step (prevention.dialogue decides who may read it).
            "can_read_dialogue": dialogue.can_read_dialogue(request.user, plan),
            "dialogue_counts": dialogue.message_counts(plan),
        },
    )


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(pk)
    if (refusal := refusal_for(request, EDIT, plan.municipality)) is not None:
        return refusal
    framework = services.star_for(plan.municipality)
    form = PlanForm(request.POST or None, instance=plan, star=framework)
    context = {"form": form, "title": plan.title}
    try:
        saved = save_posted_form(
            request,
            form,
            lambda: services.update_plan(
                plan,
                version=form.loaded_version(),
                **{f: form.cleaned_data[f] for f in form.Meta.fields},
            ),
            _("The plan was saved."),
        )
    except VersionConflict as conflict:
        stored = PlanForm(instance=conflict.current, star=framework)
        return conflict_response(request, "prevention/form.html", context, form, conflict, stored)
    if saved is not None:
        return redirect("prevention:plan", pk=plan.pk)
    return render(request, "prevention/form.html", context)


def step_edit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    plan = _plan_or_404(pk)
    if (refusal := refusal_for(request, EDIT, plan.municipality)) is not None:
        return refusal
    step_view = next((s for s in services.plan_steps(plan) if s.step.number == number), None)
    if step_view is None:
        raise Http404(_("No such step."))
    model = services.quality_model_for(plan.municipality)
    form = StepForm(request.POST or None, step_view=step_view, perspectives=model.perspectives)
    context = {"plan": plan, "step": step_view, "form": form, "lang": _lang(request)}
    if step_view.step.key == CHOOSING_STEP:
        # The step where the plan's interventions are chosen shows them (read-only).
        context["chosen"] = chosen_rows(plan, services.star_for(plan.municipality), _lang(request))
        context["choosing_step"] = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_step(
                step_view.step,
                status=data["status"],
                start=data["start"],
                due=data["due"],
                notes=data["notes"],
                evidence=data["evidence"],
                ticked=form.ticked(),
                perspective_notes=form.perspective_notes(),
                version=form.loaded_version(),
            )
        except VersionConflict as conflict:
            now = next(s for s in services.plan_steps(plan) if s.step.number == number)
            stored = StepForm(step_view=now, perspectives=model.perspectives)
            return conflict_response(
                request, "prevention/step_form.html", context, form, conflict, stored
            )
        messages.success(request, _("Step %(n)s was saved.") % {"n": number})
        return redirect(f"{reverse('prevention:plan', args=[plan.pk])}#step-{number}")
    return render(request, "prevention/step_form.html", context)


@require_POST
def target_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(pk)
    if (refusal := refusal_for(request, EDIT, plan.municipality)) is not None:
        return refusal
    form = TargetForm(request.POST, indicator_choices=services.indicator_choices())

    def add() -> None:
        form.instance.plan = plan
        form.instance.label = form.cleaned_data["label"]
        form.save()

    apply_posted_form(
        request,
        form,
        add,
        _("The indicator target was added."),
        _("The target was not added: %(errors)s"),
    )
    return redirect(f"{reverse('prevention:plan', args=[plan.pk])}#targets")


@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(IndicatorTarget.objects.select_related("plan__municipality"), pk=pk)
    if (refusal := refusal_for(request, EDIT, target.plan.municipality)) is not None:
        return refusal
    plan_pk = target.plan_id
    target.delete()
    messages.success(request, _("The indicator target was removed."))
    return redirect(f"{reverse('prevention:plan', args=[plan_pk])}#targets")

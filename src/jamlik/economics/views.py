"""Pages of the socioeconomic analysis. Thin: parse, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamlik.accounts.decorators import area_permission_required, check_area_permission
from jamlik.core.exports import csv_response
from jamlik.core.version_forms import conflict_response
from jamlik.core.versioning import VersionConflict
from jamlik.economics import exports, from_plan, presentation, services
from jamlik.economics.forms import (
    EditorForms,
    EditorRows,
    ScenarioForm,
    build_inputs,
    initial_from_inputs,
)
from jamlik.economics.from_plan import ChosenIntervention, PlanDraft
from jamlik.economics.from_plan_forms import (
    FromPlanForm,
    ProgrammeCostFormSet,
    programme_cost_dicts,
)
from jamlik.economics.models import Scenario
from jamlik.economics.price_index import PriceIndex, PriceYearOutsideIndex, scb_kpi
from jamlik.economics.serialization import intervention_links
from jamlik.economics.unit_costs import unit_cost_by_key, unit_costs
from jamlik.geo.models import Area, AreaLevel
from jamlik.prevention import evidence
from jamlik.prevention import services as prevention_services


def _viewable(request: HttpRequest, pk: int) -> tuple[Scenario, HttpResponse | None]:
    scenario = get_object_or_404(Scenario.objects.select_related("area"), pk=pk)
    if scenario.published:
        return scenario, None
    return scenario, check_area_permission(request, "jamlik.view_area_unpublished", scenario.area)


def index(request: HttpRequest) -> HttpResponse:
    scenarios = services.visible_scenarios(request.user)
    return render(
        request,
        "economics/index.html",
        {
            "scenarios": scenarios,
            "editable_areas": services.editable_areas(request.user),
            "any_demo": any(s.is_demo for s in scenarios),
        },
    )


def _initial(scenario: Scenario, *, published: bool = True) -> EditorRows:
    """The editor's initial values from a stored scenario (a copy starts unpublished)."""
    return initial_from_inputs(
        scenario.inputs,
        published=scenario.published if published else False,
        draws=scenario.draws,
        seed=scenario.seed,
    )


def _editor(
    request: HttpRequest, area: Area, instance: Scenario | None, template: Scenario | None = None
) -> HttpResponse:
    version = instance.version if instance is not None else None
    if request.method == "POST":
        editor = EditorForms.bind(request.POST, version)
        form = editor.form
        if editor.is_valid():
            try:
                saved = services.save_scenario(
                    request.user,
                    area,
                    build_inputs(editor),
                    published=form.cleaned_data["published"],
                    instance=instance,
                    draws=form.cleaned_data["draws"],
                    seed=form.cleaned_data["seed"],
                    version=form.loaded_version(),
                )
            except VersionConflict as conflict:
                stored = ScenarioForm(initial=_initial(conflict.current).main)
                context = {"area": area, "scenario": instance, **editor.context()}
                context.pop("form")
                return conflict_response(
                    request, "economics/editor.html", context, form, conflict, stored
                )
            except PriceYearOutsideIndex as exc:
                # At the price-year field when it is the scenario's own year the index lacks.
                own = exc.year == form.cleaned_data.get("price_year")
                form.add_error("price_year" if own else None, str(exc))
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Scenario saved."))
                return redirect("economics:detail", pk=saved.pk)
    elif instance is not None or template is not None:
        start = instance or template
        assert start is not None
        rows = _initial(start, published=instance is not None)
        if instance is None:
            rows.main["name"] = _("%(name)s (copy)") % {"name": rows.main["name"]}
        editor = EditorForms.initial(rows, version)
    else:
        editor = EditorForms.initial(None)
    return render(
        request,
        "economics/editor.html",
        {"area": area, "scenario": instance, **editor.context()},
    )


def new(request: HttpRequest) -> HttpResponse:
    """Go to the editor for the kommun picked in a form (optionally copying a scenario)."""
    url = reverse("economics:create", args=[request.GET.get("kommun", "").strip() or "-"])
    source_id = request.GET.get("fran", "")
    return redirect(f"{url}?fran={source_id}" if source_id.isdigit() else url)


@area_permission_required("jamlik.edit_area")
def create(request: HttpRequest, code: str) -> HttpResponse:
    """New scenario; ``?fran=<id>`` starts from a copy of a scenario the user may see."""
    area = get_object_or_404(Area, code=code, level=AreaLevel.MUNICIPALITY)
    source_id = request.GET.get("fran", "")
    template = None
    if request.method == "GET" and source_id.isdigit():
        template = services.visible_scenarios(request.user).filter(pk=int(source_id)).first()
        if template is None:
            raise Http404
    return _editor(request, area, None, template=template)


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario.objects.select_related("area"), pk=pk)
    refusal = check_area_permission(request, "jamlik.edit_area", scenario.area)
    if refusal is not None:
        return refusal
    return _editor(request, scenario.area, scenario)


@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario.objects.select_related("area"), pk=pk)
    refusal = check_area_permission(request, "jamlik.edit_area", scenario.area)
    if refusal is not None:
        return refusal
    services.delete_scenario(request.user, scenario)
    messages.success(request, _("Scenario deleted."))
    return redirect("economics:index")


def _results_context(request: HttpRequest, scenario: Scenario) -> dict[str, Any]:
    analysis = services.analyse(scenario)
    return {
        "scenario": scenario,
        "analysis": analysis,
        "figures": presentation.key_figures(analysis),
        "societal_rows": presentation.societal_rows(analysis),
        "payer_chart": presentation.npv_by_payer_chart(analysis),
        "yearly_chart": presentation.savings_per_year_chart(
            analysis, csv_url=reverse("economics:csv", args=[scenario.pk])
        ),
        "tornado_chart": presentation.tornado_chart(analysis),
        "mc_chart": presentation.montecarlo_chart(analysis),
        "outcome_rows": presentation.outcome_rows(analysis),
        "cost_rows": presentation.cost_rows(analysis),
        "intervention_rows": presentation.intervention_rows(
            analysis, intervention_links(scenario.inputs)
        ),
        "plan": services.visible_plan(request.user, scenario),
        "can_edit": services.can_edit(request.user, scenario.area),
        "copy_areas": services.editable_areas(request.user),
    }


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    scenario, refusal = _viewable(request, pk)
    if refusal is not None:
        return refusal
    return render(request, "economics/results.html", _results_context(request, scenario))


def yearly_csv(request: HttpRequest, pk: int) -> HttpResponse:
    scenario, refusal = _viewable(request, pk)
    if refusal is not None:
        return refusal
    analysis = services.analyse(scenario)
    return csv_response(
        f"scenario-{scenario.pk}-per-year.csv",
        presentation.yearly_columns(),
        presentation.yearly_rows(analysis),
        demo=scenario.is_demo,
    )


def xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    scenario, refusal = _viewable(request, pk)
    if refusal is not None:
        return refusal
    content = exports.scenario_workbook(scenario, services.analyse(scenario))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="scenario-{scenario.pk}.xlsx"'
    return response


def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    scenario, refusal = _viewable(request, pk)
    if refusal is not None:
        return refusal
    content = exports.scenario_pdf(request, scenario, services.analyse(scenario))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="scenario-{scenario.pk}.pdf"'
    return response


def compare(request: HttpRequest) -> HttpResponse:
    visible = services.visible_scenarios(request.user)
    ids = [int(i) for i in request.GET.getlist("s") if i.isdigit()][:4]
    chosen = [s for s in visible.filter(pk__in=ids)]
    chosen.sort(key=lambda s: ids.index(s.pk))
    columns = []
    for scenario in chosen:
        analysis = services.analyse(scenario)
        columns.append(
            {
                "scenario": scenario,
                "figures": presentation.key_figures(analysis),
                "payers": presentation.payer_rows(analysis),
            }
        )
    return render(
        request,
        "economics/compare.html",
        {
            "visible": visible,
            "chosen_ids": ids,
            "columns": columns,
            "any_demo": any(c["scenario"].is_demo for c in columns),
        },
    )


def unit_cost_table(request: HttpRequest) -> HttpResponse:
    """The sourced unit costs, each also in the latest year of the shipped KPI series."""
    kpi = scb_kpi()
    latest = max(kpi.values)
    rows = [
        (
            u,
            u.amount_sek * kpi.factor(u.price_year, latest) if u.price_year in kpi.values else None,
            presentation.payer_label(u.payer),
        )
        for u in unit_costs()
    ]
    return render(
        request,
        "economics/unit_costs.html",
        {"rows": rows, "kpi": kpi, "latest": latest, "kpi_rows": sorted(kpi.values.items())},
    )


def _plan_draft(plan: Any, lang: str) -> tuple[PlanDraft, PriceIndex]:
    """The plan's chosen interventions with the library's figures (pure rules in from_plan)."""
    county = plan.municipality.county
    registry = {i.key: i.name for i in prevention_services.interventions_for(county)}
    chosen = [
        ChosenIntervention(
            id=item.pk,
            intervention_key=item.intervention_key,
            local_name=item.local_name,
            participants_per_year=item.participants_per_year,
            registry_name=registry.get(item.intervention_key, ""),
        )
        for item in plan.interventions.all()
    ]
    index = scb_kpi()
    draft = from_plan.draft_from_plan(
        chosen, evidence.library(), unit_cost_by_key(), index, max(index.values)
    )
    return draft, index


def scenario_from_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a scenario from a plan's chosen interventions in one step (see from_plan)."""
    from jamlik.prevention.models import Plan

    plan = get_object_or_404(Plan.objects.select_related("municipality"), pk=pk)
    area = plan.municipality
    refusal = check_area_permission(request, "jamlik.edit_area", area)
    if refusal is not None:
        return refusal
    if area.level != AreaLevel.MUNICIPALITY:
        raise Http404
    lang = "en" if (request.LANGUAGE_CODE or "").startswith("en") else "sv"
    draft, index = _plan_draft(plan, lang)
    data = request.POST if request.method == "POST" else None
    initial = {"name": _("%(plan)s: benefits and costs") % {"plan": plan.title}}
    form = FromPlanForm(data, initial=initial, draft=draft, lang=lang)
    programme = ProgrammeCostFormSet(data, prefix="programme")
    if data is not None and draft.interventions and form.is_valid() and programme.is_valid():
        inputs = from_plan.scenario_inputs(
            draft,
            lang=lang,
            index=index,
            programme_costs=programme_cost_dicts(programme),
            notes=_("Made from the plan “%(plan)s”.") % {"plan": plan.title},
            **form.answers(),
        )
        try:
            saved = services.save_scenario(
                request.user, area, inputs, published=form.cleaned_data["published"], plan=plan
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Scenario saved."))
            return redirect("economics:detail", pk=saved.pk)
    names = {o.key: o.name(lang) for o in draft.outcomes}
    return render(
        request,
        "economics/from_plan.html",
        {
            "plan": plan,
            "area": area,
            "draft": draft,
            "costed_rows": [
                (c, [(names.get(e.outcome_key, e.outcome_key), e) for e in c.effects])
                for c in draft.interventions
            ],
            "form": form,
            "programme": programme,
            "lang": lang,
        },
    )

"""County-administration pages: round progress and actions, export, scoring weights,
document dictionaries, interview themes and excerpts, evaluation groups."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jamlik.accounts.decorators import area_permission_required
from jamlik.accounts.reminders import last_reminded, outcome_message, send_reminders
from jamlik.geo.models import Area
from jamlik.prerequisites import exports, results, services
from jamlik.prerequisites.forms import (
    DocumentThemeForm,
    ExcerptForm,
    GroupsForm,
    InterviewThemeForm,
    RoundForm,
    ScoringForm,
)
from jamlik.prerequisites.grouping import manual_groups
from jamlik.prerequisites.models import (
    DocumentTheme,
    Instrument,
    InterviewExcerpt,
    InterviewTheme,
    Response,
    Round,
)
from jamlik.prerequisites.scoring import normalised_caps
from jamlik.prerequisites.services import WorkflowError
from jamlik.prerequisites.specs import framework
from jamlik.prerequisites.views import _county, _kommun


@area_permission_required("jamlik.view_area_unpublished")
def round_progress(request: HttpRequest, code: str, year: int) -> HttpResponse:
    county = _county(code)
    round_ = get_object_or_404(Round, county=county, year=year)
    is_admin = request.user.has_perm("jamlik.admin_county", county)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action in ("lock", "reopen"):
                response = get_object_or_404(
                    Response, pk=request.POST.get("response"), round=round_
                )
                services.change_status(response, action)
            elif action in ("open", "close"):
                services.set_round_state(round_, is_open=action == "open")
            elif action in ("publish", "unpublish"):
                services.set_round_state(round_, published=action == "publish")
            elif action == "remind":
                outcome = send_reminders(
                    services.survey_reminders(round_),
                    base_url=request.build_absolute_uri("/"),
                    sent_by=request.user,
                )
                messages.info(request, outcome_message(outcome))
                return redirect("prerequisites:round", code=code, year=year)
            else:
                raise WorkflowError(_("Unknown action."))
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Done."))
        return redirect("prerequisites:round", code=code, year=year)
    progress = results.round_progress(round_)
    counts = {
        s: sum(1 for p in progress if p.status == s)
        for s in ("missing", "draft", "submitted", "locked")
    }
    reminded = last_reminded(
        f"{services.REMINDER_TOPIC}:{round_.year}", [p.municipality for p in progress]
    )
    for p in progress:
        p.reminded_at = reminded.get(p.municipality.pk)
    return render(
        request,
        "prerequisites/round.html",
        {
            "county": county,
            "round": round_,
            "progress": progress,
            "counts": counts,
            "is_admin": is_admin,
            "demo": round_.is_demo,
        },
    )


@area_permission_required("jamlik.admin_county")
def round_create(request: HttpRequest, code: str) -> HttpResponse:
    county = _county(code)
    form = RoundForm(request.POST or None, county=county)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            instrument = data["instrument"]
            if data["new_version"]:
                instrument = services.copy_instrument(
                    instrument or services.ensure_default_instrument(county), data["new_version"]
                )
            round_ = services.create_round(county, data["year"], instrument)
        except ValueError as exc:
            form.add_error("year", str(exc))
        else:
            messages.success(request, _("The round was created."))
            return redirect("prerequisites:round", code=code, year=round_.year)
    return render(
        request,
        "prerequisites/round_create.html",
        {"county": county, "form": form, "instruments": Instrument.objects.filter(county=county)},
    )


@area_permission_required("jamlik.admin_county")
def export(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    county = _county(code)
    round_ = get_object_or_404(Round, county=county, year=year)
    if fmt == "xlsx":
        return exports.responses_xlsx(round_)
    return exports.responses_csv(round_)


def method(request: HttpRequest, code: str) -> HttpResponse:
    """How scores are made, with the current weights; county admins can change them."""
    county = _county(code)
    is_admin = request.user.has_perm("jamlik.admin_county", county)
    latest = Round.objects.filter(county=county).select_related("instrument").first()
    instrument = (
        latest.instrument
        if latest
        else Instrument.objects.filter(county=county).order_by("-created_at").first()
    )
    if instrument is None:
        if not is_admin:  # nothing to show, and a visitor's GET must not create anything
            return render(request, "prerequisites/method.html", {"county": county})
        instrument = services.ensure_default_instrument(county)
    items = list(instrument.items.all())
    lang = results.lang()
    fw = framework(county)
    prerequisites = [(p.key, p.name(lang)) for p in fw.prerequisites]
    caps = normalised_caps(instrument.caps, [k for k, _n in prerequisites])
    initial = {"strong_from": instrument.strong_from, "developing_from": instrument.developing_from}
    initial |= {f"c_{k}": round(caps[k], 2) for k, _n in prerequisites}
    form = ScoringForm(
        request.POST or None, items=items, prerequisites=prerequisites, initial=initial
    )
    if request.method == "POST":
        if not request.user.is_authenticated or not is_admin:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_scoring(
                    instrument,
                    {k: data[f"w_{k}"] for k in form.item_keys},
                    {k: data[f"c_{k}"] for k in form.cap_keys},
                    data["strong_from"],
                    data["developing_from"],
                )
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The weights were saved."))
                return redirect("prerequisites:method", code=code)
    names = dict(prerequisites)
    item_rows = [
        {
            "item": i,
            "text": i.text(lang),
            "prerequisite": names.get(i.prerequisite, i.prerequisite),
            "dimensions": ", ".join(
                fw.dimensions.get(d).name(lang) for d in i.dimensions if d in fw.dimensions
            ),
            "field": form[f"w_{i.key}"] if f"w_{i.key}" in form.fields else None,
        }
        for i in items
    ]
    cap_rows = [
        {"name": n, "cap": round(caps[k], 1), "field": form[f"c_{k}"]} for k, n in prerequisites
    ]
    return render(
        request,
        "prerequisites/method.html",
        {
            "county": county,
            "instrument": instrument,
            "item_rows": item_rows,
            "cap_rows": cap_rows,
            "form": form,
            "is_admin": is_admin,
            "can_see_unpublished": results.can_see_unpublished(request.user, county),
        },
    )


@area_permission_required("jamlik.admin_county")
def document_themes(request: HttpRequest, code: str) -> HttpResponse:
    county = _county(code)
    services.ensure_default_document_themes(county)
    themes = list(DocumentTheme.objects.filter(county=county))
    forms_by_key = {}
    for theme in themes:
        bound = request.method == "POST" and request.POST.get("theme") == theme.key
        forms_by_key[theme.key] = DocumentThemeForm(
            request.POST if bound else None,
            prefix=theme.key,
            initial={"name_sv": theme.name_sv, "name_en": theme.name_en, "terms": theme.terms},
        )
    if request.method == "POST":
        theme = get_object_or_404(DocumentTheme, county=county, key=request.POST.get("theme"))
        form = forms_by_key[theme.key]
        if form.is_valid():
            try:
                services.update_document_theme(theme, **form.cleaned_data)
            except ValueError as exc:
                form.add_error("terms", str(exc))
            else:
                messages.success(request, _("The dictionary was saved; analyses are updated."))
                return redirect("prerequisites:document-themes", code=code)
    return render(
        request,
        "prerequisites/document_themes.html",
        {"county": county, "rows": [(t, forms_by_key[t.key]) for t in themes]},
    )


@area_permission_required("jamlik.view_area_unpublished")
def interview_themes(request: HttpRequest, code: str) -> HttpResponse:
    county = _county(code)
    lang = results.lang()
    fw = framework(county)
    prerequisites = [(p.key, p.name(lang)) for p in fw.prerequisites]
    is_admin = request.user.has_perm("jamlik.admin_county", county)
    editing_id = request.POST.get("theme_id") or request.GET.get("redigera")
    editing = (
        get_object_or_404(InterviewTheme, county=county, pk=editing_id)
        if editing_id and str(editing_id).isdigit()
        else None
    )
    initial = (
        {
            "name_sv": editing.name_sv,
            "name_en": editing.name_en,
            "parent": editing.parent_id,
            "prerequisites": editing.prerequisites,
        }
        if editing
        else None
    )
    form = InterviewThemeForm(
        request.POST or None, county=county, prerequisites=prerequisites, initial=initial
    )
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_interview_theme(
                    county,
                    name_sv=data["name_sv"],
                    name_en=data["name_en"],
                    prerequisites=data["prerequisites"],
                    parent=data["parent"],
                    theme=editing,
                )
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The theme was saved."))
                return redirect("prerequisites:interview-themes", code=code)
    themes = list(InterviewTheme.objects.filter(county=county).select_related("parent"))
    excerpts = list(
        InterviewExcerpt.objects.filter(municipality__parent=county).select_related("municipality")
    )
    names = dict(prerequisites)
    rows = []
    for theme in sorted(
        themes,
        key=lambda t: (t.parent.order if t.parent else t.order, t.parent_id is not None, t.order),
    ):
        own = [e for e in excerpts if e.theme_id == theme.pk]
        kommuner = sorted({e.municipality.name for e in own})
        rows.append(
            {
                "theme": theme,
                "name": theme.name(lang),
                "prerequisites": ", ".join(names.get(p, p) for p in theme.prerequisites),
                "count": len(own),
                "kommuner": kommuner,
            }
        )
    main_themes = [t for t in sorted(themes, key=lambda t: t.order) if t.parent_id is None]
    counts: dict[tuple[str, int], int] = {}
    for e in excerpts:
        theme = next(t for t in themes if t.pk == e.theme_id)
        main = theme.parent_id or theme.pk
        counts[(e.municipality.code, main)] = counts.get((e.municipality.code, main), 0) + 1
    kommuner = sorted({(e.municipality.code, e.municipality.name) for e in excerpts})
    matrix = [
        {"name": name, "code": code, "counts": [counts.get((code, t.pk), 0) for t in main_themes]}
        for code, name in kommuner
    ]
    return render(
        request,
        "prerequisites/interview_themes.html",
        {
            "county": county,
            "main_themes": [t.name(lang) for t in main_themes],
            "matrix": matrix,
            "rows": rows,
            "editing": editing,
            "form": form if is_admin else None,
            "demo": any(t.is_demo for t in themes),
        },
    )


@area_permission_required("jamlik.view_area_unpublished")
def interviews(request: HttpRequest, code: str) -> HttpResponse:
    kommun = _kommun(code)
    county = kommun.parent
    is_admin = request.user.has_perm("jamlik.admin_county", county)
    form = ExcerptForm(request.POST or None, county=county)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_excerpt(
                    kommun,
                    data["year"],
                    data["theme"],
                    data["respondent_role"],
                    data["text"],
                    request.user,
                )
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The excerpt was saved."))
                return redirect("prerequisites:interviews", code=code)
    excerpts = list(
        InterviewExcerpt.objects.filter(municipality=kommun).select_related("theme__parent")
    )
    return render(
        request,
        "prerequisites/interviews.html",
        {
            "area": kommun,
            "excerpts": excerpts,
            "form": form if is_admin else None,
            "demo": any(e.is_demo for e in excerpts),
        },
    )


@area_permission_required("jamlik.admin_county")
def groups(request: HttpRequest, code: str, baseline: int, follow_up: int) -> HttpResponse:
    county = _county(code)
    kommuner = list(Area.objects.municipalities(county.code))
    form = GroupsForm(
        request.POST or None,
        kommuner=kommuner,
        initial_groups=manual_groups(county, baseline, follow_up),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_groups(county, baseline, follow_up, form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The groups were saved."))
            url = f"{redirect('prerequisites:evaluation', code=code).url}?baslinje={baseline}&uppfoljning={follow_up}&grupper=manual"
            return redirect(url)
    return render(
        request,
        "prerequisites/groups.html",
        {"county": county, "form": form, "baseline": baseline, "follow_up": follow_up},
    )

"""Pages for everyone: county overview, kommun profile, documents, evaluation; and the
survey form for editors. County-administration pages are in ``manage_views``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jamlik.accounts.decorators import area_permission_required, check_area_permission
from jamlik.core.version_forms import conflict_response
from jamlik.core.versioning import VersionConflict
from jamlik.geo.models import Area, AreaLevel
from jamlik.prerequisites import charts, evaluation_report, results, services
from jamlik.prerequisites.extraction import UploadError
from jamlik.prerequisites.forms import DocumentUploadForm, SurveyForm
from jamlik.prerequisites.grouping import GroupingSource
from jamlik.prerequisites.models import Document, Response, ResponseStatus, Round
from jamlik.prerequisites.specs import framework


def _county(code: str) -> Area:
    return get_object_or_404(Area, code=code, level=AreaLevel.COUNTY)


def _kommun(code: str) -> Area:
    return get_object_or_404(
        Area.objects.select_related("parent"), code=code, level=AreaLevel.MUNICIPALITY
    )


def _year(request: HttpRequest, name: str = "ar") -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


def _pick_round(rounds: list[Round], year: int | None) -> Round | None:
    if year is not None:
        return next((r for r in rounds if r.year == year), None)
    closed = [r for r in rounds if not r.is_open]
    return (closed or rounds or [None])[0]


def index(request: HttpRequest) -> HttpResponse:
    counties = []
    for county in Area.objects.counties():
        rounds = results.visible_rounds(request.user, county)
        if rounds:
            counties.append({"county": county, "rounds": rounds})
    return render(request, "prerequisites/index.html", {"counties": counties})


def county_overview(request: HttpRequest, code: str) -> HttpResponse:
    county = _county(code)
    rounds = results.visible_rounds(request.user, county)
    round_ = _pick_round(rounds, _year(request))
    context: dict = {"county": county, "rounds": rounds, "round": round_}
    context["is_admin"] = request.user.has_perm("jamlik.admin_county", county)
    context["can_see_unpublished"] = results.can_see_unpublished(request.user, county)
    if round_ is not None:
        scores = results.round_scores(round_)
        sentences, ranking = results.summary_sentences(round_)
        med = results.medians(scores)
        fw = framework(county)
        lang = results.lang()
        context |= {
            "sentences": sentences,
            "ranking": ranking,
            "scores": scores,
            "medians": med,
            "prerequisites": [(p.key, p.name(lang)) for p in fw.prerequisites],
            "chart": charts.index_chart(scores, med),
            "documents": results.document_summary(county, round_.year),
            "demo": round_.is_demo,
        }
    return render(request, "prerequisites/county.html", context)


def kommun_profile(request: HttpRequest, code: str) -> HttpResponse:
    kommun = _kommun(code)
    rounds = results.visible_rounds(request.user, kommun.parent)
    if results.can_see_unpublished(request.user, kommun):
        rounds = list(Round.objects.filter(county=kommun.parent).order_by("-year"))
    round_ = _pick_round(rounds, _year(request))
    context: dict = {"area": kommun, "rounds": rounds, "round": round_}
    if round_ is not None:
        show_private = results.can_see_unpublished(request.user, kommun)
        show_county = round_.published or results.can_see_unpublished(request.user, kommun.parent)
        data = results.profile(round_, kommun, show_quotes=show_private, show_county=show_county)
        context |= data | {
            "show_private": show_private,
            "demo": round_.is_demo,
            "chart": charts.profile_chart(data["rows"]) if data["rows"] else None,
            "can_edit": request.user.has_perm("jamlik.edit_area", kommun),
        }
    return render(request, "prerequisites/profile.html", context)


@area_permission_required("jamlik.edit_area")
def survey_form(request: HttpRequest, code: str, year: int) -> HttpResponse:
    kommun = _kommun(code)
    round_ = get_object_or_404(Round, county=kommun.parent, year=year)
    response = services.response_for(round_, kommun)
    items = list(round_.instrument.items.all())
    lang = results.lang()
    editable = round_.is_open and response.status == ResponseStatus.DRAFT
    form = SurveyForm(
        request.POST if request.method == "POST" and editable else None,
        items=items,
        lang=lang,
        initial=_survey_initial(response),
        version=response.version,
    )
    conflict = None
    if request.method == "POST":
        if not editable:
            messages.error(request, _("This response can no longer be changed."))
            return redirect(request.path)
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                services.save_answers(
                    response,
                    form.answers(),
                    request.user,
                    submit=submit,
                    version=form.loaded_version(),
                )
            except VersionConflict as exc:
                conflict = exc
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Your answers were submitted.") if submit else _("Your draft was saved."),
                )
                return redirect(request.path)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    fw = framework(kommun.parent)
    groups = []
    for prerequisite in fw.prerequisites:
        fields = [form[i.key] for i in items if i.prerequisite == prerequisite.key]
        if fields:
            groups.append({"prerequisite": prerequisite.name(lang), "fields": fields})
    context = {
        "area": kommun,
        "round": round_,
        "response": response,
        "form": form,
        "groups": groups,
        "editable": editable,
        "instrument": round_.instrument,
    }
    if conflict is not None:
        stored = conflict.current
        now = SurveyForm(items=items, lang=lang, initial=_survey_initial(stored))
        context["response"] = stored
        template = "prerequisites/survey_form.html"
        return conflict_response(request, template, context, form, conflict, now)
    return render(request, "prerequisites/survey_form.html", context)


def _survey_initial(response: Response) -> dict[str, object]:
    return {k: (str(v) if not isinstance(v, list) else v) for k, v in response.answers.items()}


def documents(request: HttpRequest, code: str) -> HttpResponse:
    kommun = _kommun(code)
    can_edit = request.user.has_perm("jamlik.edit_area", kommun)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        refusal = check_area_permission(request, "jamlik.edit_area", kommun)
        if refusal:
            return refusal
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                document = services.upload_document(
                    kommun,
                    form.cleaned_data["year"],
                    form.cleaned_data["title"],
                    upload.name,
                    upload.read(),
                    request.user,
                )
            except UploadError as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, _("The document was uploaded and analysed."))
                return redirect("prerequisites:document", pk=document.pk)
    docs = list(Document.objects.filter(municipality=kommun).order_by("-year", "title"))
    if not results.can_see_unpublished(request.user, kommun):
        published = set(
            Round.objects.filter(county=kommun.parent, published=True).values_list(
                "year", flat=True
            )
        )
        docs = [d for d in docs if d.year in published]
    rows = []
    for document in docs:
        analysis = services.analyse_document(document)
        rows.append({"document": document, "themes": analysis.get("themes", [])})
    themes, _goal, _digest = services.theme_dictionaries(kommun.parent)
    return render(
        request,
        "prerequisites/documents.html",
        {
            "area": kommun,
            "rows": rows,
            "theme_names": [t.name for t in themes],
            "form": form if can_edit else None,
            "demo": any(d.is_demo for d in docs),
        },
    )


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.select_related("municipality__parent"), pk=pk)
    kommun = document.municipality
    if not (
        results.year_published(kommun.parent, document.year)
        or results.can_see_unpublished(request.user, kommun)
    ):
        refusal = check_area_permission(request, "jamlik.view_area_unpublished", kommun)
        if refusal:
            return refusal
    analysis = services.analyse_document(document)
    names = {t["key"]: t["name"] for t in analysis.get("themes", [])}
    co_rows = [
        c | {"a_name": names.get(c["a"], c["a"]), "b_name": names.get(c["b"], c["b"])}
        for c in analysis.get("co_occurrence", [])
    ]
    return render(
        request,
        "prerequisites/document_detail.html",
        {
            "area": kommun,
            "document": document,
            "analysis": analysis,
            "co_rows": co_rows,
            "demo": document.is_demo,
            "can_edit": request.user.has_perm("jamlik.edit_area", kommun),
        },
    )


def _process_measure(user: Any, county: Area) -> dict[str, Any]:
    """Participants' follow-up of support per year (issue 18), for those who see all of the
    county's support records; nothing for everyone else (the page itself is public) or
    when the support app is not installed (as in :mod:`grouping`)."""
    from django.apps import apps

    if not apps.is_installed("jamlik.support"):
        return {"process_measure": None}
    from jamlik.support import followup, followup_services
    from jamlik.support.access import sees_all_support

    if not sees_all_support(user, county):
        return {"process_measure": None}
    return {
        "process_measure": followup.process_measure(followup_services.county_rows(county)),
        "process_min": followup.MIN_ANSWERS,
    }


def evaluation_page(request: HttpRequest, code: str) -> HttpResponse:
    county = _county(code)
    rounds = results.visible_rounds(request.user, county)
    years = sorted(r.year for r in rounds)
    baseline_year = _year(request, "baslinje") or (years[0] if years else None)
    follow_year = _year(request, "uppfoljning") or (years[1] if len(years) > 1 else None)
    by_year = {r.year: r for r in rounds}
    context: dict = {
        "county": county,
        "years": years,
        "baseline_year": baseline_year,
        "follow_year": follow_year,
        "is_admin": request.user.has_perm("jamlik.admin_county", county),
        "can_see_unpublished": results.can_see_unpublished(request.user, county),
        "modes": list(evaluation_report.ComparisonMode),
        **_process_measure(request.user, county),
    }
    if baseline_year in by_year and follow_year in by_year and baseline_year < follow_year:
        source = request.GET.get("grupper") or None
        if source not in (None, *GroupingSource):
            raise Http404("unknown grouping source")
        mode_value = request.GET.get("jamfor", evaluation_report.ComparisonMode.OTHERS)
        try:
            mode = evaluation_report.ComparisonMode(mode_value)
        except ValueError:
            raise Http404("unknown comparison") from None
        data = evaluation_report.build(
            county, by_year[baseline_year], by_year[follow_year], source=source, mode=mode
        )
        context |= data | {
            "demo": by_year[baseline_year].is_demo,
            "chart": charts.did_chart(data["chart_rows"]) if data["chart_rows"] else None,
            "selected_source": source or "",
        }
    return render(request, "prerequisites/evaluation.html", context)

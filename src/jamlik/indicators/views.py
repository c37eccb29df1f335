"""Lägesbild pages: thin views over :mod:`jamlik.indicators.pages`."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from jamlik.accounts.decorators import area_permission_required
from jamlik.core.exports import csv_response
from jamlik.geo.maps import MAP_PARAMETER, map_choice
from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators import district_overview, indicator_page, pages, profile, source_notes
from jamlik.indicators.analysis import grouped_by_target_area
from jamlik.indicators.models import Indicator
from jamlik.indicators.viewstate import ViewState


def index(request: HttpRequest) -> HttpResponse:
    from jamlik.indicators.own import indicators_for

    indicators = indicators_for(None)
    own = (
        Indicator.objects.filter(owner__isnull=False, current=True)
        .select_related("owner")
        .order_by("owner__code", "series")
    )
    return render(
        request,
        "indicators/index.html",
        {
            "counties": Area.objects.counties(),
            "groups": grouped_by_target_area(indicators, request.LANGUAGE_CODE),
            "own": own,
        },
    )


def _area(code: str, *levels: str) -> Area:
    return get_object_or_404(Area.objects.select_related("parent"), code=code, level__in=levels)


def county_overview(request: HttpRequest, code: str) -> HttpResponse:
    parent = _area(code, AreaLevel.COUNTY, AreaLevel.COUNTRY)
    page = pages.overview_page(
        parent,
        ViewState.from_query(request.GET),
        user=request.user,
        map_kind=map_choice(request.GET.get(MAP_PARAMETER)),
    )
    can_publish = parent.level == AreaLevel.COUNTY and request.user.has_perm(
        "jamlik.admin_county", parent
    )
    return render(request, "indicators/overview.html", {"page": page, "can_publish": can_publish})


def national_overview(request: HttpRequest) -> HttpResponse:
    return county_overview(request, Area.objects.country().code)


def overview_csv(request: HttpRequest, code: str) -> HttpResponse:
    parent = _area(code, AreaLevel.COUNTY, AreaLevel.COUNTRY)
    page = pages.overview_page(
        parent, ViewState.from_query(request.GET), user=request.user, with_cells=False
    )
    return csv_response(
        f"lagesbild-{parent.code}.csv",
        pages.OVERVIEW_CSV_COLUMNS,
        pages.overview_csv_rows(page),
        demo=page.is_demo,
    )


def kommun_profile(request: HttpRequest, code: str) -> HttpResponse:
    area = _area(code, AreaLevel.MUNICIPALITY)
    page = profile.profile_page(
        area,
        ViewState.from_query(request.GET),
        user=request.user,
        spine_scope=request.GET.get("range", "lan"),
    )
    gaps = page.gap_section
    districts = district_overview.for_request(
        area,
        request,
        visibility=gaps.visibility if gaps is not None else None,
        version=gaps.version if gaps is not None else None,
    )
    return render(request, "indicators/profile.html", {"page": page, "district_section": districts})


def kommun_profile_csv(request: HttpRequest, code: str) -> HttpResponse:
    area = _area(code, AreaLevel.MUNICIPALITY)
    page = profile.profile_page(
        area, ViewState.from_query(request.GET), with_gaps=False, user=request.user
    )
    rows = [
        {
            "indicator": row.indicator.code,
            "indicator_name": row.indicator.name,
            "period": row.period,
            "value": row.value,
            "lower": row.lower,
            "upper": row.upper,
            "county": row.county,
            "country": row.country,
            "comparison": str(row.marker.label),
            "trend": str(row.trend.label),
            "unpublished": "" if row.published else "yes",
        }
        for _name, group in page.groups
        for row in group
    ]
    columns = [
        (k, k)
        for k in (
            "indicator",
            "indicator_name",
            "period",
            "value",
            "lower",
            "upper",
            "county",
            "country",
            "comparison",
            "trend",
            "unpublished",
        )
    ]
    notes = source_notes.mandatory_notes(
        Indicator.objects.values_list("pk", flat=True), [area.pk, *(a.pk for a in area.ancestors())]
    )
    return csv_response(f"lagesbild-{area.code}.csv", columns, rows, demo=page.is_demo, notes=notes)


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("owner", "previous"), code=code)
    context = indicator_page.indicator_page(
        indicator, ViewState.from_query(request.GET), user=request.user
    )
    context["can_manage_own"] = (
        indicator.owner is not None
        and indicator.current
        and request.user.has_perm("jamlik.admin_county", indicator.owner)
    )
    return render(request, "indicators/indicator.html", context)


def indicator_csv(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, code=code)
    part = request.GET.get("part", "compare")
    if part not in ("compare", "trend", "groups", "gap-trend", "funnel"):
        raise Http404("unknown part")
    state = ViewState.from_query(request.GET)
    columns, rows = indicator_page.indicator_csv(indicator, state, part, user=request.user)
    demo = indicator.public_observations.filter(is_demo=True).exists()
    notes = source_notes.mandatory_notes([indicator.pk])
    return csv_response(f"{indicator.code}-{part}.csv", columns, rows, demo=demo, notes=notes)


def _import_areas(request: HttpRequest) -> set[str] | HttpResponse:
    """The areas the user may load data for; a login redirect or 403 when none."""
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied

    from jamlik.indicators.services import editable_area_codes

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    areas = editable_area_codes(request.user)
    if not areas:
        raise PermissionDenied
    return areas


def _upload_page(
    request: HttpRequest, areas: set[str], form: Any, problems: list, warnings: list
) -> HttpResponse:
    from jamlik.accounts.services import counties_user_administers
    from jamlik.indicators.forms import in_language
    from jamlik.indicators.models import ImportRun

    runs = ImportRun.objects.filter(user=request.user).order_by("-started_at")[:20]
    return render(
        request,
        "indicators/import.html",
        {
            "form": form,
            "problems": problems,
            "warnings": [in_language(w) for w in warnings],
            "runs": runs,
            "areas": sorted(areas),
            "admin_counties": counties_user_administers(request.user),
        },
    )


def import_upload(request: HttpRequest) -> HttpResponse:
    """Web upload of a template file: read and shown on a preview before anything is
    stored (:mod:`jamlik.indicators.import_preview`); editors may only load data for
    their own areas."""
    from django.shortcuts import redirect

    from jamlik.indicators import import_preview
    from jamlik.indicators.forms import ImportForm
    from jamlik.sources import ImportValidationError
    from jamlik.sources.limits import check_file_size, current_limits

    areas = _import_areas(request)
    if isinstance(areas, HttpResponse):
        return areas
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:  # refused before it is kept on disk or read into memory
            check_file_size(upload.name, upload.size, current_limits())
        except ImportValidationError as exc:
            return _upload_page(request, areas, form, exc.problems, [])
        if not request.session.session_key:
            request.session.save()
        token = import_preview.keep_upload(
            upload.chunks(), user_id=request.user.pk, session_key=request.session.session_key
        )
        kept = import_preview.kept_path(token)
        preview = import_preview.preview_file(
            upload.name, kept.read_bytes(), user=request.user, restrict_to_user=True
        )
        if preview.problems:
            import_preview.discard_upload(token)
            return _upload_page(request, areas, form, preview.problems, preview.warnings)
        import_preview.save_preview(token, upload.name, preview)
        return redirect("indicators:import-preview", token=token)
    return _upload_page(request, areas, form, [], [])


def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    """The preview of an upload (GET), and its confirmation or cancellation (POST).

    Only the user who uploaded, in the same session, within the upload's
    lifetime, sees it; anyone else gets 404.  Confirming imports exactly the
    previewed bytes with the answers chosen; every question must be answered.
    """
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from jamlik.indicators import import_preview as previews
    from jamlik.indicators.forms import ImportForm, QuestionsForm
    from jamlik.indicators.services import import_file
    from jamlik.sources import ImportValidationError

    areas = _import_areas(request)
    if isinstance(areas, HttpResponse):
        return areas
    try:
        kept = previews.load_upload(
            token, user_id=request.user.pk, session_key=request.session.session_key
        )
    except previews.PreviewNotFound:
        raise Http404("no such upload") from None
    preview = kept.preview
    if request.method == "POST" and request.POST.get("action") == "cancel":
        previews.discard_upload(token)
        messages.info(request, _("Nothing was imported from %(file)s.") % {"file": preview.file})
        return redirect("indicators:import")
    questions = QuestionsForm(preview.questions, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if request.POST.get("action") != "confirm":
            return HttpResponseBadRequest("action must be 'confirm' or 'cancel'")
        if questions.is_valid():
            try:
                run = import_file(
                    kept.name,
                    user=request.user,
                    data=kept.data(),
                    restrict_to_user=True,
                    answers=questions.answers(),
                )
            except ImportValidationError as exc:
                previews.discard_upload(token)
                return _upload_page(request, areas, ImportForm(), exc.problems, preview.warnings)
            previews.discard_upload(token)
            messages.success(
                request,
                _("Imported %(rows)s rows from %(file)s.")
                % {"rows": run.rows, "file": preview.file},
            )
            return redirect("indicators:import")
    return render(request, "indicators/import_preview.html", _preview_context(preview, questions))


def _preview_context(preview: Any, questions: Any) -> dict[str, Any]:
    from jamlik.indicators.forms import in_language
    from jamlik.indicators.import_preview import MAX_COUNTED

    codes = [code for code, _n in preview.indicators]
    indicator_names = dict(
        (i.code, i.name) for i in Indicator.objects.filter(code__in=codes[:MAX_COUNTED])
    )
    area_codes = [code for code, _n in preview.areas]
    area_names = dict(
        Area.objects.filter(code__in=area_codes[:MAX_COUNTED]).values_list("code", "name")
    )
    for row in preview.first_rows:
        row["area_name"] = area_names.get(row["area"], "")
    notes = [w for w in preview.warnings if not w.question]
    return {
        "preview": preview,
        "questions": questions,
        "notes": [(w, in_language(w)) for w in notes],
        "indicators": [
            (c, indicator_names.get(c, ""), n) for c, n in preview.indicators[:MAX_COUNTED]
        ],
        "areas": [(c, area_names.get(c, ""), n) for c, n in preview.areas[:MAX_COUNTED]],
        "periods": preview.periods[:MAX_COUNTED],
        "more": {
            "indicators": max(0, len(preview.indicators) - MAX_COUNTED),
            "areas": max(0, len(preview.areas) - MAX_COUNTED),
            "periods": max(0, len(preview.periods) - MAX_COUNTED),
        },
        "has_status": any(row.get("status") for row in preview.first_rows),
    }


@area_permission_required("jamlik.admin_county")
def import_runs(request: HttpRequest, code: str) -> HttpResponse:
    """The county administrator's list of import runs for the county, to publish or withdraw."""
    from jamlik.indicators.services import county_import_runs, may_publish

    county = _area(code, AreaLevel.COUNTY)
    runs = [(run, may_publish(request.user, run)) for run in county_import_runs(county)]
    return render(
        request,
        "indicators/import_runs.html",
        {"county": county, "runs": runs, "demo": any(run.is_demo for run, _ in runs)},
    )


@require_POST
@area_permission_required("jamlik.admin_county")
def import_run_publish(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Publish or unpublish one run (POST with ``action``); refused with 403 unless the
    user administers the county of every area the run touches."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from jamlik.indicators.models import ImportRun
    from jamlik.indicators.publication import DisclosureRiskError, PublishingBusy
    from jamlik.indicators.services import run_touches_county, set_published
    from jamlik.indicators.staging import IncompleteRun

    county = _area(code, AreaLevel.COUNTY)
    run = get_object_or_404(ImportRun, pk=pk)
    if not run_touches_county(run, county):
        raise Http404("no such import run for this county")
    action = request.POST.get("action")
    if action not in ("publish", "unpublish"):
        return HttpResponseBadRequest("action must be 'publish' or 'unpublish'")
    try:
        set_published(run, user=request.user, published=action == "publish")
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except DisclosureRiskError as exc:
        run.refresh_from_db()
        messages.error(
            request,
            _(
                "Not published: %(count)s hidden counts could be recovered from the table "
                "as it would be published. Nothing was changed. %(detail)s"
            )
            % {"count": sum(len(r.at_risk) for r in exc.reports), "detail": exc},
        )
        return redirect("indicators:import-runs", code=county.code)
    except (PublishingBusy, IncompleteRun):
        messages.error(
            request,
            _(
                "Not done: another publication is in progress or the file is still being "
                "stored. Nothing was changed; try again in a minute."
            ),
        )
        return redirect("indicators:import-runs", code=county.code)
    messages.success(
        request,
        (_("Published: %(what)s.") if run.published else _("Withdrawn from the public: %(what)s."))
        % {"what": run.description},
    )
    return redirect("indicators:import-runs", code=county.code)

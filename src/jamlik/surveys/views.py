"""Youth-survey pages (thin): the county's imports and scale definition, a kommun's profile."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamlik.accounts.decorators import area_permission_required
from jamlik.core.version_forms import conflict_response
from jamlik.core.versioning import VersionConflict
from jamlik.geo.models import Area, AreaLevel
from jamlik.surveys import services
from jamlik.surveys.forms import ScaleForm, UploadForm

ADMIN = "jamlik.admin_county"


def _county(code: str) -> Area:
    return get_object_or_404(Area, code=code, level=AreaLevel.COUNTY)


def _county_page(
    request: HttpRequest,
    county: Area,
    *,
    form: UploadForm | None = None,
    scale_form: ScaleForm | None = None,
    problems: list[str] | None = None,
    scale_error: str = "",
    status: int = 200,
) -> HttpResponse:
    try:
        active = services.active_scales(county)
        active_error = ""
    except ValueError as exc:  # a stored definition that no longer loads
        active, active_error = None, str(exc)
    version = active.record.version if active and active.record else None
    return render(
        request,
        "surveys/county.html",
        {
            "county": county,
            "form": form or UploadForm(),
            "scale_form": scale_form
            or ScaleForm(initial={"text": active.text if active else ""}, version=version),
            "problems": problems or [],
            "scale_error": scale_error,
            "active": active,
            "active_error": active_error,
            "imports": services.county_imports(county),
            "kommuner": Area.objects.municipalities(county.code),
            "demo_file": services.DEMO_FILE.exists(),
        },
        status=status,
    )


@area_permission_required(ADMIN)
def county(request: HttpRequest, code: str) -> HttpResponse:
    """The county's survey imports: upload a file, see what each import stored and left out."""
    from jamlik.sources.errors import ImportValidationError
    from jamlik.sources.limits import check_file_size, current_limits
    from jamlik.surveys.microdata import MicrodataError

    county_area = _county(code)
    if request.method != "POST":
        return _county_page(request, county_area)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _county_page(request, county_area, form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        check_file_size(upload.name, upload.size, current_limits())
        record = services.import_survey(
            county_area,
            upload.name,
            upload.read(),
            user=request.user,
            year=form.cleaned_data.get("year"),
        )
    except ImportValidationError as exc:
        problems = [str(p) for p in exc.problems]
        return _county_page(request, county_area, form=form, problems=problems, status=400)
    except (MicrodataError, services.SurveyImportError) as exc:
        return _county_page(
            request, county_area, form=form, problems=list(exc.problems), status=400
        )
    except ValueError as exc:  # the county's stored definition no longer loads
        return _county_page(request, county_area, form=form, problems=[str(exc)], status=400)
    messages.success(
        request,
        _(
            "%(file)s was imported: %(rows)s respondent rows, %(cells)s figures stored. "
            "They are unpublished until you publish the import."
        )
        % {"file": record.file_name, "rows": record.respondents, "cells": record.report["cells"]},
    )
    return redirect("surveys:county", code=county_area.code)


@require_POST
@area_permission_required(ADMIN)
def scales(request: HttpRequest, code: str) -> HttpResponse:
    """Save the county's own scale definition (checked whole first), or reset to shipped."""
    from jamlik.surveys.scales import ScaleFileError

    county_area = _county(code)
    if request.POST.get("action") == "reset":
        if services.reset_scale_definition(county_area):
            messages.success(request, _("The shipped scale definition is used again."))
        return redirect("surveys:county", code=county_area.code)
    form = ScaleForm(request.POST, request.FILES)
    if not form.is_valid():
        return _county_page(request, county_area, scale_form=form, status=400)
    try:
        services.save_scale_definition(
            county_area, form.cleaned_data["text"], user=request.user, version=form.loaded_version()
        )
    except ScaleFileError as exc:
        return _county_page(request, county_area, scale_form=form, scale_error=str(exc), status=400)
    except VersionConflict as conflict:
        stored = ScaleForm(
            initial={"text": conflict.current.text}, version=conflict.current_version
        )
        context = {"county": county_area, "form": form}
        return conflict_response(
            request, "surveys/scales_conflict.html", context, form, conflict, stored
        )
    messages.success(request, _("The county's own scale definition was saved."))
    return redirect("surveys:county", code=county_area.code)


@area_permission_required(ADMIN)
def scales_download(request: HttpRequest, code: str) -> HttpResponse:
    """The definition in force (the county's own or the shipped one) as a TOML file."""
    county_area = _county(code)
    active = services.active_scales(county_area)
    response = HttpResponse(active.text, content_type="application/toml; charset=utf-8")
    name = f"ungdomsenkat-{county_area.code}.toml" if active.record else "ungdomsenkat.toml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@area_permission_required(ADMIN)
def demo_file(request: HttpRequest, code: str) -> HttpResponse:
    """The invented demo microdata file, to try the import with."""
    _county(code)
    if not services.DEMO_FILE.exists():
        raise Http404(_("The demo file is not installed."))
    response = HttpResponse(services.DEMO_FILE.read_bytes(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{services.DEMO_FILE.name}"'
    return response


def kommun(request: HttpRequest, code: str) -> HttpResponse:
    """A kommun's risk and protective profile from the county's youth survey.

    The public sees published figures only; people with a role on the kommun also see
    unpublished imports, marked so (the indicators' visibility layer decides).
    """
    area = get_object_or_404(Area, code=code, level=AreaLevel.MUNICIPALITY)
    try:
        year = int(request.GET.get("ar") or 0) or None
    except ValueError:
        year = None
    page = services.survey_page(
        area,
        user=request.user,
        year=year,
        sex=request.GET.get("kon", ""),
        school_year=request.GET.get("arskurs", ""),
    )
    return render(
        request,
        "surveys/kommun.html",
        {"area": area, "page": page},
        status=200 if page is not None else 404,
    )


def index(request: HttpRequest) -> HttpResponse:
    """Counties with youth-survey figures and their kommuner's profile pages."""
    counties = Area.objects.counties().filter(survey_imports__isnull=False).distinct()
    rows = [
        (
            c,
            list(Area.objects.municipalities(c.code)),
            request.user.is_authenticated and request.user.has_perm(ADMIN, c),
        )
        for c in counties
    ]
    return render(request, "surveys/index.html", {"rows": rows})

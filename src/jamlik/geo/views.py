"""Area pages: the list of counties, a county's page and a kommun's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jamlik.accounts.decorators import area_permission_required
from jamlik.core.sections import render_sections
from jamlik.geo import services
from jamlik.geo.forms import BoundaryFileForm, DistrictFileForm, DistrictForm
from jamlik.geo.maps import MAP_PARAMETER, MAP_TILES, county_map, map_choice
from jamlik.geo.models import Area, AreaLevel, DistrictKind
from jamlik.sources.errors import ImportValidationError


def county_list(request: HttpRequest) -> HttpResponse:
    counties = Area.objects.counties()
    return render(request, "geo/county_list.html", {"counties": counties})


def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(Area.objects.select_related("parent__parent"), code=code)
    context = {
        "area": area,
        "ancestors": area.ancestors(),
        "sections": render_sections(area, request),
    }
    if area.level == AreaLevel.COUNTY:
        municipalities = list(Area.objects.municipalities(area.code))
        county = county_map(municipalities, kind=map_choice(request.GET.get(MAP_PARAMETER)))
        county.toggle_url = f"?{MAP_PARAMETER}={MAP_TILES}" if county.kind == "boundaries" else "?"
        context |= {"municipalities": municipalities, "map": county}
        return render(request, "geo/county.html", context)
    if area.level == AreaLevel.COUNTRY:
        context |= {"counties": Area.objects.counties()}
        return render(request, "geo/country.html", context)
    context |= {
        "districts": Area.objects.districts(area.code)
        if area.level == AreaLevel.MUNICIPALITY
        else [],
        "can_add_district": area.level == AreaLevel.MUNICIPALITY
        and request.user.has_perm("jamlik.admin_county", area),
    }
    return render(request, "geo/municipality.html", context)


def _kommun(code: str) -> Area:
    return get_object_or_404(
        Area.objects.select_related("parent"), code=code, level=AreaLevel.MUNICIPALITY
    )


def _district(code: str) -> Area:
    return get_object_or_404(
        Area.objects.select_related("parent"), code=code, level=AreaLevel.DISTRICT
    )


def _district_rows(kommun: Area) -> list[Area]:
    """The kommun's districts with ``has_data`` (any observation stored for it)."""
    from jamlik.indicators.models import Observation

    return list(
        Area.objects.districts(kommun.code)
        .defer("boundary")
        .annotate(
            has_data=Exists(Observation.objects.filter(area=OuterRef("pk"))),
            has_boundary=ExpressionWrapper(Q(boundary__isnull=False), output_field=BooleanField()),
        )
        .order_by("district_kind", "code")
    )


#: Kinds as a table column names them (the model's labels explain, these are short).
SHORT_KINDS = {
    DistrictKind.STADSDEL: gettext_lazy("Stadsdel"),
    DistrictKind.DESO: "DeSO",
    DistrictKind.REGSO: "RegSO",
    DistrictKind.OTHER: gettext_lazy("Other"),
}


def _manage(request: HttpRequest, kommun: Area, *, status: int = 200, **extra: Any) -> HttpResponse:
    context = {
        "area": kommun,
        "ancestors": kommun.ancestors(),
        "districts": [(d, SHORT_KINDS.get(d.district_kind, "–")) for d in _district_rows(kommun)],
        "file_form": DistrictFileForm(),
        "boundary_form": BoundaryFileForm(),
        **extra,
    }
    return render(request, "geo/district_list.html", context, status=status)


@area_permission_required("jamlik.admin_county")
def district_list(request: HttpRequest, code: str) -> HttpResponse:
    """The kommun's districts, to add, edit, delete, define from a file and draw."""
    return _manage(request, _kommun(code))


@require_POST
@area_permission_required("jamlik.admin_county")
def district_file(request: HttpRequest, code: str) -> HttpResponse:
    """Define districts from a CSV or XLSX file: all rows stored, or none."""
    kommun = _kommun(code)
    form = DistrictFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _manage(request, kommun, file_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        result = services.define_districts(kommun, upload.read(), upload.name)
    except ImportValidationError as exc:
        return _manage(
            request,
            kommun,
            file_form=form,
            problems=exc.problems,
            problem_file=upload.name,
            status=400,
        )
    messages.success(
        request,
        _(
            "%(file)s: %(rows)d rows read; %(created)d districts added, %(updated)d updated, "
            "%(blank)d blank rows left out."
        )
        % {
            "file": upload.name,
            "rows": result.rows_read,
            "created": result.created,
            "updated": result.updated,
            "blank": result.blank_rows,
        },
    )
    return redirect("geo:district-list", code=kommun.code)


@require_POST
@area_permission_required("jamlik.admin_county")
def district_boundaries(request: HttpRequest, code: str) -> HttpResponse:
    """Store the districts' boundaries from a GeoJSON file: all features, or none."""
    kommun = _kommun(code)
    form = BoundaryFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _manage(request, kommun, boundary_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        result = services.import_district_boundaries(
            kommun, upload.read(), upload.name, code_property=form.cleaned_data["code_property"]
        )
    except services.BoundaryError as exc:
        form.add_error("file", str(exc))
        return _manage(request, kommun, boundary_form=form, status=400)
    note = (
        _(" %(n)d shapes were repaired.") % {"n": len(result.repaired)} if result.repaired else ""
    )
    messages.success(
        request,
        _("%(file)s: boundaries stored for %(n)d districts (read as %(crs)s).")
        % {"file": upload.name, "n": result.stored, "crs": result.crs}
        + note,
    )
    return redirect("geo:district-list", code=kommun.code)


@area_permission_required("jamlik.admin_county")
def district_add(request: HttpRequest, code: str) -> HttpResponse:
    kommun = _kommun(code)
    form = DistrictForm(request.POST or None, kommun=kommun.code)
    if request.method == "POST" and form.is_valid():
        try:
            district = services.add_district(kommun, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("District %(name)s added.") % {"name": district.name})
            return redirect("geo:district-list", code=kommun.code)
    return render(
        request,
        "geo/district_form.html",
        {"area": kommun, "ancestors": kommun.ancestors(), "form": form},
    )


@area_permission_required("jamlik.admin_county")
def district_edit(request: HttpRequest, code: str) -> HttpResponse:
    district = _district(code)
    form = DistrictForm(
        request.POST or None,
        kommun=district.parent.code,
        code=district.code,
        initial={"name": district.name, "kind": district.district_kind or "stadsdel"},
    )
    if request.method == "POST" and form.is_valid():
        services.update_district(
            district, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"]
        )
        messages.success(request, _("District %(name)s saved.") % {"name": district.name})
        return redirect("geo:district-list", code=district.parent.code)
    return render(
        request,
        "geo/district_form.html",
        {
            "area": district.parent,
            "ancestors": district.parent.ancestors(),
            "district": district,
            "form": form,
        },
    )


@area_permission_required("jamlik.admin_county")
def district_delete(request: HttpRequest, code: str) -> HttpResponse:
    """Delete a district without data; one with stored observations is refused, saying why."""
    district = _district(code)
    kommun = district.parent
    in_use = services.district_has_data(district)
    if request.method == "POST" and not in_use:
        try:
            services.delete_district(district)
        except services.DistrictInUse:
            in_use = True
        else:
            messages.success(request, _("District %(name)s deleted.") % {"name": district.name})
            return redirect("geo:district-list", code=kommun.code)
    return render(
        request,
        "geo/district_delete.html",
        {"area": kommun, "ancestors": kommun.ancestors(), "district": district, "in_use": in_use},
        status=409 if in_use and request.method == "POST" else 200,
    )

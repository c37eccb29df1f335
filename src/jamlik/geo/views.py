"""Area pages: the list of counties, a county's page and a kommun's page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jamlik.accounts.decorators import area_permission_required
from jamlik.core.sections import render_sections
from jamlik.geo.forms import DistrictForm
from jamlik.geo.maps import MAP_PARAMETER, MAP_TILES, county_map, map_choice
from jamlik.geo.models import Area, AreaLevel
from jamlik.geo.services import add_district


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


@area_permission_required("jamlik.admin_county")
def district_add(request: HttpRequest, code: str) -> HttpResponse:
    municipality = get_object_or_404(Area, code=code, level=AreaLevel.MUNICIPALITY)
    form = DistrictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            district = add_district(municipality, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("District %(name)s added.") % {"name": district.name})
            return redirect("geo:area", code=municipality.code)
    return render(request, "geo/district_form.html", {"area": municipality, "form": form})

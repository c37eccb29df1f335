"""Pages where a county administrator keeps the county's own indicators; thin views over
:mod:`jamlik.indicators.own`. Another county's administrator, kommun editors and viewers
get 403, anonymous visitors the login page; only national administrators may promote."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamlik.accounts.decorators import area_permission_required
from jamlik.core.version_forms import conflict_response
from jamlik.core.versioning import VersionConflict
from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators import own
from jamlik.indicators.models import Indicator
from jamlik.indicators.own_forms import OwnIndicatorForm

ADMIN = "jamlik.admin_county"


def _county(code: str) -> Area:
    return get_object_or_404(Area, code=code, level=AreaLevel.COUNTY)


def _own(county: Area, pk: int) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("owner"), pk=pk, owner=county)


def own_home(request: HttpRequest) -> HttpResponse:
    """Where the menu leads: the county's list for its administrator (shown here), the
    counties for a national administrator; anyone else is refused (login page or 403)."""
    from django.contrib.auth.views import redirect_to_login
    from django.db.models import Count, Q

    from jamlik.accounts.services import counties_user_administers

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    counties = counties_user_administers(request.user)
    if not counties:
        raise PermissionDenied
    if len(counties) == 1:  # the menu's link: the county's list itself, not a redirect
        return _list_page(request, counties[0])
    counted = Area.objects.filter(pk__in=[c.pk for c in counties]).annotate(
        own=Count("own_indicators", filter=Q(own_indicators__current=True))
    )
    return render(request, "indicators/own_home.html", {"counties": counted.order_by("code")})


@area_permission_required(ADMIN)
def own_list(request: HttpRequest, code: str) -> HttpResponse:
    return _list_page(request, _county(code))


def _list_page(request: HttpRequest, county: Area) -> HttpResponse:
    rows = own.own_indicators(county)
    return render(
        request,
        "indicators/own_list.html",
        {
            "county": county,
            "indicators": rows,
            "may_promote": request.user.has_perm("jamlik.admin_national"),
        },
    )


@area_permission_required(ADMIN)
def own_create(request: HttpRequest, code: str) -> HttpResponse:
    county = _county(code)
    form = OwnIndicatorForm(
        request.POST or None, instance=Indicator(owner=county), county=county, creating=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = own.create_own(
                county, series=form.cleaned_data["series"], user=request.user, **form.values()
            )
        except own.OwnIndicatorError as exc:
            form.add_error(exc.field or None, str(exc))
        else:
            messages.success(
                request,
                _("The indicator %(code)s was created. Import its values with the import template.")
                % {"code": created.code},
            )
            return redirect("indicators:own-list", code=county.code)
    return render(
        request, "indicators/own_form.html", {"county": county, "form": form, "creating": True}
    )


@area_permission_required(ADMIN)
def own_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    county = _county(code)
    indicator = _own(county, pk)
    if not indicator.current:
        newer = own.current_of(indicator)
        messages.info(
            request,
            _("%(old)s is an older definition and is kept as it was; this is the current one.")
            % {"old": indicator.code},
        )
        return redirect("indicators:own-edit", code=county.code, pk=newer.pk)
    form = OwnIndicatorForm(request.POST or None, instance=indicator, county=county)
    context = {
        "county": county,
        "indicator": indicator,
        "has_values": own.has_values(indicator),
        "defining": own.DEFINING_FIELDS,
        "may_promote": request.user.has_perm("jamlik.admin_national"),
    }
    if request.method == "POST" and form.is_valid():
        stored = Indicator.objects.get(pk=indicator.pk)  # the form changed ``indicator``
        try:
            saved = own.save_own(
                stored, form.values(), expected=form.loaded_version(), user=request.user
            )
        except VersionConflict as conflict:
            current = OwnIndicatorForm(instance=conflict.current, county=county)
            return conflict_response(
                request, "indicators/own_form.html", context, form, conflict, current
            )
        except own.OwnIndicatorError as exc:
            form.add_error(exc.field or None, str(exc))
        else:
            if saved.new_version:
                messages.success(
                    request,
                    _(
                        "The definition changed, so a new version %(new)s was started; the "
                        "values of %(old)s keep their definition. Import new values for %(new)s."
                    )
                    % {"new": saved.indicator.code, "old": indicator.code},
                )
            elif saved.changed:
                messages.success(request, _("%(code)s was saved.") % {"code": indicator.code})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("indicators:own-list", code=county.code)
    return render(request, "indicators/own_form.html", {**context, "form": form})


@require_POST
@area_permission_required(ADMIN)
def own_promote(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Move the series to the shared catalogue: national administrators only (403 otherwise)."""
    county = _county(code)
    indicator = _own(county, pk)
    try:
        rows = own.promote(indicator, user=request.user)
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(
        request,
        _("%(code)s is now in the shared catalogue, for every county.") % {"code": rows[-1].code},
    )
    return redirect("indicators:indicator", code=rows[-1].code)

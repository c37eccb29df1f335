"""Web data entry and the county's completeness view: thin views over
:mod:`jamlik.indicators.entry_services` and :mod:`jamlik.indicators.entry_completeness`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jamlik.accounts.decorators import area_permission_required
from jamlik.accounts.services import areas_user_can_edit
from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators.entry import (
    CELL_STATE_LABELS,
    CellState,
    EntryShape,
    entry_shape,
    recent_periods,
)
from jamlik.indicators.entry_completeness import completeness
from jamlik.indicators.entry_forms import (
    EntryGridForm,
    column_headers,
    posted_area_codes,
    read_shown,
    sign_shown,
)
from jamlik.indicators.entry_services import (
    EntryConflict,
    EntryInvalid,
    EntryNotFound,
    EntryRefused,
    check_may_enter,
    checked_period,
    entry_indicators,
    entry_kommuner,
    indicator_pattern,
    latest_year,
    save_entry,
    stored_cells,
)
from jamlik.indicators.models import Indicator


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "indicators/entry_refused.html", {"reason": reason}, status=403)


def entry_index(request: HttpRequest) -> HttpResponse:
    """The web-entry indicators the user may enter, each with its recent periods."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not areas_user_can_edit(request.user):
        raise PermissionDenied
    year = latest_year()
    choices = [
        (indicator, recent_periods(indicator_pattern(indicator), year))
        for indicator in entry_indicators(request.user)
    ]
    return render(request, "indicators/entry_index.html", {"choices": choices})


def _county(request: HttpRequest) -> Area | None:
    code = request.GET.get("lan", "")
    return Area.objects.filter(code=code, level=AreaLevel.COUNTY).first() if code else None


def entry_form(request: HttpRequest, indicator: str, period: str) -> HttpResponse:
    """The grid for one indicator and period: GET shows it, POST stores the changed rows."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    chosen = get_object_or_404(Indicator.objects.select_related("owner"), code=indicator)
    try:
        check_may_enter(request.user, chosen)
        label, _pattern = checked_period(chosen, period)
    except EntryRefused as exc:
        return _refused(request, str(exc))
    except EntryNotFound as exc:
        raise Http404(str(exc)) from exc
    if label != period:
        return redirect("indicators:entry-form", indicator=chosen.code, period=label)
    kommuner = entry_kommuner(request.user, chosen, _county(request))
    if not kommuner:
        return _refused(request, _("You may not enter values for any kommun of this indicator."))
    shape = entry_shape(chosen.value_type)
    stored = stored_cells(chosen, label, kommuner)
    changed: dict = {}
    conflict = None
    shown = None
    if request.method == "POST":
        if posted_area_codes(request.POST) - {a.code for a in kommuner}:
            raise PermissionDenied("values for a kommun the user may not edit")
        form = EntryGridForm(request.POST, kommuner=kommuner, shape=shape, stored=stored)
        shown = read_shown(request.POST.get("shown", ""), chosen.pk, label)
        if shown is None:
            form.add_error(None, _("The form was not this page's: reload it and enter again."))
        elif form.is_valid():
            try:
                saved = save_entry(
                    request.user, chosen, label, form.entered_rows(), shown, kommuner
                )
            except EntryRefused as exc:
                return _refused(request, str(exc))
            except EntryInvalid as exc:
                for problem in exc.problems:
                    form.add_problem(problem.area, problem.column, problem.message)
            except EntryConflict as exc:
                conflict = exc
                changed = {c.area: c.stored for c in exc.cells}
                # Show the stored numbers beside the user's, and sign what is stored now,
                # so saving again deliberately replaces them.
                stored = exc.current
                form.stored = dict(stored)
            else:
                _report_saved(request, saved, chosen)
                return redirect(request.get_full_path())
    else:
        form = EntryGridForm(kommuner=kommuner, shape=shape, stored=stored)
    if form.is_bound and shown is not None and conflict is None:
        shown_token = request.POST["shown"]  # still what the user saw, not what is stored now
    else:
        shown_token = sign_shown(chosen.pk, label, form.shown_numbers())
    county = kommuner[0].parent if kommuner else None
    may_publish = county is not None and request.user.has_perm("jamlik.admin_county", county)
    return render(
        request,
        "indicators/entry_form.html",
        {
            "indicator": chosen,
            "period": label,
            "form": form,
            "shown_token": shown_token,
            "rows": form.grid(chosen.multiplier, changed),
            "headers": column_headers(shape),
            "counts": shape == EntryShape.COUNTS,
            "conflict": conflict,
            "county": county,
            "may_publish": may_publish,
            "awaiting": any(c.state == CellState.STAGED for c in stored.values()),
            "summary": form.error_summary() if form.is_bound else [],
        },
        status=409 if conflict else (400 if form.is_bound and form.errors else 200),
    )


def _report_saved(request: HttpRequest, saved, indicator: Indicator) -> None:  # noqa: ANN001
    if saved.run is None:
        messages.info(request, _("Nothing was changed, so nothing was stored."))
        return
    messages.success(
        request,
        ngettext(
            "Saved for %(count)s kommun (%(names)s). The values await publication by the "
            "county administrator.",
            "Saved for %(count)s kommuner (%(names)s). The values await publication by the "
            "county administrator.",
            len(saved.kommuner),
        )
        % {"count": len(saved.kommuner), "names": ", ".join(saved.kommuner)},
    )


@area_permission_required("jamlik.admin_county")
def completeness_view(request: HttpRequest, code: str) -> HttpResponse:
    """The county's matrix of web-entry indicators × kommuner for one period."""
    county = get_object_or_404(Area, code=code, level=AreaLevel.COUNTY)
    matrix = completeness(county, request.GET.get("period") or None)
    return render(
        request,
        "indicators/completeness.html",
        {"matrix": matrix, "labels": {str(k): v for k, v in CELL_STATE_LABELS.items()}},
    )

"""Pages for keeping the map current: inventory rounds, import and export, the national roll-up."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from jamlik.accounts.reminders import last_reminded, outcome_message, send_reminders
from jamlik.actors import queries, services, tabular
from jamlik.actors.choices import (
    MergeStatus,
)
from jamlik.actors.forms import (
    ImportForm,
    PackageForm,
    RoundForm,
    editable_areas,
)
from jamlik.actors.models import Actor, InventoryRound, MergeCandidate
from jamlik.actors.rows import county_rows
from jamlik.actors.services.rounds import REMINDER_TOPIC
from jamlik.actors.views import county_from_request, has_demo, may_see_contacts
from jamlik.core.exports import csv_response
from jamlik.geo.models import Area, AreaLevel

# ---- inventory rounds ------------------------------------------------------------


def _round_refusal(request: HttpRequest, county: Area) -> HttpResponse | None:
    """Rounds are for people with a role in the county or one of its kommuner."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (
        request.user.has_perm("jamlik.view_area_unpublished", county)
        or editable_areas(request.user, county)
    ):
        raise PermissionDenied
    return None


def rounds(request: HttpRequest) -> HttpResponse:
    county = county_from_request(request)
    refusal = _round_refusal(request, county)
    if refusal:
        return refusal
    is_admin = request.user.has_perm("jamlik.admin_county", county)
    form = RoundForm(request.POST or None)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            try:
                round_ = services.open_inventory_round(
                    request.user, county, form.cleaned_data["name"]
                )
            except services.RoundError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("The round is open; editors can now update their kommun.")
                )
                return redirect("actors:round", pk=round_.pk)
    context = {
        "county": county,
        "rounds": InventoryRound.objects.filter(county=county),
        "form": form,
        "is_admin": is_admin,
    }
    return render(request, "actors/rounds.html", context)


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(InventoryRound.objects.select_related("county"), pk=pk)
    refusal = _round_refusal(request, round_.county)
    if refusal:
        return refusal
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "close":
            services.close_inventory_round(request.user, round_)  # refuses non-admins
            messages.success(request, _("The round is closed."))
        elif action == "remind":
            if not request.user.has_perm("jamlik.admin_county", round_.county):
                raise PermissionDenied
            outcome = send_reminders(
                services.inventory_reminders(round_),
                base_url=request.build_absolute_uri("/"),
                sent_by=request.user,
            )
            messages.info(request, outcome_message(outcome))
        elif action == "confirm":
            kommun = get_object_or_404(
                Area, code=request.POST.get("kommun", ""), level=AreaLevel.MUNICIPALITY
            )
            try:
                services.confirm_kommun(request.user, round_, kommun)
            except services.RoundError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request, _("Confirmed: %(kommun)s is up to date.") % {"kommun": kommun.name}
                )
        return redirect("actors:round", pk=round_.pk)
    report = services.round_report(round_)
    _hide_contacts(request.user, report.changes)
    reminded = last_reminded(REMINDER_TOPIC, [row["area"] for row in report.by_area])
    for row in report.by_area:
        row["reminded_at"] = reminded.get(row["area"].pk)
    context = {
        "unconfirmed": sum(1 for row in report.by_area if not row["confirmed"]),
        "round": round_,
        "report": report,
        "is_admin": request.user.has_perm("jamlik.admin_county", round_.county),
        "my_kommuner": [
            a
            for a in editable_areas(request.user, round_.county)
            if a.level == AreaLevel.MUNICIPALITY
        ],
    }
    return render(request, "actors/round_detail.html", context)


#: Fields of a change-log row that may hold a person's details (see ``may_see_contacts``).
CONTACT_FIELDS = ("contact",)
HIDDEN = _lazy("(hidden)")


def _hide_contacts(user, changes) -> None:  # noqa: ANN001
    """Blank contact details in changes of areas where ``user`` may not see them.

    The round's diff is built from full snapshots; an editor of another kommun sees that
    a contact changed, not what it says, as on the actor page and in the API.
    """
    areas = {a.code: a for a in Area.objects.filter(code__in={c.area for c in changes})}
    allowed: dict[str, bool] = {}
    for change in changes:
        if change.area not in allowed:
            area = areas.get(change.area)
            allowed[change.area] = area is not None and may_see_contacts(user, area)
        if not allowed[change.area]:
            for name in CONTACT_FIELDS:
                if name in change.fields:
                    change.fields[name] = [HIDDEN, HIDDEN]


# ---- import and export -----------------------------------------------------------


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    county = county_from_request(request)
    if not editable_areas(request.user, county):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[tabular.RowError] = []
    problem = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            sheets = tabular.read_any(
                upload.name, content, sheet=form.cleaned_data.get("sheet") or "activities"
            )
            result = services.import_sheets(request.user, county, sheets)
        except tabular.FormatError as exc:
            problem = f"{upload.name}: {exc}"
        except tabular.ImportRejected as exc:
            errors = exc.errors
            problem = _("Nothing was imported: %(n)s problem(s) were found.") % {"n": len(errors)}
        else:
            messages.success(request, _("Imported: %(summary)s.") % {"summary": result.summary()})
            language = get_language()
            for warning in (w for sheet in sheets for w in sheet.warnings):
                messages.info(request, warning.in_language(language))
            return redirect(f"{request.path}?county={county.code}")
    return render(
        request,
        "actors/import.html",
        {
            "form": form,
            "county": county,
            "errors": errors[:500],
            "problem": problem,
            "more": max(0, len(errors) - 500),
        },
    )


def template_xlsx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        tabular.write_xlsx({}),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="jamlik-aktorskarta-mall.xlsx"'
    return response


def export(request: HttpRequest, county: str, fmt: str) -> HttpResponse:
    area = get_object_or_404(Area, code=county, level=AreaLevel.COUNTY)
    demo = has_demo(area)
    contacts = may_see_contacts(request.user, area)
    if fmt == "json":
        package = services.export_package(area, demo=demo, with_contacts=contacts)
        response = HttpResponse(
            json.dumps(package, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="aktorskarta-{county}-{package["version"]}.json"'
        )
        return response
    rows = county_rows(area.code, with_contacts=contacts)
    if fmt == "xlsx":
        response = HttpResponse(
            tabular.write_xlsx(rows, demo=demo),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="aktorskarta-{county}.xlsx"'
        return response
    if fmt == "csv":
        sheet = request.GET.get("sheet", "activities")
        if sheet not in tabular.SHEETS:
            raise Http404
        return csv_response(
            f"aktorskarta-{county}-{sheet}.csv",
            tabular.csv_columns(sheet),
            tabular.csv_rows(rows[sheet]),
            demo=demo,
        )
    raise Http404


# ---- national roll-up -----------------------------------------------------------


def national(request: HttpRequest) -> HttpResponse:
    from jamlik.actors.models import CountyPackage

    is_national = request.user.has_perm("jamlik.admin_national")
    context = {
        "matrix": queries.national_matrix(),
        "across": queries.actors_across_counties(),
        "packages": CountyPackage.objects.select_related("county", "imported_by"),
        "is_national": is_national,
        "form": PackageForm(),
        "queue": MergeCandidate.objects.filter(status=MergeStatus.PENDING).select_related(
            "incoming__county", "existing__county"
        )[:100]
        if is_national
        else [],
        "demo": Actor.objects.filter(is_demo=True).exists(),
    }
    return render(request, "actors/national.html", context)


@require_POST
def package_import(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("jamlik.admin_national"):
        raise PermissionDenied
    form = PackageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = services.import_county_package(request.user, form.cleaned_data["file"].read())
        except tabular.FormatError as exc:
            messages.error(request, _("The package was not imported: %(reason)s") % {"reason": exc})
        except tabular.ImportRejected as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _(
                    "%(county)s imported: %(merged)s actors merged, %(review)s to review, %(new)s new."
                )
                % {
                    "county": result.package.county.name,
                    "merged": result.merged,
                    "review": result.review,
                    "new": result.new,
                },
            )
    else:
        messages.error(request, _("Choose a package file."))
    return redirect("actors:national")


@require_POST
def merge_decision(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("jamlik.admin_national"):
        raise PermissionDenied
    candidate = get_object_or_404(MergeCandidate, pk=pk, status=MergeStatus.PENDING)
    services.decide_merge(request.user, candidate, same=request.POST.get("decision") == "same")
    messages.success(request, _("Decision saved."))
    return redirect("actors:national")

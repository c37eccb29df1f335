"""Pages of the follow-up: the public answer page, the link's controls, the results (thin)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamlik.core.exports import csv_response
from jamlik.geo.models import Area
from jamlik.support import followup, followup_services
from jamlik.support.access import can_view_activity, visible_activities
from jamlik.support.followup_forms import KOMMUN, ROLE, FollowUpAnswerForm, OpenFollowUpForm
from jamlik.support.models import SupportActivity
from jamlik.support.pages import county_from, login_first, require

ADMIN = "jamlik.admin_county"
ANSWERED_COOKIE = "jamlik_followup_{pk}"
"""Set after an answer, so reloading the page or sending it again does not count twice.
It is a courtesy against double counting, not a guarantee: a participant who clears
cookies or uses another browser can answer again (the link carries no identity)."""


def today() -> date:
    return date.today()


def _by_token(token: str) -> SupportActivity:
    return get_object_or_404(
        SupportActivity.objects.select_related("county"), follow_up_token=token
    )


def _already_answered(request: HttpRequest, activity: SupportActivity) -> bool:
    return request.COOKIES.get(ANSWERED_COOKIE.format(pk=activity.pk)) == "1"


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The participant's questionnaire: no login, one POST stores one answer."""
    activity = _by_token(token)
    if not followup.is_open(activity.follow_up_token, activity.follow_up_closes, today()):
        return render(request, "support/followup_closed.html", {"activity": activity}, status=410)
    if _already_answered(request, activity):
        return render(
            request, "support/followup_thanks.html", {"activity": activity, "again": True}
        )
    kommuner = [(k.code, k.name) for k in followup_services.activity_kommuner(activity)]
    form = FollowUpAnswerForm(request.POST or None, kommuner=kommuner, lang=request.LANGUAGE_CODE)
    if request.method == "POST" and form.is_valid():
        try:
            followup_services.record_answer(
                activity,
                kommun=form.cleaned_data[KOMMUN],
                role=form.cleaned_data[ROLE],
                answers=form.answers(),
                today=today(),
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            response = redirect("support:followup-thanks", token=token)
            closes = activity.follow_up_closes or today()
            response.set_cookie(
                ANSWERED_COOKIE.format(pk=activity.pk),
                "1",
                max_age=max(1, (closes - today()).days + 1) * 86_400,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
    scale_fields = [form[i.key] for i in followup.ITEMS]
    return render(
        request,
        "support/followup_answer.html",
        {"activity": activity, "form": form, "item_fields": scale_fields},
        status=400 if request.method == "POST" else 200,
    )


def thanks(request: HttpRequest, token: str) -> HttpResponse:
    activity = _by_token(token)
    return render(request, "support/followup_thanks.html", {"activity": activity, "again": False})


def _administered(request: HttpRequest, pk: int) -> SupportActivity:
    activity = get_object_or_404(SupportActivity.objects.select_related("county"), pk=pk)
    require(request, ADMIN, activity.county)
    return activity


def _back(activity: SupportActivity) -> HttpResponse:
    return redirect(reverse("support:activity", args=[activity.pk]) + "#uppfoljning")


@login_first
@require_POST
def open_link(request: HttpRequest, pk: int) -> HttpResponse:
    """County administrators open (reopen, extend) the follow-up of an activity."""
    activity = _administered(request, pk)
    form = OpenFollowUpForm(request.POST, today=today())
    if not form.is_valid():
        for error in form.errors.get("closes", []):
            messages.error(request, error)
        return _back(activity)
    followup_services.open_link(activity, form.cleaned_data["closes"])
    messages.success(
        request, _("The follow-up is open. Copy the link and send it to the participants.")
    )
    return _back(activity)


@login_first
@require_POST
def close_link(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _administered(request, pk)
    followup_services.close_link(activity, today())
    messages.success(request, _("The follow-up is closed; the link no longer takes answers."))
    return _back(activity)


@login_first
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity's results, for whoever may see the activity; free texts for its county's
    administrators only (a participant may have written something that points at them)."""
    activity = get_object_or_404(SupportActivity.objects.select_related("county"), pk=pk)
    if not can_view_activity(request.user, activity):
        raise PermissionDenied
    summary = followup.summary(
        followup_services.rows(
            followup_services.county_answers(SupportActivity.objects.filter(pk=pk))
        )
    )
    return render(
        request,
        "support/followup_results.html",
        {
            "activity": activity,
            "summary": summary,
            "overall": followup.labelled(summary.overall, request.LANGUAGE_CODE),
            "groups": [
                (
                    _("Management level (politicians and managers)"),
                    followup.labelled(summary.groups[followup.MANAGEMENT], request.LANGUAGE_CODE),
                ),
                (
                    _("Other participants"),
                    followup.labelled(summary.groups[followup.OTHERS], request.LANGUAGE_CODE),
                ),
            ],
            "show_texts": request.user.has_perm(ADMIN, activity.county),
            "min_answers": followup.MIN_ANSWERS,
            "demo": activity.is_demo,
        },
    )


def _county_table(request: HttpRequest) -> tuple[Area, list[int], list[dict], bool]:
    county = county_from(request)
    activities = visible_activities(request.user, county)
    if not activities.exists() and not request.user.has_perm(
        "jamlik.view_area_unpublished", county
    ):
        raise PermissionDenied
    answers = followup_services.county_answers(activities)
    years, table = followup.by_kommun_and_year(followup_services.rows(answers))
    names = dict(Area.objects.filter(code__in=[c for c in table if c]).values_list("code", "name"))
    lines = [
        {
            "code": code,
            "name": names.get(code, code) if code else _("Other or not given"),
            "cells": [per_year.get(y) for y in years],
        }
        for code, per_year in sorted(table.items(), key=lambda kv: (kv[0] == "", kv[0]))
    ]
    return county, years, lines, answers.filter(is_demo=True).exists()


@login_first
def county_results(request: HttpRequest) -> HttpResponse:
    """Per kommun and year: the share answering 4–5 on "new knowledge", with n."""
    county, years, lines, demo = _county_table(request)
    return render(
        request,
        "support/followup_county.html",
        {
            "county": county,
            "years": years,
            "lines": lines,
            "demo": demo,
            "min_answers": followup.MIN_ANSWERS,
            "partner_only": not request.user.has_perm("jamlik.view_area_unpublished", county),
        },
    )


@login_first
def county_csv(request: HttpRequest) -> HttpResponse:
    county, years, lines, demo = _county_table(request)
    columns = [
        ("code", _("Code")),
        ("name", _("Municipality")),
        ("year", _("Year")),
        ("n", _("Answers")),
        ("share", _("Share answering 4–5 (%)")),
        ("lower", _("Lower limit (95%)")),
        ("upper", _("Upper limit (95%)")),
        ("note", _("Note")),
    ]
    data = []
    for line in lines:
        for year, cell in zip(years, line["cells"], strict=True):
            if cell is None:
                continue
            shown = not cell.suppressed
            data.append(
                {
                    "code": line["code"],
                    "name": line["name"],
                    "year": year,
                    "n": cell.n if shown else "",
                    "share": round(cell.share, 1) if shown else "",
                    "lower": round(cell.lower, 1) if shown else "",
                    "upper": round(cell.upper, 1) if shown else "",
                    "note": ""
                    if shown
                    else _("fewer than %(n)s answers") % {"n": followup.MIN_ANSWERS},
                }
            )
    return csv_response(f"uppfoljning-{county.code}.csv", columns, data, demo=demo)

"""Pages for the county's experts (thin): the list, one expert, and the edit form.

Experts are people with contact details, so every page needs a role in the county
(``jamlik.view_area_unpublished``: a partner role does not count) and changing them needs
the county administrator. Anonymous visitors are sent to log in.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jamlik.core.version_forms import conflict_response
from jamlik.core.versioning import VersionConflict
from jamlik.support import experts, services
from jamlik.support.forms import ExpertForm
from jamlik.support.models import Expert
from jamlik.support.pages import county_from, login_first, require, save_posted_form

VIEW = "jamlik.view_area_unpublished"
ADMIN = "jamlik.admin_county"


@login_first
def expert_list(request: HttpRequest) -> HttpResponse:
    county = county_from(request)
    require(request, VIEW, county)
    subjects = experts.subject_choices(county, request.LANGUAGE_CODE)
    subject = request.GET.get("subject", "")
    if subject not in dict(subjects):
        subject = ""
    names = dict(subjects)
    rows = [
        (e, [names.get(k, k) for k in e.subject_areas or []])
        for e in experts.experts_for_county(county, subject)
    ]
    return render(
        request,
        "support/expert_list.html",
        {
            "county": county,
            "rows": rows,
            "subjects": subjects,
            "subject": subject,
            "demo": any(e.is_demo for e, _n in rows),
            "can_admin": request.user.has_perm(ADMIN, county),
        },
    )


@login_first
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_object_or_404(Expert.objects.select_related("county", "organisation"), pk=pk)
    require(request, VIEW, expert.county)
    return render(
        request,
        "support/expert_detail.html",
        {
            "expert": expert,
            "county": expert.county,
            "subject_names": experts.subject_names(expert, request.LANGUAGE_CODE),
            "activities": experts.expert_activities(expert, request.user),
            "demo": expert.is_demo,
            "can_admin": request.user.has_perm(ADMIN, expert.county),
        },
    )


@login_first
def expert_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    expert = get_object_or_404(Expert, pk=pk) if pk else None
    county = expert.county if expert else county_from(request)
    require(request, ADMIN, county)
    form = ExpertForm(request.POST or None, instance=expert, county=county)
    context = {"form": form, "title": _("Expert"), "county": county}
    try:
        saved = save_posted_form(
            request,
            form,
            lambda: services.save_expert(
                county, form.values(), expert=expert, version=form.loaded_version()
            ),
            _("The expert was saved."),
        )
    except VersionConflict as conflict:
        stored = ExpertForm(instance=conflict.current, county=county)
        return conflict_response(request, "support/form.html", context, form, conflict, stored)
    if saved is not None:
        return redirect("support:expert", pk=saved.pk)
    return render(request, "support/form.html", context)

"""Pages of the exchange of experience: shared plans as examples, and sharing a plan (thin).

The rules of who reads what live in :mod:`jamlik.prevention.sharing`; these views only
turn them into pages. A plan not shared with the reader answers 404, not 403, so that the
page does not tell which plan numbers exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamlik.core.version_forms import conflict_response
from jamlik.core.versioning import VersionConflict
from jamlik.prevention import dialogue, sharing
from jamlik.prevention.models import Plan, SharedPart
from jamlik.prevention.sharing_forms import SharedSearchForm, sharing_form_for
from jamlik.support.pages import login_first, refusal_for

EDIT = "jamlik.edit_area"


def _lang(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "sv") or "sv"


@login_first
def shared_list(request: HttpRequest) -> HttpResponse:
    form = SharedSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    views = sharing.visible_shared_plans(
        request.user,
        filters.get("q") or None,
        county=filters.get("lan") or None,
        factor=filters.get("factor") or None,
        status=filters.get("status") or None,
        has_results=bool(filters.get("results")),
        lang=_lang(request),
    )
    searched = any(filters.get(k) for k in ("q", "lan", "factor", "status", "results"))
    return render(
        request,
        "prevention/shared_list.html",
        {
            "form": form,
            "views": views,
            "searched": searched,
            "county_count": len({v.plan.municipality.parent_id for v in views}),
            "with_results": sum(v.has_results for v in views),
            "current": "shared",
        },
    )


@login_first
def shared_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = sharing.shared_plan_for(request.user, pk)
    if plan is None:
        raise Http404(_("No shared plan with that number."))
    view = sharing.shared_view(plan, _lang(request), detail=True)
    return render(
        request,
        "prevention/shared_detail.html",
        {
            "view": view,
            "plan": plan,
            "parts": SharedPart,
            "unshared": [label for key, label in SharedPart.choices if key not in view.parts],
            "can_share": sharing.can_share(request.user, plan),
            # A partner reaches the dialogue on a shared plan from here (the plan page
            # itself is the kommun's and the county's).
            "can_read_dialogue": dialogue.can_read_dialogue(request.user, plan),
            "demo": plan.is_demo,
            "lang": _lang(request),
        },
    )


@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("municipality__parent"), pk=pk)
    if (refusal := refusal_for(request, EDIT, plan.municipality)) is not None:
        return refusal
    form = sharing_form_for(plan, request.POST)
    back = f"{reverse('prevention:plan', args=[plan.pk])}#sharing"
    if not form.is_valid():
        messages.error(
            request, _("The sharing was not changed: %(errors)s") % {"errors": _errors(form)}
        )
        return redirect(back)
    try:
        sharing.share_plan(
            plan,
            form.cleaned_data["sharing"],
            form.cleaned_data["parts"],
            request.user,
            version=form.loaded_version(),
        )
    except VersionConflict as conflict:
        stored = sharing_form_for(conflict.current)
        context = {"title": _("Share %(title)s") % {"title": plan.title}, "plan": plan}
        return conflict_response(
            request, "prevention/_sharing_conflict.html", context, form, conflict, stored
        )
    except sharing.SharingError as exc:
        messages.error(request, _("The sharing was not changed: %(errors)s") % {"errors": exc})
        return redirect(back)
    messages.success(request, _("How the plan is shared was saved."))
    return redirect(back)


def _errors(form: object) -> str:
    errors = getattr(form, "errors", {})
    return " ".join(str(m) for messages_ in errors.values() for m in messages_)

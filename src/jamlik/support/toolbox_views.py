"""Pages of the toolbox library: search, read, add, change and remove materials (thin).

Who reads the library: every logged-in user who holds a role of any kind (viewer,
editor, county or national administrator, partner organisation), for any county.
Not anonymous visitors: a county may file its own material here before it is final
(internal drafts, working documents, links to closed training), so the library is a
working tool of the people in the support work, not a public page; the public sources it
points to stay public at their publishers. Across counties it is open on purpose:
exchanging materials between counties is part of the support (issue 18).

Who changes it: a county's administrators its county's items, national administrators
the shared ones (``county`` empty). A refusal is a login redirect for anonymous
visitors and 403 for everyone else (:mod:`jamlik.support.pages`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamlik.core.version_forms import conflict_response
from jamlik.core.versioning import VersionConflict
from jamlik.geo.models import Area
from jamlik.support import toolbox
from jamlik.support.models import ToolboxItem, ToolKind
from jamlik.support.pages import county_from, login_first, save_posted_form
from jamlik.support.toolbox_forms import LANGUAGES, ToolboxItemForm

FORM_TEMPLATE = "support/toolbox_form.html"


def may_browse(user: Any) -> bool:
    """Logged in with a role of any kind (partners included), or a superuser."""
    return bool(user.is_authenticated and (user.is_superuser or user.roles.exists()))


def may_edit(user: Any, county: Area | None) -> bool:
    """County items: the county's administrators; shared items: national administrators."""
    if county is None:
        return bool(user.has_perm("jamlik.admin_national"))
    return bool(user.has_perm("jamlik.admin_county", county))


def _require_browse(request: HttpRequest) -> None:
    if not may_browse(request.user):
        raise PermissionDenied


def _require_edit(request: HttpRequest, county: Area | None) -> None:
    if not may_edit(request.user, county):
        raise PermissionDenied


def _names(county: Area | None) -> dict[str, dict[str, str]]:
    """Display names of the tags, for the county's keys and the shipped ones (shared
    items are tagged with the shipped keys); an unknown key shows as itself."""
    lang = get_language() or "sv"
    names: dict[str, dict[str, str]] = {"area": {}, "step": {}, "factor": {}}
    for source in (None, county) if county is not None else (None,):
        vocab = toolbox.vocabulary(source)
        names["area"].update({a.key: f"{a.number}. {a.name(lang)}" for a in vocab.areas})
        names["step"].update({s.key: f"{s.number}. {s.name(lang)}" for s in vocab.steps})
        names["factor"].update({f.key: f.name(lang) for f in vocab.factors})
    return names


def _tag_rows(item: ToolboxItem, names: dict[str, dict[str, str]]) -> list[tuple[str, list[str]]]:
    return [
        (_("Target areas (målområden)"), [names["area"].get(k, k) for k in item.target_areas]),
        (_("Quality-model steps"), [names["step"].get(k, k) for k in item.quality_steps]),
        (_("Risk and protective factors"), [names["factor"].get(k, k) for k in item.factors]),
    ]


def _options(
    values: list[tuple[str, str]], counts: dict[str, int], chosen: str
) -> list[dict[str, Any]]:
    return [
        {"value": v, "label": label, "count": counts.get(v, 0), "selected": v == chosen}
        for v, label in values
    ]


@login_first
def library(request: HttpRequest) -> HttpResponse:
    """The searchable list: the county's items (``?lan=``) and the shared ones."""
    _require_browse(request)
    county = county_from(request)
    get = request.GET
    query = toolbox.Query(
        text=get.get("q", "").strip(),
        kind=get.get("typ", ""),
        area=get.get("malomrade", ""),
        step=get.get("steg", ""),
        factor=get.get("faktor", ""),
    )
    result = toolbox.search(list(toolbox.library(county)), query)
    names = _names(county)
    vocab = toolbox.vocabulary(county)
    lang = get_language() or "sv"
    factor_groups = [
        (
            label,
            _options(
                [(f.key, f.name(lang)) for f in vocab.factors if f.kind == kind],
                result.counts["factor"],
                query.factor,
            ),
        )
        for kind, label in (("risk", _("Risk factors")), ("protective", _("Protective factors")))
    ]
    return render(
        request,
        "support/toolbox_list.html",
        {
            "county": county,
            "query": query,
            "result": result,
            "rows": [(item, _tag_rows(item, names)) for item in result.items],
            "kinds": _options(list(ToolKind.choices), result.counts["kind"], query.kind),
            "areas": _options(list(names["area"].items()), result.counts["area"], query.area),
            "steps": _options(
                [(s.key, names["step"][s.key]) for s in vocab.steps],
                result.counts["step"],
                query.step,
            ),
            "factor_groups": factor_groups,
            "can_add": may_edit(request.user, county),
            "can_add_shared": may_edit(request.user, None),
            "demo": any(i.is_demo for i in result.items),
        },
    )


@login_first
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_browse(request)
    item = get_object_or_404(ToolboxItem.objects.select_related("county"), pk=pk)
    return render(
        request,
        "support/toolbox_detail.html",
        {
            "item": item,
            "county_code": item.county.code if item.county else request.GET.get("lan", "01"),
            "tags": _tag_rows(item, _names(item.county)),
            "language": dict(LANGUAGES).get(item.language, item.language),
            "can_edit": may_edit(request.user, item.county),
            "demo": item.is_demo,
        },
    )


@login_first
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add (``?lan=``; ``?delad=1`` for a shared item) or change an item."""
    if pk is not None:
        item: ToolboxItem | None = get_object_or_404(ToolboxItem, pk=pk)
        county = item.county if item else None
    else:
        item = None
        shared = (request.GET.get("delad") or request.POST.get("delad")) == "1"
        county = None if shared else county_from(request)
    _require_edit(request, county)
    form = ToolboxItemForm(request.POST or None, instance=item, county=county)
    context = {"form": form, "item": item, "county": county}
    try:
        saved = save_posted_form(
            request,
            form,
            lambda: toolbox.save_item(
                county,
                form.item_values(),
                item=item,
                user=request.user,
                version=form.loaded_version(),
            ),
            _("The material was saved."),
        )
    except VersionConflict as conflict:
        stored = ToolboxItemForm(instance=conflict.current, county=county)
        return conflict_response(request, FORM_TEMPLATE, context, form, conflict, stored)
    if saved is not None:
        return redirect("support:toolbox-item", pk=saved.pk)
    return render(request, FORM_TEMPLATE, context)


@require_POST
@login_first
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ToolboxItem.objects.select_related("county"), pk=pk)
    _require_edit(request, item.county)
    code = item.county.code if item.county else request.POST.get("lan", "01")
    toolbox.delete_item(item)
    messages.success(request, _("The material was removed from the toolbox."))
    return redirect(f"{reverse('support:toolbox')}?lan={code}")

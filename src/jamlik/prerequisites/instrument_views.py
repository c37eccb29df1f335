"""The survey instrument pages for county administrators: versions, questions, editing.

A version's questions can be changed until a round using it has answers; after that it
is frozen and the administrator copies it to a new version (rounds keep the version they
were run with, so earlier answers keep their meaning).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamlik.accounts.decorators import area_permission_required
from jamlik.core.version_forms import conflict_response
from jamlik.core.versioning import VersionConflict
from jamlik.prerequisites import results, services
from jamlik.prerequisites.forms import ItemForm, VersionForm, item_initial
from jamlik.prerequisites.models import Instrument, Item
from jamlik.prerequisites.services import WorkflowError
from jamlik.prerequisites.specs import framework
from jamlik.prerequisites.views import _county


def _instrument(code: str, pk: int) -> Instrument:
    return get_object_or_404(Instrument.objects.select_related("county"), pk=pk, county__code=code)


@area_permission_required("jamlik.admin_county")
def instrument_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    county = _county(code)
    instrument = _instrument(code, pk)
    form = VersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.copy_instrument(instrument, form.cleaned_data["version"])
        except ValueError as exc:
            form.add_error("version", str(exc))
        else:
            messages.success(request, _("Version %(v)s was created.") % {"v": copy.version})
            return redirect("prerequisites:instrument", code=code, pk=copy.pk)
    lang = results.lang()
    fw = framework(county)
    names = {p.key: p.name(lang) for p in fw.prerequisites}
    items = [
        {
            "item": item,
            "text": item.text(lang),
            "prerequisite": names.get(item.prerequisite, item.prerequisite),
        }
        for item in instrument.items.all()
    ]
    return render(
        request,
        "prerequisites/instrument.html",
        {
            "county": county,
            "instrument": instrument,
            "items": items,
            "frozen": services.is_frozen(instrument),
            "rounds": list(instrument.rounds.order_by("-year")),
            "versions": Instrument.objects.filter(county=county).order_by("-created_at"),
            "form": form,
            "is_admin": True,
            "can_see_unpublished": True,
        },
    )


@area_permission_required("jamlik.admin_county")
def item_edit(request: HttpRequest, code: str, pk: int, item_pk: int | None = None) -> HttpResponse:
    county = _county(code)
    instrument = _instrument(code, pk)
    item = get_object_or_404(Item, pk=item_pk, instrument=instrument) if item_pk else None
    frozen = services.is_frozen(instrument)
    lang = results.lang()
    fw = framework(county)
    choices = {
        "prerequisites": [(p.key, p.name(lang)) for p in fw.prerequisites],
        "dimensions": [(d.key, d.name(lang)) for d in fw.dimensions],
        "adding": item is None,
    }
    form = ItemForm(
        request.POST or None,
        initial=item_initial(item)
        if item
        else {"order": (max((i.order for i in instrument.items.all()), default=0) + 1)},
        version=item.version if item else None,
        **choices,
    )
    context = {
        "county": county, "instrument": instrument, "item": item, "form": form, "frozen": frozen,
    }  # fmt: skip
    if request.method == "POST" and not frozen and form.is_valid():
        try:
            saved = services.save_item(
                instrument, form.item_data(), item, version=form.loaded_version()
            )
        except VersionConflict as conflict:
            stored = ItemForm(initial=item_initial(conflict.current), **choices)
            return conflict_response(
                request, "prerequisites/item_form.html", context, form, conflict, stored
            )
        except ValueError as exc:  # WorkflowError too: frozen meanwhile
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Question %(key)s was saved.") % {"key": saved.key})
            return redirect("prerequisites:instrument", code=code, pk=instrument.pk)
    return render(request, "prerequisites/item_form.html", context)


@require_POST
@area_permission_required("jamlik.admin_county")
def item_delete(request: HttpRequest, code: str, pk: int, item_pk: int) -> HttpResponse:
    instrument = _instrument(code, pk)
    item = get_object_or_404(Item, pk=item_pk, instrument=instrument)
    try:
        services.delete_item(item)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Question %(key)s was removed.") % {"key": item.key})
    return redirect("prerequisites:instrument", code=code, pk=instrument.pk)

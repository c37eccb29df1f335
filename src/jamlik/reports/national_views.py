"""The national picture's pages, a county's release page and the national report.

Who reads the national pages: national administrators, and county administrators (a
release is made to be shared, so a county may compare itself with the others' released
figures). Kommun editors and viewers are refused, anonymous visitors sent to log in.
Only national administrators write the national report's narratives. Only a county's
own administrators (or a national one) release the county's figures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from jamlik.accounts.models import RoleKind
from jamlik.accounts.rules import _roles, is_national
from jamlik.core.version_forms import VersionedForm, conflict_response
from jamlik.core.versioning import VersionConflict
from jamlik.geo.models import Area, AreaLevel
from jamlik.reports import national, national_report, releases
from jamlik.reports.models import CountyRelease, ReleaseDomain
from jamlik.reports.narratives import NEW

View = Callable[..., HttpResponse]

#: URL slug per domain (Swedish, as the rest of the site).
SLUGS: dict[str, str] = {
    ReleaseDomain.PREREQUISITES: "forutsattningar",
    ReleaseDomain.SUPPORT: "stod",
    ReleaseDomain.PLANS: "planer",
    ReleaseDomain.INTERVENTIONS: "insatser",
}


def can_read_national(user: Any) -> bool:
    """National administrators and county administrators of any county."""
    if not user.is_authenticated:
        return False
    return is_national(user) or any(k == RoleKind.COUNTY_ADMIN for k, _a in _roles(user))


def national_reader(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_read_national(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def county_page_url(domain: str, code: str) -> str:
    """The county's own page of a domain (where its working figures live)."""
    if domain == ReleaseDomain.PREREQUISITES:
        return reverse("prerequisites:county", args=[code])
    if domain == ReleaseDomain.SUPPORT:
        return f"{reverse('support:ladder')}?lan={code}"
    if domain == ReleaseDomain.PLANS:
        return f"{reverse('prevention:plans')}?lan={code}"
    return f"{reverse('prevention:interventions')}?lan={code}"


def _domain_label(domain: str) -> str:
    return str(ReleaseDomain(domain).label)


# ---- the national pages ---------------------------------------------------------------


@national_reader
def hub(request: HttpRequest) -> HttpResponse:
    """The six parts of the national picture with a few key figures each."""
    from jamlik.actors import queries

    tables = {d: national.TABLES[d]() for d in releases.DOMAINS}
    matrix = queries.national_matrix()
    situation = national.situation_rows()
    counties = len(tables[ReleaseDomain.SUPPORT].rows)

    def released(d: str) -> str:
        return _("%(n)s of %(total)s counties have released") % {
            "n": tables[d].released_count,
            "total": counties,
        }

    pre, sup, pla, ins = (tables[d] for d in releases.DOMAINS)
    on_a_step = sum(
        int(v or 0)
        for c, v in zip(sup.columns, sup.total, strict=True)
        if c.startswith(_("Step %(n)s") % {"n": ""})
    )
    cards = [
        {
            "title": _("Situation picture"),
            "url": reverse("indicators:national"),
            "figures": [
                _("%(n)s indicators with a published national value") % {"n": len(situation.rows)}
            ],
        },
        {
            "title": _("Actor maps"),
            "url": reverse("actors:national"),
            "figures": [
                _("%(n)s activities in %(c)s counties' actor maps")
                % {
                    "n": sum(r.total for r in matrix.rows),
                    "c": sum(1 for r in matrix.rows if r.total),
                }
            ],
        },
        {
            "title": _domain_label(ReleaseDomain.PREREQUISITES),
            "url": reverse("national:prerequisites"),
            "figures": [
                released(ReleaseDomain.PREREQUISITES),
                _("Median index %(v)s in %(n)s municipalities")
                % {
                    "v": _fmt(pre.total_of(_("Median index"))),
                    "n": pre.total_of(_("Municipalities with scores")),
                },
            ],
        },
        {
            "title": _domain_label(ReleaseDomain.SUPPORT),
            "url": reverse("national:support"),
            "figures": [
                released(ReleaseDomain.SUPPORT),
                _("%(n)s municipalities on some step of the ladder, %(a)s agreements in force")
                % {"n": on_a_step, "a": sup.total_of(_("Agreements in force"))},
            ],
        },
        {
            "title": _domain_label(ReleaseDomain.PLANS),
            "url": reverse("national:plans"),
            "figures": [
                released(ReleaseDomain.PLANS),
                _("%(n)s plans in %(k)s municipalities")
                % {
                    "n": pla.total_of(_("Plans")),
                    "k": pla.total_of(_("Municipalities with a plan")),
                },
            ],
        },
        {
            "title": _domain_label(ReleaseDomain.INTERVENTIONS),
            "url": reverse("national:interventions"),
            "figures": [
                released(ReleaseDomain.INTERVENTIONS),
                _("%(n)s registry interventions in use")
                % {"n": ins.total_of(_("Registry interventions in use"))},
            ],
        },
    ]
    return render(
        request,
        "reports/national_hub.html",
        {
            "cards": cards,
            "demo": any(t.is_demo for t in tables.values()),
            "report_url": reverse("national:report", args=[date.today().year]),
        },
    )


def _fmt(value: Any) -> str:
    from jamlik.reports.renderers import format_cell

    return format_cell(value)


def _formatted(rows: list[list[Any]]) -> list[list[str]]:
    return [[_fmt(c) for c in row] for row in rows]


def domain_page(domain: str) -> View:
    """A view for one domain: all counties side by side, then the national lists."""

    @national_reader
    def view(request: HttpRequest) -> HttpResponse:
        found = releases.latest_releases(domain)
        table = national.TABLES[domain](found)
        rows = [
            {
                "row": r,
                "url": county_page_url(domain, r.code),
                "cells": [_fmt(c) for c in r.cells] if r.released else [],
            }
            for r in table.rows
        ]
        extras = [
            {"table": t, "rows": _formatted(t.rows)}
            for t in national.extra_tables(domain, found, request.LANGUAGE_CODE)
        ]
        return render(
            request,
            "reports/national_domain.html",
            {
                "domain": domain,
                "label": _domain_label(domain),
                "table": table,
                "rows": rows,
                "total": [_fmt(c) for c in table.total],
                "extras": extras,
                "demo": table.is_demo,
                "others": [(d, _domain_label(d), f"national:{d}") for d in releases.DOMAINS],
            },
        )

    view.__name__ = f"national_{domain}"
    return view


prerequisites = domain_page(ReleaseDomain.PREREQUISITES)
support = domain_page(ReleaseDomain.SUPPORT)
plans = domain_page(ReleaseDomain.PLANS)
interventions = domain_page(ReleaseDomain.INTERVENTIONS)


# ---- a county's releases ----------------------------------------------------------------


def _preview(county: Area, domain: str) -> dict[str, Any]:
    payload = releases.build_payload(county, domain)
    draft = CountyRelease(county=county, domain=domain, payload=payload)
    table = national.TABLES[domain]({county.code: draft})
    row = next(r for r in table.rows if r.code == county.code)
    extras = [
        {"table": t, "rows": _formatted(t.rows)}
        for t in national.extra_tables(domain, {county.code: draft})
    ]
    return {
        "figures": [(c, _fmt(v)) for c, v in zip(table.columns, row.cells, strict=True)],
        "extras": extras,
    }


@require_http_methods(["GET", "POST"])
def county_release(request: HttpRequest, code: str) -> HttpResponse:
    """What the county would release per domain, its last releases, and the buttons."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    county = get_object_or_404(Area, code=code, level=AreaLevel.COUNTY)
    if not request.user.has_perm("jamlik.admin_county", county):
        raise PermissionDenied
    if request.method == "POST":
        chosen = request.POST.get("domain", "")
        if chosen == "all":
            releases.release_all(county, request.user)
            messages.success(request, _("All four parts were released to the national picture."))
        elif chosen in releases.BUILDERS:
            releases.release(county, chosen, request.user)
            messages.success(
                request,
                _("%(part)s was released to the national picture.")
                % {"part": _domain_label(chosen)},
            )
        else:
            messages.error(request, _("Choose what to release."))
        return redirect("national:county-release", code=county.code)
    last = releases.latest_for_county(county)
    parts = [
        {
            "domain": d,
            "label": _domain_label(d),
            "last": last.get(d),
            "preview": _preview(county, d),
            "national_url": reverse(f"national:{d}"),
        }
        for d in releases.DOMAINS
    ]
    return render(
        request,
        "reports/county_release.html",
        {"county": county, "parts": parts, "national": can_read_national(request.user)},
    )


# ---- the national report ----------------------------------------------------------------------


class NarrativeForm(VersionedForm, forms.Form):
    section = forms.SlugField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=gettext_lazy("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


def _auto_id(key: str) -> str:
    """Field ids per section, so the page's several forms keep unique ids."""
    return f"narrative-{key}-%s"


def _check_year(year: int) -> None:
    if not 2000 <= year <= date.today().year + 1:
        raise Http404(_("No national report for that year."))


@national_reader
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, year: int) -> HttpResponse:
    """The national report as a page, with its narratives editable by national administrators."""
    _check_year(year)
    editable = is_national(request.user)
    posted: NarrativeForm | None = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        posted = NarrativeForm(request.POST, auto_id=_auto_id(request.POST.get("section", "")))
        if posted.is_valid() and posted.cleaned_data["section"] in national_report.NARRATIVE_KEYS:
            try:
                national_report.save_narrative(
                    year,
                    posted.cleaned_data["section"],
                    posted.cleaned_data["text"],
                    user=request.user,
                    version=posted.loaded_version(),
                )
            except VersionConflict as conflict:
                key = posted.cleaned_data["section"]
                stored = NarrativeForm(
                    initial={"section": key, "text": conflict.current.text},  # type: ignore[attr-defined]
                    version=conflict.current_version,
                    auto_id=_auto_id(key),
                )
                return conflict_response(
                    request,
                    "reports/national_report.html",
                    _report_context(request, year, editable, failed=posted),
                    posted,
                    conflict,
                    stored,
                )
            messages.success(request, _("The text was saved."))
            return redirect("national:report", year=year)
        messages.error(request, _("The text was not saved: unknown section."))
    return render(request, "reports/national_report.html", _report_context(request, year, editable))


def _report_context(
    request: HttpRequest, year: int, editable: bool, failed: NarrativeForm | None = None
) -> dict[str, Any]:
    doc = national_report.build_national_report(year, lang=request.LANGUAGE_CODE)
    stored = national_report.narratives(year)
    forms_by_key: dict[str, NarrativeForm] = {}
    if editable:
        for key in national_report.NARRATIVE_KEYS:
            n = stored.get(key)
            forms_by_key[key] = NarrativeForm(
                initial={"section": key, "text": n.text if n else ""},
                version=n.version if n else NEW,
                auto_id=_auto_id(key),
            )
        if failed is not None:
            forms_by_key[failed.cleaned_data["section"]] = failed
    sections = national_report.page_sections(doc)
    for section in sections:
        for block in section["blocks"]:
            if block["kind"] == "narrative":
                block["form"] = forms_by_key.get(block["narrative"].key)
    return {
        "doc": doc,
        "year": year,
        "editable": editable,
        "sections": sections,
        "formats": [("pdf", "PDF"), ("xlsx", "XLSX"), ("docx", "DOCX")],
    }


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@national_reader
def report_download(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """The national report as PDF, XLSX or DOCX (the same document as the page)."""
    from jamlik.reports import renderers

    _check_year(year)
    if fmt not in CONTENT_TYPES:
        raise Http404(_("Unknown format."))
    doc = national_report.build_national_report(year, lang=request.LANGUAGE_CODE)
    render_file = {
        "pdf": renderers.render_pdf,
        "xlsx": renderers.render_xlsx,
        "docx": renderers.render_docx,
    }[fmt]
    response = HttpResponse(render_file(doc), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="nationell-rapport-{year}.{fmt}"'
    return response

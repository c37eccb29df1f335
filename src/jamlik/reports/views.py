"""Report pages and downloads (thin: the builders and renderers do the work)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jamlik.core.version_forms import conflict_response
from jamlik.core.versioning import VersionConflict
from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators.viewstate import ViewState
from jamlik.reports import narratives as narrative_store
from jamlik.reports import renderers
from jamlik.reports.county_report import NARRATIVE_KEYS, build_county_report, report_years
from jamlik.reports.document import Document, Figure, Narrative, Table
from jamlik.reports.forms import NarrativeForm
from jamlik.reports.kommun_profile import kommun_profile_document, kommun_profile_pdf

VIEW = "jamlik.view_area_unpublished"
ADMIN = "jamlik.admin_county"

#: Download formats: suffix -> (renderer, content type).
FORMATS: dict[str, tuple[Callable[[Document], bytes], str]] = {
    "pdf": (renderers.render_pdf, "application/pdf"),
    "xlsx": (
        renderers.render_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "docx": (
        renderers.render_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


def kommun_profile(request: HttpRequest, code: str) -> HttpResponse:
    """The kommun's lokal lägesbild as a PDF (public data, disclosure-controlled)."""
    area = get_object_or_404(Area, code=code, level=AreaLevel.MUNICIPALITY)
    pdf = kommun_profile_pdf(area, ViewState.from_query(request.GET))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="lagesbild-{area.code}.pdf"'
    return response


def kommun_profile_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    """The kommun's lokal lägesbild as a workbook (the profile's published tables)."""
    area = get_object_or_404(Area, code=code, level=AreaLevel.MUNICIPALITY)
    doc = kommun_profile_document(area, ViewState.from_query(request.GET))
    return _download(renderers.render_xlsx(doc), FORMATS["xlsx"][1], f"lagesbild-{area.code}.xlsx")


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _county(request: HttpRequest, code: str) -> tuple[Area, HttpResponse | None]:
    """The county of the URL, and a refusal unless the user may read its report."""
    county = get_object_or_404(Area, code=code, level=AreaLevel.COUNTY)
    if not request.user.is_authenticated:
        return county, redirect_to_login(request.get_full_path())
    if not request.user.has_perm(VIEW, county):
        raise PermissionDenied
    return county, None


def _year(year: int) -> int:
    if not 2000 <= year <= date.today().year + 1:
        raise Http404(_("No report for that year."))
    return year


def county_report_home(request: HttpRequest) -> HttpResponse:
    """Leads to the user's county's report for the latest year (or the list of counties)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    from jamlik.accounts.navigation import role_areas

    year = date.today().year
    for area in role_areas(request.user):
        if area.level == AreaLevel.COUNTY:
            return redirect("reports:county-report", code=area.code, year=year)
    if request.user.has_perm("jamlik.admin_national"):
        counties = list(Area.objects.filter(level=AreaLevel.COUNTY).order_by("code"))
        return render(
            request, "reports/county_report_list.html", {"counties": counties, "year": year}
        )
    raise PermissionDenied


def county_report(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The report's outline: each narrative editable in place, figures, downloads."""
    county, refusal = _county(request, code)
    if refusal:
        return refusal
    year = _year(year)
    may_edit = request.user.has_perm(ADMIN, county)
    stored = narrative_store.narratives(county, year)
    posted: NarrativeForm | None = None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        posted = NarrativeForm(request.POST)
        if posted.is_valid() and posted.cleaned_data["section"] in NARRATIVE_KEYS:
            key = posted.cleaned_data["section"]
            try:
                narrative_store.save_narrative(
                    county,
                    year,
                    key,
                    posted.cleaned_data["text"],
                    expected=posted.loaded_version(),
                    user=request.user,
                )
            except VersionConflict as conflict:
                current = conflict.current
                fresh = NarrativeForm(
                    initial={"section": key, "text": current.text}, version=current.version
                )
                context = _page_context(request, county, year, may_edit, stored, posted)
                return conflict_response(
                    request, "reports/county_report.html", context, posted, conflict, fresh
                )
            url = reverse("reports:county-report", args=[county.code, year])
            return redirect(f"{url}?saved={key}#n-{key}")
        if posted.is_valid():
            raise Http404(_("No such section."))
    context = _page_context(request, county, year, may_edit, stored, posted)
    return render(request, "reports/county_report.html", context)


def _page_context(
    request: HttpRequest,
    county: Area,
    year: int,
    may_edit: bool,
    stored: dict,
    posted: NarrativeForm | None,
) -> dict:
    from jamlik.reports.pdf import svg_data_uri

    doc = build_county_report(county, year, lang=request.LANGUAGE_CODE)
    earlier = narrative_store.previous_texts(county, year)
    posted_key = posted.data.get("section") if posted is not None else None
    sections = []
    for section in doc.sections:
        narrative = next(b for b in section.blocks if isinstance(b, Narrative))
        record = stored.get(section.key)
        if posted is not None and posted_key == section.key:
            form = posted
        else:
            form = NarrativeForm(
                initial={"section": section.key, "text": record.text if record else ""},
                version=record.version if record else narrative_store.NEW,
                prefix=None,
            )
        sections.append(
            {
                "key": section.key,
                "title": section.title,
                "narrative": narrative,
                "form": form,
                "record": record,
                "previous": earlier.get(section.key) if not (record and record.text) else None,
                "tables": [b for b in section.blocks if isinstance(b, Table)],
                "figures": [
                    {"figure": b, "image": svg_data_uri(b.svg)}
                    for b in section.blocks
                    if isinstance(b, Figure)
                ],
                "paragraphs": [b for b in section.blocks if type(b).__name__ == "Paragraph"],
            }
        )
    return {
        "county": county,
        "year": year,
        "years": report_years(county),
        "doc": doc,
        "sections": sections,
        "may_edit": may_edit,
        "saved": request.GET.get("saved", ""),
        "form": posted,
        "downloads": [
            (suffix.upper(), reverse(f"reports:county-report-{suffix}", args=[county.code, year]))
            for suffix in FORMATS
        ],
    }


def county_report_file(request: HttpRequest, code: str, year: int, suffix: str) -> HttpResponse:
    """The report as PDF, XLSX or DOCX."""
    county, refusal = _county(request, code)
    if refusal:
        return refusal
    year = _year(year)
    renderer, content_type = FORMATS[suffix]
    doc = build_county_report(county, year, lang=request.LANGUAGE_CODE)
    return _download(renderer(doc), content_type, f"lansrapport-{county.code}-{year}.{suffix}")

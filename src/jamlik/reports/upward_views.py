"""Pages of reporting upward. Thin: check who asks, call :mod:`jamlik.reports.upward`, render.

National administrators define templates, follow each county's status, return or accept
submissions and remind counties; a county's administrators fill in and submit their
county's report. Everyone else is refused (anonymous visitors are sent to log in).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jamlik.accounts.reminders import ReminderOutcome, last_reminded, send_reminders
from jamlik.accounts.rules import is_national
from jamlik.core.version_forms import conflict_response
from jamlik.core.versioning import VersionConflict
from jamlik.geo.models import Area, AreaLevel
from jamlik.reports import upward
from jamlik.reports.models import ReportSubmission, ReportTemplate, TemplateStatus
from jamlik.reports.upward_forms import (
    AnswerForm,
    ReviewForm,
    SectionFormSet,
    TemplateForm,
    answer_field,
    answer_initial,
    section_initial,
)

PREFIX = "sections"


def _login_or(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _national_only(request: HttpRequest) -> HttpResponse | None:
    refusal = _login_or(request)
    if refusal is None and not is_national(request.user):
        raise PermissionDenied
    return refusal


def index(request: HttpRequest) -> HttpResponse:
    """National administrators: the templates. County administrators: their reports."""
    refusal = _login_or(request)
    if refusal is not None:
        return refusal
    if is_national(request.user):
        return render(
            request,
            "reports/upward_index.html",
            {"templates": ReportTemplate.objects.all(), "national": True},
        )
    counties = upward.counties_administered(request.user)
    if not counties:
        raise PermissionDenied
    templates = ReportTemplate.objects.exclude(status=TemplateStatus.DRAFT)
    submissions = {
        (s.template_id, s.county_id): s
        for s in ReportSubmission.objects.filter(template__in=templates, county__in=counties)
    }
    rows = [
        {
            "template": t,
            "county": c,
            "status": upward.status_label(
                submissions[(t.pk, c.pk)].status
                if (t.pk, c.pk) in submissions
                else upward.NOT_STARTED
            ),
        }
        for t in templates
        for c in counties
    ]
    return render(request, "reports/upward_index.html", {"rows": rows, "national": False})


def _template_editor(request: HttpRequest, instance: ReportTemplate | None) -> HttpResponse:
    version = instance.version if instance is not None else None
    context: dict[str, Any] = {"template": instance, "tables": upward.available_tables()}
    if request.method == "POST":
        data = request.POST.copy()
        if request.POST.get("action") == "add":
            # one more blank section row, nothing saved (no script needed to add a row)
            total = f"{PREFIX}-TOTAL_FORMS"
            data[total] = str(min(int(data.get(total) or 0) + 1, upward.MAX_SECTIONS))
            form = TemplateForm(data, version=version)
            sections = SectionFormSet(data, prefix=PREFIX)
            return render(
                request,
                "reports/upward_template_form.html",
                {**context, "form": form, "sections": sections},
            )
        form = TemplateForm(data, version=version)
        sections = SectionFormSet(data, prefix=PREFIX)
        if form.is_valid() and sections.is_valid():
            d = form.cleaned_data
            try:
                saved = upward.save_template(
                    request.user,
                    year=d["year"],
                    title=d["title"],
                    introduction=d["introduction"],
                    due=d["due"],
                    sections=sections.ordered_sections(),
                    instance=instance,
                    version=form.loaded_version(),
                )
            except VersionConflict as conflict:
                current = conflict.current
                assert isinstance(current, ReportTemplate)
                stored = TemplateForm(initial=_template_initial(current))
                return conflict_response(
                    request,
                    "reports/upward_template_form.html",
                    {**context, "sections": sections},
                    form,
                    conflict,
                    stored,
                )
            except upward.TemplateError as exc:
                for problem in exc.problems:
                    form.add_error(None, problem)
            except upward.NotEditable as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Template saved."))
                return redirect("upward:template", year=saved.year)
    elif instance is not None:
        form = TemplateForm(initial=_template_initial(instance), version=version)
        sections = SectionFormSet(
            initial=section_initial(upward.sections_of(instance)), prefix=PREFIX
        )
    else:
        form = TemplateForm()
        sections = SectionFormSet(prefix=PREFIX)
    return render(
        request,
        "reports/upward_template_form.html",
        {**context, "form": form, "sections": sections},
    )


def _template_initial(template: ReportTemplate) -> dict[str, Any]:
    return {
        "year": template.year,
        "title": template.title,
        "introduction": template.introduction,
        "due": template.due,
    }


def template_create(request: HttpRequest) -> HttpResponse:
    refusal = _national_only(request)
    return refusal or _template_editor(request, None)


def template_edit(request: HttpRequest, year: int) -> HttpResponse:
    refusal = _national_only(request)
    if refusal is not None:
        return refusal
    return _template_editor(request, get_object_or_404(ReportTemplate, year=year))


def _reminder_message(outcome: ReminderOutcome) -> str:
    parts = [
        ngettext(
            "Reminder sent to %(n)s county (%(a)s addresses).",
            "Reminders sent to %(n)s counties (%(a)s addresses).",
            len(outcome.sent),
        )
        % {"n": len(outcome.sent), "a": outcome.addresses}
    ]
    if outcome.without_address:
        parts.append(
            _("No county administrator with an e-mail address, reach them another way: %(names)s.")
            % {"names": ", ".join(c.name for c in outcome.without_address)}
        )
    return " ".join(parts)


def template_status(request: HttpRequest, year: int) -> HttpResponse:
    """All 21 counties with their report's status; open, close, remind."""
    refusal = _national_only(request)
    if refusal is not None:
        return refusal
    template = get_object_or_404(ReportTemplate, year=year)
    if request.method == "POST":
        action = request.POST.get("action", "")
        version = _int(request.POST.get("version"))
        try:
            if action in ("open", "close", "draft"):
                status = {"open": TemplateStatus.OPEN, "close": TemplateStatus.CLOSED}.get(
                    action, TemplateStatus.DRAFT
                )
                upward.set_template_status(request.user, template, status, version)
                messages.success(
                    request, _("Template status: %(s)s.") % {"s": template.get_status_display()}
                )
            elif action == "remind":
                outcome = send_reminders(
                    upward.upward_reminders(template),
                    base_url=request.build_absolute_uri("/"),
                    sent_by=request.user,
                )
                (messages.warning if outcome.without_address else messages.info)(
                    request, _reminder_message(outcome)
                )
        except VersionConflict:
            messages.error(
                request,
                _(
                    "Someone else changed the template meanwhile; nothing was changed. Check it and try again."
                ),
            )
            return render(
                request, "reports/upward_status.html", _status_context(template), status=409
            )
        return redirect("upward:template", year=template.year)
    return render(request, "reports/upward_status.html", _status_context(template))


def _status_context(template: ReportTemplate) -> dict[str, Any]:
    rows = upward.county_statuses(template)
    reminded = last_reminded(upward.REMINDER_TOPIC, [r.county for r in rows])
    return {
        "template": template,
        "sections": upward.sections_of(template),
        "tables": upward.available_tables(),
        "rows": [{"row": r, "reminded_at": reminded.get(r.county.pk)} for r in rows],
        "outstanding": sum(r.outstanding for r in rows),
        "is_open": template.status == TemplateStatus.OPEN,
    }


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def submission(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """A county's report: its administrators write and submit; national ones review."""
    refusal = _login_or(request)
    if refusal is not None:
        return refusal
    county = get_object_or_404(Area, code=code, level=AreaLevel.COUNTY)
    if not upward.may_read(request.user, county):
        raise PermissionDenied
    template = get_object_or_404(ReportTemplate, year=year)
    if template.status == TemplateStatus.DRAFT and not is_national(request.user):
        raise PermissionDenied
    record = upward.find_submission(template, county)
    if upward.may_fill(request.user, county):
        return _fill(request, template, county, record)
    return _review(request, template, county, record)


def _context(
    template: ReportTemplate,
    county: Area,
    record: ReportSubmission | None,
    *,
    form: Any = None,
    preview: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Each section with its answer, its bound field (when editing) and its tables: the
    preview as Jämlik fills them now while the county writes, else the submitted copy."""
    answers = (record.answers if record else {}) or {}
    stored = (record.tables if record else {}) or {}
    tables = preview if preview is not None else stored
    sections = []
    for spec in upward.sections_of(template):
        name = answer_field(spec.key)
        sections.append(
            {
                "spec": spec,
                "answer": answers.get(spec.key, ""),
                "field": form[name] if form is not None and name in form.fields else None,
                "tables": [tables[k] for k in spec.tables if k in tables],
            }
        )
    return {
        "template": template,
        "county": county,
        "submission": record,
        "status_label": upward.status_label(record.status if record else upward.NOT_STARTED),
        "sections": sections,
        "form": form,
        **extra,
    }


def _preview(template: ReportTemplate, county: Area) -> dict[str, Any]:
    """The tables the template asks for, as Jämlik fills them now (before submission)."""
    keys = upward.required_table_keys(template)
    if not keys:
        return {}
    return upward.snapshot_tables(upward.county_document(county, template.year), keys)


def _fill(
    request: HttpRequest,
    template: ReportTemplate,
    county: Area,
    record: ReportSubmission | None,
) -> HttpResponse:
    specs = upward.sections_of(template)
    can_edit = upward.editable(record, template)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("save", "submit"):
            return redirect("upward:submission", year=template.year, code=county.code)
        if not can_edit:
            messages.error(request, _("This report can no longer be changed here."))
            return redirect("upward:submission", year=template.year, code=county.code)
        form = AnswerForm(request.POST, sections=specs, version=record.version if record else 0)
        if form.is_valid():
            version = form.loaded_version()
            if record is None:
                # version 0: the page was opened before the report existed; a report
                # someone started in between makes the save below a conflict.
                record = upward.start_submission(request.user, template, county)
                if version == 0:
                    version = record.version
            try:
                if action == "submit":
                    upward.submit(request.user, record, form.answers(), version)
                    messages.success(request, _("The report is submitted to the national level."))
                else:
                    upward.save_answers(request.user, record, form.answers(), version)
                    messages.success(request, _("Draft saved."))
            except VersionConflict as conflict:
                current = conflict.current
                assert isinstance(current, ReportSubmission)
                stored = AnswerForm(
                    initial=answer_initial(current.answers or {}),
                    sections=specs,
                    version=current.version,
                )
                context = _context(
                    template, county, record, form=form, can_edit=True,
                    preview=_preview(template, county),
                )  # fmt: skip
                return conflict_response(
                    request, "reports/upward_submission.html", context, form, conflict, stored
                )
            except upward.SubmissionIncomplete as exc:
                form.add_error(None, str(exc))
                for title, spec in ((s.title(), s) for s in specs):
                    if title in exc.sections:
                        form.add_error(f"answer_{spec.key}", _("Required before submitting."))
            except upward.NotEditable as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("upward:submission", year=template.year, code=county.code)
    else:
        form = AnswerForm(
            initial=answer_initial((record.answers if record else {}) or {}),
            sections=specs,
            version=record.version if record else 0,
        )
    preview = _preview(template, county) if can_edit else None
    return render(
        request,
        "reports/upward_submission.html",
        _context(template, county, record, form=form, can_edit=can_edit, preview=preview),
    )


def _review(
    request: HttpRequest,
    template: ReportTemplate,
    county: Area,
    record: ReportSubmission | None,
) -> HttpResponse:
    """National administrators read a county's report and return or accept it."""
    if request.method == "POST":
        if record is None:
            raise PermissionDenied
        form = ReviewForm(request.POST, version=record.version)
        if form.is_valid():
            note = form.cleaned_data["note"]
            try:
                if request.POST.get("action") == "return":
                    upward.return_submission(request.user, record, note, form.loaded_version())
                    messages.success(request, _("The report is returned to the county."))
                elif request.POST.get("action") == "accept":
                    upward.accept(request.user, record, form.loaded_version(), note)
                    messages.success(request, _("The report is accepted."))
            except VersionConflict as conflict:
                current = conflict.current
                assert isinstance(current, ReportSubmission)
                stored = ReviewForm(
                    initial={"note": current.reviewer_note}, version=current.version
                )
                return conflict_response(
                    request,
                    "reports/upward_submission.html",
                    _context(template, county, current, form=form, review=True),
                    form,
                    conflict,
                    stored,
                )
            except upward.NotEditable as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("upward:template", year=template.year)
    else:
        form = ReviewForm(
            initial={"note": record.reviewer_note if record else ""},
            version=record.version if record else None,
        )
    return render(
        request,
        "reports/upward_submission.html",
        _context(template, county, record, form=form, review=True),
    )

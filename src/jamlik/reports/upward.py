"""Reporting upward: the national administrator's yearly template, each county's answer.

The national administrator defines a template per year (sections with guidance, some
required, some asking for tables that Jämlik fills from the county's own data) and opens
it; each county's administrators write their sections, save drafts and submit; the
national administrator returns a submission with a note or accepts it.

The tables a section asks for are the county report's tables (``jamlik.reports.
county_report``), named by their ``Table.key``. At submission they are copied into the
submission (``ReportSubmission.tables``), so what a county submitted stays as it was
even when the figures behind it change later.

Every save goes through :func:`jamlik.core.versioning.save_versioned`: a save from an
older version raises :class:`~jamlik.core.versioning.VersionConflict` and writes nothing.
Permission checks live here as well as in the views, so no other caller can skip them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jamlik.accounts.models import RoleKind
from jamlik.accounts.reminders import Reminder
from jamlik.accounts.rules import is_county_admin_of, is_national
from jamlik.core.versioning import claim
from jamlik.geo.models import Area, AreaLevel
from jamlik.reports.document import Document, Table
from jamlik.reports.models import (
    ReportSubmission,
    ReportTemplate,
    SubmissionStatus,
    TemplateStatus,
)

REMINDER_TOPIC = "reports:upward"
KEY_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
MAX_SECTIONS = 40
MAX_ANSWER = 20_000
#: The status of a county that has no submission yet (not a model choice: no row exists).
NOT_STARTED = "not_started"


class TemplateError(ValueError):
    """A template's sections do not hold together; ``problems`` names each one."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


class SubmissionIncomplete(ValueError):
    """Submission refused: required sections are empty (``sections`` holds their titles)."""

    def __init__(self, sections: Sequence[str]) -> None:
        self.sections = list(sections)
        super().__init__(
            _("Fill in the required sections before submitting: %(names)s.")
            % {"names": ", ".join(self.sections)}
        )


class NotEditable(ValueError):
    """The template or submission is in a state that does not allow this change."""


@dataclass(frozen=True)
class SectionSpec:
    """One section of a template, as validated (see :func:`validate_sections`)."""

    key: str
    title_sv: str
    title_en: str
    guidance_sv: str = ""
    guidance_en: str = ""
    required: bool = False
    tables: tuple[str, ...] = ()

    def title(self, lang: str | None = None) -> str:
        return self.title_en if _english(lang) and self.title_en else self.title_sv

    def guidance(self, lang: str | None = None) -> str:
        return self.guidance_en if _english(lang) and self.guidance_en else self.guidance_sv

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title_sv": self.title_sv,
            "title_en": self.title_en,
            "guidance_sv": self.guidance_sv,
            "guidance_en": self.guidance_en,
            "required": self.required,
            "tables": list(self.tables),
        }


def _english(lang: str | None) -> bool:
    return (lang or translation.get_language() or "sv").startswith("en")


# ---- the tables a template may ask for ---------------------------------------------------


def available_tables() -> dict[str, str]:
    """The county report's table keys and titles (empty while that builder is missing).

    Read at call time, not import time: the county report's module may be absent in a
    partial install, and the choice list must then say "none" rather than fail.
    """
    try:
        from jamlik.reports.county_report import TABLE_KEYS
    except ImportError:
        return {}
    return {str(k): str(v) for k, v in dict(TABLE_KEYS).items()}


def county_document(county: Area, year: int) -> Document | None:
    """The county report for ``county`` and ``year`` (None while its builder is missing)."""
    try:
        from jamlik.reports.county_report import build_county_report
    except ImportError:
        return None
    return build_county_report(county, year)


# ---- templates ---------------------------------------------------------------------------


def validate_sections(
    raw: Iterable[Mapping[str, Any]], table_keys: Mapping[str, str]
) -> list[SectionSpec]:
    """Check a template's sections; raise :class:`TemplateError` naming every problem.

    Pure. Keys are slugs (they key the counties' answers, so they must stay unique),
    both titles are needed (the pages are bilingual), and every table must be one the
    county report makes (``table_keys``), else a county could be asked for a table
    Jämlik never fills.
    """
    specs: list[SectionSpec] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, item in enumerate(raw, start=1):
        where = _("Section %(n)s") % {"n": number}
        key = str(item.get("key") or "").strip()
        title_sv = str(item.get("title_sv") or "").strip()
        title_en = str(item.get("title_en") or "").strip()
        tables = [str(t).strip() for t in item.get("tables") or [] if str(t).strip()]
        if not KEY_RE.match(key) or len(key) > 64:
            problems.append(
                _(
                    "%(where)s: the key “%(key)s” must be lower-case letters, digits and "
                    "hyphens (at most 64 characters)."
                )
                % {"where": where, "key": key}
            )
        elif key in seen:
            problems.append(
                _("%(where)s: the key “%(key)s” is used by another section.")
                % {"where": where, "key": key}
            )
        seen.add(key)
        if not title_sv:
            problems.append(_("%(where)s: give a Swedish title.") % {"where": where})
        if not title_en:
            problems.append(_("%(where)s: give an English title.") % {"where": where})
        unknown = [t for t in tables if t not in table_keys]
        if unknown:
            problems.append(
                _("%(where)s: Jämlik makes no table named %(keys)s.")
                % {"where": where, "keys": ", ".join(unknown)}
            )
        specs.append(
            SectionSpec(
                key=key,
                title_sv=title_sv,
                title_en=title_en,
                guidance_sv=str(item.get("guidance_sv") or "").strip(),
                guidance_en=str(item.get("guidance_en") or "").strip(),
                required=bool(item.get("required")),
                tables=tuple(dict.fromkeys(tables)),
            )
        )
    if not specs:
        problems.append(_("A template needs at least one section."))
    if len(specs) > MAX_SECTIONS:
        problems.append(_("A template holds at most %(n)s sections.") % {"n": MAX_SECTIONS})
    if problems:
        raise TemplateError(problems)
    return specs


def sections_of(template: ReportTemplate) -> list[SectionSpec]:
    """A stored template's sections (stored ones were validated when saved)."""
    fields = SectionSpec.__dataclass_fields__
    return [
        SectionSpec(
            **{
                **{k: v for k, v in item.items() if k in fields and k != "tables"},
                "tables": tuple(item.get("tables") or ()),
            }
        )
        for item in template.sections or []
    ]


def _require_national(user: Any) -> None:
    if not is_national(user):
        raise PermissionDenied


def save_template(
    user: Any,
    *,
    year: int,
    title: str,
    introduction: str,
    due: date | None,
    sections: Sequence[Mapping[str, Any]],
    instance: ReportTemplate | None = None,
    version: int | None = None,
) -> ReportTemplate:
    """Create or change a template (national administrators only).

    A closed template is kept as it was: the counties reported against it.
    """
    _require_national(user)
    specs = validate_sections(sections, available_tables())
    if instance is not None and instance.status == TemplateStatus.CLOSED:
        raise NotEditable(_("The template is closed; reopen it to change it."))
    clash = ReportTemplate.objects.filter(year=year)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise NotEditable(_("There is already a template for %(year)s.") % {"year": year})
    record = instance or ReportTemplate(created_by=user if user.is_authenticated else None)
    record.year, record.title, record.introduction, record.due = year, title, introduction, due
    record.sections = [s.as_dict() for s in specs]
    with transaction.atomic():
        if record.pk is not None:
            claim(record, version)
        record.save()
    return record


def set_template_status(
    user: Any, template: ReportTemplate, status: str, version: int | None = None
) -> ReportTemplate:
    """Open, close or reopen a template (national administrators only)."""
    _require_national(user)
    if status not in TemplateStatus.values:
        raise NotEditable(_("Unknown status %(s)s.") % {"s": status})
    with transaction.atomic():
        claim(template, version)
        template.status = status
        template.save(update_fields=["status", "version", "updated_at"])
    return template


def open_template() -> ReportTemplate | None:
    """The template counties report against now: the latest open one."""
    return ReportTemplate.objects.filter(status=TemplateStatus.OPEN).order_by("-year").first()


# ---- submissions -------------------------------------------------------------------------


def may_fill(user: Any, county: Area) -> bool:
    """Only the county's own administrators write its report (national ones review it)."""
    return county.level == AreaLevel.COUNTY and bool(is_county_admin_of(user, county))


def may_read(user: Any, county: Area) -> bool:
    return bool(is_national(user)) or may_fill(user, county)


def counties_administered(user: Any) -> list[Area]:
    """The counties whose report ``user`` writes (a county administrator's län)."""
    if not user.is_authenticated:
        return []
    return list(
        Area.objects.filter(
            level=AreaLevel.COUNTY,
            roles__user=user,
            roles__kind=RoleKind.COUNTY_ADMIN,
        )
        .distinct()
        .order_by("code")
    )


def editable(submission: ReportSubmission | None, template: ReportTemplate) -> bool:
    """A county may write while the template is open and its report is a draft or returned."""
    if template.status != TemplateStatus.OPEN:
        return False
    return submission is None or submission.status in (
        SubmissionStatus.DRAFT,
        SubmissionStatus.RETURNED,
    )


def find_submission(template: ReportTemplate, county: Area) -> ReportSubmission | None:
    return ReportSubmission.objects.filter(template=template, county=county).first()


def start_submission(user: Any, template: ReportTemplate, county: Area) -> ReportSubmission:
    """The county's submission for ``template``, created as an empty draft the first time."""
    if not may_fill(user, county):
        raise PermissionDenied
    if template.status != TemplateStatus.OPEN:
        raise NotEditable(_("The template is not open for reporting."))
    submission, _created = ReportSubmission.objects.get_or_create(template=template, county=county)
    return submission


def clean_answers(template: ReportTemplate, answers: Mapping[str, Any]) -> dict[str, str]:
    """Only the template's section keys, as trimmed text (a crafted key is dropped)."""
    keys = [s.key for s in sections_of(template)]
    cleaned: dict[str, str] = {}
    for key in keys:
        text = str(answers.get(key) or "").replace("\r\n", "\n").strip()
        if len(text) > MAX_ANSWER:
            raise NotEditable(
                _("A section holds at most %(n)s characters.") % {"n": f"{MAX_ANSWER:,}"}
            )
        cleaned[key] = text
    return cleaned


def missing_required(template: ReportTemplate, answers: Mapping[str, str]) -> list[SectionSpec]:
    """Required sections whose answer is empty (pure apart from reading the template)."""
    return [
        s for s in sections_of(template) if s.required and not (answers.get(s.key) or "").strip()
    ]


def _write(user: Any, submission: ReportSubmission, answers: Mapping[str, Any]) -> dict[str, str]:
    if not may_fill(user, submission.county):
        raise PermissionDenied
    if not editable(submission, submission.template):
        raise NotEditable(_("This report has been submitted and can no longer be changed here."))
    return clean_answers(submission.template, answers)


def save_answers(
    user: Any,
    submission: ReportSubmission,
    answers: Mapping[str, Any],
    version: int | None,
) -> ReportSubmission:
    """Save the county's draft (its status stays draft, or returned until submitted)."""
    cleaned = _write(user, submission, answers)
    with transaction.atomic():
        claim(submission, version)
        submission.answers = cleaned
        submission.save(update_fields=["answers", "version", "updated_at"])
    return submission


def snapshot_tables(document: Document | None, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The tables named by ``keys`` as plain JSON, from a built county report. Pure.

    A key the report did not produce is kept with ``missing: true``, so the submitted
    report says which table had no figures instead of dropping it.
    """
    found: dict[str, Table] = {} if document is None else {t.key: t for t in document.tables()}
    snapshot: dict[str, dict[str, Any]] = {}
    for key in dict.fromkeys(keys):
        table = found.get(key)
        if table is None:
            snapshot[key] = {"key": key, "missing": True}
            continue
        snapshot[key] = {
            "key": key,
            "title": table.title,
            "columns": [str(c) for c in table.columns],
            "rows": [[_json_cell(c) for c in row] for row in table.rows],
            "source": table.source,
            "notes": [str(n) for n in table.notes],
        }
    return snapshot


def _json_cell(cell: Any) -> Any:
    return cell if cell is None or isinstance(cell, int | float | str) else str(cell)


def required_table_keys(template: ReportTemplate) -> list[str]:
    return list(dict.fromkeys(k for s in sections_of(template) for k in s.tables))


def submit(
    user: Any,
    submission: ReportSubmission,
    answers: Mapping[str, Any],
    version: int | None,
    *,
    build: Callable[[Area, int], Document | None] | None = None,
) -> ReportSubmission:
    """Save and submit: refused while a required section is empty, naming the sections.

    The tables the template asks for are built now (``build``, by default the county
    report) and stored with the answers.
    """
    cleaned = _write(user, submission, answers)
    template = submission.template
    missing = missing_required(template, cleaned)
    if missing:
        raise SubmissionIncomplete([s.title() for s in missing])
    keys = required_table_keys(template)
    make = build or county_document
    tables = snapshot_tables(make(submission.county, template.year), keys) if keys else {}
    with transaction.atomic():
        claim(submission, version)
        submission.answers = cleaned
        submission.tables = tables
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = timezone.now()
        submission.submitted_by = user
        submission.save()
    return submission


def _review(
    user: Any, submission: ReportSubmission, status: str, note: str, version: int | None
) -> ReportSubmission:
    _require_national(user)
    if submission.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise NotEditable(_("Only a submitted report can be returned or accepted."))
    with transaction.atomic():
        claim(submission, version)
        submission.status = status
        submission.reviewer_note = note
        submission.save(update_fields=["status", "reviewer_note", "version", "updated_at"])
    return submission


def return_submission(
    user: Any, submission: ReportSubmission, note: str, version: int | None
) -> ReportSubmission:
    """Send a submitted report back to the county for completion, with a note saying what."""
    note = (note or "").strip()
    if not note:
        raise NotEditable(_("Write a note saying what the county should complete."))
    return _review(user, submission, SubmissionStatus.RETURNED, note, version)


def accept(
    user: Any, submission: ReportSubmission, version: int | None, note: str = ""
) -> ReportSubmission:
    return _review(user, submission, SubmissionStatus.ACCEPTED, (note or "").strip(), version)


# ---- status per county, reminders -------------------------------------------------------


@dataclass(frozen=True)
class CountyStatus:
    county: Area
    submission: ReportSubmission | None
    status: str  # NOT_STARTED or a SubmissionStatus value

    @property
    def label(self) -> str:
        return status_label(self.status)

    @property
    def outstanding(self) -> bool:
        """Not yet handed in: no report, a draft, or returned for completion."""
        return self.status in (NOT_STARTED, SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


def status_label(status: str) -> str:
    labels = {
        NOT_STARTED: _("not started"),
        SubmissionStatus.DRAFT: _("draft"),
        SubmissionStatus.SUBMITTED: _("submitted"),
        SubmissionStatus.RETURNED: _("returned"),
        SubmissionStatus.ACCEPTED: _("accepted"),
    }
    return str(labels.get(status, status))


def county_statuses(template: ReportTemplate) -> list[CountyStatus]:
    """Every county (21) with its submission's status, by code."""
    submissions = {
        s.county_id: s
        for s in ReportSubmission.objects.filter(template=template).select_related("submitted_by")
    }
    rows = []
    for county in Area.objects.counties().order_by("code"):
        submission = submissions.get(county.pk)
        rows.append(
            CountyStatus(county, submission, submission.status if submission else NOT_STARTED)
        )
    return rows


def page_path(template: ReportTemplate, county: Area) -> str:
    return reverse("upward:submission", args=[template.year, county.code])


def upward_reminders(
    template: ReportTemplate, counties: Iterable[Area] | None = None
) -> list[Reminder]:
    """One reminder (in Swedish) per county not yet submitted, to its administrators.

    None while the template is not open. ``counties`` narrows the set (default: all).
    """
    if template.status != TemplateStatus.OPEN:
        return []
    wanted = None if counties is None else {c.pk for c in counties}
    due = template.due.isoformat() if template.due else ""
    reminders = []
    with translation.override("sv"):
        for row in county_statuses(template):
            if not row.outstanding or (wanted is not None and row.county.pk not in wanted):
                continue
            body = _(
                "The county report to the national level for %(year)s (“%(title)s”) has not "
                "been submitted for %(county)s."
            ) % {"year": template.year, "title": template.title, "county": row.county.name}
            if due:
                body += " " + _("It is due on %(due)s.") % {"due": due}
            body += " " + _("Fill in and submit it on the report's page:")
            reminders.append(
                Reminder(
                    topic=REMINDER_TOPIC,
                    kommun=row.county,
                    subject=_("County reporting %(year)s is not submitted: %(county)s")
                    % {"year": template.year, "county": row.county.name},
                    body=body,
                    path=page_path(template, row.county),
                    role=RoleKind.COUNTY_ADMIN,
                )
            )
    return reminders

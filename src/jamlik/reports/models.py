"""What the county writes for its reports, and what it reports upward.

The figures of a report are never stored: they are read from the rest of Jämlik when the
document is built. Only what people write is kept here: the narrative sections of a
county's (or the national) report per year, the yearly reporting templates the national
administrator defines, each county's filled-in submission, and the snapshots a county
releases to the national picture.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jamlik.core.versioning import version_field


class ReportNarrative(models.Model):
    """One editable narrative section of a report, per area and year.

    ``area`` is a county for a länsrapport, or the country for the national report.
    """

    area = models.ForeignKey(
        "geo.Area",
        on_delete=models.CASCADE,
        related_name="report_narratives",
        verbose_name=_("area"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    section_key = models.SlugField(_("section"), max_length=64)
    text = models.TextField(_("text"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = version_field()

    class Meta:
        ordering = ["area__code", "-year", "section_key"]
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "section_key"], name="unique_report_narrative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.year} {self.section_key}"


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for reporting")
    CLOSED = "closed", _("Closed")


class ReportTemplate(models.Model):
    """The national administrator's yearly template for the counties' reports upward.

    ``sections`` is a list of ``{"key", "title_sv", "title_en", "guidance_sv",
    "guidance_en", "required": bool, "tables": [table keys]}``; the table keys name the
    tables Jämlik fills in from the county's data (see ``jamlik.reports.upward``).
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    sections: models.JSONField[Any, Any] = models.JSONField(_("sections"), default=list)
    due = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = version_field()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("reporting template")
        verbose_name_plural = _("reporting templates")

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for completion")
    ACCEPTED = "accepted", _("Accepted")


class ReportSubmission(models.Model):
    """A county's filled-in report for one template.

    ``answers`` maps section keys to the county's text; ``tables`` holds the snapshot of
    the tables Jämlik filled in at submission, so what was submitted stays as it was.
    """

    template = models.ForeignKey(
        ReportTemplate,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("template"),
    )
    county = models.ForeignKey(
        "geo.Area",
        on_delete=models.CASCADE,
        related_name="report_submissions",
        verbose_name=_("county"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )
    answers: models.JSONField[Any, Any] = models.JSONField(_("answers"), default=dict, blank=True)
    tables: models.JSONField[Any, Any] = models.JSONField(_("tables"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewer_note = models.TextField(_("note from the national administrator"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = version_field()

    class Meta:
        ordering = ["template", "county__code"]
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        constraints = [
            models.UniqueConstraint(fields=["template", "county"], name="unique_submission")
        ]

    def __str__(self) -> str:
        return f"{self.template_id} {self.county_id}"


class ReleaseDomain(models.TextChoices):
    PREREQUISITES = "prerequisites", _("Prerequisites")
    SUPPORT = "support", _("Support ladder and agreements")
    PLANS = "plans", _("Plans")
    INTERVENTIONS = "interventions", _("Interventions in use")


class CountyRelease(models.Model):
    """What a county has published to the national picture, as it was when released.

    National pages read only the latest release per county and domain, never the
    county's working records, so nothing reaches the national picture before the county
    publishes it.
    """

    county = models.ForeignKey(
        "geo.Area",
        on_delete=models.CASCADE,
        related_name="national_releases",
        verbose_name=_("county"),
    )
    domain = models.CharField(_("domain"), max_length=16, choices=ReleaseDomain.choices)
    payload: models.JSONField[Any, Any] = models.JSONField(_("content"), default=dict)
    released_at = models.DateTimeField(_("released"), auto_now_add=True, db_index=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["county__code", "domain", "-released_at", "-pk"]
        verbose_name = _("release to the national picture")
        verbose_name_plural = _("releases to the national picture")
        indexes = [models.Index(fields=["county", "domain", "-released_at"])]

    def __str__(self) -> str:
        return f"{self.county_id} {self.domain} {self.released_at:%Y-%m-%d}"

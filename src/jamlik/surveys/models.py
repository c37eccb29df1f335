"""What is kept of a survey import: the file's name and counts, never a respondent row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jamlik.core.versioning import version_field


class ScaleDefinition(models.Model):
    """A county's own scale definition (TOML text), used instead of the shipped one."""

    county = models.OneToOneField(
        "geo.Area",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="survey_scales",
    )
    text = models.TextField(_("scale definition (TOML)"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = _("survey scale definition")
        verbose_name_plural = _("survey scale definitions")

    def __str__(self) -> str:
        return f"{self.county_id}"


class SurveyImport(models.Model):
    """One survey file read: where from, what definition scored it, what was left out.

    The aggregates are the observations of ``import_run`` (staged until the county
    publishes the run, like any file import).
    """

    county = models.ForeignKey(
        "geo.Area",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="survey_imports",
    )
    survey = models.CharField(_("survey"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(_("format"), max_length=8)
    #: sha256 of the scale definition text that scored the file.
    scales_digest = models.CharField(_("definition checksum"), max_length=64)
    scales_source = models.CharField(_("definition used"), max_length=16)
    respondents = models.PositiveIntegerField(_("respondent rows read"), default=0)
    respondents_used = models.PositiveIntegerField(_("respondent rows used"), default=0)
    #: What was left out and why: rows without an area, excluded per scale (too few
    #: items answered), answers outside a question's codes (set to missing) per question.
    report = models.JSONField(_("report"), default=dict, blank=True)
    import_run = models.OneToOneField(
        "indicators.ImportRun",
        verbose_name=_("stored aggregates"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_import",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)
    is_demo = models.BooleanField(_("invented demo data"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey import")
        verbose_name_plural = _("survey imports")

    def __str__(self) -> str:
        return f"{self.survey} {self.year} ({self.file_name})"

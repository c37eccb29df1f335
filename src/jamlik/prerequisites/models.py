"""Municipal prerequisites: survey instruments and rounds, responses, interview codes,
mål-och-budget documents and evaluation groups.

Prerequisite and dimension keys are the ``forutsattningar`` framework's keys, stored as
strings (and JSON lists) so a county that overrides the framework needs no migration.
A year's data become public when the county publishes that year's round.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jamlik.core.versioning import version_field


class ItemKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("Single choice")
    SCALE = "scale", _("Scale")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Free text")


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    LOCKED = "locked", _("Locked")


class SupportGroup(models.TextChoices):
    DEEPENED = "deepened", _("Deepened collaboration")
    SOME = "some", _("Some support")
    NONE = "none", _("No support")


class RespondentRole(models.TextChoices):
    STRATEGIST = "strategist", _("Strategist or coordinator")
    MANAGER = "manager", _("Manager")
    POLITICIAN = "politician", _("Politician")
    OTHER = "other", _("Other")


class DocumentStatus(models.TextChoices):
    OK = "ok", _("Text extracted")
    NO_TEXT = "no_text", _("No text layer (scanned?)")


class Instrument(models.Model):
    """A versioned questionnaire. Items are frozen once a round has responses; a change
    of content means a new version (weights and caps stay editable: they only change
    how answers are scored)."""

    county = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    version = models.CharField(_("version"), max_length=30)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    caps = models.JSONField(
        _("index caps per prerequisite"),
        default=dict,
        help_text=_("Relative maximum points each prerequisite can give to the index."),
    )
    strong_from = models.FloatField(_("level 'strong' from"), default=70)
    developing_from = models.FloatField(_("level 'developing' from"), default=40)
    is_demo = models.BooleanField(_("invented demo record"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["county__code", "version"]
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")
        constraints = [
            models.UniqueConstraint(fields=["county", "version"], name="unique_instrument_version")
        ]

    def __str__(self) -> str:
        return f"{self.title_sv} {self.version}"

    def title(self, lang: str = "sv") -> str:
        return self.title_en if lang.startswith("en") else self.title_sv


class Item(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("type"), max_length=20, choices=ItemKind.choices)
    prerequisite = models.CharField(_("prerequisite"), max_length=60)
    dimensions = models.JSONField(_("dimensions"), default=list, blank=True)
    weight = models.FloatField(_("weight"), default=1)
    text_sv = models.TextField(_("question (Swedish)"))
    text_en = models.TextField(_("question (English)"))
    options = models.JSONField(_("options"), default=list, blank=True)
    scale = models.JSONField(_("scale labels"), default=list, blank=True)
    full_at = models.FloatField(_("full marks at"), null=True, blank=True)
    unit_sv = models.CharField(_("unit (Swedish)"), max_length=60, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=60, blank=True)
    summary = models.JSONField(_("summary sentence"), default=dict, blank=True)
    option_summary = models.JSONField(_("summary per option"), default=dict, blank=True)
    version = version_field()

    class Meta:
        ordering = ["instrument", "order"]
        verbose_name = _("survey item")
        verbose_name_plural = _("survey items")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "key"], name="unique_item_key")
        ]

    def __str__(self) -> str:
        return self.key

    def text(self, lang: str = "sv") -> str:
        return self.text_en if lang.startswith("en") else self.text_sv


class Round(models.Model):
    """One year's survey in a county. Published rounds are visible to the public
    (aggregates, scores, document counts); unpublished ones only to roles in the county."""

    county = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    year = models.PositiveIntegerField(_("year"))
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("instrument")
    )
    is_open = models.BooleanField(_("open for answers"), default=True)
    published = models.BooleanField(_("published"), default=False)
    is_demo = models.BooleanField(_("invented demo record"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["county__code", "-year"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="unique_round")]

    def __str__(self) -> str:
        return f"{self.county.code} {self.year}"


class Response(models.Model):
    """A kommun's answers in a round: draft → submitted → locked."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    municipality = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(_("invented demo record"), default=False)
    version = version_field()

    class Meta:
        ordering = ["round", "municipality__code"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(fields=["round", "municipality"], name="unique_response")
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.municipality.code}"

    @property
    def counts(self) -> bool:
        """Only submitted and locked answers enter scores and summaries."""
        return self.status in (ResponseStatus.SUBMITTED, ResponseStatus.LOCKED)


class InterviewTheme(models.Model):
    """A theme (no parent) or sub-theme used to code interview excerpts."""

    county = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("main theme"),
    )
    name_sv = models.CharField(_("name (Swedish)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    prerequisites = models.JSONField(_("prerequisites"), default=list, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_demo = models.BooleanField(_("invented demo record"), default=False)

    class Meta:
        ordering = ["county__code", "order", "name_sv"]
        verbose_name = _("interview theme")
        verbose_name_plural = _("interview themes")

    def __str__(self) -> str:
        return self.name_sv

    def name(self, lang: str = "sv") -> str:
        return self.name_en if lang.startswith("en") else self.name_sv


class InterviewExcerpt(models.Model):
    """A coded passage from an interview with people in a kommun."""

    municipality = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    year = models.PositiveIntegerField(_("year"))
    theme = models.ForeignKey(
        InterviewTheme, on_delete=models.PROTECT, related_name="excerpts", verbose_name=_("theme")
    )
    respondent_role = models.CharField(
        _("respondent"), max_length=16, choices=RespondentRole.choices
    )
    text = models.TextField(_("excerpt"))
    is_demo = models.BooleanField(_("invented demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["municipality__code", "-year", "theme"]
        verbose_name = _("interview excerpt")
        verbose_name_plural = _("interview excerpts")

    def __str__(self) -> str:
        return f"{self.municipality.code} {self.year} {self.theme}"


class DocumentTheme(models.Model):
    """A county's dictionary for one document-analysis theme (see ``textanalysis``)."""

    county = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    key = models.SlugField(_("key"), max_length=40)
    name_sv = models.CharField(_("name (Swedish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    terms = models.TextField(_("terms"), help_text=_("One stem per line; see the syntax."))
    goal_theme = models.BooleanField(_("collect goal sentences"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["county__code", "order"]
        verbose_name = _("document theme")
        verbose_name_plural = _("document themes")
        constraints = [
            models.UniqueConstraint(fields=["county", "key"], name="unique_document_theme")
        ]

    def __str__(self) -> str:
        return self.name_sv

    def name(self, lang: str = "sv") -> str:
        return self.name_en if lang.startswith("en") else self.name_sv


class Document(models.Model):
    """A kommun's mål och budget for a year, as extracted text (the file is not kept)."""

    municipality = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("file type"), max_length=8)
    size = models.PositiveIntegerField(_("size in bytes"))
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DocumentStatus.choices)
    text = models.TextField(_("extracted text"), blank=True)
    analysis = models.JSONField(_("analysis"), default=dict, blank=True)
    analysis_key = models.CharField(max_length=64, blank=True)
    is_demo = models.BooleanField(_("invented demo record"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["municipality__code", "-year"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.municipality.code} {self.year} {self.title}"


class GroupAssignment(models.Model):
    """A kommun's support group for one baseline → follow-up comparison, set by hand."""

    county = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    municipality = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    baseline_year = models.PositiveIntegerField(_("baseline year"))
    follow_up_year = models.PositiveIntegerField(_("follow-up year"))
    group = models.CharField(_("group"), max_length=10, choices=SupportGroup.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("invented demo record"), default=False)

    class Meta:
        ordering = ["municipality__code"]
        verbose_name = _("group assignment")
        verbose_name_plural = _("group assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "baseline_year", "follow_up_year"],
                name="unique_group_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality.code} {self.baseline_year}-{self.follow_up_year}"

"""The indicator catalogue, the observations and the import runs that brought them in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ValueType(models.TextChoices):
    """What kind of number an indicator is; decides how values and intervals are computed."""

    PROPORTION = "proportion", _("Proportion")
    RATE = "rate", _("Crude rate")
    DSR = "dsr", _("Directly standardised rate")
    MEAN = "mean", _("Mean")
    COUNT = "count", _("Count")
    INDEX = "index", _("Index")


class Polarity(models.TextChoices):
    """Whether a higher value is better, worse, or neither."""

    HIGH_IS_GOOD = "high", _("High is good")
    LOW_IS_GOOD = "low", _("Low is good")
    NEUTRAL = "neutral", _("No judgement")


class Indicator(models.Model):
    """A catalogue entry: what is measured, how, from which source, and which way is better."""

    code = models.CharField(_("id"), max_length=32, unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    definition_sv = models.TextField(_("definition (Swedish)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    rationale_sv = models.TextField(_("rationale (Swedish)"), blank=True)
    rationale_en = models.TextField(_("rationale (English)"), blank=True)
    numerator_definition = models.TextField(_("numerator"), blank=True)
    denominator_definition = models.TextField(_("denominator"), blank=True)
    value_type = models.CharField(_("value type"), max_length=16, choices=ValueType.choices)
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    multiplier = models.PositiveIntegerField(_("multiplier"), default=100)
    polarity = models.CharField(_("polarity"), max_length=8, choices=Polarity.choices)
    target_areas = models.JSONField(_("målområden"), default=list, blank=True)
    problem_areas = models.JSONField(_("prevention-star problem areas"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    source_id = models.CharField(_("id at the source"), max_length=64, blank=True)
    method = models.TextField(_("method"), blank=True)
    benchmark_confidence = models.FloatField(_("benchmark confidence"), default=0.95)
    disclosure_threshold = models.PositiveSmallIntegerField(
        _("smallest publishable count"), default=5
    )
    is_survey = models.BooleanField(_("sample survey"), default=False)
    note = models.TextField(_("note"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_en if (get_language() or "sv").startswith("en") else self.name_sv

    @property
    def definition(self) -> str:
        return (
            self.definition_en if (get_language() or "sv").startswith("en") else self.definition_sv
        )

    @property
    def rationale(self) -> str:
        return self.rationale_en if (get_language() or "sv").startswith("en") else self.rationale_sv

    @property
    def unit_label(self) -> str:
        """The unit shown after values (``%``, ``per 100 000``, ``år``)."""
        if self.unit:
            return self.unit
        if self.value_type == ValueType.PROPORTION and self.multiplier == 100:
            return "%"
        if self.value_type in (ValueType.RATE, ValueType.DSR):
            return f"per {self.multiplier:,}".replace(",", "\u00a0")
        return ""


class ImportRun(models.Model):
    """One load of observations: who, when, from what, how many rows. All-or-nothing."""

    class Kind(models.TextChoices):
        FILE = "file", _("File import")
        KOLADA = "kolada", _("Kolada")
        PXWEB = "pxweb", _("PxWeb")
        DEMO = "demo", _("Demo data (invented)")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    actor = models.CharField(_("run by (name)"), max_length=150, blank=True)
    description = models.TextField(_("what was loaded"))
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("new observations"), default=0)
    updated = models.PositiveIntegerField(_("replaced observations"), default=0)
    is_demo = models.BooleanField(_("invented demo data"), default=False)
    #: Whether the public may see this run's observations. Official open
    #: sources and the demo are published on load; files start unpublished
    #: until a county administrator publishes them.
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M} ({self.rows})"

    @staticmethod
    def published_on_load(kind: str) -> bool:
        """Runs from official open sources (Kolada, PxWeb) and the invented demo are
        public at once: they are already published aggregates. Files are not."""
        return kind in (ImportRun.Kind.KOLADA, ImportRun.Kind.PXWEB, ImportRun.Kind.DEMO)


class Observation(models.Model):
    """One value of one indicator for an area, period and population group."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    area = models.ForeignKey("geo.Area", on_delete=models.CASCADE, related_name="observations")
    period = models.CharField(_("period"), max_length=16)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    breakdown = models.CharField(_("breakdown"), max_length=32, default="total")
    category = models.CharField(_("category"), max_length=64, default="total")
    numerator = models.FloatField(_("numerator"), null=True, blank=True)
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    lower = models.FloatField(_("lower limit"), null=True, blank=True)
    upper = models.FloatField(_("upper limit"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    import_run = models.ForeignKey(
        ImportRun, on_delete=models.PROTECT, related_name="observations", null=True, blank=True
    )
    is_demo = models.BooleanField(_("invented demo data"), default=False)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period", "breakdown", "category"],
                name="observation_unique_cell",
            )
        ]
        indexes = [
            # county/national overview: latest total value per indicator and area
            models.Index(fields=["breakdown", "indicator", "period_end"], name="obs_overview"),
            # kommun profile and trends: one area, all indicators, all periods
            models.Index(fields=["area", "breakdown", "indicator"], name="obs_area"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_id} {self.period} {self.breakdown}={self.category}"

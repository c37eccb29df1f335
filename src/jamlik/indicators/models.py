"""The indicator catalogue, the observations and the import runs that brought them in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jamlik.core.versioning import version_field


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
    #: Small populations identify people as surely as small counts: a
    #: denominator below this is hidden, with the value and its interval.
    denominator_threshold = models.PositiveSmallIntegerField(
        _("smallest publishable denominator"), default=5
    )
    is_survey = models.BooleanField(_("sample survey"), default=False)
    note = models.TextField(_("note"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    #: Keys of the prevention star's risk and protective factors the indicator measures
    #: (``preventionsstjarna.toml``); the shipped catalogue links them in
    #: ``prevention/data/factor_indicators.toml`` instead.
    factors = models.JSONField(_("risk and protective factors"), default=list, blank=True)
    #: The county whose own measure this is; empty for the shared national catalogue.
    #: A national administrator promotes an own indicator by clearing it.
    owner = models.ForeignKey(
        "geo.Area",
        verbose_name=_("owned by county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="own_indicators",
    )
    #: The id the county chose; every version of the measure shares it. A change of
    #: definition starts a new version (a new row, code ``<series>.v<n>``) so old values
    #: keep the definition they were collected under.
    series = models.CharField(_("series"), max_length=32, blank=True, db_index=True)
    series_version = models.PositiveSmallIntegerField(_("definition version"), default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("previous definition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_version",
    )
    #: False once a newer definition replaces this one: its values stay, new ones go
    #: to the newer version.
    current = models.BooleanField(_("current definition"), default=True)
    #: Collected as a few numbers a year in the web form (data entry), not by file.
    web_entry = models.BooleanField(_("entered on the web"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("promoted to the shared catalogue"), null=True, blank=True)
    version = version_field()

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

    @property
    def unit_note(self) -> str:
        """:attr:`unit_label` to show after the name, or ``""`` when the name already says
        it: Kolada's names end in "andel (%)", "år", "antal/100 000 inv", and "andel (%) (%)"
        or "Ohälsotal, dagar (dagar)" says the unit twice."""
        unit = self.unit_label
        if not unit:
            return ""
        name = " ".join(self.name.replace("\u00a0", " ").split()).casefold()
        said = " ".join(unit.replace("\u00a0", " ").split()).casefold()
        last = name.rsplit(",", 1)[-1].strip()
        number = said.removeprefix("per ").strip()
        if f"({said})" in name or said in last.split() or last.startswith(said + "/"):
            return ""
        if said.startswith("per ") and f"/{number}" in name.replace(" /", "/"):
            return ""
        return unit


class ImportRun(models.Model):
    """One load of observations: who, when, from what, how many rows. All-or-nothing."""

    class Kind(models.TextChoices):
        FILE = "file", _("File import")
        KOLADA = "kolada", _("Kolada")
        PXWEB = "pxweb", _("PxWeb")
        DEMO = "demo", _("Demo data (invented)")
        ENTRY = "entry", _("Web data entry")
        SURVEY = "survey", _("Survey microdata")

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
    #: False while a large load is still being written in batches: its rows are
    #: then seen by nobody and it cannot be published; a load that fails is removed.
    complete = models.BooleanField(_("completely stored"), default=True)
    #: The source's notes on the whole table, as ``{"text": ..., "mandatory": bool}``;
    #: mandatory ones (SCB: "random noise has been added") go with every figure shown.
    notes = models.JSONField(_("source notes"), default=list, blank=True)

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


#: The stored columns of an observation, in the one order used for bulk reads and writes.
OBSERVATION_COLUMNS = (
    "indicator_id",
    "area_id",
    "period",
    "period_start",
    "period_end",
    "breakdown",
    "category",
    "numerator",
    "denominator",
    "value",
    "lower",
    "upper",
    "note",
    "source",
    "import_run_id",
    "is_demo",
    "status",
)


class ObservationFields(models.Model):
    """The fields of one value of one indicator for an area, period and population group."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("geo.Area", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("period"), max_length=16)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    #: One dimension (``sex``) or several joined by ``*`` (``age*sex``): see
    #: :func:`jamlik.sources.observations.compose_breakdown`.
    breakdown = models.CharField(_("breakdown"), max_length=96, default="total")
    category = models.CharField(_("category"), max_length=192, default="total")
    numerator = models.FloatField(_("numerator"), null=True, blank=True)
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    lower = models.FloatField(_("lower limit"), null=True, blank=True)
    upper = models.FloatField(_("upper limit"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    #: The source's status symbol for the row: ``""`` (a value), ``unavailable``
    #: (``..``), ``none`` (``-``) or ``confidential`` (``.``); see
    #: :mod:`jamlik.sources.observations`.
    status = models.CharField(_("status"), max_length=16, blank=True, default="", db_default="")
    source = models.CharField(_("source"), max_length=255, blank=True)
    is_demo = models.BooleanField(_("invented demo data"), default=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_id} {self.period} {self.breakdown}={self.category}"


class Observation(ObservationFields):
    """One stored value, as loaded: live (approved for publication) or staged.

    A file import is *staged*: its rows sit here with ``is_live`` false until
    the county publishes the run.  Publishing makes them live and sets aside
    (``superseded_by``) the live rows they replace; withdrawing restores
    those.  At most one live row per cell.  The public never reads this table:
    it reads :class:`PublicObservation`, built from the live rows.
    """

    # No index of their own on indicator and import_run: the constraints and obs_live
    # below start with them, and every index slows a million-row load.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="observations", db_index=False
    )
    area = models.ForeignKey("geo.Area", on_delete=models.CASCADE, related_name="observations")
    import_run = models.ForeignKey(
        ImportRun,
        on_delete=models.PROTECT,
        related_name="observations",
        null=True,
        blank=True,
        db_index=False,
    )
    is_live = models.BooleanField(_("live (approved for publication)"), default=True)
    superseded_by = models.ForeignKey(
        ImportRun,
        verbose_name=_("set aside by"),
        on_delete=models.SET_NULL,
        related_name="superseded",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period", "breakdown", "category"],
                condition=models.Q(is_live=True),
                name="observation_one_live_cell",
            ),
            models.UniqueConstraint(
                fields=["import_run", "indicator", "area", "period", "breakdown", "category"],
                name="observation_unique_cell_per_run",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "is_live", "period"], name="obs_live"),
        ]


class PublicObservation(ObservationFields):
    """The protected, published table: what the public may see, and all it may see.

    Rebuilt per indicator from the live observations whenever they change
    (:mod:`jamlik.indicators.publication`), with disclosure control computed
    once over all areas, breakdowns and periods together.  Hidden numbers are
    missing here, not merely flagged, so no page, chart, export or API filter
    can show them or recompute anything from them.
    """

    class Suppression(models.TextChoices):
        NONE = "", _("shown")
        PRIMARY = "primary", _("small count")
        DENOMINATOR = "denominator", _("small population")
        SECONDARY = "secondary", _("protects another cell")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="public_observations"
    )
    area = models.ForeignKey(
        "geo.Area", on_delete=models.CASCADE, related_name="public_observations"
    )
    import_run = models.ForeignKey(
        ImportRun, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    suppressed = models.BooleanField(_("suppressed"), default=False)
    suppression = models.CharField(
        _("why suppressed"), max_length=16, choices=Suppression.choices, blank=True
    )

    class Meta:
        verbose_name = _("published observation")
        verbose_name_plural = _("published observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period", "breakdown", "category"],
                name="public_observation_unique_cell",
            )
        ]
        indexes = [
            # county/national overview: latest total value per indicator and area
            models.Index(fields=["breakdown", "indicator", "period_end"], name="pub_overview"),
            # kommun profile and trends: one area, all indicators, all periods
            models.Index(fields=["area", "breakdown", "indicator"], name="pub_area"),
        ]


class Publication(models.Model):
    """When an indicator's protected table was last built, and what its audit found."""

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="publication"
    )
    built_at = models.DateTimeField(_("built"))
    cells = models.PositiveIntegerField(_("cells"), default=0)
    suppressed = models.PositiveIntegerField(_("suppressed cells"), default=0)
    audited = models.PositiveIntegerField(_("suppressed counts audited"), default=0)
    at_risk = models.PositiveIntegerField(_("counts at risk"), default=0)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.built_at:%Y-%m-%d %H:%M}"


class PublishingLock(models.Model):
    """One row that says who is changing the live and public tables right now.

    Publishing computes the protected tables outside any database transaction
    (so other people's saves are never kept waiting for it) and writes them in
    short ones; this lock keeps two publications from computing on the same
    live rows at once.  A holder that died is replaced after ``since`` grows old.
    """

    holder = models.CharField(max_length=64, blank=True)
    since = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("publishing lock")
        verbose_name_plural = _("publishing locks")

    def __str__(self) -> str:
        return self.holder or "free"

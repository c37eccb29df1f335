"""Plans through the eight steps, and the interventions registry.

Steps, checklist items, perspectives and risk/protective factors are identified by
their keys in the county's frameworks (``kvalitetsmodell``, ``preventionsstjarna``);
the text shown comes from the framework, so the stored plan stays small and a county's
own wording shows everywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jamlik.core.versioning import version_field
from jamlik.prevention.ranking import EvidenceRating as _EvidenceRating


class Sharing(models.TextChoices):
    """Who else may read a plan as an example (erfarenhetsutbyte)."""

    PRIVATE = "private", _("Not shared")
    COUNTY = "county", _("With the county board and its partners")
    ALL = "all", _("With all counties")


class SharedPart(models.TextChoices):
    """The parts of a plan a kommun may share; the title and kommun are always shown."""

    SUMMARY = "summary", _("Summary and prioritised factors")
    STEPS = "steps", _("Steps of the quality model")
    INTERVENTIONS = "interventions", _("Chosen interventions")
    RESULTS = "results", _("Indicator targets and results")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    PAUSED = "paused", _("Paused")


class StepStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Plan(models.Model):
    """A kommun's development work through the eight steps of the quality model."""

    municipality = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        related_name="prevention_plans",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    prioritised_factors = models.JSONField(_("prioritised factors"), default=list, blank=True)
    sharing = models.CharField(
        _("shared as an example"), max_length=8, choices=Sharing.choices, default=Sharing.PRIVATE
    )
    shared_parts = models.JSONField(
        _("shared parts"),
        default=list,
        blank=True,
        help_text=_("Keys of SharedPart; the title and the kommun are always shown."),
    )
    shared_at = models.DateTimeField(_("shared since"), null=True, blank=True)
    is_demo = models.BooleanField(_("invented demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()

    class Meta:
        ordering = ["municipality__code", "-start"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.title


class PlanStep(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("step"))
    key = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=StepStatus.choices, default=StepStatus.NOT_STARTED
    )
    start = models.DateField(_("start"), null=True, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    evidence = models.TextField(
        _("evidence and documents"),
        blank=True,
        help_text=_("What shows the step was done: documents, decisions, data."),
    )
    version = version_field()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_step")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.number}"


class StepComment(models.Model):
    """One message in the dialogue on a plan step between the kommun, the county and partners.

    Threaded through ``parent`` (one level of replies is what the pages show; deeper
    replies attach to the thread's first message). ``is_agreement`` marks a message as the
    record of what the parties agreed, so the step shows its agreements apart from the talk.
    The author's name and organisation are copied at writing time: a comment keeps saying
    who wrote it after the account is gone.
    """

    step = models.ForeignKey(PlanStep, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("author"), max_length=150)
    author_org = models.CharField(_("organisation"), max_length=200, blank=True)
    text = models.TextField(_("comment"))
    is_agreement = models.BooleanField(_("records what was agreed"), default=False)
    is_demo = models.BooleanField(_("invented demo record"), default=False)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["step", "created_at", "pk"]
        verbose_name = _("step comment")
        verbose_name_plural = _("step comments")

    def __str__(self) -> str:
        return f"{self.step} · {self.author_name}"


class ChecklistTick(models.Model):
    step = models.ForeignKey(PlanStep, on_delete=models.CASCADE, related_name="ticks")
    item_key = models.CharField(max_length=64)
    done = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["step", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["step", "item_key"], name="unique_checklist_tick")
        ]

    def __str__(self) -> str:
        return self.item_key


class PerspectiveNote(models.Model):
    """How one step was weighed against one of the four perspectives."""

    step = models.ForeignKey(PlanStep, on_delete=models.CASCADE, related_name="perspectives")
    perspective_key = models.CharField(max_length=64)
    considered = models.BooleanField(default=False)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["step", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "perspective_key"], name="unique_perspective_note"
            )
        ]

    def __str__(self) -> str:
        return self.perspective_key


class IndicatorTarget(models.Model):
    """A situation-picture indicator the plan wants to move, with baseline and target.

    ``indicator_code`` names the indicator in the indicators catalogue; the latest value
    is looked up there when it exists. ``current_value`` is a manual reading for
    indicators the catalogue does not (yet) hold, shown as entered by hand.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    indicator_code = models.CharField(_("indicator code"), max_length=64)
    label = models.CharField(_("indicator"), max_length=200)
    baseline_value = models.FloatField(_("baseline value"))
    baseline_period = models.CharField(_("baseline period"), max_length=20)
    target_value = models.FloatField(_("target value"))
    target_period = models.CharField(_("target period"), max_length=20)
    current_value = models.FloatField(_("latest value (entered by hand)"), null=True, blank=True)
    current_period = models.CharField(_("latest period"), max_length=20, blank=True)

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")

    def __str__(self) -> str:
        return self.label


class PlanIntervention(models.Model):
    """An intervention a plan has chosen: from the registry (``intervention_key``) or a
    local one (``local_name``), with whom it reaches and which factors it addresses.

    The registry is keyed, not linked by row: a county's edited copy of a shipped entry
    keeps the key, so the plan follows the county's own wording.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="interventions")
    intervention_key = models.SlugField(
        _("intervention in the registry"), max_length=64, blank=True
    )
    local_name = models.CharField(_("local intervention"), max_length=200, blank=True)
    target_group = models.CharField(_("target group"), max_length=200, blank=True)
    setting = models.CharField(_("setting"), max_length=64, blank=True)
    participants_per_year = models.PositiveIntegerField(
        _("participants per year"), null=True, blank=True
    )
    reach_note = models.CharField(_("reach"), max_length=300, blank=True)
    factors = models.JSONField(_("factors addressed"), default=list, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = version_field()

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("chosen intervention")
        verbose_name_plural = _("chosen interventions")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(intervention_key="") | ~models.Q(local_name=""),
                name="plan_intervention_named",
            )
        ]

    def __str__(self) -> str:
        return self.intervention_key or self.local_name


class EvidenceRating(models.TextChoices):
    WELL_SUPPORTED = _EvidenceRating.WELL_SUPPORTED.value, _("Well supported")
    PROMISING = _EvidenceRating.PROMISING.value, _("Promising")
    MIXED = _EvidenceRating.MIXED.value, _("Mixed")
    INSUFFICIENT = _EvidenceRating.INSUFFICIENT.value, _("Insufficient")


class CostLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Intervention(models.Model):
    """A programme in the registry.

    ``county`` is empty for the starting set Jämlik ships (real, published programmes);
    when a county administrator edits one, the county gets its own copy with the same
    key, which then replaces the shipped entry for that county.
    """

    county = models.ForeignKey(
        "geo.Area",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interventions",
        verbose_name=_("county"),
    )
    key = models.SlugField(_("key"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    description_sv = models.TextField(_("description (Swedish)"))
    description_en = models.TextField(_("description (English)"))
    target_group_sv = models.CharField(_("target group (Swedish)"), max_length=200)
    target_group_en = models.CharField(_("target group (English)"), max_length=200)
    age_min = models.PositiveSmallIntegerField(_("youngest age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("oldest age"), null=True, blank=True)
    settings = models.JSONField(_("settings"), default=list, blank=True)
    factors = models.JSONField(_("factors addressed"), default=list, blank=True)
    problem_areas = models.JSONField(_("problem areas"), default=list, blank=True)
    evidence = models.CharField(_("evidence rating"), max_length=16, choices=EvidenceRating.choices)
    evidence_source = models.TextField(_("source of the evidence rating"))
    availability_sv = models.CharField(_("availability in Sweden (Swedish)"), max_length=300)
    availability_en = models.CharField(_("availability in Sweden (English)"), max_length=300)
    cost_level = models.CharField(_("cost level"), max_length=8, choices=CostLevel.choices)
    url = models.URLField(_("web page"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()

    class Meta:
        ordering = ["name"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "key"], name="unique_intervention_per_county"
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(county__isnull=True),
                name="unique_shipped_intervention",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def county_version(self) -> int:
        """The version a county's editor saves against: its own copy's, or 0 for a shipped
        entry the county has not made its own yet.

        Two admins of one county may both open a shipped entry; the first save creates the
        county's copy at version 1. Naming the shipped row's own version would not stop the
        second save from overwriting that copy, so a shipped entry counts as "no copy yet".
        """
        return int(self.version) if self.county_id is not None else 0

    def description(self, lang: str = "sv") -> str:
        return self.description_en if lang.startswith("en") else self.description_sv

    def target_group(self, lang: str = "sv") -> str:
        return self.target_group_en if lang.startswith("en") else self.target_group_sv

    def availability(self, lang: str = "sv") -> str:
        return self.availability_en if lang.startswith("en") else self.availability_sv

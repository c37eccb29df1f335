"""The actor map (aktörskarta): actors, their activities (insatser), networks and relations.

Every record belongs to an *owner area* — a kommun or a län — which decides who may edit
it (``jamlik.edit_area`` on that area). ``county`` is kept beside it so county-wide
queries stay one join. Records imported from another county's package keep their
provenance (``source_package``, ``source_ref``); an actor found to be the same
organisation as one from another county points to it through ``canonical``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jamlik.actors.choices import (
    ActivityStatus,
    ActorLevel,
    ActorType,
    ChangeAction,
    Evidence,
    MatchMethod,
    MeetingFrequency,
    MergeStatus,
    Orientation,
    PreventionLevel,
    RelationKind,
    RoundStatus,
    TagDimension,
)
from jamlik.actors.orgnr import OrgNumberError, normalise_org_number
from jamlik.core.versioning import version_field
from jamlik.geo.models import Area, AreaLevel


def _county_of(area: Area | None) -> Area | None:
    if area is None:
        return None
    if area.level == AreaLevel.COUNTY:
        return area
    return area.county


def validate_org_number(value: str) -> None:
    if value:
        try:
            normalise_org_number(value)
        except OrgNumberError as exc:
            raise ValidationError(str(exc)) from exc


class CountyPackage(models.Model):
    """One county's exported actor map, imported into a (national) instance."""

    county = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    version = models.CharField(_("package version"), max_length=40)
    format_version = models.PositiveSmallIntegerField(_("format version"))
    exported_at = models.DateTimeField(_("exported at"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checksum = models.CharField(_("SHA-256 of the content"), max_length=64)
    is_demo = models.BooleanField(default=False)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["county__code", "-imported_at"]
        verbose_name = _("county package")
        verbose_name_plural = _("county packages")

    def __str__(self) -> str:
        return f"{self.county.name} {self.version}"


class ProvenanceMixin(models.Model):
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner area"),
        help_text=_("The kommun or län whose editors keep this record up to date."),
    )
    county = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"), editable=False
    )
    ref = models.CharField(
        _("reference"),
        max_length=60,
        blank=True,
        help_text=_("Stable identifier used in import and export files."),
    )
    source_package = models.ForeignKey(
        CountyPackage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("imported from"),
    )
    is_demo = models.BooleanField(_("invented demo record"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = version_field()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003 - Django signature
        county = _county_of(self.area)
        if county is None:
            raise ValidationError(_("A record must belong to a kommun or a län."))
        self.county = county
        super().save(*args, **kwargs)


class Actor(ProvenanceMixin):
    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        validators=[validate_org_number],
        help_text=_("Ten digits, NNNNNN-NNNN. Optional."),
    )
    actor_type = models.CharField(_("type"), max_length=20, choices=ActorType.choices)
    level = models.CharField(_("level"), max_length=10, choices=ActorLevel.choices)
    areas_served = models.ManyToManyField(
        Area, blank=True, related_name="+", verbose_name=_("areas served")
    )
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("A function mailbox or switchboard, not a private person."),
    )
    website = models.URLField(_("website"), blank=True)
    canonical = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("same organisation as"),
    )
    match_method = models.CharField(max_length=20, choices=MatchMethod.choices, blank=True)
    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="units",
        verbose_name=_("part of"),
        help_text=_("For a unit inside an organisation, e.g. the county board's unit for growth."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        indexes = [models.Index(fields=["county", "ref"]), models.Index(fields=["org_number"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if self.org_number:
            self.org_number = normalise_org_number(self.org_number)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("actors:actor", args=[self.pk])


class Activity(ProvenanceMixin):
    """An insats: what is done, by whom, for whom, where and how well it is grounded."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    actors = models.ManyToManyField(Actor, related_name="activities", verbose_name=_("actors"))
    orientation = models.CharField(_("orientation"), max_length=12, choices=Orientation.choices)
    prevention_level = models.CharField(
        _("prevention level"), max_length=12, choices=PreventionLevel.choices, blank=True
    )
    age_min = models.PositiveSmallIntegerField(_("youngest age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("oldest age"), null=True, blank=True)
    districts = models.ManyToManyField(
        Area, blank=True, related_name="+", verbose_name=_("districts")
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    funding = models.CharField(_("funding"), max_length=200, blank=True)
    method = models.CharField(_("method or programme"), max_length=200, blank=True)
    intervention_key = models.SlugField(
        _("intervention in the registry"),
        max_length=64,
        blank=True,
        help_text=_("The registry intervention this activity delivers, if any."),
    )
    evidence = models.CharField(
        _("evidence"), max_length=16, choices=Evidence.choices, default=Evidence.UNKNOWN
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.ONGOING
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["county", "ref"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actors:activity", args=[self.pk])

    def clean(self) -> None:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValidationError({"age_max": _("The oldest age must not be below the youngest.")})
        if self.start_year and self.end_year and self.start_year > self.end_year:
            raise ValidationError({"end_year": _("The end year must not be before the start.")})

    def tag_keys(self, dimension: TagDimension) -> list[str]:
        """Keys of one dimension; uses prefetched ``tags`` when present."""
        return sorted(t.key for t in self.tags.all() if t.dimension == dimension)


class ActivityTag(models.Model):
    """One value of a multi-valued activity attribute (målområde number, problem area key…)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="tags")
    dimension = models.CharField(max_length=16, choices=TagDimension.choices)
    key = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "dimension", "key"], name="unique_activity_tag"
            )
        ]
        indexes = [models.Index(fields=["dimension", "key"])]

    def __str__(self) -> str:
        return f"{self.dimension}={self.key}"


class Network(ProvenanceMixin):
    name = models.CharField(_("name"), max_length=200)
    convenor = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="convened_networks",
        verbose_name=_("convenor"),
    )
    members = models.ManyToManyField(
        Actor, blank=True, related_name="networks", verbose_name=_("members")
    )
    purpose = models.TextField(_("purpose"), blank=True)
    meeting_frequency = models.CharField(
        _("meeting frequency"), max_length=16, choices=MeetingFrequency.choices, blank=True
    )
    malomraden = models.JSONField(_("target areas (numbers)"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("actors:network", args=[self.pk])


class ActorRelation(models.Model):
    """A directed link between two actors: collaborates with (symmetric in meaning) or funds."""

    source = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(
        _("relation"),
        max_length=16,
        choices=[(k.value, k.label) for k in (RelationKind.COLLABORATES, RelationKind.FUNDS)],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="unique_relation"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="relation_not_to_self"
            ),
        ]
        verbose_name = _("relation")
        verbose_name_plural = _("relations")

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.target}"


class InventoryRound(models.Model):
    """A county's call to bring the actor map up to date; holds the map as it was at opening."""

    county = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    status = models.CharField(
        _("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    snapshot = models.JSONField(default=dict, help_text="The county package at opening.")

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("inventory round")
        verbose_name_plural = _("inventory rounds")

    def __str__(self) -> str:
        return self.name


class RoundConfirmation(models.Model):
    """A kommun's editor saying "our part of the map is up to date" in a round."""

    round = models.ForeignKey(
        InventoryRound, on_delete=models.CASCADE, related_name="confirmations"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "area"], name="unique_round_confirmation")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.area}"


class ChangeLogEntry(models.Model):
    """Who changed which record of the map, when, and what the fields were before and after."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    county = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(
        InventoryRound, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    object_type = models.CharField(max_length=16)
    object_id = models.PositiveIntegerField()
    object_label = models.CharField(max_length=200)
    action = models.CharField(max_length=10, choices=ChangeAction.choices)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_label} {self.action}"


class MergeCandidate(models.Model):
    """A pair of actors from different counties that may be the same organisation."""

    incoming = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    existing = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    status = models.CharField(
        max_length=12, choices=MergeStatus.choices, default=MergeStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["incoming", "existing"], name="unique_merge_pair")
        ]

    def __str__(self) -> str:
        return f"{self.incoming} ~ {self.existing} ({self.score:.2f})"

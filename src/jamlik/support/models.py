"""Preventionspaketet's records: support activities, participants, agreements.

The ladder step of a kommun is never stored: it is derived from these records by
:mod:`jamlik.support.ladder`. Framework keys (subject areas from ``stodtrappa``,
målområden numbers) are stored as JSON lists of keys, validated in the forms and services
against the county's frameworks, so a county that overrides a framework needs no migration.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jamlik.core.versioning import version_field
from jamlik.support.commitments import CommitmentStatus as _CommitmentStatus
from jamlik.support.ladder import ActivityKind as _ActivityKind


class ActivityKind(models.TextChoices):
    NETWORK_MEETING = _ActivityKind.NETWORK_MEETING.value, _("Network meeting")
    SEMINAR = _ActivityKind.SEMINAR.value, _("Seminar")
    CONFERENCE = _ActivityKind.CONFERENCE.value, _("Conference")
    TRAINING = _ActivityKind.TRAINING.value, _("Training (competence development)")
    DIALOGUE = _ActivityKind.DIALOGUE.value, _("Dialogue with the municipality (kommundialog)")
    LEADERSHIP_VISIT = _ActivityKind.LEADERSHIP_VISIT.value, _("Visit to municipal leadership")
    DEVELOPMENT_PROJECT = _ActivityKind.DEVELOPMENT_PROJECT.value, _("Development project")
    FOLLOW_UP_MEETING = _ActivityKind.FOLLOW_UP_MEETING.value, _("Agreement follow-up meeting")


class SupportType(models.TextChoices):
    """Kunskapsstöd (what works, data, methods) or processtöd (help to run the work itself)."""

    KNOWLEDGE = "knowledge", _("Knowledge support")
    PROCESS = "process", _("Process support")


class OrganiserRole(models.TextChoices):
    LEAD = "lead", _("Lead organiser")
    CO_ORGANISER = "co", _("Co-organiser")
    CONTRIBUTOR = "contributor", _("Contributor (speaker, expert)")
    FUNDER = "funder", _("Funder")


class ParticipantRole(models.TextChoices):
    POLITICIAN = "politician", _("Politician")
    MANAGER = "manager", _("Manager")
    OFFICIAL = "official", _("Official")
    OTHER = "other", _("Other")


class SupportActivity(models.Model):
    """One thing the county board did: a meeting, dialogue, visit, training or project."""

    county = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        related_name="support_activities",
        verbose_name=_("county"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    materials = models.TextField(
        _("films and materials used"),
        blank=True,
        help_text=_("For trainings: the films, courses or materials used."),
    )
    support_type = models.CharField(
        _("type of support"), max_length=12, choices=SupportType.choices, blank=True
    )
    subject_areas = models.JSONField(_("subject areas"), default=list, blank=True)
    target_areas = models.JSONField(_("target areas (målområden)"), default=list, blank=True)
    experts = models.ManyToManyField(
        "Expert", blank=True, related_name="activities", verbose_name=_("experts")
    )
    follow_up_token = models.CharField(
        _("follow-up link key"), max_length=43, unique=True, null=True, blank=True
    )
    follow_up_closes = models.DateField(_("follow-up open until"), null=True, blank=True)
    municipalities = models.ManyToManyField(
        "geo.Area",
        through="Participation",
        related_name="+",
        verbose_name=_("municipalities"),
    )
    agreement = models.ForeignKey(
        "Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("delivered under agreement"),
    )
    is_demo = models.BooleanField(_("invented demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = version_field()

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("support activity")
        verbose_name_plural = _("support activities")
        indexes = [models.Index(fields=["county", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class Participation(models.Model):
    """How many people from one kommun, in one role, took part in an activity.

    ``count`` may be 0 for a dialogue or visit where the kommun is the counterpart but
    the number of people was not recorded.
    """

    activity = models.ForeignKey(
        SupportActivity, on_delete=models.CASCADE, related_name="participations"
    )
    municipality = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        related_name="support_participations",
        verbose_name=_("municipality"),
    )
    role = models.CharField(_("role"), max_length=16, choices=ParticipantRole.choices)
    count = models.PositiveIntegerField(_("participants"), default=0)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "municipality", "role"], name="unique_participation_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.role} {self.count}"


class ActivityOrganiser(models.Model):
    """One organisation from the actor map that organises an activity, its role and hours.

    The county board itself is an organiser like any other, so joint support (the board
    with the region and the kommunförbund, "möter kommunen tillsammans") is a set of rows.
    """

    activity = models.ForeignKey(
        SupportActivity, on_delete=models.CASCADE, related_name="organisers"
    )
    actor = models.ForeignKey(
        "actors.Actor",
        on_delete=models.PROTECT,
        related_name="support_organised",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=12, choices=OrganiserRole.choices)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=1, null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["activity", "role", "actor__name"]
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        constraints = [
            models.UniqueConstraint(fields=["activity", "actor"], name="unique_activity_organiser")
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.role}"


class Expert(models.Model):
    """A person the county can call on for a subject; shown to logged-in users only."""

    county = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "actors.Actor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experts",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    subject_areas = models.JSONField(_("subject areas"), default=list, blank=True)
    description = models.TextField(_("what they can help with"), blank=True)
    is_demo = models.BooleanField(_("invented demo record"), default=False)
    version = version_field()

    class Meta:
        ordering = ["county", "name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return self.name


class FollowUpAnswer(models.Model):
    """One participant's answer to an activity's follow-up questionnaire, sent by link.

    Anonymous: the participant gives a kommun and a role, nothing that names them. The
    answers are keyed by the questionnaire's item keys (``jamlik.support.followup``).
    """

    activity = models.ForeignKey(
        SupportActivity, on_delete=models.CASCADE, related_name="follow_up_answers"
    )
    municipality = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    role = models.CharField(_("role"), max_length=16, choices=ParticipantRole.choices, blank=True)
    answers = models.JSONField(_("answers"), default=dict)
    submitted_at = models.DateTimeField(_("answered"), auto_now_add=True)
    is_demo = models.BooleanField(_("invented demo record"), default=False)

    class Meta:
        ordering = ["activity", "submitted_at", "pk"]
        verbose_name = _("follow-up answer")
        verbose_name_plural = _("follow-up answers")

    def __str__(self) -> str:
        return f"{self.activity_id} {self.municipality_id} {self.role}"


class ToolKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    FILM = "film", _("Film")
    METHOD = "method", _("Method")
    CHECKLIST = "checklist", _("Checklist")
    WEBSITE = "website", _("Web page")
    TRAINING = "training", _("Training")


class ToolboxItem(models.Model):
    """A material in the toolbox, tagged so the plan step where it helps can offer it.

    ``county`` empty means shared by all counties (kept by national administrators).
    Tags are framework keys stored as JSON lists, like the activities' subject areas.
    """

    county = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=ToolKind.choices)
    url = models.URLField(_("link"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="sv")
    target_areas = models.JSONField(_("target areas (målområden)"), default=list, blank=True)
    quality_steps = models.JSONField(_("quality-model steps"), default=list, blank=True)
    factors = models.JSONField(_("risk and protective factors"), default=list, blank=True)
    is_demo = models.BooleanField(_("invented demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = version_field()

    class Meta:
        ordering = ["title"]
        verbose_name = _("toolbox item")
        verbose_name_plural = _("toolbox items")

    def __str__(self) -> str:
        return self.title


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")
    COMPLETED = "completed", _("Completed")
    ENDED_EARLY = "ended_early", _("Ended early")


class Agreement(models.Model):
    """An överenskommelse on deepened collaboration between the county board and a kommun."""

    county = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        related_name="support_agreements_as_county",
        verbose_name=_("county"),
    )
    municipality = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        related_name="support_agreements",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=200)
    parties = models.TextField(_("parties"), help_text=_("Who signs, on each side."))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    goals = models.TextField(_("goals"))
    agreed_support = models.TextField(_("agreed support"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.ACTIVE
    )
    is_demo = models.BooleanField(_("invented demo record"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    version = version_field()

    class Meta:
        ordering = ["municipality__code", "-start"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.title

    @property
    def counts_for_ladder(self) -> bool:
        """Drafts are not yet support; everything else was in force for its period."""
        return self.status != AgreementStatus.DRAFT


class Phase(models.TextChoices):
    BEFORE = "before", _("Before")
    DURING = "during", _("During")
    AFTER = "after", _("After")


class Party(models.TextChoices):
    COUNTY = "county", _("County board")
    MUNICIPALITY = "municipality", _("Municipality")
    BOTH = "both", _("Both")


class CommitmentStatus(models.TextChoices):
    OPEN = _CommitmentStatus.OPEN.value, _("Open")
    DONE = _CommitmentStatus.DONE.value, _("Done")
    CANCELLED = _CommitmentStatus.CANCELLED.value, _("Cancelled")


class Commitment(models.Model):
    """What one side commits to before, during or after the collaboration."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices)
    party = models.CharField(_("party"), max_length=16, choices=Party.choices)
    text = models.CharField(_("commitment"), max_length=300)
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["agreement", "due", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.text


class FollowUpMeeting(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="follow_up_meetings"
    )
    date = models.DateField(_("date"))
    purpose = models.CharField(_("purpose"), max_length=200)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        ordering = ["agreement", "date"]
        verbose_name = _("follow-up meeting")
        verbose_name_plural = _("follow-up meetings")

    def __str__(self) -> str:
        return f"{self.date} {self.purpose}"


class NeedComponentSource(models.TextChoices):
    INDICATOR = "indicator", _("Situation-picture indicator")
    PREREQUISITES = "prerequisites", _("Prerequisite score")


class NeedComponentSetting(models.Model):
    """One part of a county's need score: which data, how much weight, which direction."""

    county = models.ForeignKey(
        "geo.Area",
        on_delete=models.CASCADE,
        related_name="need_components",
        verbose_name=_("county"),
    )
    source = models.CharField(_("source"), max_length=16, choices=NeedComponentSource.choices)
    reference = models.CharField(
        _("indicator code"),
        max_length=64,
        blank=True,
        help_text=_("For indicators: the indicator's code in the catalogue."),
    )
    label = models.CharField(_("label"), max_length=200)
    weight = models.FloatField(_("weight"), default=1.0)
    higher_is_worse = models.BooleanField(_("a higher value means more need"), default=True)

    class Meta:
        ordering = ["county", "pk"]
        verbose_name = _("need component")
        verbose_name_plural = _("need components")

    def __str__(self) -> str:
        return self.label

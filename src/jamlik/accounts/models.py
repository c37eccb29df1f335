"""Roles: what a user may do, and where."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleKind(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("County administrator")
    EDITOR = "editor", _("Municipal editor")
    VIEWER = "viewer", _("Viewer")
    NATIONAL = "national", _("National administrator")
    PARTNER = "partner", _("Partner organisation")


class Role(models.Model):
    """A user's role for one area.

    A county administrator's area is a län; an editor's a kommun (one role per kommun);
    a viewer's a län or kommun. A national administrator needs no area. A partner (the
    region, the kommunförbund, a university…) holds its role on a län *for one actor-map
    organisation*: it sees the support activities that organisation takes part in and the
    plans kommuner share with the county, never the county's other records.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    area = models.ForeignKey(
        "geo.Area",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("area"),
    )
    actor = models.ForeignKey(
        "actors.Actor",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_roles",
        verbose_name=_("organisation"),
        help_text=_("For a partner role: the actor-map organisation the user acts for."),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "area"], name="unique_role_per_area"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.area or '-'}"

    def clean(self) -> None:
        """A partner role names its organisation, in its län; no other role names one."""
        from django.core.exceptions import ValidationError

        if self.kind == RoleKind.PARTNER:
            if self.actor_id is None:
                raise ValidationError({"actor": _("A partner role names its organisation.")})
            if self.area_id is None or self.area.level != "county":
                raise ValidationError({"area": _("A partner role is held on a county.")})
            if self.actor.county_id != self.area_id:
                raise ValidationError({"actor": _("The organisation is not in this county.")})
        elif self.actor_id is not None:
            raise ValidationError({"actor": _("Only a partner role names an organisation.")})


class ReminderLog(models.Model):
    """One reminder sent to a kommun's editors, so the county sees who was nudged when."""

    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=40)
    subject = models.CharField(_("subject"), max_length=200)
    area = models.ForeignKey(
        "geo.Area", on_delete=models.CASCADE, related_name="+", verbose_name=_("area")
    )
    recipients = models.PositiveIntegerField(_("recipients"))

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.topic} · {self.area} · {self.sent_at:%Y-%m-%d}"


class LoginThrottle(models.Model):
    """Failed logins of one user name, and until when the next attempt must wait.

    Keyed by user name alone (never by address): behind a proxy every visitor shares one
    address, and a per-address lock would let anyone lock anyone out. ``jamlik.accounts.
    throttle`` explains the rules; ``jamlik manage unlock USERNAME`` clears a row.
    """

    username = models.CharField(_("user name"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("failed attempts"), default=0)
    locked_until = models.DateTimeField(_("next attempt allowed at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return f"{self.username} · {self.failures}"


class ApiToken(models.Model):
    """A secret that lets a script act as its user on the API, with that user's roles.

    Only a SHA-256 digest of the secret is stored: the secret is 256 random bits, so a
    fast digest is enough (a slow password hash would cost 100 MiB per API request).
    The prefix (the secret's first characters) lets its owner tell tokens apart.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

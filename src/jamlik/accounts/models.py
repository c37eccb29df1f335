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


class Role(models.Model):
    """A user's role for one area.

    A county administrator's area is a län; an editor's a kommun (one role per kommun);
    a viewer's a län or kommun. A national administrator needs no area.
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

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "area"], name="unique_role_per_area"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.area or '-'}"


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

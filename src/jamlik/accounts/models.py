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

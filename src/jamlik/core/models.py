"""Site-wide state: whether invented demonstration data is loaded."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteState(models.Model):
    """A single row describing the installation.

    ``demo_loaded`` is set by ``jamlik demo``; while it is true every page carries a
    banner saying that the data shown for the demo county is invented.
    """

    demo_loaded = models.BooleanField(_("demo data loaded"), default=False)
    demo_county = models.CharField(_("demo county code"), max_length=2, blank=True)
    demo_seeded_at = models.DateTimeField(_("demo data seeded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("site state")
        verbose_name_plural = _("site state")

    def __str__(self) -> str:
        return "site state"

    @classmethod
    def get(cls) -> SiteState:
        state, _created = cls.objects.get_or_create(pk=1)
        return state

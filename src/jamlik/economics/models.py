"""Saved benefit-cost scenarios, one kommun each.

The inputs are stored as the JSON produced by
:func:`jamlik.economics.serialization.scenario_to_dict`, so the pure model
validates them whenever they are read or written; results are always
recomputed from the inputs, never stored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jamlik.core.versioning import version_field
from jamlik.economics.inputs import Scenario as ScenarioInputs
from jamlik.economics.montecarlo import DEFAULT_DRAWS, DEFAULT_SEED
from jamlik.economics.serialization import scenario_from_dict


class Scenario(models.Model):
    """A kommun's benefit-cost scenario for one or more prevention interventions."""

    area = models.ForeignKey(
        "geo.Area",
        on_delete=models.CASCADE,
        related_name="economic_scenarios",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=200)
    inputs: models.JSONField[Any, Any] = models.JSONField(_("inputs"))
    plan = models.ForeignKey(
        "prevention.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scenarios",
        verbose_name=_("plan"),
        help_text=_("The plan whose interventions the scenario was made from."),
    )
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Published scenarios are visible to everyone.")
    )
    is_demo = models.BooleanField(_("invented demonstration data"), default=False)
    draws = models.PositiveIntegerField(_("Monte Carlo draws"), default=DEFAULT_DRAWS)
    seed = models.PositiveBigIntegerField(_("random seed"), default=DEFAULT_SEED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = version_field()

    class Meta:
        ordering = ["area__code", "name", "pk"]
        verbose_name = _("socioeconomic scenario")
        verbose_name_plural = _("socioeconomic scenarios")
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="economics_unique_name_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.area_id})"

    def model_inputs(self) -> ScenarioInputs:
        """The validated pure-model scenario held by this row."""
        return scenario_from_dict(self.inputs)

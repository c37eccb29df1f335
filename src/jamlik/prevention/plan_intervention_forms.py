"""The form for a plan's chosen intervention (step 4 of the quality model, "choose
interventions"): a registry intervention of the plan's county, or a local one.

The registry select offers the county's registry (its own copies replace shipped entries
with the same key, :func:`jamlik.prevention.services.interventions_for`); the factors are
the county's prevention-star factors, so a saved choice never names a factor the county's
framework lacks.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jamlik import frameworks
from jamlik.core.number_fields import number_formfield
from jamlik.core.version_forms import VersionedForm
from jamlik.prevention.chain import prefill_factors
from jamlik.prevention.forms import DATE, SETTING_CHOICES, factor_choices
from jamlik.prevention.models import Intervention, PlanIntervention


class PlanInterventionForm(VersionedForm, forms.ModelForm):
    intervention_key = forms.ChoiceField(
        label=_("Intervention in the registry"),
        required=False,
        help_text=_("Choose from the registry, or leave empty and name a local intervention."),
    )
    setting = forms.ChoiceField(label=_("Setting"), required=False)
    factors = forms.MultipleChoiceField(
        label=_("Factors addressed"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Filled in from the registry when you choose an intervention; change them to fit "
            "how you use it."
        ),
    )

    class Meta:
        model = PlanIntervention
        formfield_callback = number_formfield
        fields = [
            "intervention_key",
            "local_name",
            "target_group",
            "setting",
            "participants_per_year",
            "reach_note",
            "factors",
            "start",
            "end",
            "notes",
        ]
        widgets = {"start": DATE, "end": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(
        self,
        *args: Any,
        star: frameworks.Preventionsstjarna,
        registry: list[Intervention],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.registry = {i.key: i for i in registry}
        self.fields["intervention_key"].choices = [
            ("", _("— none: a local intervention —")),
            *((i.key, i.name) for i in registry),
        ]
        # A stored key the registry no longer holds stays choosable, so opening an old
        # choice does not silently drop it.
        stored = self.instance.intervention_key if self.instance.pk else ""
        if stored and stored not in self.registry:
            choices = list(self.fields["intervention_key"].choices)
            self.fields["intervention_key"].choices = [*choices, (stored, stored)]
        self.fields["setting"].choices = [("", "—"), *SETTING_CHOICES]
        self.fields["factors"].choices = factor_choices(star)
        self.star_keys = [f.key for f in star.factors]
        self.fields["local_name"].help_text = _("Only for an intervention not in the registry.")

    def prefill_map(self) -> dict[str, list[str]]:
        """Registry key → its factors in the county's star (for the page's script, which
        ticks them when an intervention is chosen; the server prefills on ``?insats=``)."""
        return {k: prefill_factors(i.factors, self.star_keys) for k, i in self.registry.items()}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        key, local = data.get("intervention_key") or "", (data.get("local_name") or "").strip()
        if not key and not local:
            self.add_error(
                "local_name",
                _("Choose an intervention from the registry or name a local one."),
            )
        if key and local:
            self.add_error(
                "local_name",
                _("Either an intervention from the registry or a local one, not both."),
            )
        if key and self.instance.plan_id:
            twice = PlanIntervention.objects.filter(
                plan_id=self.instance.plan_id, intervention_key=key
            )
            if twice.exclude(pk=self.instance.pk).exists():
                # One row per registry intervention and plan: a scenario made from the plan
                # prices each once, and the chain counts the plan once.
                self.add_error(
                    "intervention_key",
                    _("The plan has already chosen %(name)s: change that choice instead.")
                    % {"name": self.registry[key].name if key in self.registry else key},
                )
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        data["local_name"] = local
        return data

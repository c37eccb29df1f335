"""Forms of the plan sharing (erfarenhetsutbyte): how a plan is shared, and the search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jamlik import frameworks
from jamlik.core.version_forms import VersionedForm
from jamlik.geo.models import Area, AreaLevel
from jamlik.prevention.forms import factor_choices
from jamlik.prevention.models import PlanStatus, SharedPart, Sharing


class SharingForm(VersionedForm, forms.Form):
    """Who may read the plan as an example, and which parts; carries the plan's version."""

    sharing = forms.ChoiceField(
        label=_("Share the plan as an example"),
        choices=Sharing.choices,
        widget=forms.RadioSelect,
    )
    parts = forms.MultipleChoiceField(
        label=_("Parts to share"),
        choices=SharedPart.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The title, the kommun and the county are always shown."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("sharing", Sharing.PRIVATE) != Sharing.PRIVATE and not data.get("parts"):
            self.add_error("parts", _("Choose at least one part of the plan to share."))
        return data


def sharing_form_for(plan: Any, data: Any = None) -> SharingForm:
    """The sharing form for ``plan``: its stored choice as the starting values."""
    return SharingForm(
        data,
        version=plan.version,
        initial={"sharing": plan.sharing, "parts": list(plan.shared_parts or [])},
        auto_id="share_%s",
    )


class SharedSearchForm(forms.Form):
    """The search and filters of the shared plans' list (sent with GET)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"aria-describedby": "q-help", "type": "search"}),
    )
    lan = forms.ChoiceField(label=_("County"), required=False)
    factor = forms.ChoiceField(label=_("Prioritised factor"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *PlanStatus.choices],
    )
    results = forms.BooleanField(label=_("Only plans with results"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        counties = Area.objects.filter(level=AreaLevel.COUNTY).order_by("code")
        self.fields["lan"].choices = [("", _("All")), *((c.code, c.name) for c in counties)]
        star = frameworks.load("preventionsstjarna", county=None)
        self.fields["factor"].choices = [("", _("All")), *factor_choices(star)]
        for name in ("q", "lan", "factor", "status"):
            self.fields[name].widget.attrs["style"] = "width: 100%"

"""Forms for plans, plan steps, indicator targets and interventions.

Choices (factors, problem areas, checklist items, perspectives) come from the county's
frameworks, so the forms follow a county's own version of the star and the quality model.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jamlik import frameworks
from jamlik.core.number_fields import number_formfield
from jamlik.core.version_forms import VersionedForm
from jamlik.prevention.models import IndicatorTarget, Intervention, Plan, StepStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SETTING_CHOICES = [
    ("preschool", _("Preschool")),
    ("school", _("School")),
    ("family", _("Family")),
    ("leisure", _("Leisure")),
    ("community", _("Community")),
    ("social_services", _("Social services")),
    ("health_care", _("Health care")),
]
SETTING_LABELS = dict(SETTING_CHOICES)


def _lang() -> str:
    return get_language() or "sv"


def factor_choices(star: frameworks.Preventionsstjarna) -> list[tuple[str, list[tuple[str, str]]]]:
    """Factors grouped by domain, for a grouped select or checkbox list."""
    lang = _lang()
    groups = []
    for domain in star.domains:
        items = [(f.key, f.name(lang)) for f in star.factors if f.domain == domain.key]
        groups.append((domain.name(lang), items))
    return groups


class PlanForm(VersionedForm, forms.ModelForm):
    prioritised_factors = forms.MultipleChoiceField(
        label=_("Prioritised risk and protective factors"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Communities That Care suggests two to five."),
    )

    class Meta:
        model = Plan
        formfield_callback = number_formfield
        fields = ["title", "summary", "start", "end", "status", "prioritised_factors"]
        widgets = {"start": DATE, "end": DATE, "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, star: frameworks.Preventionsstjarna, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prioritised_factors"].choices = factor_choices(star)


class StepForm(VersionedForm, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=StepStatus.choices)
    start = forms.DateField(label=_("Start"), required=False, widget=DATE)
    due = forms.DateField(label=_("Due"), required=False, widget=DATE)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(
        label=_("Evidence and documents"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, step_view: Any, perspectives: Any, **kwargs: Any) -> None:
        step = step_view.step
        initial = {
            "status": step.status,
            "start": step.start,
            "due": step.due,
            "notes": step.notes,
            "evidence": step.evidence,
        }
        kwargs.setdefault("version", step.version)
        super().__init__(*args, initial=initial, **kwargs)
        lang = _lang()
        self.item_fields = []
        for item, tick in step_view.ticks:
            name = f"item_{tick.item_key}"
            label = item.name(lang) if item is not None else tick.item_key
            self.fields[name] = forms.BooleanField(label=label, required=False, initial=tick.done)
            self.item_fields.append(name)
        self.perspective_fields = []
        for perspective, note in step_view.perspectives:
            label = perspective.name(lang) if perspective is not None else note.perspective_key
            flag, text = f"pc_{note.perspective_key}", f"pn_{note.perspective_key}"
            self.fields[flag] = forms.BooleanField(
                label=_("%(perspective)s considered") % {"perspective": label},
                required=False,
                initial=note.considered,
            )
            self.fields[text] = forms.CharField(
                label=_("How %(perspective)s was weighed") % {"perspective": label},
                required=False,
                initial=note.note,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            help_text = perspective.description(lang) if perspective is not None else ""
            self.perspective_fields.append((label, help_text, flag, text, note.perspective_key))

    def checklist(self) -> list[Any]:
        return [self[name] for name in self.item_fields]

    def perspective_rows(self) -> list[tuple[str, str, Any, Any]]:
        return [
            (label, help_text, self[f], self[t])
            for label, help_text, f, t, _k in self.perspective_fields
        ]

    def ticked(self) -> list[str]:
        return [n.removeprefix("item_") for n in self.item_fields if self.cleaned_data.get(n)]

    def perspective_notes(self) -> dict[str, tuple[bool, str]]:
        return {
            key: (bool(self.cleaned_data.get(f)), self.cleaned_data.get(t) or "")
            for _l, _h, f, t, key in self.perspective_fields
        }


class TargetForm(forms.ModelForm):
    class Meta:
        model = IndicatorTarget
        formfield_callback = number_formfield
        fields = [
            "indicator_code",
            "label",
            "baseline_value",
            "baseline_period",
            "target_value",
            "target_period",
            "current_value",
            "current_period",
        ]

    def __init__(self, *args: Any, indicator_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The catalogue's choices read "code name"; the name is the target's default label.
        self.indicator_names = {
            code: str(text).removeprefix(code).strip() or code for code, text in indicator_choices
        }
        if indicator_choices:
            self.fields["indicator_code"] = forms.ChoiceField(
                label=_("Indicator"), choices=[("", "—"), *indicator_choices]
            )
        self.fields["label"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        code = data.get("indicator_code")
        if not data.get("label") and code:
            data["label"] = self.indicator_names.get(code, code)
        if data.get("baseline_value") is not None and data.get("baseline_value") == data.get(
            "target_value"
        ):
            self.add_error("target_value", _("The target must differ from the baseline."))
        return data


class InterventionForm(VersionedForm, forms.ModelForm):
    factors = forms.MultipleChoiceField(
        label=_("Factors addressed"), required=True, widget=forms.CheckboxSelectMultiple
    )
    problem_areas = forms.MultipleChoiceField(
        label=_("Problem areas"), required=True, widget=forms.CheckboxSelectMultiple
    )
    settings = forms.MultipleChoiceField(
        label=_("Settings"),
        required=False,
        choices=SETTING_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Intervention
        formfield_callback = number_formfield
        fields = [
            "name",
            "description_sv",
            "description_en",
            "target_group_sv",
            "target_group_en",
            "age_min",
            "age_max",
            "settings",
            "factors",
            "problem_areas",
            "evidence",
            "evidence_source",
            "availability_sv",
            "availability_en",
            "cost_level",
            "url",
        ]
        widgets = {
            "description_sv": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "evidence_source": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, star: frameworks.Preventionsstjarna, **kwargs: Any) -> None:
        # The county's version (Intervention.county_version): 0 for a shipped entry it has
        # not made its own yet, and for a new entry.
        instance = kwargs.get("instance")
        kwargs.setdefault("version", instance.county_version if instance is not None else 0)
        super().__init__(*args, **kwargs)
        lang = _lang()
        self.fields["factors"].choices = factor_choices(star)
        self.fields["problem_areas"].choices = [(a.key, a.name(lang)) for a in star.problem_areas]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("The oldest age cannot be below the youngest."))
        return data

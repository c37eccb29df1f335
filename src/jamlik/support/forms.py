"""Forms for support records, agreements and the need composition.

Choices for subject areas and målområden come from the county's frameworks, so a county
that overrides ``stodtrappa`` sees its own subject areas here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jamlik import frameworks
from jamlik.core import number_fields
from jamlik.core.number_fields import number_formfield
from jamlik.core.version_forms import VersionedForm
from jamlik.geo.models import Area
from jamlik.support.models import (
    Agreement,
    Commitment,
    Expert,
    FollowUpMeeting,
    NeedComponentSetting,
    OrganiserRole,
    ParticipantRole,
    SupportActivity,
)
from jamlik.support.services import (
    OrganiserInput,
    ParticipationInput,
    county_actors,
    county_board_actor,
    ordered_organisers,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _lang() -> str:
    return get_language() or "sv"


class OrganiserForm(forms.Form):
    """One organiser row: an organisation from the county's actor map, its role and hours.

    A row without an organisation is ignored (an empty extra row, or one the editor
    cleared), so clearing the organisation is a way to remove it besides "delete".
    """

    actor = forms.ModelChoiceField(
        label=_("Organisation"), queryset=SupportActivity.objects.none(), required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=OrganiserRole.choices, initial=OrganiserRole.CO_ORGANISER
    )
    hours = number_fields.DecimalField(
        label=_("Hours"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=1,
        widget=number_fields.SwedishNumberInput(attrs={"class": "count-input"}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args: Any, county: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = county_actors(county)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("actor") and (data.get("hours") is not None or data.get("note")):
            self.add_error("actor", _("Choose the organisation these hours or this note are for."))
        return data


class BaseOrganiserFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[int] = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            actor = form.cleaned_data.get("actor")
            if actor is None:
                continue
            if actor.pk in seen:
                raise forms.ValidationError(
                    _("%(name)s is named more than once as organiser.") % {"name": actor.name}
                )
            seen.add(actor.pk)


OrganiserFormSet = forms.formset_factory(
    OrganiserForm, formset=BaseOrganiserFormSet, extra=2, can_delete=True
)


class ActivityForm(VersionedForm, forms.ModelForm):
    subject_areas = forms.MultipleChoiceField(
        label=_("Subject areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    target_areas = forms.TypedMultipleChoiceField(
        label=_("Target areas (målområden)"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SupportActivity
        fields = [
            "kind",
            "title",
            "date",
            "end_date",
            "theme",
            "description",
            "materials",
            "support_type",
            "subject_areas",
            "target_areas",
            "experts",
            "agreement",
        ]
        widgets = {
            "date": DATE,
            "end_date": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "materials": forms.Textarea(attrs={"rows": 2}),
            "experts": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, county: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.county = county
        self.fields["experts"].queryset = Expert.objects.filter(county=county).order_by("name")
        self.fields["experts"].required = False
        # A post without the organiser rows (an older page, a script) leaves them as stored.
        self.edits_organisers = not self.is_bound or "org-TOTAL_FORMS" in self.data
        self.organiser_formset = OrganiserFormSet(
            self.data if self.is_bound and self.edits_organisers else None,
            prefix="org",
            initial=self._organiser_initial(county),
            form_kwargs={"county": county},
        )
        lang = _lang()
        ladder = frameworks.load("stodtrappa", county=county.code)
        self.fields["subject_areas"].choices = [(s.key, s.name(lang)) for s in ladder.subject_areas]
        areas = frameworks.load("malomraden", county=county.code).areas
        self.fields["target_areas"].choices = [
            (a.number, f"{a.number}. {a.name(lang)}") for a in areas
        ]
        self.fields["agreement"].queryset = Agreement.objects.filter(county=county)
        self.fields["agreement"].required = False
        self.kommuner = list(Area.objects.municipalities(county.code))
        existing: dict[tuple[int, str], int] = {}
        if self.instance.pk:
            for p in self.instance.participations.all():
                existing[(p.municipality_id, p.role)] = p.count
        self.participant_rows = []
        for kommun in self.kommuner:
            cells = []
            for role, role_label in ParticipantRole.choices:
                name = f"p_{kommun.code}_{role}"
                self.fields[name] = number_fields.IntegerField(
                    label=f"{kommun.name}: {role_label}",
                    min_value=0,
                    required=False,
                    initial=existing.get((kommun.pk, role)),
                    widget=number_fields.SwedishNumberInput(
                        attrs={"class": "count-input"}, whole=True
                    ),
                )
                cells.append(name)
            dialogue_name = f"k_{kommun.code}"
            self.fields[dialogue_name] = forms.BooleanField(
                label=_("%(kommun)s took part") % {"kommun": kommun.name},
                required=False,
                initial=any((kommun.pk, r) in existing for r, _l in ParticipantRole.choices),
            )
            self.participant_rows.append((kommun, dialogue_name, cells))

    def _organiser_initial(self, county: Area) -> list[dict[str, Any]]:
        """The stored organisers; for a new activity, the county board as lead (when the
        actor map has it), which the editor may change or remove."""
        if self.instance.pk:
            return [
                {"actor": o.actor_id, "role": o.role, "hours": o.hours, "note": o.note}
                for o in ordered_organisers(self.instance)
            ]
        board = county_board_actor(county)
        return [{"actor": board.pk, "role": OrganiserRole.LEAD}] if board else []

    def organisers(self) -> list[OrganiserInput] | None:
        """The organiser rows to store (valid form only), skipping deleted and empty rows;
        None when the post did not carry them (keep the stored ones)."""
        formset = self.organiser_formset
        if not self.edits_organisers:
            return None
        return [
            OrganiserInput(
                f.cleaned_data["actor"],
                f.cleaned_data["role"],
                f.cleaned_data.get("hours"),
                f.cleaned_data.get("note", ""),
            )
            for f in formset.forms
            if f.cleaned_data.get("actor") and not formset._should_delete_form(f)
        ]

    def bound_rows(self) -> list[tuple[Area, Any, list[Any]]]:
        return [(k, self[d], [self[c] for c in cells]) for k, d, cells in self.participant_rows]

    def participations(self) -> list[ParticipationInput]:
        result = []
        for kommun, took_part, cells in self.participant_rows:
            counts = {
                role: self.cleaned_data.get(name) or 0
                for (role, _l), name in zip(ParticipantRole.choices, cells, strict=True)
            }
            if any(counts.values()):
                result.extend(
                    ParticipationInput(kommun, role, n) for role, n in counts.items() if n
                )
            elif self.cleaned_data.get(took_part):
                result.append(ParticipationInput(kommun, ParticipantRole.OTHER, 0))
        return result

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.edits_organisers and not self.organiser_formset.is_valid():
            errors = self.organiser_formset.non_form_errors()
            raise forms.ValidationError(
                list(errors) or [_("Check the organisers: one of the rows has an error.")]
            )
        if not self.errors and not self.participations():
            raise forms.ValidationError(
                _("Tick at least one municipality that took part, or give participant numbers.")
            )
        return data

    def activity_values(self) -> dict[str, Any]:
        """The activity's own fields for the service (experts go separately)."""
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f != "experts"}

    def chosen_experts(self) -> list[Expert]:
        return list(self.cleaned_data.get("experts") or [])


class ExpertForm(VersionedForm, forms.ModelForm):
    subject_areas = forms.MultipleChoiceField(
        label=_("Subject areas"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Expert
        fields = ["name", "title", "organisation", "email", "phone", "subject_areas", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, county: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ladder = frameworks.load("stodtrappa", county=county.code)
        lang = _lang()
        self.fields["subject_areas"].choices = [(s.key, s.name(lang)) for s in ladder.subject_areas]
        self.fields["organisation"].queryset = county_actors(county)
        self.fields["organisation"].required = False

    def values(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}


class AgreementForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "municipality",
            "title",
            "parties",
            "start",
            "end",
            "status",
            "goals",
            "agreed_support",
        ]
        widgets = {
            "start": DATE,
            "end": DATE,
            "parties": forms.Textarea(attrs={"rows": 2}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "agreed_support": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, county: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Area.objects.municipalities(county.code)


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["phase", "party", "text", "due"]
        widgets = {"due": DATE}


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=Commitment._meta.get_field("status").choices
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUpMeeting
        fields = ["date", "purpose", "minutes"]
        widgets = {"date": DATE, "minutes": forms.Textarea(attrs={"rows": 3})}


class NeedComponentForm(forms.ModelForm):
    class Meta:
        model = NeedComponentSetting
        fields = ["source", "reference", "label", "weight", "higher_is_worse"]
        formfield_callback = number_formfield

    def __init__(self, *args: Any, indicator_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if indicator_choices:
            self.fields["reference"] = forms.ChoiceField(
                label=_("Indicator"),
                required=False,
                choices=[("", "—"), *indicator_choices],
            )

    def clean_weight(self) -> float:
        weight = self.cleaned_data["weight"]
        if weight < 0:
            raise forms.ValidationError(_("Weights cannot be negative."))
        return weight

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("source") == "indicator" and not data.get("reference"):
            self.add_error("reference", _("Choose the indicator for an indicator component."))
        return data

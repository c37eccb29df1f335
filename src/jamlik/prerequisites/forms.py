"""Forms: the survey form is built from the instrument's items at run time."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jamlik.core import number_fields
from jamlik.core.version_forms import HIDDEN, VersionedForm
from jamlik.prerequisites.extraction import ALLOWED_SUFFIXES, MAX_BYTES
from jamlik.prerequisites.item_text import (
    ITEM_FIELDS,
    ItemTextError,
    kind_problems,
    options_text,
    parse_options,
    parse_scale,
    scale_text,
)
from jamlik.prerequisites.models import InterviewTheme, ItemKind, RespondentRole, SupportGroup


def _choices(item: Any, lang: str) -> list[tuple[str, str]]:
    field = "en" if lang.startswith("en") else "sv"
    if item.kind == ItemKind.SCALE:
        return [(str(v), f"{v} – {en if field == 'en' else sv}") for v, sv, en in item.scale]
    return [(o["key"], o[field]) for o in item.options]


class SurveyForm(VersionedForm, forms.Form):
    """One field per item, named by item key; all optional so a draft can be saved."""

    def __init__(self, *args: Any, items: list, lang: str = "sv", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            label = item.text(lang)
            if item.kind in (ItemKind.SINGLE_CHOICE, ItemKind.SCALE):
                field: forms.Field = forms.ChoiceField(
                    label=label,
                    choices=_choices(item, lang),
                    widget=forms.RadioSelect,
                    required=False,
                )
            elif item.kind == ItemKind.MULTIPLE_CHOICE:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=_choices(item, lang),
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                )
            elif item.kind == ItemKind.NUMBER:
                unit = item.unit_en if lang.startswith("en") else item.unit_sv
                field = number_fields.DecimalField(
                    label=label,
                    required=False,
                    min_value=0,
                    help_text=unit,
                    decimal_places=1,
                )
            else:
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            field.item = item  # type: ignore[attr-defined]
            self.fields[item.key] = field

    def answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in self.cleaned_data.items():
            if value in (None, "", []) or key in HIDDEN:
                continue
            out[key] = float(value) if hasattr(value, "as_tuple") else value
        return out


class DocumentUploadForm(forms.Form):
    year = number_fields.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File (PDF, Word .docx or text)"),
        allow_empty_file=True,  # refused by extraction, with a message naming the file
        help_text=_("At most %(mb)s MB.") % {"mb": MAX_BYTES // 1_048_576},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES)}),
    )


class DocumentThemeForm(forms.Form):
    name_sv = forms.CharField(label=_("Name (Swedish)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120)
    terms = forms.CharField(
        label=_("Terms, one per line"), widget=forms.Textarea(attrs={"rows": 6})
    )


class InterviewThemeForm(forms.Form):
    name_sv = forms.CharField(label=_("Name (Swedish)"), max_length=150)
    name_en = forms.CharField(label=_("Name (English)"), max_length=150)
    parent = forms.ModelChoiceField(
        label=_("Main theme (leave empty for a main theme)"),
        queryset=InterviewTheme.objects.none(),
        required=False,
    )
    prerequisites = forms.MultipleChoiceField(
        label=_("Linked prerequisites"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, county: Any, prerequisites: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = InterviewTheme.objects.filter(
            county=county, parent__isnull=True
        )
        self.fields["prerequisites"].choices = prerequisites


class ExcerptForm(forms.Form):
    year = number_fields.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=InterviewTheme.objects.none())
    respondent_role = forms.ChoiceField(label=_("Respondent"), choices=RespondentRole.choices)
    text = forms.CharField(label=_("Excerpt"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, county: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = InterviewTheme.objects.filter(county=county).select_related(
            "parent"
        )
        self.fields["theme"].label_from_instance = lambda t: (
            f"{t.parent.name_sv} › {t.name_sv}" if t.parent_id else t.name_sv
        )


class RoundForm(forms.Form):
    year = number_fields.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    instrument = forms.ModelChoiceField(
        label=_("Instrument version"),
        queryset=None,
        required=False,
        help_text=_("Empty: Jämlik's default instrument."),
    )
    new_version = forms.CharField(
        label=_("Or copy the chosen version to a new version named"),
        max_length=30,
        required=False,
    )

    def __init__(self, *args: Any, county: Any, **kwargs: Any) -> None:
        from jamlik.prerequisites.models import Instrument

        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.filter(county=county)


class GroupsForm(forms.Form):
    """One choice per kommun."""

    def __init__(self, *args: Any, kommuner: list, initial_groups: dict, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Not in the comparison")), *SupportGroup.choices]
        for kommun in kommuner:
            self.fields[kommun.code] = forms.ChoiceField(
                label=kommun.name,
                choices=choices,
                required=False,
                initial=initial_groups.get(kommun.code, ""),
            )


class ScoringForm(forms.Form):
    strong_from = number_fields.FloatField(
        label=_("Level 'strong' from"), min_value=0, max_value=100
    )
    developing_from = number_fields.FloatField(
        label=_("Level 'developing' from"), min_value=0, max_value=100
    )

    def __init__(self, *args: Any, items: list, prerequisites: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item_keys = [i.key for i in items if i.kind != ItemKind.TEXT]
        self.cap_keys = [k for k, _label in prerequisites]
        for item in items:
            if item.kind == ItemKind.TEXT:
                continue
            self.fields[f"w_{item.key}"] = number_fields.FloatField(
                label=item.key, min_value=0, max_value=100, initial=item.weight
            )
        for key, label in prerequisites:
            self.fields[f"c_{key}"] = number_fields.FloatField(
                label=label, min_value=0, max_value=100
            )


class ItemForm(VersionedForm, forms.Form):
    """One survey question: its text, what it measures, how it is answered and scored."""

    key = forms.SlugField(
        label=_("Key"),
        max_length=60,
        help_text=_("A short identifier, a–z, 0–9 and _; it cannot be changed later."),
    )
    order = number_fields.IntegerField(label=_("Order"), min_value=0, max_value=10_000)
    kind = forms.ChoiceField(label=_("Type"), choices=ItemKind.choices)
    prerequisite = forms.ChoiceField(label=_("Prerequisite"))
    dimensions = forms.MultipleChoiceField(
        label=_("Dimensions"), widget=forms.CheckboxSelectMultiple, required=False
    )
    weight = number_fields.FloatField(label=_("Weight"), min_value=0, max_value=100, initial=1)
    text_sv = forms.CharField(
        label=_("Question (Swedish)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    text_en = forms.CharField(
        label=_("Question (English)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    options = forms.CharField(
        label=_("Answer options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Choice questions: one option per line, key; Swedish; English; points "
            "(e.g. yes; Ja; Yes; 1)."
        ),
    )
    scale = forms.CharField(
        label=_("Scale levels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Scale questions: one level per line, value; Swedish; English (e.g. 1; Inte alls; Not at all)."
        ),
    )
    full_at = number_fields.FloatField(
        label=_("Full marks at"),
        required=False,
        help_text=_(
            "Numbers: the value that earns full marks. Multiple choice: the sum of points "
            "that does (empty: all options)."
        ),
    )
    unit_sv = forms.CharField(label=_("Unit (Swedish)"), max_length=60, required=False)
    unit_en = forms.CharField(label=_("Unit (English)"), max_length=60, required=False)
    summary_options = forms.CharField(
        label=_("Options counted in the county summary"),
        max_length=300,
        required=False,
        help_text=_("Option keys separated by commas, e.g. yes, partly."),
    )
    summary_sv = forms.CharField(
        label=_("Summary phrase (Swedish)"),
        max_length=300,
        required=False,
        help_text=_(
            "Completes “9 av 21 kommuner …”, e.g. har antagit ett eller flera folkhälsomål."
        ),
    )
    summary_en = forms.CharField(
        label=_("Summary phrase (English)"), max_length=300, required=False
    )

    def __init__(
        self, *args: Any, prerequisites: list, dimensions: list, adding: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prerequisite"].choices = prerequisites
        self.fields["dimensions"].choices = dimensions
        if not adding:
            del self.fields["key"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, parse in (("options", parse_options), ("scale", parse_scale)):
            try:
                data[name] = parse(data.get(name) or "")
            except ItemTextError as exc:
                self.add_error(name, str(exc))
        summary_options = [
            k.strip() for k in (data.get("summary_options") or "").split(",") if k.strip()
        ]
        data["summary_options"] = summary_options
        if self.errors or "kind" not in data:
            return data
        problems = kind_problems(
            data["kind"], data["options"], data["scale"], data.get("full_at"), summary_options
        )
        for field, text in problems.items():
            self.add_error(field, text)  # removes the field from cleaned_data
        if summary_options and not data.get("summary_sv"):
            self.add_error("summary_sv", _("A summary needs its Swedish phrase."))
        return data

    def item_data(self) -> dict[str, Any]:
        """The cleaned values in the stored shapes ``services.save_item`` takes."""
        d = self.cleaned_data
        data = {name: d[name] for name in ITEM_FIELDS if name != "summary"}
        data["summary"] = (
            {"options": d["summary_options"], "sv": d["summary_sv"], "en": d["summary_en"]}
            if d["summary_options"]
            else {}
        )
        if "key" in d:
            data["key"] = d["key"]
        return data


def item_initial(item: Any) -> dict[str, Any]:
    """The editor's initial values for a stored question."""
    summary = item.summary or {}
    return {
        "order": item.order,
        "kind": item.kind,
        "prerequisite": item.prerequisite,
        "dimensions": list(item.dimensions or []),
        "weight": item.weight,
        "text_sv": item.text_sv,
        "text_en": item.text_en,
        "options": options_text(item.options or []),
        "scale": scale_text(item.scale or []),
        "full_at": item.full_at,
        "unit_sv": item.unit_sv,
        "unit_en": item.unit_en,
        "summary_options": ", ".join(summary.get("options", [])),
        "summary_sv": summary.get("sv", ""),
        "summary_en": summary.get("en", ""),
    }


class VersionForm(forms.Form):
    version = forms.CharField(label=_("New version name"), max_length=30)

"""Forms for reporting upward: the template with its sections, a county's answers, a review.

The forms only collect text; :mod:`jamlik.reports.upward` checks that the sections hold
together and who may do what, so the pages and any other caller obey the same rules.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jamlik.core.version_forms import VersionedForm
from jamlik.reports.upward import MAX_ANSWER, MAX_SECTIONS, SectionSpec, available_tables


class TemplateForm(VersionedForm, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction to the counties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    due = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Year-month-day, e.g. 2027-03-31."),
    )


class SectionForm(forms.Form):
    """One section of the template; the order field puts sections in order (1, 2, 3 …)."""

    key = forms.SlugField(
        label=_("Key"),
        max_length=64,
        help_text=_("Short name in lower-case letters and hyphens, e.g. “arbetssatt”."),
    )
    title_sv = forms.CharField(label=_("Title in Swedish"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200)
    guidance_sv = forms.CharField(
        label=_("Guidance in Swedish"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    guidance_en = forms.CharField(
        label=_("Guidance in English"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    required = forms.BooleanField(label=_("Required"), required=False)
    tables = forms.MultipleChoiceField(
        label=_("Tables Jämlik fills in"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tables"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(available_tables().items())


class BaseSectionFormSet(forms.BaseFormSet):
    def ordered_sections(self) -> list[dict[str, Any]]:
        """The kept sections in the order the user gave (Django's ``ordered_forms``: deleted
        and untouched blank rows left out, rows without a number last)."""
        return [
            {k: v for k, v in f.cleaned_data.items() if k not in ("ORDER", "DELETE")}
            for f in self.ordered_forms
            if f.cleaned_data
        ]


SectionFormSet = forms.formset_factory(
    SectionForm,
    formset=BaseSectionFormSet,
    extra=1,
    can_delete=True,
    can_order=True,
    max_num=MAX_SECTIONS,
    validate_max=True,
)


def section_initial(specs: list[SectionSpec]) -> list[dict[str, Any]]:
    return [{**s.as_dict(), "ORDER": n} for n, s in enumerate(specs, start=1)]


def answer_field(key: str) -> str:
    return f"answer_{key}"


class AnswerForm(VersionedForm, forms.Form):
    """One text area per section, labelled with its title, the guidance as help text.

    No field is required here (a draft may be partial); submitting checks the required
    sections and names those still empty.
    """

    def __init__(self, *args: Any, sections: list[SectionSpec], **kwargs: Any) -> None:
        self.sections = sections
        super().__init__(*args, **kwargs)
        for spec in sections:
            self.fields[answer_field(spec.key)] = forms.CharField(
                label=spec.title(),
                required=False,
                max_length=MAX_ANSWER,
                help_text=spec.guidance(),
                widget=forms.Textarea(attrs={"rows": 8}),
            )
        # the hidden fields go last so the sections keep the template's order
        for name in ("version", "loaded"):
            self.fields[name] = self.fields.pop(name)

    def answers(self) -> dict[str, str]:
        return {s.key: self.cleaned_data.get(answer_field(s.key)) or "" for s in self.sections}


def answer_initial(answers: dict[str, str]) -> dict[str, str]:
    return {answer_field(k): v for k, v in answers.items()}


class ReviewForm(VersionedForm, forms.Form):
    note = forms.CharField(
        label=_("Note to the county"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when returning the report: say what the county should complete."),
    )

"""The edit form of a toolbox item: tags as checkboxes from the county's frameworks.

Tag choices come from :func:`jamlik.support.toolbox.vocabulary`, so the form offers
exactly the keys the save accepts, named in the reader's language. The link must be a
web address (http or https); a film is a link, never an upload.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jamlik.core.version_forms import VersionedForm
from jamlik.geo.models import Area
from jamlik.support.models import ToolboxItem, ToolKind
from jamlik.support.toolbox import vocabulary

LANGUAGES = [("sv", _("Swedish")), ("en", _("English")), ("other", _("Other language"))]


class ToolboxItemForm(VersionedForm, forms.ModelForm):
    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A web address starting with https:// (or http://). Films are given as links."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, initial="sv")
    target_areas = forms.MultipleChoiceField(
        label=_("Target areas (målområden)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    quality_steps = forms.MultipleChoiceField(
        label=_("Quality-model steps where it helps"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An item with no step stays in the library but is offered on no plan step."),
    )
    factors = forms.MultipleChoiceField(
        label=_("Risk and protective factors"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ToolboxItem
        fields = [
            "title",
            "kind",
            "url",
            "publisher",
            "description",
            "language",
            "target_areas",
            "quality_steps",
            "factors",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {"title": _("Title")}

    def __init__(self, *args: Any, county: Area | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = get_language() or "sv"
        vocab = vocabulary(county)
        self.fields["target_areas"].choices = [
            (a.key, f"{a.number}. {a.name(lang)}") for a in vocab.areas
        ]
        self.fields["quality_steps"].choices = [
            (s.key, f"{s.number}. {s.name(lang)}") for s in vocab.steps
        ]
        self.fields["factors"].choices = [
            (
                _("Risk factors"),
                [(f.key, f.name(lang)) for f in vocab.factors if f.kind == "risk"],
            ),
            (
                _("Protective factors"),
                [(f.key, f.name(lang)) for f in vocab.factors if f.kind == "protective"],
            ),
        ]
        language = self.fields["language"]
        current = self.instance.language if self.instance.pk else None
        if current and current not in dict(LANGUAGES):
            language.choices = [*LANGUAGES, (current, current)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == ToolKind.FILM and not data.get("url"):
            self.add_error("url", _("A film is kept as a link: give its address."))
        return data

    def item_values(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}

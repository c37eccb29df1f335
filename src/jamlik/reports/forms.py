"""The form of one narrative section of a report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jamlik.core.version_forms import VersionedForm

#: Longest narrative kept (characters): several pages of a printed report.
MAX_TEXT = 20_000


class NarrativeForm(VersionedForm, forms.Form):
    section = forms.SlugField(widget=forms.HiddenInput, max_length=64)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    """Upload of a file in the import template (docs/import-template.md)."""

    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        help_text=_(
            "Columns as in the import template; semicolon or comma separated, Windows-1252 or UTF-8."
        ),
    )

"""Forms of the youth-survey pages: the microdata upload and the county's scale definition."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jamlik.core.version_forms import VersionedForm

#: Microdata file kinds the reader understands (jamlik.surveys.microdata).
EXTENSIONS = (".csv", ".txt", ".xlsx", ".sav")
#: The largest scale definition accepted (a TOML of a few hundred questions is ~100 kB).
MAX_SCALE_BYTES = 512 * 1024


class UploadForm(forms.Form):
    """A survey's microdata file, and its year when the file has no year column."""

    file = forms.FileField(
        label=_("Microdata file (.csv, .xlsx or .sav)"),
        help_text=_(
            "One row per respondent: kommun (code or name), optionally district, year, "
            "school year, sex and design weight, and one column per question of the scale "
            "definition. Never names, personal identity numbers or contact details."
        ),
    )
    year = forms.IntegerField(
        label=_("Survey year (if the file has no year column)"),
        required=False,
        min_value=1990,
        max_value=2100,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith(EXTENSIONS):
            raise forms.ValidationError(
                _("%(name)s: expected a .csv, .xlsx or .sav file.") % {"name": upload.name}
            )
        return upload


class ScaleForm(VersionedForm, forms.Form):
    """The county's own scale definition: pasted text or an uploaded TOML file."""

    text = forms.CharField(
        label=_("Scale definition (TOML)"),
        required=False,
        strip=False,
        # The definition's text is data in both languages: not for translation tools.
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "translate": "no"}),
    )
    upload = forms.FileField(label=_("Or upload a TOML file"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("upload")
        if upload is not None:
            if upload.size > MAX_SCALE_BYTES:
                raise forms.ValidationError(_("The file is larger than 512 kB."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(
                    _("%(name)s is not UTF-8 text.") % {"name": upload.name}
                ) from exc
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Paste a scale definition or upload a TOML file."))
        return data

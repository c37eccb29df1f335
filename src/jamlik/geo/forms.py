"""Forms for districts: one district by hand, a file of districts, a file of boundaries."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jamlik.geo.districts import code_problems
from jamlik.geo.models import DistrictKind

#: Uploads larger than this are refused before reading (a kommun's DeSO boundaries in
#: full resolution are a few MB).
MAX_UPLOAD = 50 * 1024 * 1024


class DistrictForm(forms.Form):
    """A district by hand; the code is checked for its kind against ``kommun``."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_(
            "DeSO: 0127C1010, RegSO: 0127R004 (both begin with the municipality's code); "
            "a stadsdel or other division: any short code of letters and digits."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=DistrictKind.choices, initial=DistrictKind.STADSDEL
    )

    def __init__(self, *args: Any, kommun: str, code: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kommun = kommun
        #: The code of the district being edited (its code cannot change).
        self.fixed_code = code
        if code:
            del self.fields["code"]

    def check_code(self, code: str, kind: str) -> None:
        for problem in code_problems("", 0, code, kind, self.kommun):
            self.add_error(
                "code" if "code" in self.fields else "kind",
                gettext("Expected %(what)s.") % {"what": gettext(problem.expected)},
            )
            return

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        code = self.fixed_code or data.get("code", "")
        if code and data.get("kind"):
            self.check_code(code.strip(), data["kind"])
        return data


def _checked_upload(upload: Any, suffixes: tuple[str, ...]) -> Any:
    name = (upload.name or "").lower()
    if not name.endswith(suffixes):
        raise forms.ValidationError(
            _("Expected a file ending in %(suffixes)s."), params={"suffixes": ", ".join(suffixes)}
        )
    if upload.size > MAX_UPLOAD:
        raise forms.ValidationError(_("The file is larger than 50 MB."))
    return upload


class DistrictFileForm(forms.Form):
    file = forms.FileField(
        label=_("File with districts (CSV or Excel)"),
        help_text=_("Columns: kommun; kod; namn; typ (kind: stadsdel, deso, regso or annan)."),
    )

    def clean_file(self) -> Any:
        return _checked_upload(self.cleaned_data["file"], (".csv", ".txt", ".xlsx"))


class BoundaryFileForm(forms.Form):
    file = forms.FileField(
        label=_("Boundaries (GeoJSON)"),
        help_text=_(
            "A FeatureCollection with one feature per district, in WGS84 or SWEREF 99 TM "
            "(EPSG:3006)."
        ),
    )
    code_property = forms.CharField(
        label=_("Property holding the district code"),
        required=False,
        max_length=60,
        help_text=_("Leave empty to look for code, kod, deso or regso."),
    )

    def clean_file(self) -> Any:
        return _checked_upload(self.cleaned_data["file"], (".geojson", ".json"))

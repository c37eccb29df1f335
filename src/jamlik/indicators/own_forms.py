"""The form for a county's own indicator (:mod:`jamlik.indicators.own`).

Problem areas and risk/protective factors are offered from the county's prevention
star (its own version when it has one), målområden from ``malomraden.toml``: ticked
boxes, so only keys the frameworks know can be stored.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jamlik import frameworks
from jamlik.core.number_fields import number_formfield
from jamlik.core.version_forms import VersionedForm
from jamlik.geo.models import Area
from jamlik.indicators.models import Indicator, ValueType
from jamlik.indicators.own import EDITABLE_FIELDS, MAX_SERIES_LENGTH, series_problem

#: A county collects totals, so a directly standardised rate (counts by age) is not offered.
OWN_VALUE_TYPES = [(k, v) for k, v in ValueType.choices if k != ValueType.DSR]


def _lang() -> str:
    return get_language() or "sv"


def target_area_choices() -> list[tuple[int, str]]:
    lang = _lang()
    return [(a.number, f"{a.number}. {a.name(lang)}") for a in frameworks.load("malomraden").areas]


def star_of(county: Area) -> frameworks.Preventionsstjarna:
    """The county's prevention star (its override file when it has one)."""
    return frameworks.load("preventionsstjarna", county=county.code)


def problem_area_choices(star: frameworks.Preventionsstjarna) -> list[tuple[str, str]]:
    lang = _lang()
    return [(p.key, p.name(lang)) for p in star.problem_areas]


def factor_choices(star: frameworks.Preventionsstjarna) -> list[tuple[str, list[tuple[str, str]]]]:
    """Factors grouped by domain, each named with its kind (risk or protective)."""
    lang = _lang()
    kinds = {"risk": _("risk"), "protective": _("protective")}
    groups = []
    for domain in star.domains:
        items = [
            (f.key, f"{f.name(lang)} ({kinds.get(str(f.kind), f.kind)})")
            for f in star.factors
            if f.domain == domain.key
        ]
        if items:
            groups.append((domain.name(lang), items))
    return groups


class OwnIndicatorForm(VersionedForm, forms.ModelForm):
    """Create (with ``series``) or edit an own indicator; the view hands the cleaned
    values to :func:`~jamlik.indicators.own.create_own` or ``save_own``."""

    target_areas = forms.TypedMultipleChoiceField(
        label=_("Målområden"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    problem_areas = forms.MultipleChoiceField(
        label=_("Problem areas it concerns"), required=False, widget=forms.CheckboxSelectMultiple
    )
    factors = forms.MultipleChoiceField(
        label=_("Risk and protective factors it measures"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Indicator
        formfield_callback = number_formfield
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "definition_sv": forms.Textarea(attrs={"rows": 3, "cols": 28}),
            "definition_en": forms.Textarea(attrs={"rows": 3, "cols": 28}),
            "numerator_definition": forms.Textarea(attrs={"rows": 2, "cols": 28}),
            "denominator_definition": forms.Textarea(attrs={"rows": 2, "cols": 28}),
            "method": forms.Textarea(attrs={"rows": 3, "cols": 28}),
        }
        help_texts = {
            "multiplier": _("Per how many: 100 for a percentage, 100 000 for a rate per 100 000."),
            "unit": _("Shown after values, e.g. %, per 1 000 or days; empty: from the value type."),
            "disclosure_threshold": _("Counts below this are not published."),
            "web_entry": _("Values are typed in the web data entry form rather than imported."),
        }

    def __init__(self, *args: Any, county: Area, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        star = star_of(county)
        self.fields["target_areas"].choices = target_area_choices()
        self.fields["problem_areas"].choices = problem_area_choices(star)
        self.fields["factors"].choices = factor_choices(star)
        self.fields["value_type"].choices = OWN_VALUE_TYPES
        self.fields["definition_sv"].required = True
        self.creating = creating
        if creating:
            self.fields["series"] = forms.CharField(
                label=_("Id"),
                max_length=MAX_SERIES_LENGTH,
                help_text=_(
                    "Letters a-z, digits, _ and -, at most %(max)s characters; used in "
                    "import files and never changed."
                )
                % {"max": MAX_SERIES_LENGTH},
            )
            self.order_fields(["series"])

    def clean_series(self) -> str:
        series = self.cleaned_data["series"].strip()
        problem = series_problem(series)
        if problem:
            raise forms.ValidationError(problem)
        return series

    def values(self) -> dict[str, Any]:
        """The cleaned values of the indicator's fields (without the id)."""
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}

from django import forms
from django.utils.translation import gettext_lazy as _


class DistrictForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20, help_text=_("E.g. a DeSO code such as 0127C1010.")
    )
    name = forms.CharField(label=_("Name"), max_length=120)

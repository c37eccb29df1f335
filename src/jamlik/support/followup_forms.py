"""Forms of the follow-up: the participant's questionnaire and the administrator's link."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jamlik.core.version_forms import HIDDEN
from jamlik.prerequisites.forms import SurveyForm
from jamlik.support import followup
from jamlik.support.models import ParticipantRole

KOMMUN = "kommun"
ROLE = "role"


class FollowUpAnswerForm(SurveyForm):
    """The survey machinery's form over the follow-up items, plus kommun and role.

    Unlike a prerequisite survey (saved as drafts), a follow-up answer is sent once, so
    the scale questions, the kommun and the role are required here.
    """

    def __init__(
        self, *args: Any, kommuner: list[tuple[str, str]], lang: str = "sv", **kwargs: Any
    ) -> None:
        super().__init__(*args, items=list(followup.ITEMS), lang=lang, **kwargs)
        for name in HIDDEN:  # nothing to lock: each answer is a new record
            self.fields.pop(name, None)
        for item in followup.ITEMS:
            self.fields[item.key].required = item.required
        self.fields[KOMMUN] = forms.ChoiceField(
            label=_("Which municipality do you work in?"),
            choices=[("", "—"), *kommuner, (followup.OTHER_KOMMUN, _("Other"))],
        )
        self.fields[ROLE] = forms.ChoiceField(
            label=_("What is your role?"),
            choices=ParticipantRole.choices,
            widget=forms.RadioSelect,
        )

    def answers(self) -> dict[str, Any]:
        """The item answers, checked by the one rule in :func:`followup.clean_answers`."""
        raw = {i.key: self.cleaned_data.get(i.key) for i in followup.ITEMS}
        return followup.clean_answers(raw)


class OpenFollowUpForm(forms.Form):
    closes = forms.DateField(
        label=_("Open until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day answers are taken."),
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_closes(self) -> date:
        closes: date = self.cleaned_data["closes"]
        if closes < self.today:
            raise forms.ValidationError(_("Choose today or a later day."))
        return closes

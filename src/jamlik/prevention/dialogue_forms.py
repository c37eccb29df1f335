"""Forms of the plan dialogue: a new message (optionally the record of what was agreed)
and a reply under a thread. The rules (who may write, who may record an agreement, the
length) live in :mod:`jamlik.prevention.dialogue`; the forms only carry the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jamlik.prevention.dialogue import MAX_LENGTH


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("At most 5 000 characters. The other side is told by e-mail."),
    )
    is_agreement = forms.BooleanField(
        label=_("This records what we agreed"),
        required=False,
        help_text=_("The message is listed under “Agreed” at the top of the dialogue."),
    )

    def __init__(self, *args: Any, may_agree: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_agree:
            del self.fields["is_agreement"]


class ReplyForm(forms.Form):
    parent = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Reply"), max_length=MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_agreement = forms.BooleanField(label=_("This records what we agreed"), required=False)

    def __init__(self, *args: Any, may_agree: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_agree:
            del self.fields["is_agreement"]

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jamlik.sources.errors import ImportWarning
from jamlik.sources.questions import THOUSANDS_SEPARATOR, answer_for_choice, question_key


class ImportForm(forms.Form):
    """Upload of a file in the import template (docs/import-template.md)."""

    file = forms.FileField(
        label=_lazy("File (.csv or .xlsx)"),
        help_text=_lazy(
            "Columns as in the import template; semicolon or comma separated, Windows-1252 or UTF-8."
        ),
    )


def in_language(warning: ImportWarning) -> str:
    """A reader's warning in the active language (Swedish unless English is chosen)."""
    return warning.in_language(get_language())


def choice_label(question: ImportWarning, index: int, choice: str) -> str:
    """How a choice reads on the preview: an area as ``0380 Uppsala``, a number with
    what picking it means."""
    if question.kind != THOUSANDS_SEPARATOR:
        return choice
    try:
        number = float(choice)
    except ValueError:
        number = None
    if index == 0:
        shown = choice if number is None else number_format(int(number), force_grouping=True)
        return _("%(number)s: the separator groups thousands (a count)") % {"number": shown}
    shown = choice if number is None else number_format(number, decimal_pos=3)
    return _("%(number)s: the separator is a decimal mark") % {"number": shown}


class QuestionsForm(forms.Form):
    """The preview's questions as radio groups, ``q0``, ``q1``...: nothing is chosen for the
    user, so every reading that was not certain is one the user confirmed."""

    def __init__(self, questions: list[ImportWarning], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions):
            self.fields[f"q{number}"] = forms.ChoiceField(
                label=in_language(question),
                choices=[
                    (choice, choice_label(question, index, choice))
                    for index, choice in enumerate(question.choices)
                ],
                widget=forms.RadioSelect,
                error_messages={"required": _lazy("Choose one answer.")},
            )

    def answers(self) -> dict[str, str]:
        """The answers by :func:`~jamlik.sources.questions.question_key` (after ``is_valid``)."""
        return {
            question_key(question): answer_for_choice(question, self.cleaned_data[f"q{number}"])
            for number, question in enumerate(self.questions)
        }

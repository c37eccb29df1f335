"""Problem texts that stay English in data and are shown in the reader's language.

The readers are pure Python and run outside requests (CLI, tests, the API), so a
problem's ``expected`` stays the English sentence: logs, the CLI and tests read it.
A :class:`Text` is that English sentence as a ``str`` that also remembers its msgid and
named values, so the page can show it in Swedish (``ImportProblem.expected_shown``)
— the same split as ``ImportWarning``'s ``en``/``sv``, without two copies at each call.
Column names are the template's canonical (English) keys; :func:`column_label` gives the
header the reader's template uses (``numerator`` → ``täljare`` in Swedish).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_noop as noop

#: The template's columns (``jamlik.sources.template.COLUMN_ALIASES``), marked for the
#: catalogue: the Swedish entry is the header of the Swedish template.
COLUMN_NAMES = {
    "indicator": noop("indicator"),
    "area": noop("area"),
    "period": noop("period"),
    "breakdown": noop("breakdown"),
    "category": noop("category"),
    "numerator": noop("numerator"),
    "denominator": noop("denominator"),
    "value": noop("value"),
    "lower": noop("lower"),
    "upper": noop("upper"),
    "note": noop("note"),
}
COLUMN_CONTEXT = "import template column"


class Text(str):
    """An English message (its ``str`` value) with its msgid and named values kept."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, **params: Any) -> Text:
        text = super().__new__(cls, msgid % params if params else msgid)
        text.msgid = msgid
        text.params = params
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.msgid, self.params))

    def translated(self) -> str:
        """The message in the active language; the values named ``column`` (one
        template column) and ``columns`` (a comma-separated list) are shown as the
        reader's template names them."""
        if not self.params:
            return gettext(self.msgid)
        params = dict(self.params)
        if "column" in params:
            params["column"] = column_label(str(params["column"]))
        if "columns" in params:
            names = str(params["columns"]).split(", ")
            params["columns"] = ", ".join(column_label(n) for n in names)
        return gettext(self.msgid) % params


def _rebuild(msgid: str, params: dict[str, Any]) -> Text:
    return Text(msgid, **params)


def shown(text: str) -> str:
    """A problem text in the active language: a :class:`Text` translated, a plain
    string looked up as a msgid (a text that went through JSON), else as it is."""
    if isinstance(text, Text):
        return text.translated()
    return gettext(text) if text else text


def column_label(column: str) -> str:
    """The template column's header in the active language; other names (a header the
    file itself used, a spreadsheet column letter) as they are."""
    if column in COLUMN_NAMES:
        return pgettext(COLUMN_CONTEXT, column)
    return column

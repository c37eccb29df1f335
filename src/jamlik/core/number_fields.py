"""Number fields for forms: Swedish input read by the import reader's rule, shown in Swedish.

Every numeric field of every form uses these fields, so "1 200 000", "78,9" and "0.25"
mean the same on every page as in an imported file: the rule is
:func:`jamlik.sources.numbers.number_text` (spaces, also non-breaking and thin ones, group
thousands; a comma or a point is the decimal mark; when both occur the last one is).
What a form adds to that rule, and why:

* A lone point after one to three digits and before exactly three (``1.200``, not
  ``0.250``) is refused with a question:
  on a Swedish page it is as likely an old-style thousands separator (1 200) as a decimal
  point (1,2), and a form, unlike a file, can simply ask.  A lone comma (``1,200``) is the
  Swedish decimal mark and reads as 1,2 in a decimal field; in a whole-number field, where
  1,2 cannot be meant, it is refused with the same question instead of being read as 1 200.
* Spaces must group the integer part in threes (``1 200 000``); ``78 9`` is a typing slip,
  not 789.
* Values are shown with a decimal comma and no thousands separator (``1200000``,
  ``78,9``), so what the page shows reads back as the same number (``read_number(
  format_number(x)) == x``), never as an ambiguous ``1.200``.

Inputs are ``type="text"`` with ``inputmode="decimal"`` (``numeric`` for whole numbers):
a ``type="number"`` input lets the browser drop a comma it does not expect (78,9 became
789 in the target form), and gives screen readers and phones nothing better.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jamlik.sources.numbers import number_text

_SPACES = (" ", "\u00a0", "\u202f", "\u2009")
_LONE_POINT = re.compile(r"[+\-\u2212]?[1-9]\d{0,2}\.\d{3}")
_LONE_COMMA = re.compile(r"[+\-\u2212]?[1-9]\d{0,2},\d{3}")
_SPACED = re.compile(r"[+\-\u2212]?\d{1,3}(?: \d{3})+(?:[.,]\d*)?")


class NumberInputError(ValueError):
    """Text a number field cannot read; ``message`` is the translated reason for the user."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def _ambiguous(text: str, *, whole: bool) -> NumberInputError:
    sign_and_whole, _mark, decimals = re.split(r"([.,])", text, maxsplit=1)
    values = {
        "text": text,
        "thousands": f"{sign_and_whole}\u00a0{decimals}",
        "decimal": f"{sign_and_whole},{decimals.rstrip('0') or '0'}",
        "plain": f"{sign_and_whole}{decimals}",
    }
    if whole:
        message = _("“%(text)s” can mean %(thousands)s or %(decimal)s: write %(plain)s.")
    else:
        message = _(
            "“%(text)s” can mean %(thousands)s or %(decimal)s: write %(plain)s or %(decimal)s."
        )
    return NumberInputError(message % values)


def read_number(text: str, *, whole: bool = False) -> Decimal:
    """The number typed in a form field, exactly, as a :class:`~decimal.Decimal`.

    ``whole`` is for fields that take whole numbers (counts, years): there a lone comma
    with three digits after it is refused rather than read as a decimal mark.  Raises
    :class:`NumberInputError` with a message for the user.
    """
    cleaned = text.strip()
    for space in _SPACES:
        cleaned = cleaned.replace(space, " ")
    cleaned = re.sub(" +", " ", cleaned)
    if _LONE_POINT.fullmatch(cleaned) or (whole and _LONE_COMMA.fullmatch(cleaned)):
        raise _ambiguous(cleaned, whole=whole)
    if " " in cleaned and not _SPACED.fullmatch(cleaned):
        raise NumberInputError(
            _(
                "“%(text)s”: spaces may only separate groups of three digits (1 200 000). "
                "Check the number."
            )
            % {"text": text.strip()}
        )
    try:
        number = Decimal(number_text(cleaned))
    except (ValueError, InvalidOperation):
        raise NumberInputError(
            _("“%(text)s” is not a number. Write e.g. 1 200 000 or 78,9.") % {"text": text.strip()}
        ) from None
    if whole and number != number.to_integral_value():
        raise NumberInputError(_("Enter a whole number."))
    return number


def format_number(value: Any) -> str:
    """A number as an input shows it: decimal comma, no thousands separator, no exponent.

    Floats are written with their shortest exact digits (``repr``), so 0.1 is ``0,1``
    and not ``0,1000000000000000055511151231257827``.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value  # what the user typed, shown back with its error
    if isinstance(value, bool):
        return str(int(value))
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if number == number.to_integral_value():
        text = format(number.quantize(Decimal(1)), "f")
    else:
        text = format(number.normalize(), "f")
    return text.replace(".", ",")


class SwedishNumberInput(forms.TextInput):
    """A text input for numbers: Swedish format out, a decimal keypad on phones."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, whole: bool = False) -> None:
        base = {"inputmode": "numeric" if whole else "decimal", "autocomplete": "off"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        return format_number(value) or None


class _NumberMixin:
    whole = False
    error_messages: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        widget = kwargs.get("widget")
        if widget is None or (isinstance(widget, type) and issubclass(widget, forms.NumberInput)):
            kwargs["widget"] = SwedishNumberInput(whole=self.whole)
        elif isinstance(widget, forms.NumberInput):  # keep its classes, lose type="number"
            kwargs["widget"] = SwedishNumberInput(widget.attrs, whole=self.whole)
        kwargs.pop("localize", None)  # the format is always Swedish; see the module
        super().__init__(*args, **kwargs)

    def _read(self, value: Any) -> Decimal | None:
        if value in (None, "", [], (), {}):
            return None
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return read_number(value, whole=self.whole)
            except NumberInputError as exc:
                raise ValidationError(exc.message, code="invalid") from None
        try:
            return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class DecimalField(_NumberMixin, forms.DecimalField):
    """A decimal number typed the Swedish way (see the module)."""

    def to_python(self, value: Any) -> Decimal | None:
        return self._read(value)


class FloatField(_NumberMixin, forms.FloatField):
    """A number typed the Swedish way, stored as a float (see the module)."""

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        number = self._read(value)
        return None if number is None else float(number)


class IntegerField(_NumberMixin, forms.IntegerField):
    """A whole number typed the Swedish way (``1 200``; see the module)."""

    whole = True

    def to_python(self, value: Any) -> int | None:
        number = self._read(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(_("Enter a whole number."), code="invalid")
        return int(number)


def number_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """A model form's field for ``db_field``, with the number fields above for numbers.

    Use as ``Meta.formfield_callback`` of a ``ModelForm``.
    """
    if isinstance(db_field, models.AutoField | models.ForeignKey):
        return db_field.formfield(**kwargs)
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", DecimalField)
    elif isinstance(db_field, models.FloatField):
        kwargs.setdefault("form_class", FloatField)
    elif isinstance(db_field, models.IntegerField):
        kwargs.setdefault("form_class", IntegerField)
    return db_field.formfield(**kwargs)

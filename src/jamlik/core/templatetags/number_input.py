"""``{{ value|input_number }}``: a number as a hand-written input shows it (see
:func:`jamlik.core.number_fields.format_number`)."""

from __future__ import annotations

from typing import Any

from django import template

from jamlik.core.number_fields import format_number

register = template.Library()


@register.filter
def input_number(value: Any) -> str:
    return format_number(value)

"""Number formatting for tables: Swedish decimal comma, a dash for missing values."""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()

MISSING = "–"


@register.filter
def fmt(value: Any, decimals: int | None = None) -> str:
    """Format a value for display; ``None`` and NaN become a dash."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Real):
        number = float(value)
        if math.isnan(number):
            return MISSING
        if decimals is None:
            decimals = (
                0 if number.is_integer() and abs(number) >= 1 else (1 if abs(number) >= 10 else 2)
            )
        return number_format(
            round(number, int(decimals)),
            decimal_pos=int(decimals),
            use_l10n=True,
            force_grouping=abs(number) >= 10_000,
        )
    return str(value)

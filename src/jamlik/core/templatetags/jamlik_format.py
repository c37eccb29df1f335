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
    """Format a value for display; ``None`` and NaN become a dash.

    Without ``decimals``: whole numbers none, below 10 two, otherwise one; the
    locale's decimal mark (a comma in Swedish) and, from 10 000, its grouping.
    """
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Real):
        number = float(value)
        if math.isnan(number):
            return MISSING
        if decimals is None:
            # A whole number (a count, or an exact 0) has no decimals: "0", not "0,00".
            decimals = 0 if number.is_integer() else (1 if abs(number) >= 10 else 2)
        return number_format(
            round(number, int(decimals)),
            decimal_pos=int(decimals),
            use_l10n=True,
            force_grouping=abs(number) >= 10_000,
        )
    return str(value)

"""Shared input checks for the economics model.

Every refusal names the input, the rule it broke and the value it got, so that a
strategist typing a scenario can see at once what to fix.
"""

from __future__ import annotations

import math
from typing import Any


def fail(name: str, rule: str, value: Any) -> ValueError:
    """Build the canonical error: ``<input>: <rule> (got <value>)``."""
    return ValueError(f"{name}: {rule} (got {value!r})")


def require(condition: bool, name: str, rule: str, value: Any) -> None:
    """Raise :func:`fail` unless ``condition`` holds."""
    if not condition:
        raise fail(name, rule, value)


def require_finite(value: float, name: str) -> None:
    """Numbers must be real and finite (no NaN, no infinity)."""
    require(
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value),
        name,
        "must be a finite number",
        value,
    )


def require_non_negative(value: float, name: str) -> None:
    require_finite(value, name)
    require(value >= 0, name, "must not be negative", value)


def require_probability(value: float, name: str) -> None:
    require_finite(value, name)
    require(0 <= value <= 1, name, "must be a probability between 0 and 1", value)


def require_int(value: int, name: str, minimum: int, maximum: int | None = None) -> None:
    require(
        isinstance(value, int) and not isinstance(value, bool),
        name,
        "must be a whole number",
        value,
    )
    require(value >= minimum, name, f"must be at least {minimum}", value)
    if maximum is not None:
        require(value <= maximum, name, f"must be at most {maximum}", value)

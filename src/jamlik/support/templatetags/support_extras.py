"""Small template helpers for the support pages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Mapping[Any, Any] | None, key: Any) -> Any:
    """``{{ dict|get_item:key }}`` — templates cannot index by a variable."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def sum_counts(participations: Iterable[Any]) -> int:
    return sum(p.count for p in participations)


@register.filter
def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)} %"

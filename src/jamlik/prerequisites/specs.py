"""Bridges from database rows and frameworks to the pure scoring types."""

from __future__ import annotations

from typing import Any

from jamlik import frameworks
from jamlik.prerequisites.scoring import ItemKind, ItemSpec, Option


def framework(county: Any = None) -> frameworks.Forutsattningar:
    """The county's prerequisites framework (its override if it has one)."""
    code = getattr(county, "code", county)
    return frameworks.load("forutsattningar", county=code)


def prerequisite_keys(county: Any = None) -> list[str]:
    return list(framework(county).prerequisites.keys())


def dimension_keys(county: Any = None) -> list[str]:
    return list(framework(county).dimensions.keys())


def item_spec(item: Any) -> ItemSpec:
    """An ``Item`` row as the scoring module's ``ItemSpec``."""
    scale = [int(s[0]) for s in item.scale] if item.scale else [1, 4]
    return ItemSpec(
        key=item.key,
        kind=ItemKind(item.kind),
        prerequisite=item.prerequisite,
        dimensions=tuple(item.dimensions or ()),
        weight=float(item.weight),
        options=tuple(Option(o["key"], float(o.get("points", 1))) for o in item.options or []),
        scale_min=min(scale),
        scale_max=max(scale),
        full_at=item.full_at,
    )


def option_label(item: Any, key: Any, lang: str = "sv") -> str:
    field = "en" if lang.startswith("en") else "sv"
    for option in item.options or []:
        if option["key"] == key:
            return str(option[field])
    for value, sv, en in item.scale or []:
        if str(value) == str(key):
            return f"{value} – {en if field == 'en' else sv}"
    return str(key)


def answer_label(item: Any, value: Any, lang: str = "sv") -> str:
    """A human-readable answer."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list):
        return ", ".join(option_label(item, v, lang) for v in value)
    if item.kind == "number":
        unit = item.unit_en if lang.startswith("en") else item.unit_sv
        number = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{number} {unit}".strip()
    if item.kind == "text":
        return str(value)
    return option_label(item, value, lang)

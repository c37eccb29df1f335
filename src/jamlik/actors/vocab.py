"""The county's framework vocabularies an activity is tagged with (målområden, problem areas).

Both come from :mod:`jamlik.frameworks`, so a county that overrides a framework gets its
own list here too. Målområden are stored by number (as text in tags), problem areas by key.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

from jamlik.frameworks import load


@dataclass(frozen=True)
class Term:
    key: str
    name: str


def _lang() -> str:
    return get_language() or "sv"


def target_areas(county: str | None = None) -> list[Term]:
    """The målområden as ``Term(key="1", name="Det tidiga livets villkor")``."""
    framework = load("malomraden", county=county)
    return [Term(str(a.number), f"{a.number}. {a.name(_lang())}") for a in framework.areas]


def target_area_short(county: str | None = None) -> dict[str, str]:
    framework = load("malomraden", county=county)
    return {str(a.number): a.name(_lang()) for a in framework.areas}


def problem_areas(county: str | None = None) -> list[Term]:
    framework = load("preventionsstjarna", county=county)
    return [Term(p.key, p.name(_lang())) for p in framework.problem_areas]


def names(terms: list[Term]) -> dict[str, str]:
    return {t.key: t.name for t in terms}

"""Frozen dataclasses for the reference frameworks.

Every named item carries Swedish and English text; ``name(lang)`` and
``description(lang)`` pick one (Swedish is the platform's default, so any
language code that does not start with ``en`` gives Swedish).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar


def is_english(lang: str) -> bool:
    return lang.lower().startswith("en")


@dataclass(frozen=True)
class NamedItem:
    """Base of every framework item: a stable key plus bilingual name and description."""

    key: str
    name_sv: str
    name_en: str
    description_sv: str
    description_en: str

    def name(self, lang: str = "sv") -> str:
        return self.name_en if is_english(lang) else self.name_sv

    def description(self, lang: str = "sv") -> str:
        return self.description_en if is_english(lang) else self.description_sv


@dataclass(frozen=True)
class NumberedItem(NamedItem):
    number: int


ItemT = TypeVar("ItemT", bound=NamedItem)


@dataclass(frozen=True)
class ItemList(Generic[ItemT]):
    """An ordered, key-addressable tuple of items."""

    items: tuple[ItemT, ...]

    def __iter__(self) -> Iterator[ItemT]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> ItemT:
        return self.items[index]

    def __contains__(self, key: object) -> bool:
        """``"crime" in star.problem_areas`` tests by key."""
        return any(item.key == key for item in self.items)

    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    def get(self, key: str) -> ItemT:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)


# ---- shared header -------------------------------------------------------


@dataclass(frozen=True)
class FrameworkMeta:
    """What every framework file says about itself."""

    name: str
    schema_version: int
    version: str
    title_sv: str
    title_en: str
    county: str | None  # set when a county override file was used
    source_path: str

    def title(self, lang: str = "sv") -> str:
        return self.title_en if is_english(lang) else self.title_sv


@dataclass(frozen=True)
class Framework:
    meta: FrameworkMeta

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (enums become their values, tuples lists)."""
        result = _jsonable(self)
        assert isinstance(result, dict)
        return result


def _jsonable(value: Any) -> Any:
    if isinstance(value, ItemList):
        return [_jsonable(v) for v in value.items]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value


# ---- målområden ----------------------------------------------------------


@dataclass(frozen=True)
class TargetArea(NumberedItem):
    """One of the eight målområden of national public-health policy."""


@dataclass(frozen=True)
class Malomraden(Framework):
    areas: ItemList[TargetArea]


# ---- kvalitetsmodellen ---------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem(NamedItem):
    """Something a plan should have done or answered within a step."""


@dataclass(frozen=True)
class QualityStep(NumberedItem):
    checklist: ItemList[ChecklistItem]


@dataclass(frozen=True)
class Perspective(NumberedItem):
    """A cross-cutting consideration weighed at every step."""


@dataclass(frozen=True)
class Kvalitetsmodell(Framework):
    steps: ItemList[QualityStep]
    perspectives: ItemList[Perspective]


# ---- preventionsstjärnan -------------------------------------------------


class FactorKind(enum.StrEnum):
    RISK = "risk"
    PROTECTIVE = "protective"


class EvidenceStrength(enum.StrEnum):
    """How firmly the factor's links are established in the literature it names.

    strong: replicated in several longitudinal studies and summarised in reviews;
    moderate: found in several studies, fewer replications or mainly cross-sectional;
    limited: few studies or mixed findings.
    """

    STRONG = "strong"
    MODERATE = "moderate"
    LIMITED = "limited"


class StarZone(enum.StrEnum):
    """Where a factor sits on the star, by how many problem areas it predicts."""

    TIP = "tip"  # one problem area only
    SHARED = "shared"  # some, not all
    CENTRE = "centre"  # every problem area


@dataclass(frozen=True)
class ProblemArea(NumberedItem):
    pass


@dataclass(frozen=True)
class Domain(NumberedItem):
    pass


@dataclass(frozen=True)
class Source(NamedItem):
    """A publication the knowledge base rests on. ``name_*`` hold the citation."""

    year: int

    def short(self, lang: str = "sv") -> str:
        """``Hawkins m.fl. 1992`` / ``Hawkins et al. 1992`` from the full citation."""
        head = self.name(lang).split("(")[0]
        surname = head.split(",")[0].strip()
        several = any(mark in head for mark in ("&", "m.fl.", "et al."))
        suffix = (" et al." if is_english(lang) else " m.fl.") if several else ""
        return f"{surname}{suffix} {self.year}"


@dataclass(frozen=True)
class Factor(NamedItem):
    kind: FactorKind
    domain: str
    problem_areas: tuple[str, ...]
    evidence: EvidenceStrength
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Preventionsstjarna(Framework):
    problem_areas: ItemList[ProblemArea]
    domains: ItemList[Domain]
    sources: ItemList[Source]
    factors: ItemList[Factor]

    def zone(self, factor: Factor) -> StarZone:
        count = len(factor.problem_areas)
        if count >= len(self.problem_areas):
            return StarZone.CENTRE
        return StarZone.TIP if count == 1 else StarZone.SHARED

    def factors_for(self, problem_area: str) -> tuple[Factor, ...]:
        return tuple(f for f in self.factors if problem_area in f.problem_areas)


# ---- stödtrappan ---------------------------------------------------------


@dataclass(frozen=True)
class LadderStep(NumberedItem):
    pass


@dataclass(frozen=True)
class SubjectArea(NamedItem):
    pass


@dataclass(frozen=True)
class Stodtrappa(Framework):
    steps: ItemList[LadderStep]
    subject_areas: ItemList[SubjectArea]


# ---- förutsättningar -----------------------------------------------------


@dataclass(frozen=True)
class Prerequisite(NumberedItem):
    pass


@dataclass(frozen=True)
class ReportedDimension(NumberedItem):
    pass


@dataclass(frozen=True)
class Forutsattningar(Framework):
    prerequisites: ItemList[Prerequisite]
    dimensions: ItemList[ReportedDimension]

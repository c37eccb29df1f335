"""The shipped indicator catalogue (``data/catalogue.toml``) as typed entries."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "catalogue.toml"
VALUE_TYPES = frozenset({"proportion", "rate", "dsr", "mean", "count", "index"})
POLARITIES = frozenset({"high", "low", "neutral"})


@dataclass(frozen=True)
class CatalogueEntry:
    """One indicator as the catalogue file describes it."""

    id: str
    name_sv: str
    name_en: str
    value_type: str
    polarity: str
    multiplier: int
    target_areas: tuple[int, ...] = ()
    definition_sv: str = ""
    definition_en: str = ""
    rationale_sv: str = ""
    rationale_en: str = ""
    numerator_en: str = ""
    denominator_en: str = ""
    unit: str = ""
    source: str = ""
    survey: bool = False
    benchmark: float = 0.95
    problem_areas: tuple[str, ...] = field(default=())


@cache
def load_catalogue(path: Path = CATALOGUE_FILE) -> tuple[CatalogueEntry, ...]:
    """Read and check the catalogue; a bad entry names its id and field."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = []
    seen: set[str] = set()
    for raw in data.get("indicators", []):
        ident = str(raw.get("id", ""))
        if not ident or ident in seen:
            raise ValueError(f"{path.name}: indicator id {ident!r} is missing or repeated")
        seen.add(ident)
        if raw.get("value_type") not in VALUE_TYPES:
            raise ValueError(
                f"{path.name}: {ident}: value_type must be one of {sorted(VALUE_TYPES)}"
            )
        if raw.get("polarity") not in POLARITIES:
            raise ValueError(f"{path.name}: {ident}: polarity must be one of {sorted(POLARITIES)}")
        entries.append(
            CatalogueEntry(
                id=ident,
                name_sv=raw["name_sv"],
                name_en=raw["name_en"],
                value_type=raw["value_type"],
                polarity=raw["polarity"],
                multiplier=int(raw.get("multiplier", 100)),
                target_areas=tuple(int(t) for t in raw.get("target_areas", [])),
                definition_sv=raw.get("definition_sv", ""),
                definition_en=raw.get("definition_en", ""),
                rationale_sv=raw.get("rationale_sv", ""),
                rationale_en=raw.get("rationale_en", ""),
                numerator_en=raw.get("numerator_en", ""),
                denominator_en=raw.get("denominator_en", ""),
                unit=raw.get("unit", ""),
                source=raw.get("source", ""),
                survey=bool(raw.get("survey", False)),
                benchmark=float(raw.get("benchmark", 0.95)),
                problem_areas=tuple(raw.get("problem_areas", [])),
            )
        )
    return tuple(entries)

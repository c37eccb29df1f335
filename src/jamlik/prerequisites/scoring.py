"""Scores from survey answers (no Django).

How a score is made (shown on the method page and in the API):

1. **Item points, 0–1.** Single choice: the chosen option's points. Scale: position on the
   scale, (value − min) / (max − min). Multiple choice: the chosen options' points summed
   and divided by ``full_at`` (the sum that earns full marks), capped at 1. Number:
   value / ``full_at``, capped at 1. Free text is evidence only and never scored.
2. **Prerequisite score, 0–100.** The weighted mean of its answered items' points × 100,
   using each item's editable weight. If the answered items carry less than
   ``MIN_COVERAGE`` of the prerequisite's total weight the score is not computed.
3. **Overall index, 0–100.** Each prerequisite contributes at most its cap (editable;
   by default 100/7 each, so no single strong area can make up for the others, as in CAN's
   ANDT prevention index where five categories each give at most 20 of 100 points —
   CAN 2018). Index = Σ cap × score / 100; not computed if any prerequisite is missing.
4. **Level**: strong ≥ 70, developing ≥ 40, otherwise weak (editable thresholds).

The same computation gives the reported dimensions, from the items keyed to each dimension.
"""

from __future__ import annotations

import enum
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

MIN_COVERAGE = 0.5
"""Share of a prerequisite's item weight that must be answered for a score."""

DEFAULT_THRESHOLDS = (70.0, 40.0)


class ItemKind(enum.StrEnum):
    SINGLE_CHOICE = "single_choice"
    SCALE = "scale"
    MULTIPLE_CHOICE = "multiple_choice"
    NUMBER = "number"
    TEXT = "text"


class Level(enum.StrEnum):
    STRONG = "strong"
    DEVELOPING = "developing"
    WEAK = "weak"
    NOT_COMPUTED = "not_computed"


@dataclass(frozen=True)
class Option:
    key: str
    points: float = 1.0


@dataclass(frozen=True)
class ItemSpec:
    """What scoring needs to know about one survey item."""

    key: str
    kind: ItemKind
    prerequisite: str
    dimensions: tuple[str, ...] = ()
    weight: float = 1.0
    options: tuple[Option, ...] = ()
    scale_min: int = 1
    scale_max: int = 4
    full_at: float | None = None

    @property
    def scored(self) -> bool:
        return self.kind != ItemKind.TEXT and self.weight > 0


def item_points(item: ItemSpec, value: Any) -> float | None:
    """0–1 points for one answer; None when unanswered or not scored.

    Raises ValueError for an answer the item cannot hold (an unknown option, a number out
    of range), naming the item.
    """
    if value is None or value == "" or value == [] or not item.scored:
        return None
    points = {o.key: o.points for o in item.options}
    if item.kind == ItemKind.SINGLE_CHOICE:
        if value not in points:
            raise ValueError(f"item {item.key}: {value!r} is not one of {sorted(points)}")
        return _clip(points[value])
    if item.kind == ItemKind.SCALE:
        number = _number(item, value)
        if not item.scale_min <= number <= item.scale_max:
            raise ValueError(
                f"item {item.key}: {number} is outside the scale {item.scale_min}–{item.scale_max}"
            )
        return (number - item.scale_min) / (item.scale_max - item.scale_min)
    if item.kind == ItemKind.MULTIPLE_CHOICE:
        chosen = list(value) if isinstance(value, list | tuple) else [value]
        unknown = [c for c in chosen if c not in points]
        if unknown:
            raise ValueError(f"item {item.key}: {unknown} not among {sorted(points)}")
        full = item.full_at or sum(points.values()) or 1.0
        return _clip(sum(points[c] for c in set(chosen)) / full)
    if item.kind == ItemKind.NUMBER:
        number = _number(item, value)
        if number < 0:
            raise ValueError(f"item {item.key}: {number} must not be negative")
        return _clip(number / (item.full_at or 1.0))
    return None


def _number(item: ItemSpec, value: Any) -> float:
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        raise ValueError(f"item {item.key}: {value!r} is not a number") from None


def _clip(x: float) -> float:
    return min(1.0, max(0.0, float(x)))


@dataclass
class ItemEvidence:
    key: str
    value: Any
    points: float | None
    weight: float


@dataclass
class Score:
    """A score for one prerequisite or dimension, with the answers behind it."""

    key: str
    value: float | None
    level: Level
    coverage: float
    evidence: list[ItemEvidence] = field(default_factory=list)
    reason: str = ""


def level_for(value: float | None, thresholds: Sequence[float] = DEFAULT_THRESHOLDS) -> Level:
    if value is None:
        return Level.NOT_COMPUTED
    strong, developing = thresholds
    if value >= strong:
        return Level.STRONG
    if value >= developing:
        return Level.DEVELOPING
    return Level.WEAK


def _score(
    key: str,
    items: Sequence[ItemSpec],
    answers: Mapping[str, Any],
    thresholds: Sequence[float],
) -> Score:
    scored = [i for i in items if i.scored]
    evidence = [
        ItemEvidence(i.key, answers.get(i.key), item_points(i, answers.get(i.key)), i.weight)
        for i in items
    ]
    total_weight = sum(i.weight for i in scored)
    if not total_weight:
        return Score(key, None, Level.NOT_COMPUTED, 0.0, evidence, _("no scored items"))
    answered = [e for e in evidence if e.points is not None and e.weight > 0]
    answered_weight = sum(e.weight for e in answered)
    coverage = answered_weight / total_weight
    if coverage < MIN_COVERAGE:
        return Score(
            key,
            None,
            Level.NOT_COMPUTED,
            coverage,
            evidence,
            _("only %(share)s of the item weight answered (needs %(needed)s)")
            % {"share": f"{coverage:.0%}", "needed": f"{MIN_COVERAGE:.0%}"},
        )
    value = 100 * sum(e.points * e.weight for e in answered) / answered_weight  # type: ignore[operator]
    value = round(value, 1)
    return Score(key, value, level_for(value, thresholds), coverage, evidence)


def prerequisite_scores(
    items: Sequence[ItemSpec],
    answers: Mapping[str, Any],
    prerequisites: Iterable[str],
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
) -> dict[str, Score]:
    return {
        p: _score(p, [i for i in items if i.prerequisite == p], answers, thresholds)
        for p in prerequisites
    }


def dimension_scores(
    items: Sequence[ItemSpec],
    answers: Mapping[str, Any],
    dimensions: Iterable[str],
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
) -> dict[str, Score]:
    return {
        d: _score(d, [i for i in items if d in i.dimensions], answers, thresholds)
        for d in dimensions
    }


def normalised_caps(caps: Mapping[str, float], keys: Sequence[str]) -> dict[str, float]:
    """Caps rescaled to sum to 100; missing keys share equally by default."""
    raw = {k: float(caps.get(k, 1.0)) for k in keys}
    if any(v < 0 for v in raw.values()):
        raise ValueError("caps must not be negative")
    total = sum(raw.values())
    if total <= 0:
        raise ValueError("at least one cap must be positive")
    return {k: 100 * v / total for k, v in raw.items()}


@dataclass
class IndexResult:
    value: float | None
    level: Level
    contributions: dict[str, float | None]
    caps: dict[str, float]
    reason: str = ""


def overall_index(
    scores: Mapping[str, Score],
    caps: Mapping[str, float],
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    names: Mapping[str, str] | None = None,
) -> IndexResult:
    """Sum of capped sub-scores (see the module docstring).

    ``names`` (prerequisite key → name in the reader's language) names the missing
    prerequisites in the reason shown to users; without it the keys are named.
    """
    keys = list(scores)
    capped = normalised_caps(caps, keys)
    contributions: dict[str, float | None] = {}
    for key in keys:
        value = scores[key].value
        contributions[key] = None if value is None else round(capped[key] * value / 100, 2)
    missing = [k for k, v in contributions.items() if v is None]
    if missing:
        return IndexResult(
            None,
            Level.NOT_COMPUTED,
            contributions,
            capped,
            _("not computed: no score for %(missing)s")
            % {"missing": ", ".join((names or {}).get(k, k) for k in missing)},
        )
    value = round(sum(v for v in contributions.values() if v is not None), 1)
    return IndexResult(value, level_for(value, thresholds), contributions, capped)


def median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 1) if present else None

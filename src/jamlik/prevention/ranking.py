"""Selection help: which interventions address a kommun's prioritised factors?

Communities That Care asks a community to pick two to five priority risk and
protective factors and then choose tested programmes that address them (Hawkins,
Catalano & Arthur 2002, *Promoting science-based prevention in communities*, Addictive
Behaviors 27(6)). This ranking follows that logic and keeps the evidence visible:

1. more prioritised factors addressed ranks higher;
2. then more of the prioritised problem areas addressed;
3. then stronger evidence;
4. then name, so the order is stable.

Interventions that address none of the prioritised factors are left out: they may be
good, but they do not answer the question asked.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class EvidenceRating(enum.StrEnum):
    """Jämlik's four-level rating of an intervention's evidence (highest first).

    well_supported: several randomised trials or a systematic review with positive effects;
    promising: at least one controlled study with positive effects;
    mixed: controlled studies disagree, or trials in Sweden did not repeat effects found abroad;
    insufficient: no controlled evaluation yet.
    """

    WELL_SUPPORTED = "well_supported"
    PROMISING = "promising"
    MIXED = "mixed"
    INSUFFICIENT = "insufficient"

    @property
    def order(self) -> int:
        return list(EvidenceRating).index(self)


@dataclass(frozen=True)
class Candidate:
    key: str
    name: str
    factors: tuple[str, ...]
    problem_areas: tuple[str, ...]
    evidence: EvidenceRating


@dataclass(frozen=True)
class RankedIntervention:
    candidate: Candidate
    matched_factors: tuple[str, ...]
    matched_problem_areas: tuple[str, ...]
    rank: int


def rank_interventions(
    candidates: Iterable[Candidate],
    prioritised_factors: Sequence[str],
    prioritised_problem_areas: Sequence[str] = (),
) -> list[RankedIntervention]:
    """Rank ``candidates`` for the given priorities (see the module docstring)."""
    factors = list(dict.fromkeys(prioritised_factors))
    areas = list(dict.fromkeys(prioritised_problem_areas))
    scored = []
    for candidate in candidates:
        matched = tuple(f for f in factors if f in candidate.factors)
        if not matched:
            continue
        matched_areas = tuple(a for a in areas if a in candidate.problem_areas)
        scored.append((candidate, matched, matched_areas))
    scored.sort(key=lambda t: (-len(t[1]), -len(t[2]), t[0].evidence.order, t[0].name.lower()))
    return [
        RankedIntervention(candidate, matched, matched_areas, rank)
        for rank, (candidate, matched, matched_areas) in enumerate(scored, start=1)
    ]


def problem_areas_of(factor_areas: dict[str, tuple[str, ...]], factors: Iterable[str]) -> list[str]:
    """The problem areas the prioritised factors predict, in first-seen order."""
    result: list[str] = []
    for factor in factors:
        for area in factor_areas.get(factor, ()):
            if area not in result:
                result.append(area)
    return result

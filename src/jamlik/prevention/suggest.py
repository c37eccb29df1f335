"""Suggest risk and protective factors from situation-picture indicators (pure).

A kommun's factor is suggested when a linked indicator is worse than in three quarters of
the county's kommuner, the same 75th-percentile idea as RISE's "something elevated risk"
cut-off for Stockholmsenkäten indices (Johansson, RISE, "Data i dialog", 2023). The links
from indicators to factors are population-level proxies (``data/factor_indicators.toml``);
the suggestion is a starting point for the local group's own prioritisation, not a verdict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jamlik.support.need import percent_ranks

THRESHOLD = 75.0


@dataclass(frozen=True)
class FactorLink:
    indicator: str
    factor: str
    why_sv: str
    why_en: str


@dataclass(frozen=True)
class Suggestion:
    factor: str
    indicator: str
    value: float
    worse_than_share: float  # oriented percent rank among the county's kommuner (100 = worst)
    compared_with: int  # number of other kommuner with a value


def suggest_factors(
    links: Sequence[FactorLink],
    values: Mapping[str, Mapping[str, float]],
    higher_is_worse: Mapping[str, bool],
    kommun: str,
    *,
    threshold: float = THRESHOLD,
) -> list[Suggestion]:
    """Suggestions for ``kommun``, worst first; one per (factor, indicator) that qualifies."""
    result = []
    for link in links:
        by_kommun = values.get(link.indicator, {})
        if kommun not in by_kommun or link.indicator not in higher_is_worse or len(by_kommun) < 4:
            continue
        ranks = percent_ranks(by_kommun)
        rank = ranks[kommun] if higher_is_worse[link.indicator] else 100.0 - ranks[kommun]
        if rank >= threshold:
            result.append(
                Suggestion(
                    link.factor,
                    link.indicator,
                    by_kommun[kommun],
                    round(rank, 1),
                    len(by_kommun) - 1,
                )
            )
    result.sort(key=lambda s: (-s.worse_than_share, s.factor, s.indicator))
    return result


@dataclass(frozen=True)
class SurveySuggestion:
    """A factor the kommun's own youth survey points to: the scale's share is significantly
    worse than the county's (:mod:`jamlik.surveys.profile`: the kommun's 95 % interval lies
    wholly above the county's share for a risk scale, below it for a protective one)."""

    factor: str
    scale: str  # the survey indicator's code
    name: str
    survey: str
    year: int
    value: float
    lower: float | None
    upper: float | None
    county_value: float | None


def suggest_from_survey(evidence: Sequence[object]) -> tuple[list[SurveySuggestion], set[str]]:
    """Suggestions from survey scales and the factors the survey covers.

    ``evidence`` are :class:`jamlik.surveys.services.ScaleEvidence` rows (factor, flag,
    shares).  Every factor with a scale value is *covered*: the survey measures it
    directly, so population-level proxies are not used for it, whether or not it stands
    out.  Suggestions come worst first (largest distance from the county's share).
    """
    covered: set[str] = set()
    found: list[SurveySuggestion] = []
    for row in evidence:
        factor = getattr(row, "factor", "")
        if not factor:
            continue
        covered.add(factor)
        if getattr(row, "flag", "") not in ("elevated", "protection_lower"):
            continue
        found.append(
            SurveySuggestion(
                factor,
                row.code,  # type: ignore[attr-defined]
                row.name,  # type: ignore[attr-defined]
                row.survey,  # type: ignore[attr-defined]
                row.year,  # type: ignore[attr-defined]
                row.value,  # type: ignore[attr-defined]
                row.lower,  # type: ignore[attr-defined]
                row.upper,  # type: ignore[attr-defined]
                row.county_value,  # type: ignore[attr-defined]
            )
        )
    found.sort(key=lambda s: (-abs(s.value - (s.county_value or s.value)), s.factor))
    return found, covered

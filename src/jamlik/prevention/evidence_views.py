"""Pages of the evidence library: the section on an intervention's page and the league table.

Thin views over :mod:`jamlik.prevention.evidence` (the figures) and
:mod:`jamlik.prevention.evidence_bca` (the standard benefit-cost summary).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jamlik.frameworks.types import is_english
from jamlik.prevention import services
from jamlik.prevention.evidence import (
    EffectEstimate,
    EvidenceEntry,
    EvidenceLibrary,
    OutcomeDefinition,
    PublishedResult,
    library,
)
from jamlik.prevention.evidence_bca import (
    COHORT,
    DISCOUNT_RATE,
    DRAWS,
    BenefitCostSummary,
    summary_for,
)
from jamlik.prevention.ranking import EvidenceRating
from jamlik.support.pages import county_from

#: Sort keys of the league table (the ``?sort=`` parameter) and their default direction.
SORTS = ("bcr", "npv", "p", "rating", "name")
RATING_ORDER = {r.value: i for i, r in enumerate(EvidenceRating)}


def _lang(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "sv") or "sv"


def _outcome_name(outcome: OutcomeDefinition | None, key: str, lang: str) -> str:
    if outcome is None:
        return key
    return outcome.name_en if is_english(lang) else outcome.name_sv


@dataclass(frozen=True)
class EffectRow:
    effect: EffectEstimate
    outcome_name: str


def _headline(entry: EvidenceEntry) -> PublishedResult | None:
    """The first published result that gives a ratio (the library lists WSIPP first)."""
    for result in entry.published_results:
        if result.benefit_cost_ratio is not None:
            return result
    return None


def evidence_context(key: str, lang: str, lib: EvidenceLibrary | None = None) -> dict[str, Any]:
    """Context of the evidence section on an intervention's page (``_evidence.html``)."""
    lib = lib if lib is not None else library()
    entry = lib.entries.get(key)
    if entry is None:
        return {"evidence": None}
    summary = summary_for(entry, lib)
    return {
        "evidence": entry,
        "evidence_effects": [
            EffectRow(e, _outcome_name(lib.outcomes.get(e.outcome_key), e.outcome_key, lang))
            for e in entry.effects
        ],
        "evidence_summary": summary,
        "evidence_missing": [
            (m, _outcome_name(lib.outcomes.get(m.outcome_key), m.outcome_key, lang))
            for m in summary.missing
        ],
        "evidence_assumptions": {"cohort": COHORT, "rate": DISCOUNT_RATE * 100, "draws": DRAWS},
    }


@dataclass(frozen=True)
class LeagueLine:
    """One row of the league table."""

    key: str
    name: str
    rating: str
    rating_label: str
    entry: EvidenceEntry
    summary: BenefitCostSummary
    published: PublishedResult | None


def _sort_key(sort: str, line: LeagueLine) -> tuple[int, float | str]:
    """Rows without the figure sort last whatever the direction."""
    if sort == "name":
        return (0, line.name.casefold())
    if sort == "rating":
        return (0, RATING_ORDER.get(line.rating, len(RATING_ORDER)))
    value = {
        "bcr": line.summary.benefit_cost_ratio,
        "npv": line.summary.npv,
        "p": line.summary.probability_positive_npv,
    }[sort]
    return (1, 0.0) if value is None else (0, -value)


def league_lines(
    interventions: list[Any], lib: EvidenceLibrary, sort: str = "bcr"
) -> list[LeagueLine]:
    """The league table's rows for the registry's interventions that have a library entry."""
    lines = []
    for item in interventions:
        entry = lib.entries.get(item.key)
        if entry is None:
            continue
        lines.append(
            LeagueLine(
                key=item.key,
                name=item.name,
                rating=item.evidence,
                rating_label=str(item.get_evidence_display()),
                entry=entry,
                summary=summary_for(entry, lib),
                published=_headline(entry),
            )
        )
    sort = sort if sort in SORTS else "bcr"
    return sorted(lines, key=lambda line: (_sort_key(sort, line), line.name.casefold()))


def evidence_list(request: HttpRequest) -> HttpResponse:
    """League table across the registry's interventions (``prevention:evidence``)."""
    county = county_from(request)
    sort = request.GET.get("sort", "bcr")
    sort = sort if sort in SORTS else "bcr"
    lib = library()
    lines = league_lines(services.interventions_for(county), lib, sort)
    return render(
        request,
        "prevention/evidence_list.html",
        {
            "county": county,
            "lines": lines,
            "sort": sort,
            "complete": sum(1 for line in lines if line.summary.complete),
            "assumptions": {"cohort": COHORT, "rate": DISCOUNT_RATE * 100, "draws": DRAWS},
            "lang": _lang(request),
        },
    )

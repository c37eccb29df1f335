"""Intervention ranking for prioritised factors."""

from __future__ import annotations

from jamlik.prevention.ranking import (
    Candidate,
    EvidenceRating,
    problem_areas_of,
    rank_interventions,
)


def _c(key: str, factors: tuple[str, ...], areas: tuple[str, ...], ev: EvidenceRating) -> Candidate:
    return Candidate(key, key.upper(), factors, areas, ev)


CANDIDATES = [
    _c(
        "parenting",
        ("family_management", "family_conflict"),
        ("crime", "andts"),
        EvidenceRating.WELL_SUPPORTED,
    ),
    _c(
        "classroom",
        ("early_antisocial_behaviour", "academic_failure"),
        ("crime", "violence", "andts"),
        EvidenceRating.WELL_SUPPORTED,
    ),
    _c("mentoring", ("academic_failure",), ("exclusion",), EvidenceRating.PROMISING),
    _c("campaign", ("academic_failure",), ("exclusion",), EvidenceRating.INSUFFICIENT),
    _c("unrelated", ("availability_substances",), ("andts",), EvidenceRating.WELL_SUPPORTED),
]


def test_more_prioritised_factors_rank_first_and_unrelated_are_left_out() -> None:
    ranked = rank_interventions(
        CANDIDATES, ["academic_failure", "early_antisocial_behaviour"], ["crime"]
    )
    assert [r.candidate.key for r in ranked] == ["classroom", "mentoring", "campaign"]
    assert ranked[0].matched_factors == ("academic_failure", "early_antisocial_behaviour")
    assert ranked[0].rank == 1


def test_problem_areas_then_evidence_break_ties() -> None:
    ranked = rank_interventions(CANDIDATES, ["academic_failure"], ["exclusion"])
    keys = [r.candidate.key for r in ranked]
    # mentoring and campaign match exclusion; classroom does not. Evidence decides between them.
    assert keys == ["mentoring", "campaign", "classroom"]
    assert ranked[0].matched_problem_areas == ("exclusion",)


def test_no_priorities_gives_nothing() -> None:
    assert rank_interventions(CANDIDATES, []) == []


def test_problem_areas_of_factors() -> None:
    mapping = {"a": ("crime", "andts"), "b": ("andts", "violence")}
    assert problem_areas_of(mapping, ["a", "b", "zzz"]) == ["crime", "andts", "violence"]

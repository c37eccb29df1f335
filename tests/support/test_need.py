"""Need against support: scores, coverage, ranking and flags."""

from __future__ import annotations

from datetime import date

import pytest

from jamlik.support.ladder import ActivityKind, AgreementPeriod
from jamlik.support.need import (
    NeedComponent,
    NeedScore,
    Polarity,
    SupportRecord,
    need_scores,
    percent_ranks,
    rank_need_against_support,
    support_score,
)


def test_percent_ranks_with_ties() -> None:
    assert percent_ranks({"a": 1, "b": 2, "c": 3}) == {"a": 0.0, "b": 50.0, "c": 100.0}
    assert percent_ranks({"a": 1, "b": 1, "c": 3}) == {"a": 25.0, "b": 25.0, "c": 100.0}
    assert percent_ranks({"a": 7}) == {"a": 50.0}
    assert percent_ranks({}) == {}
    assert percent_ranks({"a": 0, "b": 0, "c": 0, "d": 5}, ties="min") == {
        "a": 0.0,
        "b": 0.0,
        "c": 0.0,
        "d": 100.0,
    }
    with pytest.raises(ValueError, match="ties"):
        percent_ranks({"a": 1}, ties="max")


def test_need_combines_oriented_components_with_weights() -> None:
    components = [
        NeedComponent(
            "neet", "Unga som varken arbetar eller studerar", 2.0, Polarity.HIGHER_IS_WORSE
        ),
        NeedComponent("prereq", "Förutsättningar", 1.0, Polarity.HIGHER_IS_BETTER),
    ]
    values = {
        "neet": {"0127": 12.0, "0186": 3.0, "0188": 7.0},
        "prereq": {"0127": 40.0, "0186": 80.0, "0188": 20.0},
    }
    scores = need_scores(components, values, ["0127", "0186", "0188", "0191"])
    # Botkyrka: neet rank 100 (worst), prereq rank 50 -> oriented 50; (2*100 + 1*50) / 3
    assert scores["0127"].score == pytest.approx(250 / 3)
    assert scores["0127"].coverage == 1.0
    assert scores["0186"].score == pytest.approx(0.0)
    # Norrtälje: neet 50, prereq lowest -> oriented 100; (100 + 100) / 3
    assert scores["0188"].score == pytest.approx(200 / 3)
    # Sigtuna has no data at all: no score, never a guess.
    assert scores["0191"].score is None and scores["0191"].coverage == 0.0


def test_partial_data_reports_coverage() -> None:
    components = [
        NeedComponent("a", "A", 3.0, Polarity.HIGHER_IS_WORSE),
        NeedComponent("b", "B", 1.0, Polarity.HIGHER_IS_WORSE),
    ]
    values = {"a": {"x": 1.0, "y": 2.0}, "b": {"x": 5.0, "y": 1.0, "z": 3.0}}
    scores = need_scores(components, values, ["x", "y", "z"])
    assert scores["z"].coverage == pytest.approx(0.25)
    assert scores["z"].score == pytest.approx(50.0)


def test_negative_weight_refused() -> None:
    with pytest.raises(ValueError, match="weight must be >= 0"):
        need_scores([NeedComponent("a", "A", -1, Polarity.HIGHER_IS_WORSE)], {}, ["x"])


def test_support_score_weights_kinds_and_prorates_agreements() -> None:
    records = [
        SupportRecord(date(2025, 2, 1), ActivityKind.SEMINAR),
        SupportRecord(date(2025, 3, 1), ActivityKind.LEADERSHIP_VISIT),
        SupportRecord(date(2023, 3, 1), ActivityKind.LEADERSHIP_VISIT),  # outside period
    ]
    first, last = date(2025, 1, 1), date(2025, 12, 31)
    assert support_score(records, [], first, last) == 4.0
    half_year = AgreementPeriod(date(2025, 7, 1), date(2026, 6, 30))
    assert support_score([], [half_year], first, last) == pytest.approx(6 * 184 / 365.25, abs=0.01)


def test_ranking_flags_high_need_and_little_support() -> None:
    needs = {
        "a": NeedScore(90.0, 1.0),
        "b": NeedScore(80.0, 1.0),
        "c": NeedScore(50.0, 1.0),
        "d": NeedScore(10.0, 1.0),
        "e": NeedScore(None, 0.0),
    }
    support = {"a": 0.0, "b": 12.0, "c": 3.0, "d": 1.0, "e": 0.0}
    rows = rank_need_against_support(needs, support)
    assert [r.code for r in rows][0] == "a"
    assert rows[0].flagged and rows[0].need_rank == 100.0
    assert not next(r for r in rows if r.code == "b").flagged  # high need, but well supported
    assert rows[-1].code == "e" and rows[-1].gap is None and not rows[-1].flagged

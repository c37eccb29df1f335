"""The risk and protective profile's comparison rule and chart positions (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamlik.prevention.suggest import suggest_from_survey
from jamlik.surveys import profile
from jamlik.surveys.profile import Estimate, Measure, estimate, flag
from jamlik.surveys.services import ScaleEvidence, school_year_label


def own(value: float, lower: float, upper: float) -> Estimate:
    return Estimate(value, lower, upper, 100)


COUNTY = Estimate(20.0)


@pytest.mark.parametrize(
    ("kind", "mine", "expected"),
    [
        ("risk", own(30, 25, 35), profile.ELEVATED),
        ("risk", own(22, 19, 26), profile.SIMILAR),  # interval covers the county's share
        ("risk", own(12, 9, 15), profile.LOWER),
        ("risk", own(25, 20.0, 30), profile.SIMILAR),  # touching is not wholly above
        ("protective", own(12, 9, 15), profile.PROTECTION_LOWER),
        ("protective", own(30, 25, 35), profile.PROTECTION_HIGHER),
        ("protective", own(20, 15, 25), profile.SIMILAR),
        ("low", own(30, 25, 35), profile.WORSE),
        ("high", own(30, 25, 35), profile.BETTER),
    ],
)
def test_flag_by_interval_against_the_county(kind: str, mine: Estimate, expected: str) -> None:
    assert flag(kind, mine, COUNTY) == expected


def test_hidden_or_missing_values_are_not_compared() -> None:
    assert flag("risk", Estimate(None, suppressed=True), COUNTY) == profile.NOT_COMPARED
    assert flag("risk", Estimate(30.0), COUNTY) == profile.NOT_COMPARED  # no interval
    assert flag("risk", own(30, 25, 35), Estimate(None, suppressed=True)) == profile.NOT_COMPARED
    assert flag("risk", None, COUNTY) == profile.NOT_COMPARED
    assert estimate(float("nan"), 1, 2).value is None


@given(
    value=st.floats(0, 100),
    half=st.floats(0, 20),
    county=st.floats(0, 100),
)
def test_risk_and_protective_flags_mirror_each_other(value: float, half: float, county: float):
    """Elevated risk and lower protection are the same test on opposite sides."""
    mine = Estimate(value, max(0.0, value - half), min(100.0, value + half))
    bench = Estimate(county)
    risk, protective = flag("risk", mine, bench), flag("protective", mine, bench)
    assert (risk == profile.ELEVATED) == (protective == profile.PROTECTION_HIGHER)
    assert (risk == profile.LOWER) == (protective == profile.PROTECTION_LOWER)
    if risk == profile.ELEVATED:
        assert mine.lower is not None and mine.lower > county


def test_rows_order_risk_then_protective_then_questions_and_positions() -> None:
    measures = [
        Measure("q", "Question", profile.INDICATOR, "low"),
        Measure("p", "Protective", profile.PROTECTIVE, "high", ("family_attachment",)),
        Measure("r", "Risk", profile.RISK, "low", ("family_conflict",)),
    ]
    rows, top = profile.build_rows(
        measures,
        {"r": own(30, 25, 35), "p": own(12, 9, 15), "q": Estimate(None, suppressed=True)},
        {"r": COUNTY, "p": COUNTY, "q": COUNTY},
    )
    assert [r.measure.key for r in rows] == ["r", "p", "q"]
    assert top == 40
    risk = rows[0]
    assert risk.at == pytest.approx(75.0) and risk.low == pytest.approx(62.5)
    assert risk.high == pytest.approx(87.5) and risk.county_at == pytest.approx(50.0)
    assert risk.stands_out and rows[1].stands_out
    assert rows[2].at is None and rows[2].flag == profile.NOT_COMPARED
    assert profile.ticks(40)[-1] == (40.0, 100.0)


def test_axis_top_bounds() -> None:
    assert profile.axis_top([]) == 10
    assert profile.axis_top([Estimate(3.0, 1.0, 5.0)]) == 10
    assert profile.axis_top([Estimate(93.0, 90.0, 97.0)]) == 100


def test_school_year_labels() -> None:
    assert school_year_label("ak9") == "åk 9"
    assert school_year_label("gy2") == "gy 2"
    assert school_year_label("other") == "other"


def _evidence(factor: str, flag_: str, value: float = 30.0) -> ScaleEvidence:
    return ScaleEvidence(
        factor, "risk", factor, f"ue01_{factor}", "Ungdomsenkät", 2024, value, 25, 35, 20, flag_
    )


def test_survey_suggestions_and_covered_factors() -> None:
    found, covered = suggest_from_survey(
        [
            _evidence("family_conflict", profile.ELEVATED, 40),
            _evidence("family_attachment", profile.PROTECTION_LOWER, 25),
            _evidence("early_initiation", profile.SIMILAR),
            _evidence("availability_substances", profile.LOWER),
        ]
    )
    assert [s.factor for s in found] == ["family_conflict", "family_attachment"]
    assert covered == {
        "family_conflict",
        "family_attachment",
        "early_initiation",
        "availability_substances",
    }
    assert found[0].year == 2024 and found[0].county_value == 20

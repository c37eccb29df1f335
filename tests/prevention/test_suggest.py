"""Factor suggestions from situation-picture indicators."""

from __future__ import annotations

import pytest

from jamlik.indicators.publication import rebuild
from jamlik.prevention.suggest import FactorLink, suggest_factors

LINKS = [
    FactorLink("ELIG", "academic_failure", "", ""),
    FactorLink("POOR", "economic_deprivation", "", ""),
]
VALUES = {
    "ELIG": {"a": 60.0, "b": 80.0, "c": 85.0, "d": 90.0, "e": 95.0},  # higher is better
    "POOR": {"a": 5.0, "b": 20.0, "c": 8.0, "d": 6.0, "e": 4.0},  # higher is worse
}
POLARITY = {"ELIG": False, "POOR": True}


def test_worse_than_three_quarters_is_suggested() -> None:
    a = suggest_factors(LINKS, VALUES, POLARITY, "a")
    assert [(s.factor, s.worse_than_share) for s in a] == [("academic_failure", 100.0)]
    b = suggest_factors(LINKS, VALUES, POLARITY, "b")
    assert [(s.factor, s.worse_than_share) for s in b] == [
        ("economic_deprivation", 100.0),
        ("academic_failure", 75.0),
    ]
    assert b[0].compared_with == 4
    assert suggest_factors(LINKS, VALUES, POLARITY, "d") == []


def test_threshold_and_missing_data() -> None:
    # c: ELIG rank 50 -> oriented 50; POOR rank 75 -> suggested at the 75 threshold.
    c = suggest_factors(LINKS, VALUES, POLARITY, "c")
    assert [s.factor for s in c] == ["economic_deprivation"]
    assert suggest_factors(LINKS, VALUES, POLARITY, "c", threshold=80) == []
    assert suggest_factors(LINKS, VALUES, POLARITY, "zz") == []
    # Fewer than four kommuner with data: no ranking at all.
    small = {"POOR": {"a": 1.0, "b": 2.0, "c": 3.0}}
    assert suggest_factors(LINKS, small, POLARITY, "c") == []


def _fresh_indicator(code: str, **fields):  # noqa: ANN003, ANN202
    """A test-owned indicator, alone with its observations.

    Other tests may have seeded the demo observations into the session database; the
    suggestions here must come from this test's figures only (deleted inside the test's
    transaction, so nothing is lost for later tests).
    """
    from jamlik.indicators.models import Indicator, Observation

    Observation.objects.all().delete()
    Indicator.objects.filter(code=code).delete()
    return Indicator.objects.create(code=code, **fields)


@pytest.mark.django_db
def test_links_file_and_suggestions_from_the_database(geography) -> None:  # noqa: ANN001
    from jamlik.indicators.models import Observation
    from jamlik.prevention import services

    links = services.factor_links()
    assert {link.indicator for link in links} >= {"N15428", "U31803"}
    indicator = _fresh_indicator(
        "N15428",
        name_sv="Behöriga åk 9",
        name_en="Eligible year 9",
        value_type="proportion",
        polarity="high",
    )
    for code, value in {
        "0127": 70.0,
        "0186": 95.0,
        "0182": 90.0,
        "0180": 85.0,
        "0114": 88.0,
    }.items():
        Observation.objects.create(
            indicator=indicator,
            area=geography.get(code=code),
            period="2024",
            period_start=2024,
            period_end=2024,
            value=value,
        )
    rebuild([indicator])  # the public table, which is all other apps read
    found = services.factor_suggestions(geography.get(code="0127"))
    assert [(s.factor, s.indicator) for s in found.suggestions] == [("academic_failure", "N15428")]
    assert found.periods["N15428"] == "2024"
    assert services.factor_suggestions(geography.get(code="0186")).suggestions == []


@pytest.mark.django_db
def test_selection_page_suggests_and_ranks(client, geography) -> None:  # noqa: ANN001
    from jamlik.indicators.models import Observation

    indicator = _fresh_indicator(
        "U31803",
        name_sv="Barn i familjer med ekonomiskt bistånd",
        name_en="x",
        value_type="proportion",
        polarity="low",
    )
    for code, value in {"0127": 15.0, "0186": 1.0, "0182": 3.0, "0180": 6.0}.items():
        Observation.objects.create(
            indicator=indicator,
            area=geography.get(code=code),
            period="2023",
            period_start=2023,
            period_end=2023,
            value=value,
        )
    rebuild([indicator])  # the public table, which is all other apps read
    html = client.get("/prevention/urval/?lan=01&suggest=0127").content.decode()
    assert "Barn i familjer med ekonomiskt bistånd" in html
    assert 'value="economic_deprivation" id="f-economic_deprivation" checked' in html
    api = client.get("/api/v1/prevention/suggestions?kommun=0127").json()
    assert api[0]["factor"] == "economic_deprivation" and api[0]["worse_than_share"] == 100.0

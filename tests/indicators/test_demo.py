"""The invented demo data: complete, deterministic, labelled and consistent."""

from __future__ import annotations

import pytest

from jamlik.indicators.demo import seed
from jamlik.indicators.models import ImportRun, Indicator, Observation


@pytest.fixture
def seeded(geography):  # noqa: ANN001
    seed(lambda _m: None)
    return Observation.objects


def _snapshot() -> list[tuple]:
    return list(
        Observation.objects.order_by(
            "indicator__code", "area__code", "period", "breakdown", "category"
        ).values_list(
            "indicator__code",
            "area__code",
            "period",
            "breakdown",
            "category",
            "numerator",
            "value",
            "lower",
            "upper",
        )
    )


def test_every_indicator_every_year_for_the_county_its_kommuner_and_riket(seeded) -> None:  # noqa: ANN001
    totals = Observation.objects.filter(
        breakdown="total",
        area__level__in=["country", "county", "municipality"],
        indicator__owner__isnull=True,
    )
    assert Indicator.objects.filter(owner__isnull=True).count() == 50
    assert totals.count() == 50 * 28 * 15
    assert not Observation.objects.filter(is_demo=False).exists()
    run = ImportRun.objects.get(kind=ImportRun.Kind.DEMO)
    assert run.is_demo and "invented" in run.description


def test_web_entry_demo_is_a_mix_of_published_and_awaiting(seeded) -> None:  # noqa: ANN001
    """The own web-entry indicator (demo_entry): some entries published, some awaiting."""
    runs = ImportRun.objects.filter(kind=ImportRun.Kind.ENTRY)
    assert runs.filter(published=True).exists() and runs.filter(published=False).exists()
    assert all(run.is_demo and "invented" in run.description for run in runs)
    indicator = Indicator.objects.get(series="AB_ELEVPROGRAM")
    assert indicator.web_entry and indicator.owner.code == "01"
    assert "invented" in indicator.name_en


def test_demo_is_deterministic_and_idempotent(seeded) -> None:  # noqa: ANN001
    first = _snapshot()
    seed(lambda _m: None)
    assert _snapshot() == first
    assert ImportRun.objects.filter(kind=ImportRun.Kind.DEMO).count() == 1
    assert ImportRun.objects.filter(kind=ImportRun.Kind.ENTRY).count() == 4


def test_breakdowns_districts_and_intervals(seeded) -> None:  # noqa: ANN001
    sexes = set(Observation.objects.filter(breakdown="sex").values_list("category", flat=True))
    assert sexes == {"female", "male"}
    education = Observation.objects.filter(
        breakdown="education", indicator__code="U01405", area__code="0127"
    )
    assert education.count() == 3 * 15
    districts = Observation.objects.filter(area__parent__code="0180", area__level="district")
    assert districts.values("area").distinct().count() == 13
    row = Observation.objects.get(
        indicator__code="N15428", area__code="0127", period="2024", breakdown="total"
    )
    assert row.lower < row.value < row.upper
    assert row.numerator <= row.denominator


def test_county_counts_are_the_sum_of_its_kommuner(seeded) -> None:  # noqa: ANN001
    rows = Observation.objects.filter(indicator__code="N03937", period="2020", breakdown="total")
    kommuner = sum(
        r.numerator for r in rows.filter(area__level="municipality", area__parent__code="01")
    )
    assert rows.get(area__code="01").numerator == kommuner


def test_advantaged_kommun_differs_from_disadvantaged(seeded) -> None:  # noqa: ANN001
    def value(code: str) -> float:
        return Observation.objects.get(
            indicator__code="N66080", area__code=code, period="2024", breakdown="total"
        ).value

    assert value("0127") > value("0162") + 10  # Botkyrka vs Danderyd, invented but plausible


def test_reseeding_keeps_real_data(seeded) -> None:  # noqa: ANN001
    from jamlik.indicators.models import PublicObservation
    from jamlik.indicators.services import store_observations
    from jamlik.indicators.staging import publish
    from jamlik.sources import Observation as SourceObservation

    run = store_observations(
        [SourceObservation("N03937", "0127", "2024", value=42.0)], kind="file", description="real"
    )
    publish(run, user=None)
    seed(lambda _m: None)
    cell = {"indicator__code": "N03937", "area__code": "0127", "period": "2024"}
    row = Observation.objects.get(**cell, breakdown="total", is_live=True)
    assert (row.value, row.is_demo) == (42.0, False)
    public = PublicObservation.objects.get(**cell, breakdown="total")
    assert (public.value, public.is_demo) == (42.0, False)

"""Means and indices have no interval: they are ranked in quintiles among the county's
kommuner (as Fingertips does), honouring polarity, and labelled as a ranking."""

from __future__ import annotations

import pandas as pd
import pytest
from django.test import Client

from jamlik.indicators.analysis import peer_quintiles
from jamlik.indicators.models import Indicator, ValueType


def _indicator(pk: int, value_type: str, polarity: str) -> Indicator:
    return Indicator(pk=pk, code=f"X{pk}", value_type=value_type, polarity=polarity)


def _peers(indicator_id: int, values: list[float], group: int = 1) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": indicator_id,
            "period": "2024",
            "area_id": range(100 * group, 100 * group + len(values)),
            "value": values,
            "peer_group": group,
        }
    )


def test_high_is_good_puts_the_lowest_values_in_quintile_1() -> None:
    indicators = {1: _indicator(1, ValueType.MEAN, "high")}
    ranks = peer_quintiles(_peers(1, [float(v) for v in range(1, 11)]), indicators)
    assert ranks[(1, "2024", 100)] == "quintile_1"  # value 1
    assert ranks[(1, "2024", 101)] == "quintile_1"  # value 2
    assert ranks[(1, "2024", 104)] == "quintile_3"  # value 5
    assert ranks[(1, "2024", 109)] == "quintile_5"  # value 10


def test_low_is_good_reverses_the_ranking() -> None:
    indicators = {1: _indicator(1, ValueType.INDEX, "low")}
    ranks = peer_quintiles(_peers(1, [float(v) for v in range(1, 11)]), indicators)
    assert ranks[(1, "2024", 100)] == "quintile_5"
    assert ranks[(1, "2024", 109)] == "quintile_1"


def test_neutral_indicators_get_neutral_quintiles() -> None:
    indicators = {1: _indicator(1, ValueType.MEAN, "neutral")}
    ranks = peer_quintiles(_peers(1, [float(v) for v in range(1, 11)]), indicators)
    assert ranks[(1, "2024", 100)] == "neutral_quintile_1"
    assert ranks[(1, "2024", 109)] == "neutral_quintile_5"


def test_ranked_within_each_county_separately() -> None:
    indicators = {1: _indicator(1, ValueType.MEAN, "high")}
    peers = pd.concat([_peers(1, [1, 2, 3, 4, 5], 1), _peers(1, [50, 60, 70, 80, 90], 2)])
    ranks = peer_quintiles(peers, indicators)
    assert ranks[(1, "2024", 100)] == ranks[(1, "2024", 200)] == "quintile_1"
    assert ranks[(1, "2024", 104)] == ranks[(1, "2024", 204)] == "quintile_5"


def test_too_few_areas_missing_values_and_proportions_are_not_ranked() -> None:
    indicators = {
        1: _indicator(1, ValueType.MEAN, "high"),
        2: _indicator(2, ValueType.PROPORTION, "high"),
    }
    ranks = peer_quintiles(_peers(1, [1, 2, 3, 4]), indicators)
    assert ranks == {}
    ranks = peer_quintiles(_peers(1, [1, 2, 3, 4, 5, float("nan")]), indicators)
    assert (1, "2024", 105) not in ranks and len(ranks) == 5
    assert peer_quintiles(_peers(2, [float(v) for v in range(10)]), indicators) == {}


# --- on the pages ---------------------------------------------------------------------------


@pytest.fixture
def life_expectancy(demo) -> Indicator:  # noqa: ANN001
    indicator = Indicator.objects.get(code="FHM-LE0")
    assert indicator.value_type == ValueType.MEAN and indicator.polarity == "high"
    return indicator


def _latest_values(indicator: Indicator) -> dict[str, float]:
    """The county's kommuner and their latest totals, straight from the table."""
    from jamlik.geo.models import Area
    from jamlik.indicators.models import Observation

    rows = Observation.objects.filter(
        indicator=indicator,
        area__in=Area.objects.municipalities("01"),
        breakdown="total",
        category="total",
        value__isnull=False,
    ).values_list("area__code", "period_end", "value")
    last = max(end for _a, end, _v in rows)
    return {code: value for code, end, value in rows if end == last}


def test_overview_ranks_means_by_quintile_with_polarity(life_expectancy) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area
    from jamlik.indicators.analysis import MARKER_KEYS
    from jamlik.indicators.pages import overview_page
    from jamlik.indicators.viewstate import ViewState

    page = overview_page(Area.objects.get(code="01"), ViewState.from_query({}))
    [row] = [r for _n, rows in page.groups for r in rows if r.indicator == life_expectancy]
    markers = page.figures.marker[row.index].tolist()
    keys = {area.code: MARKER_KEYS[m] for area, m in zip(page.areas, markers, strict=True)}
    values = _latest_values(life_expectancy)
    lowest, highest = min(values, key=values.get), max(values, key=values.get)
    assert keys[lowest] == "quintile_1"  # shortest life = least favourable
    assert keys[highest] == "quintile_5"
    counts = pd.Series(list(keys.values())).value_counts()
    assert set(counts.index) == {f"quintile_{q}" for q in range(1, 6)}
    assert all(5 <= n <= 6 for n in counts)  # 26 kommuner in fifths


def test_profile_labels_the_ranking_and_links_the_method(life_expectancy) -> None:  # noqa: ANN001
    html = Client().get("/lagesbild/kommun/0127/").content.decode()
    assert "#quantiles" in html
    assert "badge-quintile" in html
    from jamlik.geo.models import Area
    from jamlik.indicators.profile import profile_page
    from jamlik.indicators.viewstate import ViewState

    page = profile_page(Area.objects.get(code="0127"), ViewState.from_query({}), with_gaps=False)
    rows = {r.indicator.code: r for _n, group in page.groups for r in group}
    assert rows["FHM-LE0"].marker.key.startswith("quintile_")
    assert rows["N03937"].marker.key in {"better", "similar", "worse", "much_better", "much_worse"}
    # The profile agrees with the county overview.
    overview = Client().get("/lagesbild/lan/01/csv/").content.decode("utf-8-sig")
    [line] = [ln for ln in overview.splitlines() if ln.startswith("FHM-LE0,") and ",0127," in ln]
    assert str(rows["FHM-LE0"].marker.label) in line


def test_indicator_page_ranks_and_explains(life_expectancy) -> None:  # noqa: ANN001
    html = Client().get("/lagesbild/indikator/FHM-LE0/").content.decode()
    assert "ind-quintile-note" in html and "#quantiles" in html
    csv_text = (
        Client().get("/lagesbild/indikator/FHM-LE0/csv/?part=compare").content.decode("utf-8-sig")
    )
    from jamlik.indicators.presentation import QUINTILE_MARKERS

    labels = {str(m.label) for m in QUINTILE_MARKERS.values()}
    assert sum(any(label in line for label in labels) for line in csv_text.splitlines()) == 26


def test_comparisons_for_area_does_not_pass_a_ranking_off_as_a_test(life_expectancy) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area
    from jamlik.indicators.services import comparisons_for_area
    from jamlik.stats import Comparison

    found = {i.code: c for i, c, _p in comparisons_for_area(Area.objects.get(code="0127"))}
    assert found["FHM-LE0"] is Comparison.NOT_COMPARED
    assert all(isinstance(c, Comparison) for c in found.values())

"""The first screen of the kommun profile: spine bars, significant changes, the population
pyramid, the largest gaps, comparison counts, units named once, and the page itself."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamlik.indicators.changes import (
    Change,
    changes_since_previous,
    largest_first,
    significant_change,
)
from jamlik.indicators.models import Indicator
from jamlik.indicators.profile_summary import comparison_counts, gap_summary, largest_gaps
from jamlik.indicators.pyramid import build_pyramid
from jamlik.indicators.spine import ink_for, spine_bar, spread

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


# ------------------------------------------------------------------ spine: the peers' spread
def test_spread_is_min_quartiles_max_of_the_known_values() -> None:
    found = spread([1.0, 2.0, 3.0, 4.0, 5.0, None, float("nan")])
    assert found is not None
    assert (found.minimum, found.q25, found.q75, found.maximum, found.count) == (1, 2, 4, 5, 5)


def test_spread_interpolates_quartiles_like_r_type_7() -> None:
    # R: quantile(c(10, 20, 30, 40), c(.25, .75)) = 17.5, 32.5
    found = spread([40.0, 10.0, 30.0, 20.0])
    assert found is not None
    assert (found.q25, found.q75) == (17.5, 32.5)


@pytest.mark.parametrize("values", [[], [None, None], [3.0], [float("nan"), 2.0]])
def test_too_few_known_values_give_no_spread(values: list) -> None:
    assert spread(values) is None
    assert spine_bar(values, polarity="high", own=1.0) is None


@given(st.lists(st.one_of(finite, st.none()), min_size=0, max_size=40))
def test_spread_is_ordered_and_counts_only_known_values(values: list) -> None:
    known = [v for v in values if v is not None]
    found = spread(values)
    if len(known) < 2:
        assert found is None
        return
    assert found is not None
    assert found.count == len(known)
    assert found.minimum <= found.q25 <= found.q75 <= found.maximum
    assert found.minimum == min(known) and found.maximum == max(known)


# ------------------------------------------------------------------ spine: orientation
def test_high_is_good_puts_the_highest_value_on_the_right() -> None:
    bar = spine_bar([0.0, 25.0, 50.0, 75.0, 100.0], polarity="high", own=100.0)
    assert bar is not None and bar.oriented and not bar.reversed
    assert (bar.range_left, bar.range_right, bar.own) == (0.0, 100.0, 100.0)
    assert (bar.left_value, bar.right_value) == (0.0, 100.0)


def test_low_is_good_puts_the_lowest_value_on_the_right() -> None:
    bar = spine_bar([0.0, 25.0, 50.0, 75.0, 100.0], polarity="low", own=0.0, county=75.0)
    assert bar is not None and bar.oriented and bar.reversed
    assert bar.own == 100.0  # the lowest value is the best: right end
    assert bar.county == 25.0
    assert (bar.left_value, bar.right_value) == (100.0, 0.0)
    assert bar.box_left <= bar.box_right


def test_neutral_runs_from_low_to_high_and_says_it_has_no_direction() -> None:
    bar = spine_bar([1.0, 2.0, 3.0], polarity="neutral", own=1.0)
    assert bar is not None and not bar.oriented and not bar.reversed
    assert bar.own == 0.0


def test_comparators_outside_the_range_widen_the_scale() -> None:
    bar = spine_bar([10.0, 20.0], polarity="high", own=15.0, country=30.0)
    assert bar is not None
    assert bar.country == 100.0
    assert bar.range_right == 50.0  # the peers' highest is half-way to Sweden's value


def test_hidden_or_missing_values_are_not_drawn() -> None:
    bar = spine_bar([1.0, 2.0, 3.0], polarity="high", own=None, county=float("nan"), country=2.0)
    assert bar is not None
    assert bar.own is None and bar.county is None and bar.country == 50.0


@pytest.mark.parametrize(
    ("background", "ink"),
    [
        ("#0b6e3d", "#fff"),
        ("#a4161a", "#fff"),
        ("#c99400", "#000"),
        ("#8a6fc2", "#000"),
        ("#56B4E9", "#000"),
        ("#5e3c99", "#fff"),
        ("not a colour", "#000"),
    ],
)
def test_marker_symbols_get_the_ink_that_contrasts_most(background: str, ink: str) -> None:
    assert ink_for(background) == ink


def test_equal_values_sit_in_the_middle() -> None:
    bar = spine_bar([5.0, 5.0, 5.0], polarity="high", own=5.0)
    assert bar is not None and bar.own == 50.0


@given(
    st.lists(finite, min_size=2, max_size=30),
    finite,
    st.sampled_from(["high", "low", "neutral"]),
)
def test_every_position_is_on_the_bar_and_better_is_right(
    values: list, own: float, polarity: str
) -> None:
    bar = spine_bar(values, polarity=polarity, own=own)
    assert bar is not None
    for x in (bar.range_left, bar.range_right, bar.box_left, bar.box_right, bar.own):
        assert 0.0 <= x <= 100.0
    assert bar.range_left <= bar.box_left <= bar.box_right <= bar.range_right
    better = max(values) if polarity != "low" else min(values)
    other = spine_bar(values, polarity=polarity, own=better)
    assert other is not None and other.own == pytest.approx(other.range_right)


# ------------------------------------------------------------------ changes since the last period
def test_a_clear_rise_is_better_when_high_is_good_and_worse_when_low_is_good() -> None:
    before, after = (50.0, 48.0, 52.0), (60.0, 58.0, 62.0)
    assert significant_change(before, after, "high") == "better"
    assert significant_change(before, after, "low") == "worse"
    assert significant_change(before, after, "neutral") == "up"
    assert significant_change(after, before, "neutral") == "down"


def test_overlapping_estimates_can_still_differ_significantly() -> None:
    # Intervals overlap (50±3, 55±3) yet D = 5 with se(D) = sqrt(2) * 3/1.96 = 2.16: significant.
    assert significant_change((50.0, 47.0, 53.0), (55.0, 52.0, 58.0), "high") == "better"


def test_a_change_within_the_noise_is_not_significant() -> None:
    assert significant_change((50.0, 45.0, 55.0), (52.0, 47.0, 57.0), "high") is None


@pytest.mark.parametrize(
    "before",
    [(50.0, None, 52.0), (50.0, float("nan"), 52.0), (50.0, 50.0, 50.0)],
)
def test_without_an_interval_there_is_no_test(before: tuple) -> None:
    assert significant_change(before, (50.0, 50.0, 50.0), "high") is None


@given(st.floats(0, 100), st.floats(0.01, 10), st.floats(0, 100), st.floats(0.01, 10))
def test_swapping_the_periods_flips_the_direction(
    v0: float, w0: float, v1: float, w1: float
) -> None:
    forward = significant_change((v0, v0 - w0, v0 + w0), (v1, v1 - w1, v1 + w1), "high")
    backward = significant_change((v1, v1 - w1, v1 + w1), (v0, v0 - w0, v0 + w0), "high")
    flip = {"better": "worse", "worse": "better", None: None}
    assert backward == flip[forward]
    if forward is not None:
        z = abs(v1 - v0) / math.hypot(w0 / 1.959963984540054, w1 / 1.959963984540054)
        assert z > 1.959


def _frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=[
            "indicator_id",
            "period",
            "period_start",
            "period_end",
            "value",
            "lower",
            "upper",
            "suppressed",
        ],
    )


def test_changes_use_the_two_latest_periods_and_skip_suppressed_values() -> None:
    own = _frame(
        [
            (1, "2022", 2022, 2022, 10.0, 9.0, 11.0, False),
            (1, "2024", 2024, 2024, 20.0, 19.0, 21.0, False),
            (1, "2023", 2023, 2023, 19.5, 18.5, 20.5, False),  # 2023 → 2024: not significant
            (2, "2023", 2023, 2023, 10.0, 9.0, 11.0, False),
            (2, "2024", 2024, 2024, 30.0, 29.0, 31.0, False),  # low is good: worse
            (3, "2023", 2023, 2023, 10.0, 9.0, 11.0, False),
            (3, "2024", 2024, 2024, None, None, None, True),  # suppressed: 2023 alone
            (4, "2023", 2023, 2023, 80.0, 79.0, 81.0, False),
            (4, "2024", 2024, 2024, 70.0, 69.0, 71.0, False),  # high is good: worse
        ]
    )
    found = changes_since_previous(own, {1: "high", 2: "low", 3: "high", 4: "high"})
    assert [(c.indicator_id, c.previous_period, c.period, c.direction) for c in found] == [
        (2, "2023", "2024", "worse"),
        (4, "2023", "2024", "worse"),
    ]
    ranked = largest_first(found, {2: 10.0, 4: 80.0})
    assert [c.indicator_id for c in ranked] == [2, 4]  # +200 % before −12.5 %
    assert changes_since_previous(own.iloc[0:0], {1: "high"}) == []


def test_a_change_knows_its_difference() -> None:
    assert Change(1, "2023", "2024", 3.0, 5.5, "better").difference == 2.5


# ------------------------------------------------------------------ population pyramid
def _cells(bands: dict[str, tuple[float, float]]) -> dict[str, float]:
    out = {}
    for age, (women, men) in bands.items():
        out[f"{age}*female"] = women
        out[f"{age}*male"] = men
    return out


def test_pyramid_shares_add_up_to_100_and_bands_run_young_to_old() -> None:
    own = _cells({"10-19": (30, 20), "0-9": (25, 25), "90+": (0, 0), "20-29": (50, 50)})
    county = _cells(
        {"0-9": (100, 100), "10-19": (100, 100), "20-29": (100, 100), "90+": (100, 100)}
    )
    found = build_pyramid(own, "2024", county)
    assert found is not None
    assert [b.age for b in found.bands] == ["0-9", "10-19", "20-29", "90+"]
    assert [b.age for b in found.top_down][0] == "90+"
    assert sum(b.women_pct + b.men_pct for b in found.bands) == pytest.approx(100.0)
    assert found.total == 200
    assert found.bands[0].county_women_pct == pytest.approx(12.5)
    assert found.largest == pytest.approx(25.0)
    assert found.width(25.0) == 100.0 and found.width(None) == 0.0


def test_pyramid_leaves_out_hidden_bands_and_needs_some_cells() -> None:
    own = _cells({"0-9": (10, 10), "10-19": (5, 5)})
    own["10-19*male"] = None
    found = build_pyramid(own, "2024")
    assert found is not None
    assert [b.age for b in found.bands] == ["0-9"]
    assert found.bands[0].county_women_pct is None
    assert build_pyramid({}, "2024") is None
    assert build_pyramid(_cells({"0-9": (0, 0)}), "2024") is None


# ------------------------------------------------------------------ counts and largest gaps
def test_comparison_counts() -> None:
    found = comparison_counts(
        ["better", "much_better", "worse", "similar", "not_compared", "quintile_2"]
    )
    assert (found.better, found.similar, found.worse, found.other) == (2, 1, 1, 2)


def _block(
    code: str, groups: list[float], d: float | None, lower: float | None, upper: float | None
) -> dict:
    return {
        "indicator": SimpleNamespace(code=code, name=f"Indicator {code}"),
        "period": "2024",
        "rows": [{"value": v} for v in groups],
        "measures": [
            {"measure": "r", "value": 2.0},
            {
                "measure": "d",
                "value": d,
                "lower": lower,
                "upper": upper,
                "between": "kvinnor − män",
            },
        ],
    }


def test_largest_gaps_rank_by_the_gap_relative_to_the_level_significant_first() -> None:
    blocks = [
        _block("A", [80.0, 77.0], 3.0, 1.0, 5.0),  # 3 in 78.5: small, significant
        _block("B", [6.0, 3.0], 3.0, 1.0, 5.0),  # 3 in 4.5: large, significant
        _block("C", [30.0, 10.0], 20.0, -1.0, 41.0),  # large but not significant
        _block("D", [1.0, 2.0], None, None, None),  # no D: left out
        {"indicator": SimpleNamespace(code="E", name="E"), "rows": [], "measures": []},
    ]
    found = largest_gaps(blocks)
    assert [g.code for g in found] == ["B", "A", "C"]
    assert found[0].significant and not found[2].significant
    assert found[0].relative == pytest.approx(3.0 / 4.5)
    assert len(largest_gaps(blocks * 3, count=5)) == 5
    assert gap_summary(blocks[3]) is None


# ------------------------------------------------------------------ units named once
@pytest.mark.parametrize(
    ("name", "value_type", "unit", "multiplier", "shown"),
    [
        ("Barn 1-5 år inskrivna i förskola, andel (%)", "proportion", "", 100, ""),
        ("Invånare som erhållit ekonomiskt bistånd, andel (%) av bef.", "proportion", "", 100, ""),
        ("Ohälsotal, dagar", "mean", "dagar", 1, ""),
        ("Sjukpenningtalet, 16–64 år, dagar/registrerad försäkrad", "mean", "dagar", 1, ""),
        ("Medellivslängd män, år", "mean", "år", 1, ""),
        ("Anmälda våldsbrott, antal/100 000 inv", "rate", "", 100000, ""),
        (
            "Elever i åk 9, meritvärde, hemkommun, genomsnitt (17 ämnen)",
            "mean",
            "poäng",
            1,
            "poäng",
        ),
        ("Invånare totalt, antal", "count", "personer", 1, "personer"),
        ("Invented share", "proportion", "", 100, "%"),
        ("Invented rate", "rate", "", 1000, "per 1\u00a0000"),
    ],
)
def test_unit_note_is_empty_when_the_name_already_says_the_unit(
    name: str, value_type: str, unit: str, multiplier: int, shown: str
) -> None:
    indicator = Indicator(
        code="X",
        name_sv=name,
        name_en=name,
        value_type=value_type,
        unit=unit,
        multiplier=multiplier,
    )
    assert indicator.unit_note == shown


# ------------------------------------------------------------------ the page
def test_profile_shows_the_overview_first_with_headings_and_units_once(demo, client) -> None:  # noqa: ANN001
    from django.core.cache import cache

    cache.clear()
    html = client.get("/lagesbild/kommun/0127/").content.decode()
    spine = html.index('id="spine-h"')
    assert html.index('id="facts-h"') < spine < html.index('id="gaps-brief-h"')
    assert (
        spine
        < html.index('id="changes-h"')
        < html.index('id="pyramid-h"')
        < html.index('id="tables-h"')
    )
    assert html.count('class="spine-row"') == Indicator.objects.count()
    assert "(%) (%)" not in html and '(%)</span> <span class="muted">(%)' not in html
    assert "<caption>" not in html.split('id="tables-h"')[1].split('id="gaps-h"')[0]
    assert html.count('<details class="card profile-group">') >= 8
    assert 'data-gap-brief="' in html
    assert "95\u00a0" in html or "95 " in html  # the population in key facts


def test_the_spine_can_range_over_sweden_and_the_demo_has_a_pyramid(demo) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area
    from jamlik.indicators.profile import profile_page
    from jamlik.indicators.viewstate import ViewState

    botkyrka = Area.objects.get(code="0127")
    page = profile_page(botkyrka, ViewState(), spine_scope="riket", with_gaps=False)
    assert page.spine_scope == "riket"
    overview = page.overview
    assert overview is not None and overview.pyramid is not None
    total = sum(b.women + b.men for b in overview.pyramid.bands)
    assert total == overview.population  # the cross table adds up to the total
    assert overview.scope_sizes["lan"] >= 2
    bars = [
        bar for _name, lines in page.spine_groups for _row, bar, _ink in lines if bar is not None
    ]
    assert bars and all(0 <= b.range_left <= b.range_right <= 100 for b in bars)
    assert (
        profile_page(botkyrka, ViewState(), spine_scope="nonsense", with_gaps=False).spine_scope
        == "lan"
    )
    counts = overview.counts
    assert counts is not None and counts.better + counts.similar + counts.worse + counts.other > 0


def test_demo_population_by_age_and_sex_adds_up_for_kommun_county_and_riket(demo) -> None:  # noqa: ANN001
    from jamlik.indicators.models import Observation

    for area in ("0127", "01", "00"):
        cells = Observation.objects.filter(
            indicator__code="N01951", area__code=area, period="2024", breakdown="age*sex"
        )
        total = Observation.objects.get(
            indicator__code="N01951", area__code=area, period="2024", breakdown="total"
        )
        assert cells.count() == 20
        assert sum(np.array(cells.values_list("value", flat=True), dtype=float)) == total.value


# ------------------------------------------------------------------ the real population query
def test_the_population_query_file_stores_the_pyramids_cross_table() -> None:
    from pathlib import Path

    from jamlik.geo.models import AreaLevel  # noqa: F401 - the app is loaded
    from jamlik.sources.pxweb_query import VariableRole, load_query

    query = load_query(Path(__file__).parents[2] / "docs/queries/scb-population-age-sex.toml")
    assert query.indicator == "N01951"
    breakdowns = {v.dimension: v for v in query.variables if v.role is VariableRole.BREAKDOWN}
    assert set(breakdowns) == {"age", "sex"}
    assert set(breakdowns["sex"].mapping.values()) == {"female", "male"}
    ages = list(breakdowns["age"].mapping.values())
    assert ages[0] == "0-9" and len(ages) == len(set(ages)) == 11
    cells = {f"{age}*{sex}": 1.0 for age in ages for sex in ("female", "male")}
    pyramid = build_pyramid(cells, "2024")
    assert pyramid is not None and [b.age for b in pyramid.bands] == ages

"""The gap measures of every period, computed together, equal those computed one at a time.

The kommun profile computes D, R and the slope indices for every period of every
indicator in one pass (:mod:`jamlik.indicators.gap_series`) after reading the
values once (:func:`jamlik.indicators.gaps.group_rows`). These tests hold that
pass to the reference path on the demo data: D and R against
:func:`jamlik.stats.inequality.d` / ``r`` themselves (tolerance 1e-12, relative
and absolute), every batched measure against
:func:`jamlik.indicators.gap_measures.compute` (the same tolerance, the same
groups compared and the same reasons), and the number of queries a page makes
against the number of indicators it shows. No timings: those are in
``bench/bench_pages.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

TOLERANCE = 1e-12
#: (kommun, breakdown) of the three pages: a pair, three ordered groups, ranked districts.
PAGES = [("0127", "sex"), ("0127", "education"), ("0180", "district")]


def every_period(code: str, breakdown: str, limit: int | None = None) -> list:
    """GroupValues of every period of every indicator, built the one-at-a-time way
    (one read per indicator, pandas per period)."""
    from jamlik.geo.models import Area
    from jamlik.indicators import gaps
    from jamlik.indicators.models import Indicator

    area = Area.objects.get(code=code)
    ranks = gaps.deprivation_ranks(area) if breakdown == "district" else None
    found = []
    for indicator in Indicator.objects.order_by("code"):
        rows = gaps.group_rows([indicator], area, breakdown)
        periods = [g for _p, g in rows.groupby("period") if not g["value"].isna().all()]
        if periods and limit is not None and len({i for i, _g in found}) >= limit:
            break
        found += [
            (indicator.code, gaps.group_values(indicator, breakdown, g, ranks)) for g in periods
        ]
    assert found, (code, breakdown)
    return [g for _code, g in found]


def same(result, expected, label: str) -> None:  # noqa: ANN001
    """Two MeasureResults agree: numbers within TOLERANCE, everything else equal."""
    assert (result.key, result.between, result.reason, result.interval_reason, result.note) == (
        expected.key,
        expected.between,
        expected.reason,
        expected.interval_reason,
        expected.note,
    ), label
    for name in ("value", "lower", "upper"):
        got, want = getattr(result, name), getattr(expected, name)
        if want is None:
            assert got is None, (label, name)
        else:
            assert math.isclose(got, want, rel_tol=TOLERANCE, abs_tol=TOLERANCE), (label, name)


@pytest.mark.parametrize(("code", "breakdown"), PAGES)
def test_vectorised_d_and_r_equal_the_stats_functions_for_every_period(
    demo, code, breakdown
) -> None:  # noqa: ANN001
    from jamlik.indicators.gap_measures import comparison_pair
    from jamlik.indicators.gap_series import pairwise_many
    from jamlik.stats import inequality

    groups = every_period(code, breakdown)
    for key, function in (("d", inequality.d), ("r", inequality.r)):
        checked = 0
        for g, result in zip(groups, pairwise_many(key, groups), strict=True):
            label = f"{code} {breakdown} {key} {g.categories}"
            if not result.computed:
                continue
            first, second = comparison_pair(g)
            assert result.between == (first, second), label
            se = g.se[[first, second]]
            table = function(
                g.est[[first, second]],
                None if np.isnan(se).any() else se,
                favourable_indicator=1,
                ordered_dimension=1,
                subgroup_order=[2, 1],
            ).iloc[0]
            for name in ("value", "lower", "upper"):
                want = float(table[name])
                got = getattr(result, name)
                if math.isnan(want):  # no interval: a group has none
                    assert got is None and result.interval_reason, label
                    continue
                assert math.isclose(got, want, rel_tol=TOLERANCE, abs_tol=TOLERANCE), label
            checked += 1
        assert checked >= len(groups) * 0.9, (key, checked, len(groups))


@pytest.mark.parametrize(("code", "breakdown"), PAGES)
def test_batched_measures_equal_one_at_a_time(demo, code, breakdown) -> None:  # noqa: ANN001
    from jamlik.indicators import gap_measures
    from jamlik.indicators.gap_series import compute_many

    # PHE's 10 000 repetitions one period at a time are slow: four indicators suffice there.
    groups = every_period(code, breakdown, limit=4 if breakdown == "district" else None)
    keys = [k for k, spec in gap_measures.MEASURES.items() if groups[0].ordering in spec.orderings]
    keys = [k for k in keys if k in ("d", "r", "sii", "rii", "who_sii", "who_rii", "aci")]
    results = compute_many({k: groups for k in keys})
    computed = 0
    for key in keys:
        for g, result in zip(groups, results[key], strict=True):
            same(result, gap_measures.compute(key, g), f"{code} {breakdown} {key}")
            computed += result.computed
    assert computed > len(groups)


def test_batched_measures_give_the_same_reasons_as_one_at_a_time() -> None:
    """Missing values, missing intervals, zeros, negative ratios and too few groups."""
    from jamlik.indicators import gap_measures
    from jamlik.indicators.gap_measures import GroupValues, Ordering
    from jamlik.indicators.gap_series import compute_many

    nan = float("nan")

    def groups(est, ordering, lower=None, upper=None, percent=True):  # noqa: ANN001, ANN202
        est = np.array(est, dtype=float)
        n = len(est)
        ordering = Ordering(ordering)
        return GroupValues(
            categories=tuple(f"g{i}" for i in range(n)),
            labels=tuple(f"G{i}" for i in range(n)),
            est=est,
            lower=np.array(lower if lower is not None else est - 2.0, dtype=float),
            upper=np.array(upper if upper is not None else est + 2.0, dtype=float),
            pop=np.full(n, 100.0),
            ordering=ordering,
            favourable=1,
            percent=percent,
            order=np.arange(1.0, n + 1) if ordering is Ordering.ORDERED else None,
            pair=(0, 1) if ordering is Ordering.PAIR else None,
        )

    cases = [
        groups([40.0, nan], "pair"),
        groups([40.0, 0.0], "pair"),
        groups([0.0, 10.0], "pair"),
        groups([-3.0, 10.0], "pair", percent=False),
        groups([40.0, 30.0], "pair", lower=[nan, nan], upper=[nan, nan]),
        groups([40.0, 30.0], "pair", lower=[38.0, nan], upper=[42.0, nan]),
        groups([0.0, 30.0], "pair", lower=[nan, nan], upper=[nan, nan]),
        groups([40.0, 0.0], "pair", lower=[nan, nan], upper=[nan, nan]),
        groups([-3.0, 10.0], "pair", lower=[nan, nan], upper=[nan, nan], percent=False),
        groups([12.0, 30.0, 18.0], "unordered", lower=[nan] * 3, upper=[nan] * 3),
        groups([40.0, 30.0], "pair", lower=[45.0, 25.0], upper=[35.0, 35.0]),
        groups([10.0, 20.0, 30.0], "ordered"),
        groups([10.0, 20.0, 30.0, 40.0, 50.0], "ordered"),
        groups([10.0, 20.0, 30.0, 40.0, 99.5], "ordered"),
        groups([1.0, 2.0, 3.0, 4.0, 5.0], "ordered", percent=False),
        groups([10.0, nan, 30.0, 40.0, 50.0], "ordered"),
        groups([12.0, 30.0, 18.0, 9.0], "unordered"),
        groups([12.0, nan, nan], "unordered"),
    ]
    for case in cases:
        keys = [
            k
            for k, spec in gap_measures.MEASURES.items()
            if case.ordering in spec.orderings
            and k in ("d", "r", "sii", "rii", "who_sii", "who_rii")
        ]
        results = compute_many({k: [case] for k in keys})
        for key in keys:
            same(results[key][0], gap_measures.compute(key, case), f"{key} {case.est}")


@pytest.mark.parametrize(("code", "breakdown"), PAGES)
def test_gap_values_are_read_once_per_page_not_per_indicator(
    demo, code, breakdown, django_assert_max_num_queries
) -> None:  # noqa: ANN001
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jamlik.geo.models import Area
    from jamlik.indicators import gaps
    from jamlik.indicators.models import Indicator
    from jamlik.indicators.queries import Visibility

    area = Area.objects.get(code=code)
    indicators = list(Indicator.objects.order_by("code"))
    visibility = Visibility.public()
    with CaptureQueriesContext(connection) as one:
        gaps.area_gaps(area, breakdown, indicators[:1], visibility=visibility)
    with django_assert_max_num_queries(len(one.captured_queries)):
        found = gaps.area_gaps(area, breakdown, indicators, visibility=visibility)
    assert len(found) >= 10


@pytest.mark.parametrize(("code", "breakdown"), PAGES)
def test_kommun_profile_queries_do_not_grow_with_its_indicators(
    demo, client, code, breakdown, django_assert_max_num_queries
) -> None:  # noqa: ANN001
    # The whole page: session, its own overview (with the first screen's ranges and
    # population, see test_profile_speed.COLD_PAGE_QUERIES), the gaps' one read and the
    # district ranking; reading per indicator added one query per indicator (two on
    # districts), which would be 50 or more here. The Delområden section of a kommun with
    # districts adds five (test_profile_speed.COLD_PAGE_QUERIES), none per indicator.
    with django_assert_max_num_queries(29):
        response = client.get(f"/lagesbild/kommun/{code}/?breakdown={breakdown}")
    assert response.status_code == 200
    assert response.content.decode().count("data-gap=") >= 10

"""The pages' comparisons, quintiles and trends through ``jamlik.stats.arrays`` equal those of
the public ``jamlik.stats`` functions, on every kommun of the demo data."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jamlik.indicators import analysis
from jamlik.stats import Comparison, TrendDirection, compare, quantiles, trend


def _frame() -> pd.DataFrame:
    from jamlik.geo.models import Area
    from jamlik.indicators.queries import observation_frame

    areas = list(Area.objects.municipalities("01")) + [Area.objects.get(code="01")]
    return observation_frame(area_ids=[a.pk for a in areas])


def _old_trends(frame: pd.DataFrame, indicators: dict[int, Any]) -> dict[int, TrendDirection]:
    usable = frame[frame["value"].notna() & frame["lower"].notna() & frame["upper"].notna()]
    result = {}
    for polarity, part in usable.groupby(
        usable["indicator_id"].map(lambda i: indicators[i].polarity)
    ):
        table = trend(
            part["period_end"].to_numpy(dtype=float),
            part["value"].to_numpy(),
            part["lower"].to_numpy(),
            part["upper"].to_numpy(),
            by=part["indicator_id"].to_numpy(),
            polarity=analysis.POLARITY[str(polarity)],
        )
        for row in table.itertuples(index=False):
            result[int(row.group)] = TrendDirection(row.direction)
    return result


def test_trends_equal_the_public_trend_test(demo) -> None:  # noqa: ANN001
    frame = _frame()
    indicators = analysis.indicator_map()
    directions = set()
    for _area, own in frame.groupby("area_id"):
        fast = analysis.trends(own, indicators)
        assert fast == _old_trends(own, indicators)
        directions |= set(fast.values())
    assert len(directions) >= 3  # the demo data has rising, falling and flat series


def test_comparisons_and_quintiles_equal_the_public_functions(demo) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area
    from jamlik.indicators.queries import latest_rows

    indicators = analysis.indicator_map()
    county = Area.objects.get(code="01")
    latest = latest_rows(_frame())
    mine = latest[latest["area_id"] != county.pk]
    bench = latest[latest["area_id"] == county.pk]

    ranks = analysis.peer_quintiles(mine.assign(peer_group=county.pk), indicators)
    ranked = mine[
        mine["indicator_id"].map(lambda i: indicators[i].value_type in analysis.QUINTILE_RANKED)
        & mine["value"].notna()
    ]
    table = quantiles(
        ranked["value"].to_numpy(),
        n_quantiles=analysis.QUINTILES,
        polarity=ranked["indicator_id"].map(lambda i: analysis.POLARITY[indicators[i].polarity]),
        by=ranked["indicator_id"].astype(str) + "|" + ranked["period"].astype(str),
    )
    expected = {
        (int(i), str(p), int(a)): analysis.quintile_key(int(q), indicators[int(i)].polarity)
        for i, p, a, q in zip(
            ranked["indicator_id"],
            ranked["period"],
            ranked["area_id"],
            table["quantile"],
            strict=True,
        )
        if pd.notna(q)
    }
    assert ranks == expected and len(ranks) > 26

    compared = analysis.compare_with(mine, bench, indicators, quintiles_by=ranks)
    by_benchmark = bench.set_index("indicator_id")["value"]
    full = compare(
        mine["value"],
        mine["lower"],
        mine["upper"],
        mine["indicator_id"].map(by_benchmark).to_numpy(dtype=float),
        polarity=mine["indicator_id"].map(lambda i: analysis.POLARITY[indicators[i].polarity]),
    )["comparison"].to_numpy()
    comparable = mine["indicator_id"].map(lambda i: indicators[i].value_type in analysis.COMPARABLE)
    key = zip(mine["indicator_id"], mine["period"].astype(str), mine["area_id"], strict=True)
    want = [
        str(c) if ok else ranks.get((int(i), p, int(a)), Comparison.NOT_COMPARED.value)
        for c, ok, (i, p, a) in zip(full, comparable, key, strict=True)
    ]
    assert [str(c) for c in compared["comparison"]] == want
    assert len(set(want)) >= 5
    np.testing.assert_array_equal(compared["value"].to_numpy(), mine["value"].to_numpy())

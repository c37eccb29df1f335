"""Life expectancy (Chiang 1968, Silcocks et al. 2001), checked against a hand-built table.

There is no PHEindicatormethods reference sheet for life expectancy itself (the
LE_testdata.csv file holds decile summaries used as SII input), so the life
table is recomputed here step by step from its textbook definition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jamlik.stats import life_expectancy

AGES = [0, 1, *range(5, 95, 5)]
RATES = [0.004, 0.0002, 0.0001, 0.0001, 0.0003, 0.0004, 0.0005, 0.0007, 0.001, 0.0015,
         0.0022, 0.0035, 0.005, 0.008, 0.013, 0.02, 0.035, 0.06, 0.1, 0.3]  # fmt: skip


def _population(scale: float = 1.0) -> pd.DataFrame:
    pop = np.array([5000, 20000, *[25000] * 17, 8000], dtype=float) * scale
    return pd.DataFrame({"age": AGES, "pop": pop, "deaths": np.round(pop * np.array(RATES))})


def _by_hand(data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    d, p = data["deaths"].to_numpy(), data["pop"].to_numpy()
    n = np.diff(AGES).astype(float)
    a = np.where(np.array(AGES[:-1]) == 0, 0.1, 0.5)
    m = d / p
    q = n * m[:-1] / (1 + (1 - a) * n * m[:-1])
    lx = [100_000.0]
    for qi in q:
        lx.append(lx[-1] * (1 - qi))
    lx = np.array(lx)
    big_l = np.append(n * (lx[1:] + a * (lx[:-1] - lx[1:])), lx[-1] / m[-1])
    e = np.cumsum(big_l[::-1])[::-1] / lx
    var_terms = np.append(
        lx[:-1] ** 2 * ((1 - a) * n + e[1:]) ** 2 * q**2 * (1 - q) / d[:-1],
        lx[-1] ** 2 * d[-1] / (p[-1] ** 2 * m[-1] ** 4),
    )
    se = np.sqrt(np.cumsum(var_terms[::-1])[::-1]) / lx
    return e, se


def test_matches_hand_built_life_table():
    data = _population()
    out = life_expectancy(data, deaths="deaths", pop="pop", age="age")
    e, se = _by_hand(data)
    np.testing.assert_allclose(out["value"], e, rtol=1e-12)
    np.testing.assert_allclose(out["se"], se, rtol=1e-12)
    np.testing.assert_allclose(out["lower"], e - 1.959963984540054 * se, rtol=1e-12)
    assert 75 < out["value"].iloc[0] < 85


def test_groups_are_computed_separately():
    one, two = _population().assign(kommun="A"), _population(2.0).assign(kommun="B")
    out = life_expectancy(pd.concat([two, one]), deaths="deaths", pop="pop", age="age", by="kommun")
    assert list(out["kommun"].unique()) == ["B", "A"]
    a0 = out[(out["kommun"] == "A") & (out["age"] == 0)].iloc[0]
    b0 = out[(out["kommun"] == "B") & (out["age"] == 0)].iloc[0]
    assert b0["se"] < a0["se"], "a larger population gives a narrower interval"


@pytest.mark.parametrize(
    ("change", "note"),
    [
        ({"pop": 1.0}, "not calculated: total population 5 000 or less"),
        ({"deaths_last": 0}, "not calculated: no deaths in the last age band"),
        ({"deaths_first": 10_000}, "not calculated: more deaths than population in an age band"),
    ],
)
def test_values_not_published(change, note):
    data = _population()
    if "pop" in change:
        data["pop"] = data["pop"] / 1000
        data["deaths"] = np.round(data["pop"] * np.array(RATES))
    if "deaths_last" in change:
        data.loc[data.index[-1], "deaths"] = 0
    if "deaths_first" in change:
        data.loc[0, "deaths"] = 10_000
    out = life_expectancy(data, deaths="deaths", pop="pop", age="age")
    assert out["value"].isna().all()
    assert (out["note"] == note).all()


def test_refusals():
    data = _population()
    with pytest.raises(ValueError, match="deaths must be greater than or equal to zero"):
        life_expectancy(data.assign(deaths=-1), deaths="deaths", pop="pop", age="age")
    with pytest.raises(ValueError, match="every group must have the same 20 age bands"):
        life_expectancy(
            pd.concat([data.assign(k="A"), data.iloc[:-1].assign(k="B")]),
            deaths="deaths", pop="pop", age="age", by="k",
        )  # fmt: skip

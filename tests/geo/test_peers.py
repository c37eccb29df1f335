"""Peer groups: SKR's kommungrupper as shipped, and the nearest-neighbour arithmetic."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from jamlik.frameworks import geography
from jamlik.geo import peers

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "geo"


# ---------------------------------------------------------------- the shipped grouping
def test_every_kommun_has_one_group() -> None:
    groups = peers.kommungrupper()
    assert len(groups) == 290
    assert set(groups) == {m.code for m in geography.municipalities()}
    assert set(groups.values()) == set(peers.GROUPS)
    assert sum(len(peers.members(g)) for g in peers.GROUPS) == 290


def test_counties_agree_with_the_official_codes() -> None:
    counties = {code[:2] for code in peers.kommungrupper()}
    assert len(counties) == 21
    assert counties == {c.code for c in geography.counties()}


@pytest.mark.skipif(not REFERENCE.exists(), reason="reference folder not beside the repository")
def test_matches_the_reference_files() -> None:
    with open(REFERENCE / "kommungrupper.csv", encoding="utf-8") as f:
        reference = {r["kommunkod"]: r["grupp"] for r in csv.DictReader(f)}
    assert peers.kommungrupper() == reference
    with open(REFERENCE / "kommuner.csv", encoding="utf-8") as f:
        lan = {r["kommunkod"]: r["lanskod"] for r in csv.DictReader(f)}
    assert set(lan) == set(peers.kommungrupper())
    # the county in a kommun code is its first two digits, for all 21 län
    assert all(code[:2] == county for code, county in lan.items())
    assert len(set(lan.values())) == 21


def test_group_names_in_both_languages() -> None:
    botkyrka = peers.group_of("0127")
    assert botkyrka is not None
    assert botkyrka.code == "A2"
    assert botkyrka.name("sv") == "Pendlingskommun nära storstad"
    assert botkyrka.name("en") == "Commuting municipality near a large city"
    assert peers.group_of("0180").code == "A1"
    assert peers.members("A1") == ("0180", "1280", "1480")
    assert peers.group_of("01") is None
    assert all(sv and en and sv != en for sv, en in peers.GROUPS.values())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kommunkod,kommun,grupp\n0114,X,A2\n", "columns"),
        (
            "kommunkod,kommun,grupp,gruppnamn\n114,X,A2,Pendlingskommun nära storstad\n",
            "row 2, kommunkod",
        ),
        (
            "kommunkod,kommun,grupp,gruppnamn\n0114,X,A2,Pendlingskommun nära storstad\n"
            "0114,X,A2,Pendlingskommun nära storstad\n",
            "row 3, kommunkod: 0114 given twice",
        ),
        ("kommunkod,kommun,grupp,gruppnamn\n0114,X,D1,Ny grupp\n", "row 2, grupp"),
        ("kommunkod,kommun,grupp,gruppnamn\n0114,X,A2,Storstäder\n", "row 2, gruppnamn"),
    ],
)
def test_a_bad_file_is_named_by_row_and_column(text: str, message: str) -> None:
    with pytest.raises(peers.KommungruppError, match=message) as caught:
        peers.parse_kommungrupper(text, "test.csv")
    assert str(caught.value).startswith("test.csv")


# ---------------------------------------------------------------- arithmetic
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


def matrices(min_rows: int = 2) -> st.SearchStrategy[np.ndarray]:
    return st.tuples(st.integers(min_rows, 12), st.integers(1, 5)).flatmap(
        lambda shape: arrays(float, shape, elements=finite)
    )


@given(matrices())
def test_z_scores_have_mean_zero_and_unit_spread(matrix: np.ndarray) -> None:
    z = peers.standardise(matrix)
    assert z.shape == matrix.shape
    assert np.isfinite(z).all()
    for j in range(matrix.shape[1]):
        spread = matrix[:, j].std()
        assert abs(z[:, j].mean()) < 1e-6
        if spread > 1e-6 * max(1.0, np.abs(matrix[:, j]).max()):
            assert z[:, j].std() == pytest.approx(1.0, abs=1e-6)
        elif (matrix[:, j] == matrix[0, j]).all():
            assert (z[:, j] == 0).all()


@given(matrices(), st.floats(0.01, 1000), st.floats(-1000, 1000))
def test_z_scores_ignore_units(matrix: np.ndarray, scale: float, shift: float) -> None:
    """Changing a column's unit (per cent to per mille, a shift) changes nothing."""
    assume(matrix[:, 0].std() > 1e-3 * max(1.0, np.abs(matrix[:, 0]).max()))
    other = matrix.copy()
    other[:, 0] = matrix[:, 0] * scale + shift
    np.testing.assert_allclose(
        peers.standardise(other), peers.standardise(matrix), rtol=1e-6, atol=1e-6
    )


@given(matrices(min_rows=3), st.data())
def test_distances_are_a_metric(matrix: np.ndarray, data: st.DataObject) -> None:
    z = peers.standardise(matrix)
    n = len(z)
    i, j, k = (data.draw(st.integers(0, n - 1)) for _ in range(3))
    from_i, from_j = peers.distances_from(z, i), peers.distances_from(z, j)
    assert from_i[i] == 0
    assert (from_i >= 0).all()
    assert from_i[j] == pytest.approx(from_j[i], abs=1e-9)
    assert from_i[k] <= from_i[j] + from_j[k] + 1e-9


def _table(matrix: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(matrix, index=[f"{i:04d}" for i in range(len(matrix))])


@given(matrices(), st.integers(0, 12), st.randoms(use_true_random=False))
@settings(max_examples=60)
def test_nearest_excludes_itself_sorts_and_ignores_row_order(
    matrix: np.ndarray, k: int, rnd
) -> None:  # noqa: ANN001
    table = _table(matrix)
    code = table.index[0]
    found = peers.nearest(table, code, k)
    assert len(found) == min(k, len(table) - 1)
    assert code not in {n.code for n in found}
    assert len({n.code for n in found}) == len(found)
    distances = [n.distance for n in found]
    # ties to rounding (1e-9) go by code, so the order holds to that tolerance
    assert all(b >= a - 1e-8 for a, b in zip(distances, distances[1:], strict=False))
    order = list(table.index)
    rnd.shuffle(order)
    shuffled = peers.nearest(table.loc[order], code, k)
    assert [n.code for n in shuffled] == [n.code for n in found]
    assert [n.distance for n in shuffled] == pytest.approx(distances, abs=1e-9)
    # the nearest are nearer than any kommun left out
    if found:
        chosen = {n.code for n in found}
        z = peers.standardise(table.to_numpy())
        every = dict(zip(table.index, peers.distances_from(z, 0).tolist(), strict=True))
        rest = [d for c, d in every.items() if c not in chosen and c != code]
        assert all(d >= distances[-1] - 1e-8 for d in rest)


def test_nearest_by_hand() -> None:
    table = pd.DataFrame(
        {"a": [0.0, 1.0, 10.0, 2.0], "b": [0.0, 0.0, 0.0, 0.0]},
        index=["0001", "0002", "0003", "0004"],
    )
    found = peers.nearest(table, "0001", 2)
    assert [n.code for n in found] == ["0002", "0004"]
    sd = np.std([0.0, 1.0, 10.0, 2.0])
    assert found[0].distance == pytest.approx(1.0 / sd)
    assert peers.nearest(table, "9999", 2) == []
    assert peers.nearest(table, "0001", 0) == []


def test_prepared_logs_population_and_drops_incomplete_rows() -> None:
    codes = [i.code for i in peers.PEER_INDICATORS]
    raw = pd.DataFrame(
        [[10, 40, 5, 3, 100_000], [12, 35, 6, 4, math.nan], [8, 50, 4, 2, 10_000]],
        index=["0001", "0002", "0003"],
        columns=codes,
    )
    out = peers.prepared(raw)
    assert list(out.index) == ["0001", "0003"]
    assert out.loc["0001", "N01951"] == pytest.approx(math.log(100_000))
    assert out.loc["0003", "N66080"] == 8


def test_the_indicators_exist_in_the_catalogue() -> None:
    from jamlik.indicators.catalogue import load_catalogue

    catalogue = {e.id for e in load_catalogue()}
    chosen = [i.code for i in peers.PEER_INDICATORS]
    assert 4 <= len(chosen) <= 6
    assert set(chosen) <= catalogue

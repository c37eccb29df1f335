"""Disclosure control of cross tables (sex × age, sex × age × education), pure.

A cross table is stored whole: its cells under a composite breakdown
(``age*sex``/``16-29*female``) and its margins as ordinary rows (``sex``/``female``,
``age``/``16-29``, ``total``/``total``).  A small cell hidden in the cross table
could be recovered from either margin by subtraction (the women's count less
the women of the other ages; the age band's count less its men), so the
protection must treat every dimension together.

The attackers here are written without the module's code: the relations an
outsider writes down from the table's structure (every margin is the sum over
one dimension of the cells one level finer, every parent area the sum of its
children), solved by subtraction, interval propagation, exact linear algebra
(helpers shared with ``test_protection``) and by linear programming with
scipy's ``linprog`` (the exact feasible interval of a hidden cell).
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from tests.indicators.test_protection import (
    SMALL_COUNTS,
    THRESHOLD,
    Relation,
    determined,
    propagate,
    subtract,
)

from jamlik.indicators.protection import (
    EQ,
    NONE,
    audit,
    build_relations,
    protect,
    relation_kinds,
)
from jamlik.sources.observations import compose_breakdown, split_breakdown

COUNTY = 1

# ---------------------------------------------------------------- building tables


def cross_table(
    finest: np.ndarray, dims: tuple[str, ...], *, county: bool = False
) -> tuple[pd.DataFrame, np.ndarray]:
    """Every cell of a cross table and all its margins (year 2020).

    ``finest[k, i, j, ...]`` is the count of area ``k`` in category ``i`` of the
    first dimension, ``j`` of the second...; categories are ``c0``, ``c1``...
    With ``county`` the areas are kommuner 2, 3... of county 1, whose cells are
    their sums.
    """
    areas = [(k + 2 if county else k + 1, COUNTY if county else -1) for k in range(len(finest))]
    blocks = [(area, parent, finest[k]) for k, (area, parent) in enumerate(areas)]
    if county:
        blocks.append((COUNTY, -1, finest.sum(axis=0)))
    rows = []
    for area, parent, table in blocks:
        for kept in itertools.product((False, True), repeat=len(dims)):
            margin = table.sum(axis=tuple(i for i, k in enumerate(kept) if not k))
            shape = [table.shape[i] for i, k in enumerate(kept) if k]
            for index in itertools.product(*(range(n) for n in shape)):
                names = [d for d, k in zip(dims, kept, strict=True) if k]
                breakdown, category = compose_breakdown(
                    {d: f"c{i}" for d, i in zip(names, index, strict=True)}
                )
                rows.append((area, parent, breakdown, category, 2020, 2020, margin[index]))
    frame = pd.DataFrame(
        rows, columns=["area", "parent", "breakdown", "category", "start", "end", "x"]
    )
    return frame.drop(columns="x"), frame["x"].to_numpy(dtype=np.float64)


def outsider_relations(cells: pd.DataFrame, x: np.ndarray) -> list[Relation]:
    """Every additive identity the structure of the table gives an outsider.

    For each cell and each of its dimensions: the cell without that dimension is
    the sum over the dimension's categories (all levels, so also the redundant
    ones); each parent area's cell is the sum of its children's.  Written from
    :func:`split_breakdown` alone, not from :func:`build_relations`.
    """
    index = {
        (int(a), str(b), str(c)): i
        for i, (a, b, c) in enumerate(cells[["area", "breakdown", "category"]].itertuples(False))
    }
    parent = dict(zip(cells["area"].astype(int), cells["parent"].astype(int), strict=False))
    groups: dict[tuple, list[int]] = defaultdict(list)
    for (area, breakdown, category), i in index.items():
        dims = split_breakdown(breakdown, category)
        for d in dims:
            rest = compose_breakdown({k: v for k, v in dims.items() if k != d})
            groups[((area, *rest), breakdown, d)].append(i)
        if parent[area] >= 0:
            groups[((parent[area], breakdown, category), None, None)].append(i)
    out: list[Relation] = []
    for (total_key, _b, _d), parts in groups.items():
        total = index[total_key]
        gap = x[total] - x[parts].sum()
        assert gap >= 0
        out.append((total, tuple(sorted(parts)), EQ if gap == 0 else 1))
    return out


def lp_interval(
    x: np.ndarray, hidden: np.ndarray, relations: list[Relation], cell: int
) -> tuple[float, float]:
    """The smallest and largest value ``cell`` can take given every published cell,
    the relations and non-negativity (scipy ``linprog``)."""
    variables = np.flatnonzero(hidden)
    column = {int(c): j for j, c in enumerate(variables)}
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for total, parts, kind in relations:
        members = [(total, -1.0), *((p, 1.0) for p in parts)]
        if not any(hidden[c] for c, _s in members):
            continue
        row = np.zeros(len(variables))
        known = 0.0
        for c, sign in members:
            if hidden[c]:
                row[column[c]] += sign
            else:
                known += sign * x[c]
        (a_eq if kind == EQ else a_ub).append(row)
        (b_eq if kind == EQ else b_ub).append(-known)
    bounds = []
    for sense in (1.0, -1.0):
        objective = np.zeros(len(variables))
        objective[column[cell]] = sense
        result = linprog(
            objective,
            A_ub=np.array(a_ub) if a_ub else None,
            b_ub=np.array(b_ub) if b_ub else None,
            A_eq=np.array(a_eq) if a_eq else None,
            b_eq=np.array(b_eq) if b_eq else None,
            bounds=(0, None),
            method="highs",
        )
        if result.status == 3:  # unbounded
            bounds.append(np.inf)
        else:
            assert result.status == 0, result.message
            bounds.append(sense * result.fun)
    return bounds[0], bounds[1]


def _at(cells: pd.DataFrame, area: int, breakdown: str, category: str) -> int:
    match = cells.index[
        (cells["area"] == area)
        & (cells["breakdown"] == breakdown)
        & (cells["category"] == category)
    ]
    (i,) = match
    return int(i)


# ---------------------------------------------------------------- the relations themselves


def test_a_cross_table_is_linked_to_each_margin_one_level_down_and_to_the_total() -> None:
    cells, x = cross_table(np.array([[[2, 30], [40, 50], [60, 70]]]), ("age", "sex"))
    relations = build_relations(cells)
    kinds = relation_kinds(x, relations)
    assert (kinds == EQ).all(), "every relation of a complete table is an equation"
    members: dict[int, set[int]] = defaultdict(set)
    totals: dict[int, int] = {}
    for r, c, t in zip(relations.relation, relations.cell, relations.is_total, strict=True):
        (totals.__setitem__(int(r), int(c)) if t else members[int(r)].add(int(c)))
    found = {(totals[r], frozenset(m)) for r, m in members.items()}
    women = _at(cells, 1, "sex", "c0")
    young = _at(cells, 1, "age", "c0")
    total = _at(cells, 1, "total", "total")
    cross = {(a, s): _at(cells, 1, "age*sex", f"c{a}*c{s}") for a in range(3) for s in range(2)}
    # Σ over ages of the women's cells = the women; Σ over sexes of the youngest = the youngest
    assert (women, frozenset(cross[(a, 0)] for a in range(3))) in found
    assert (young, frozenset(cross[(0, s)] for s in range(2))) in found
    # the margins against the total, and the cross table as one more partition of it
    assert (total, frozenset(_at(cells, 1, "sex", f"c{s}") for s in range(2))) in found
    assert (total, frozenset(_at(cells, 1, "age", f"c{a}") for a in range(3))) in found
    assert (total, frozenset(cross.values())) in found
    # nothing else: 2 sexes + 3 ages (one level down) + 3 partitions of the total
    assert len(found) == relations.count == 2 + 3 + 3


def test_three_dimensions_lead_to_every_lower_margin() -> None:
    # every margin, not only a level down: a table published without its two-way
    # margins still sums to its single ones (test_protection_margins.py)
    finest = np.arange(1, 9, dtype=float).reshape(1, 2, 2, 2) * 10
    cells, x = cross_table(finest, ("age", "edu", "sex"))
    relations = build_relations(cells)
    three_way = set(cells.index[cells["breakdown"] == "age*edu*sex"])
    heads: set[str] = set()
    for r in range(relations.count):
        in_r = relations.relation == r
        parts = set(relations.cell[in_r & ~relations.is_total].tolist())
        (head,) = relations.cell[in_r & relations.is_total]
        if parts <= three_way:
            heads.add(str(cells["breakdown"].iat[int(head)]))
    assert heads == {"age*edu", "age*sex", "edu*sex", "age", "edu", "sex", "total"}
    assert (relation_kinds(x, relations) == EQ).all()


def test_a_cross_table_without_its_margins_is_still_tied_to_the_total() -> None:
    cells, x = cross_table(np.array([[[2, 30], [40, 50]]]), ("age", "sex"))
    keep = ~cells["breakdown"].isin(["age", "sex"]).to_numpy()
    cells, x = cells[keep].reset_index(drop=True), x[keep]
    result = protect(x, THRESHOLD, build_relations(cells))
    small = _at(cells, 1, "age*sex", "c0*c0")
    assert result.hidden[small] and result.safe
    assert result.hidden.sum() >= 2  # the total alone would give a lone small cell away
    alone = np.zeros(len(x), dtype=bool)
    alone[small] = True
    assert audit(x, alone, alone, np.full(len(x), THRESHOLD), build_relations(cells)).at_risk[small]


def test_a_category_that_does_not_pair_with_its_breakdown_is_in_no_dimension_relation() -> None:
    cells = pd.DataFrame(
        [
            (1, -1, "total", "total", 2020, 2020),
            (1, -1, "sex", "c0", 2020, 2020),
            (1, -1, "age*sex", "c0", 2020, 2020),
        ],
        columns=["area", "parent", "breakdown", "category", "start", "end"],
    )
    relations = build_relations(cells)
    assert 1 not in relations.cell[relations.is_total].tolist()


# ---------------------------------------------------------------- the attack


def test_a_small_cell_of_sex_by_age_cannot_be_recovered_from_either_margin() -> None:
    """Women 16–29 in one kommun are 2: hidden, and neither the women's count less the
    other ages nor the 16–29 count less the men gives it back, nor any combination."""
    finest = np.array([[[2, 31], [44, 52], [61, 58]]], dtype=float)  # age × sex
    cells, x = cross_table(finest, ("age", "sex"))
    result = protect(x, THRESHOLD, build_relations(cells))
    small = _at(cells, 1, "age*sex", "c0*c0")
    assert result.primary[small] and result.hidden[small]
    assert result.safe
    published = {
        (cells["breakdown"].iat[i], cells["category"].iat[i]): x[i]
        for i in np.flatnonzero(~result.hidden)
    }
    # Both margins are published whole, so the attack has everything to work with.
    for key in [("sex", "c0"), ("age", "c0"), ("total", "total")]:
        assert key in published
    # Differencing from either margin: the other cells of the row / column are not all shown.
    other_ages = [("age*sex", f"c{a}*c0") for a in (1, 2)]
    other_sex = [("age*sex", "c0*c1")]
    assert not all(k in published for k in other_ages)
    assert not all(k in published for k in other_sex)
    relations = outsider_relations(cells, x)
    assert small not in subtract(x, result.hidden, relations)
    assert not determined(result.hidden, relations).any()
    lo, hi = lp_interval(x, result.hidden, relations, small)
    assert lo <= 0 + 1e-9 and hi >= THRESHOLD - 1e-9, (lo, hi)


def test_a_small_cell_stays_hidden_across_kommuner_and_their_county() -> None:
    """The county's women 16–29 minus the other kommuner's must not give it either."""
    finest = np.array(
        [[[2, 31], [44, 52]], [[35, 40], [50, 47]], [[28, 33], [41, 39]]], dtype=float
    )
    cells, x = cross_table(finest, ("age", "sex"), county=True)
    result = protect(x, THRESHOLD, build_relations(cells))
    small = _at(cells, 2, "age*sex", "c0*c0")
    assert result.hidden[small] and result.safe
    relations = outsider_relations(cells, x)
    assert not determined(result.hidden, relations).any()
    lo, hi = lp_interval(x, result.hidden, relations, small)
    assert lo <= 1e-9 and hi >= THRESHOLD - 1e-9


def test_primary_suppression_alone_gives_the_small_cell_away() -> None:
    """The attackers have teeth: with only the small cell hidden, each recovers it."""
    finest = np.array([[[2, 31], [44, 52], [61, 58]]], dtype=float)
    cells, x = cross_table(finest, ("age", "sex"))
    hidden = (x > 0) & (x < THRESHOLD)
    relations = outsider_relations(cells, x)
    small = _at(cells, 1, "age*sex", "c0*c0")
    assert subtract(x, hidden, relations) == {small: 2.0}
    assert lp_interval(x, hidden, relations, small) == pytest.approx((2.0, 2.0))
    assert audit(x, hidden, hidden, np.full(len(x), THRESHOLD), build_relations(cells)).at_risk[
        small
    ]


# ---------------------------------------------------------------- generated tables


@st.composite
def cross_tables(draw: st.DrawFn) -> tuple[np.ndarray, tuple[str, ...], bool]:
    dims = draw(st.sampled_from([("age", "sex"), ("age", "edu", "sex")]))
    sizes = [draw(st.integers(2, 3 if len(dims) == 2 else 2)) for _ in dims]
    areas = draw(st.integers(1, 3 if len(dims) == 2 else 2))
    shape = (areas, *sizes)
    values = draw(
        st.lists(SMALL_COUNTS, min_size=int(np.prod(shape)), max_size=int(np.prod(shape)))
    )
    return np.array(values, dtype=float).reshape(shape), dims, areas > 1


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cross_tables())
def test_no_hidden_cell_of_a_protected_cross_table_is_pinned_down(
    table: tuple[np.ndarray, tuple[str, ...], bool],
) -> None:
    finest, dims, county = table
    cells, x = cross_table(finest, dims, county=county)
    relations = build_relations(cells)
    assert (relation_kinds(x, relations) != NONE).all()
    result = protect(x, THRESHOLD, relations)
    primary = (x > 0) & (x < THRESHOLD)
    assert result.hidden[primary].all(), "every small count is hidden"
    assert result.safe, f"protect stopped after {result.rounds} rounds"
    hidden = result.hidden
    if not hidden.any():
        return
    # The module's own audit, run again: every hidden cell keeps a wide interval.
    again = audit(x, hidden, primary, np.full(len(x), THRESHOLD), relations)
    assert not again.at_risk.any()
    assert (again.upper[hidden] - again.lower[hidden] > 0).all()
    # Attackers written from the table's structure find nothing either.
    theirs = outsider_relations(cells, x)
    assert not subtract(x, hidden, theirs)
    assert not determined(hidden, theirs).any()
    lo, hi = propagate(x, hidden, theirs)
    assert not (hidden & primary & ((lo > 1e-9) | (hi < THRESHOLD - 1e-9))).any()
    for cell in np.flatnonzero(primary):
        low, high = lp_interval(x, hidden, theirs, int(cell))
        assert low <= 1e-6 and high >= THRESHOLD - 1e-6, (int(cell), low, high)


# ---------------------------------------------------------------- laying out the tables


def test_three_dimensions_are_laid_out_one_table_per_category_of_the_third() -> None:
    from jamlik.indicators.cross_tables import lay_out, margins_of

    finest = np.arange(1, 13, dtype=float).reshape(1, 3, 2, 2)  # age × education × sex
    cells, x = cross_table(finest, ("age", "edu", "sex"))
    rename = {
        "sex": {"c0": "female", "c1": "male"},
        "age": {"c0": "16-29", "c1": "30-44", "c2": "45-64"},
    }

    def recode(b: str, c: str) -> str:
        parts = split_breakdown(b, c)
        return compose_breakdown({d: rename.get(d, {}).get(v, v) for d, v in parts.items()})[1]

    frame = cells.assign(
        category=[recode(b, c) for b, c in zip(cells["breakdown"], cells["category"], strict=True)],
        value=x,
        lower=np.nan,
        upper=np.nan,
        numerator=x,
        denominator=np.nan,
        suppressed=False,
        published=True,
    )
    frame = frame[~((frame["breakdown"] == "age*edu*sex") & (frame["category"] == "45-64*c1*male"))]
    assert set(margins_of("age*edu*sex")) == set(frame["breakdown"])
    laid = lay_out(frame, "age*edu*sex")
    assert [d["code"] for d in laid["dimensions"]] == ["sex", "age", "edu"]
    assert [t["held"] for t in laid["tables"]] == [{"edu": "total"}, {"edu": "c0"}, {"edu": "c1"}]
    first = laid["tables"][0]
    assert [c["code"] for c in first["columns"]] == ["female", "male", "total"]
    assert [r["code"] for r in first["rows"]] == ["16-29", "30-44", "45-64", "total"]
    # the edu total table is the age × sex table: women 16-29 = Σ over education
    assert first["rows"][0]["cells"][0]["value"] == finest[0, 0, :, 0].sum()
    assert first["rows"][-1]["cells"][-1]["value"] == finest.sum()
    last = laid["tables"][2]
    assert last["rows"][2]["cells"][1]["missing"]  # the cell left out above
    assert last["rows"][2]["cells"][0]["value"] == finest[0, 2, 1, 0]

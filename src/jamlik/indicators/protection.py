"""Cell suppression over linked tables, and its audit by linear programming (pure).

One indicator's published cells form many tables at once: every area's total
equals the sum over the categories of each breakdown (women + men, the
education levels), every parent area's cell the sum over its child areas
(riket ← län ← kommuner ← districts), and a pooled period the sum over the
single years it spans.  A count hidden in one table can be recovered from
another (county minus the other kommuner), so suppression is computed once
over all these *additive relations* together, never per page or per request.

Method (Hundepool et al. 2012, *Statistical Disclosure Control*, Wiley,
§4.2 and ch. 5; de Wolf 2002, "HiTaS: a heuristic approach to cell
suppression in hierarchical tables"):

1. **Primary suppression**: counts above zero and below the threshold.
2. **Complementary suppression**, repeated until stable: a relation that holds
   exactly (``eq``) with a single hidden member gives it away by subtraction,
   so the smallest other visible part is hidden too (the total only when no
   part is left).
3. **Audit** (as τ-ARGUS audits a pattern): for every hidden cell the feasible
   interval given everything published, the relations and non-negativity is
   computed with two linear programmes (scipy's HiGHS, through highspy).  A primary cell is
   protected when that interval covers ``0 … threshold`` (it could be empty,
   it could be at the threshold); a complementary cell when the interval is
   at least ``threshold`` wide.  Cells that fail get more complements in their
   relations, and the audit runs again.

Whether a relation holds is read from the data themselves: the parts summing
to the total (within rounding) make an equation; parts summing to less (a
category or a district missing) only an inequality ``Σ parts ≤ total``, which
the audit still uses; parts summing to more are no relation at all.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from itertools import combinations

import highspy
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from jamlik.sources.observations import DIMENSION_SEPARATOR

#: Relative tolerance for "the parts add up to the total" (floating-point sums of
#: counts, not rounding of published figures: at two million persons it is 0.002 of
#: one, so the audit's bounds are never padded by a whole person).
TOLERANCE = 1e-9
EQ, LE, NONE = 0, 1, 2
KEY = ["area", "breakdown", "category", "start", "end"]

PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass(frozen=True)
class Relations:
    """Additive relations among cells, in membership form (one entry per member).

    ``relation[k]`` is the relation of member ``k``, ``cell[k]`` the cell (row
    of the cell table) and ``is_total[k]`` whether that cell is the relation's
    total.  Every relation has exactly one total.
    """

    relation: np.ndarray
    cell: np.ndarray
    is_total: np.ndarray
    count: int

    @classmethod
    def empty(cls) -> Relations:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, np.zeros(0, dtype=bool), 0)


def _memberships(
    parts: pd.DataFrame, totals: pd.DataFrame, on: list[str], by: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Members (``rel``, ``cell``, ``is_total``) of relations ``total = Σ parts``.

    ``parts`` and ``totals`` carry the cell's row number in ``cell``; a part
    belongs to the total it joins on ``on``, one relation per total and value
    of the ``by`` columns of the parts.  No relation is formed without a total.
    """
    joined = parts.merge(totals.rename(columns={"cell": "total"}), on=on, how="inner")
    if joined.empty:
        return pd.DataFrame({"rel": [], "cell": [], "is_total": []})
    joined["rel"] = joined.groupby(["total", *by], sort=False).ngroup()
    heads = joined.drop_duplicates("rel")
    return pd.concat(
        [
            pd.DataFrame({"rel": joined["rel"], "cell": joined["cell"], "is_total": False}),
            pd.DataFrame({"rel": heads["rel"], "cell": heads["total"], "is_total": True}),
        ],
        ignore_index=True,
    )


def build_relations(cells: pd.DataFrame) -> Relations:
    """The additive relations among one indicator's cells.

    ``cells`` has one row per published cell with ``area``, ``parent`` (the
    parent area, ``-1`` for none), ``breakdown``, ``category``, ``start`` and
    ``end`` (first and last year of the period).  Four kinds of relation:

    * categories: the area's ``total``/``total`` cell = Σ the categories of
      each other breakdown, same area and period;
    * dimensions: a cross-classified cell (breakdown ``age*sex``, see
      :func:`jamlik.sources.observations.compose_breakdown`) summed over one of
      its dimensions (or several), the others held fixed, = the cell of the
      remaining dimensions (Σ over ages of ``age*sex``/``…*female`` =
      ``sex``/``female``; for three dimensions every two-way and single
      margin, as a source may publish a margin without those in between);
    * areas: the parent area's cell = Σ its child areas' cells, same
      breakdown, category and period;
    * periods: a pooled period's cell = Σ the single years it spans, same
      area, breakdown and category (only when every year is there).

    A cross table is therefore linked to each of its margins that is
    published (the margins are linked to the total by the first kind).  Its cells are *also*
    kept as one more partition of the total (Σ all ``age*sex`` cells = total):
    that identity is true, and although it follows from the others when every
    margin is published, it is the only link to the total when a source
    publishes a cross table without one of its margins.  Where it is
    redundant it costs nothing: the audit's equality rows stay consistent
    (each gets the same tolerance slack), HiGHS's presolve drops dependent
    rows, and :func:`_complete` acts only on a relation with a single hidden
    member, which discloses that member whichever relations it is derived
    from, so a redundant true relation never asks for a complement that is
    not needed.
    """
    frame = cells[["area", "parent", "breakdown", "category", "start", "end"]].copy()
    frame["cell"] = np.arange(len(frame))
    blocks = []
    # categories of a breakdown (and the cells of a cross table) add up to the area's total
    is_total = (frame["breakdown"] == "total") & (frame["category"] == "total")
    parts = frame[~is_total & (frame["breakdown"] != "total")]
    totals = frame.loc[is_total, ["area", "start", "end", "cell"]]
    blocks.append(
        _memberships(
            parts[["area", "start", "end", "breakdown", "cell"]],
            totals,
            ["area", "start", "end"],
            by=("breakdown",),
        )
    )
    # a cross table summed over one dimension gives the cells of the others
    blocks.append(_dimension_memberships(frame))
    # child areas add up to their parent
    children = frame[frame["parent"] >= 0].rename(columns={"area": "child", "parent": "area"})
    parents = frame[["area", "breakdown", "category", "start", "end", "cell"]]
    blocks.append(
        _memberships(
            children[["area", "breakdown", "category", "start", "end", "cell"]],
            parents,
            ["area", "breakdown", "category", "start", "end"],
        )
    )
    # single years add up to a pooled period spanning all of them
    single = frame[frame["start"] == frame["end"]]
    pooled = frame[frame["start"] < frame["end"]]
    if not pooled.empty and not single.empty:
        pairs = single.merge(
            pooled[["area", "breakdown", "category", "start", "end", "cell"]].rename(
                columns={"start": "p_start", "end": "p_end", "cell": "p_cell"}
            ),
            on=["area", "breakdown", "category"],
        )
        pairs = pairs[(pairs["start"] >= pairs["p_start"]) & (pairs["start"] <= pairs["p_end"])]
        span = pairs.groupby("p_cell")["start"].transform("nunique")
        pairs = pairs[span == pairs["p_end"] - pairs["p_start"] + 1]
        if not pairs.empty:
            blocks.append(
                _memberships(
                    pairs[["p_cell", "cell"]].rename(columns={"p_cell": "key"}),
                    pooled[["cell"]].assign(key=pooled["cell"]),
                    ["key"],
                )
            )
    return _combine(blocks)


def _dimension_memberships(frame: pd.DataFrame) -> pd.DataFrame:
    """Members of ``cell of D \\ d = Σ over d's categories of the cells of D``.

    For each composite breakdown ``D`` (dimensions joined by
    :data:`~jamlik.sources.observations.DIMENSION_SEPARATOR`) and each of its
    proper non-empty subsets ``d`` of its dimensions, every composite cell is a
    part of the cell that leaves ``d`` out (same area and period); one relation
    per such cell, per ``D`` and per ``d``.  A row whose category does not pair up with its breakdown
    is in no relation (it cannot be placed in the table).
    """
    composite = frame[frame["breakdown"].str.contains(DIMENSION_SEPARATOR, regex=False)]
    if composite.empty:
        return pd.DataFrame({"rel": [], "cell": [], "is_total": []})
    pieces = []
    for breakdown, rows in composite.groupby("breakdown", sort=False):
        dims = str(breakdown).split(DIMENSION_SEPARATOR)
        split = [str(c).split(DIMENSION_SEPARATOR) for c in rows["category"]]
        fits = np.array([len(c) == len(dims) for c in split], dtype=bool)
        rows = rows[fits]
        split = [c for c, ok in zip(split, fits, strict=True) if ok]
        if rows.empty:
            continue
        # every lower-order margin, not only the one a level down: a three-way table
        # published with the sex margin but no two-way table still sums to that margin
        kept_sets = [
            kept for size in range(1, len(dims)) for kept in combinations(range(len(dims)), size)
        ]
        for kept in kept_sets:
            pieces.append(
                pd.DataFrame(
                    {
                        "area": rows["area"].to_numpy(),
                        "start": rows["start"].to_numpy(),
                        "end": rows["end"].to_numpy(),
                        "breakdown": DIMENSION_SEPARATOR.join(dims[j] for j in kept),
                        "category": [DIMENSION_SEPARATOR.join(c[j] for j in kept) for c in split],
                        "cell": rows["cell"].to_numpy(),
                        "group": f"{breakdown}/{','.join(map(str, kept))}",
                    }
                )
            )
    if not pieces:
        return pd.DataFrame({"rel": [], "cell": [], "is_total": []})
    parts = pd.concat(pieces, ignore_index=True)
    totals = frame[["area", "start", "end", "breakdown", "category", "cell"]]
    return _memberships(
        parts, totals, ["area", "start", "end", "breakdown", "category"], by=("group",)
    )


def _combine(blocks: list[pd.DataFrame]) -> Relations:
    relation, cell, total = [], [], []
    offset = 0
    for block in blocks:
        if block.empty:
            continue
        rel = block["rel"].to_numpy(dtype=np.int64)
        relation.append(rel + offset)
        cell.append(block["cell"].to_numpy(dtype=np.int64))
        total.append(block["is_total"].to_numpy(dtype=bool))
        offset += int(rel.max()) + 1
    if not relation:
        return Relations.empty()
    return Relations(np.concatenate(relation), np.concatenate(cell), np.concatenate(total), offset)


def relation_kinds(x: np.ndarray, relations: Relations) -> np.ndarray:
    """``EQ``, ``LE`` or ``NONE`` per relation, from the true values ``x`` (NaN = absent)."""
    if relations.count == 0:
        return np.zeros(0, dtype=np.int8)
    present = ~np.isnan(x)
    values = np.where(present, x, 0.0)[relations.cell]
    parts = ~relations.is_total
    sums = np.bincount(
        relations.relation, weights=np.where(parts, values, 0.0), minlength=relations.count
    )
    present_parts = np.bincount(
        relations.relation, weights=parts & present[relations.cell], minlength=relations.count
    )
    total = np.full(relations.count, np.nan)
    total[relations.relation[relations.is_total]] = x[relations.cell[relations.is_total]]
    tolerance = TOLERANCE * np.maximum(1.0, np.abs(np.nan_to_num(total)))
    kinds = np.where(
        np.abs(sums - total) <= tolerance, EQ, np.where(sums < total, LE, NONE)
    ).astype(np.int8)
    kinds[np.isnan(total) | (present_parts == 0)] = NONE
    return kinds


def _pick(
    wanted: np.ndarray, hidden: np.ndarray, x: np.ndarray, relations: Relations, usable: np.ndarray
) -> np.ndarray:
    """One visible member to hide in each relation flagged in ``wanted``.

    The smallest positive part is preferred (it costs the least information),
    then a zero part, and the total only when no part is left.  ``usable``
    flags the relations that may be used at all.
    """
    rel, cell = relations.relation, relations.cell
    value = x[cell]
    candidate = wanted[rel] & usable[rel] & ~hidden[cell] & ~np.isnan(value)
    chosen = np.zeros(len(x), dtype=bool)
    if not candidate.any():
        return chosen
    biggest = np.finfo(np.float64).max
    score = np.where(value > 0, value, biggest / 4)
    score = np.where(relations.is_total, biggest / 2, score)
    score = np.where(candidate, score, np.inf)
    order = np.lexsort((score, rel))
    first = np.ones(len(order), dtype=bool)
    first[1:] = rel[order][1:] != rel[order][:-1]
    take = order[first & candidate[order]]
    chosen[cell[take]] = True
    return chosen


def _complete(
    hidden: np.ndarray, x: np.ndarray, relations: Relations, kinds: np.ndarray
) -> np.ndarray:
    """Hide complements until no exact relation has a single hidden member.

    Relations are mended one at a time.  Among a lone relation's visible
    members the complement chosen is, in order of preference: one that also
    mends another lone relation (which closes rectangles such as women/men ×
    two kommuner with four cells rather than six), a part rather than the
    total, a positive count rather than a zero, and the smallest count.
    """
    hidden = hidden.copy()
    exact = kinds == EQ
    if not exact.any():
        return hidden
    rel, cell = relations.relation, relations.cell
    keep = exact[rel]
    rel, cell, is_total = rel[keep], cell[keep], relations.is_total[keep]
    count = np.bincount(rel, weights=hidden[cell], minlength=relations.count).astype(np.int64)
    by_rel = np.argsort(rel, kind="stable")
    rel_starts = np.searchsorted(rel[by_rel], np.arange(relations.count + 1))
    by_cell = np.argsort(cell, kind="stable")
    cell_starts = np.searchsorted(cell[by_cell], np.arange(len(x) + 1))
    present = ~np.isnan(x)
    pending = list(np.flatnonzero(count == 1))
    while pending:
        r = pending.pop()
        if count[r] != 1:
            continue
        members = by_rel[rel_starts[r] : rel_starts[r + 1]]
        best, best_score = -1, None
        for k in members:
            c = cell[k]
            if hidden[c] or not present[c]:
                continue
            others = rel[by_cell[cell_starts[c] : cell_starts[c + 1]]]
            mends = bool(((count[others] == 1) & (others != r)).any())
            score = (not mends, bool(is_total[k]), not x[c] > 0, x[c])
            if best_score is None or score < best_score:
                best, best_score = c, score
        if best < 0:
            continue
        hidden[best] = True
        for r2 in rel[by_cell[cell_starts[best] : cell_starts[best + 1]]]:
            count[r2] += 1
            if count[r2] == 1:
                pending.append(r2)
    return hidden


@dataclass
class Audit:
    """The feasible interval of every hidden cell, and which cells it leaves at risk.

    ``lower``/``upper`` are NaN for visible cells; ``upper`` is ``inf`` where
    nothing bounds the cell from above.  ``programmes`` counts the linear
    programmes solved.
    """

    lower: np.ndarray
    upper: np.ndarray
    at_risk: np.ndarray
    programmes: int = 0
    infeasible: list[int] = field(default_factory=list)


_announced = threading.Lock()
_quiet = False


def _solver() -> highspy.Highs:
    """A silent HiGHS instance.  HiGHS prints a banner to standard output when the
    first instance of a process is made; it is kept off the terminal of
    ``jamlik`` commands by pointing file descriptor 1 elsewhere for that moment."""
    global _quiet
    with _announced:
        if not _quiet:
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                with open(os.devnull, "w") as sink:
                    os.dup2(sink.fileno(), 1)
                    highs = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _quiet = True
        else:
            highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    return highs


def _bounds_of(
    variables: np.ndarray,
    rows: list[tuple[np.ndarray, np.ndarray, float, float]],
) -> tuple[np.ndarray, np.ndarray, int, bool]:
    """Min and max of each variable subject to ``lo ≤ a·v ≤ hi`` rows and ``v ≥ 0``.

    One HiGHS model per connected group of hidden cells; only the objective
    changes between the programmes, so each solve starts from the last basis.
    """
    n = len(variables)
    position = {int(v): i for i, v in enumerate(variables)}
    highs = _solver()
    inf = highspy.kHighsInf
    highs.addVars(n, np.zeros(n), np.full(n, inf))
    for members, coefficients, low, high in rows:
        columns = np.array([position[int(m)] for m in members], dtype=np.int32)
        highs.addRow(
            low if np.isfinite(low) else -inf,
            high if np.isfinite(high) else inf,
            len(columns),
            columns,
            np.asarray(coefficients, dtype=np.float64),
        )
    lower = np.zeros(n)
    upper = np.full(n, np.inf)
    solved = 0
    feasible = True
    status = highspy.HighsModelStatus
    for j in range(n):
        highs.changeColCost(j, 1.0)
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            highs.changeObjectiveSense(sense)
            highs.run()
            solved += 1
            outcome = highs.getModelStatus()
            if outcome == status.kOptimal:
                value = highs.getInfo().objective_function_value
                if sense == highspy.ObjSense.kMinimize:
                    lower[j] = value
                else:
                    upper[j] = value
            elif outcome in (status.kUnbounded, status.kUnboundedOrInfeasible) and (
                sense == highspy.ObjSense.kMaximize
            ):
                upper[j] = np.inf
            else:
                feasible = False
        highs.changeColCost(j, 0.0)
    return lower, upper, solved, feasible


def audit(
    x: np.ndarray,
    hidden: np.ndarray,
    primary: np.ndarray,
    threshold: np.ndarray,
    relations: Relations,
    kinds: np.ndarray | None = None,
) -> Audit:
    """The feasible interval of every hidden cell given all that is published.

    An attacker knows every visible cell, every relation (``kinds``, read from
    the data when not given) and that counts are not negative.  For each
    connected group of hidden cells two linear programmes per cell find the
    smallest and largest value it could take.  A primary cell is at risk unless
    its interval covers ``[0, threshold]``; a complementary cell unless the
    interval is at least ``threshold`` wide.
    """
    n = len(x)
    kinds = relation_kinds(x, relations) if kinds is None else kinds
    lower = np.full(n, np.nan)
    upper = np.full(n, np.nan)
    at_risk = np.zeros(n, dtype=bool)
    if not hidden.any():
        return Audit(lower, upper, at_risk)
    rel, cell = relations.relation, relations.cell
    usable = kinds != NONE
    hidden_members = np.bincount(rel, weights=hidden[cell], minlength=relations.count)
    active = usable & (hidden_members > 0)
    member = active[rel]
    # Graph of hidden cells and the relations that tie them together.
    edges = member & hidden[cell]
    graph = coo_matrix(
        (np.ones(int(edges.sum())), (cell[edges], n + rel[edges])),
        shape=(n + relations.count, n + relations.count),
    )
    _, label = connected_components(graph, directed=False)
    values = np.where(np.isnan(x), 0.0, x)
    sign = np.where(relations.is_total, -1.0, 1.0)
    by_relation: dict[int, list[int]] = {}
    for k in np.flatnonzero(member):
        by_relation.setdefault(int(rel[k]), []).append(int(k))
    rows_by_component: dict[int, list[tuple[np.ndarray, np.ndarray, float, float]]] = {}
    for r, ks in by_relation.items():
        ks_arr = np.array(ks)
        is_hidden = hidden[cell[ks_arr]]
        known = float(-(sign[ks_arr][~is_hidden] * values[cell[ks_arr][~is_hidden]]).sum())
        mismatch = abs(float((sign[ks_arr] * values[cell[ks_arr]]).sum()))
        slack = TOLERANCE * max(1.0, abs(known)) + (mismatch if kinds[r] == EQ else 0.0)
        high = known + slack
        low = known - slack if kinds[r] == EQ else -np.inf
        # parts - total (=|<=) 0, so sum of hidden signed terms = -(known signed terms)
        rows_by_component.setdefault(int(label[n + r]), []).append(
            (cell[ks_arr][is_hidden], sign[ks_arr][is_hidden], low, high)
        )
    programmes = 0
    infeasible: list[int] = []
    hidden_cells = np.flatnonzero(hidden)
    for component in np.unique(label[hidden_cells]):
        variables = hidden_cells[label[hidden_cells] == component]
        rows = rows_by_component.get(int(component), [])
        if not rows:
            lower[variables], upper[variables] = 0.0, np.inf
            continue
        lo, hi, solved, feasible = _bounds_of(variables, rows)
        programmes += solved
        if not feasible:
            infeasible.extend(int(v) for v in variables)
        lower[variables], upper[variables] = lo, hi
    slack = 1e-6 * (1.0 + threshold)
    width = upper - lower
    at_risk = hidden & np.where(
        primary,
        (lower > slack) | (upper < threshold - slack),
        width < threshold - slack,
    )
    at_risk[infeasible] = True
    return Audit(lower, upper, at_risk, programmes, infeasible)


def _widen(
    wanted: np.ndarray,
    at_risk: np.ndarray,
    hidden: np.ndarray,
    x: np.ndarray,
    relations: Relations,
    kinds: np.ndarray,
) -> np.ndarray:
    """Complements for cells at risk: first in their own relations; when those are all
    hidden already, in the relations of the hidden cells they are tied to, one step
    further each time, until something can be added (hiding everything is always safe,
    so this ends in a safe pattern or with nothing left to hide)."""
    usable = kinds != NONE
    frontier = at_risk.copy()
    for _ in range(len(x) + 1):
        added = _pick(wanted, hidden, x, relations, usable)
        if added.any():
            return added
        reached = np.zeros(len(x), dtype=bool)
        reached[relations.cell[wanted[relations.relation] & usable[relations.relation]]] = True
        reached &= hidden
        if not (reached & ~frontier).any():
            return added
        frontier |= reached
        wanted = (
            np.bincount(
                relations.relation, weights=frontier[relations.cell], minlength=relations.count
            )
            > 0
        )
    return np.zeros(len(x), dtype=bool)


@dataclass
class Protection:
    """A suppression pattern for one column of counts, with its audit."""

    hidden: np.ndarray
    primary: np.ndarray
    audit: Audit
    rounds: int

    @property
    def safe(self) -> bool:
        return not self.audit.at_risk.any()


def protect(
    x: np.ndarray, threshold: np.ndarray | float, relations: Relations, *, max_rounds: int = 100
) -> Protection:
    """Hide small counts in ``x`` and enough others that none can be recovered.

    ``x`` holds the counts (NaN where a cell has none); ``threshold`` the
    smallest publishable count per cell (or one for all).  Primary cells are
    counts with ``0 < x < threshold``.  Complements are added by
    :func:`_complete`, then the :func:`audit` is run and every cell it finds at
    risk gets a further complement in each relation it belongs to, until the
    audit passes or nothing is left to hide (``safe`` then says so).
    """
    x = np.asarray(x, dtype=np.float64)
    threshold = np.broadcast_to(np.asarray(threshold, dtype=np.float64), x.shape).copy()
    present = ~np.isnan(x)
    if (x[present] < 0).any():
        raise ValueError("counts must not be negative")
    primary = present & (x > 0) & (x < threshold)
    kinds = relation_kinds(x, relations)
    hidden = _complete(primary, x, relations, kinds)
    result = audit(x, hidden, primary, threshold, relations, kinds)
    rounds = 1
    while result.at_risk.any() and rounds < max_rounds:
        wanted = (
            np.bincount(
                relations.relation,
                weights=result.at_risk[relations.cell],
                minlength=relations.count,
            )
            > 0
        )
        added = _widen(wanted, result.at_risk, hidden, x, relations, kinds)
        if not added.any():
            break
        hidden = _complete(hidden | added, x, relations, kinds)
        result = audit(x, hidden, primary, threshold, relations, kinds)
        rounds += 1
    return Protection(hidden, primary, result, rounds)

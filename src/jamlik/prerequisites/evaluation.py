"""Baseline vs follow-up comparison of groups of kommuner (no Django).

* Change per kommun = follow-up score − baseline score.
* Difference-in-differences (DiD): mean change in the supported group minus mean change in
  the comparison group (Angrist & Pischke 2009, ch. 5; Card & Krueger 1994).
* Exact permutation test: every way of choosing which ``k`` of the ``n`` kommuner are
  "supported" is enumerated and the DiD recomputed; the two-sided p-value is the share of
  assignments with an absolute DiD at least as large as the observed one (Fisher 1935;
  Ernst 2004, "Permutation methods: a basis for exact inference", Statistical Science 19).
  With 4 of 21 kommuner that is C(21, 4) = 5 985 assignments, so exact is cheap.
* Bootstrap percentile intervals, resampling kommuner with replacement within each group
  with a seeded generator (Efron & Tibshirani 1993, ch. 13).
* Effect size: Hedges' g of the change scores with the small-sample correction
  (Hedges 1981; Cohen 1988), and the standardised baseline difference used to judge
  balance, flagged above 0.25 (What Works Clearinghouse 2020; Stuart 2010).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

MAX_EXACT_ASSIGNMENTS = 2_000_000
"""Above this many assignments the exact test refuses (it would take too long)."""

BALANCE_THRESHOLD = 0.25
"""|standardised baseline difference| above which groups are called unbalanced."""

_EPS = 1e-9


@dataclass(frozen=True)
class Unit:
    """One kommun's scores at baseline and follow-up."""

    code: str
    name: str
    baseline: float
    follow_up: float

    @property
    def change(self) -> float:
        return self.follow_up - self.baseline


def _validate(changes: Sequence[float], k: int) -> np.ndarray:
    values = np.asarray(changes, dtype=float)
    if values.ndim != 1:
        raise ValueError("changes must be a flat list of numbers")
    if not np.all(np.isfinite(values)):
        raise ValueError("changes must all be finite numbers (no missing scores)")
    n = len(values)
    if not 1 <= k < n:
        raise ValueError(f"the supported group needs between 1 and {n - 1} kommuner; got {k}")
    return values


def did(treated_changes: Sequence[float], control_changes: Sequence[float]) -> float:
    """Mean change in the treated group minus mean change in the comparison group."""
    if not treated_changes or not control_changes:
        raise ValueError("both groups need at least one kommun")
    return float(np.mean(treated_changes) - np.mean(control_changes))


@dataclass(frozen=True)
class PermutationResult:
    observed: float
    p_value: float
    assignments: int
    as_extreme: int
    smallest_possible_p: float
    """The p-value the most extreme assignment would give: the test cannot go lower."""
    method: str = "exact permutation test (all assignments), two-sided"


def exact_permutation_test(changes: Sequence[float], treated: Sequence[bool]) -> PermutationResult:
    """Two-sided exact permutation test of the DiD.

    ``changes`` are all kommuner's change scores, ``treated`` marks the supported ones.
    Every subset of the same size is tried as the supported group.
    """
    flags = np.asarray(treated, dtype=bool)
    k = int(flags.sum())
    values = _validate(changes, k)
    n = len(values)
    if len(flags) != n:
        raise ValueError("changes and treated must have the same length")
    total_assignments = math.comb(n, k)
    if total_assignments > MAX_EXACT_ASSIGNMENTS:
        raise ValueError(
            f"{total_assignments} assignments are too many for the exact test "
            f"(limit {MAX_EXACT_ASSIGNMENTS}); it is meant for small numbers of kommuner"
        )
    total = values.sum()
    observed = values[flags].sum() / k - (total - values[flags].sum()) / (n - k)
    index = np.fromiter(
        (i for combo in combinations(range(n), k) for i in combo),
        dtype=np.int64,
        count=total_assignments * k,
    ).reshape(total_assignments, k)
    sums = values[index].sum(axis=1)
    stats = sums / k - (total - sums) / (n - k)
    magnitude = np.abs(stats)
    as_extreme = int(np.sum(magnitude >= abs(observed) - _EPS))
    top = magnitude.max()
    smallest = int(np.sum(magnitude >= top - _EPS)) / total_assignments
    return PermutationResult(
        observed=float(observed),
        p_value=as_extreme / total_assignments,
        assignments=total_assignments,
        as_extreme=as_extreme,
        smallest_possible_p=smallest,
    )


@dataclass(frozen=True)
class Interval:
    estimate: float
    lower: float
    upper: float
    level: float
    replicates: int
    seed: int
    method: str = "bootstrap percentile, resampling kommuner within groups"


def bootstrap_did(
    treated_changes: Sequence[float],
    control_changes: Sequence[float],
    *,
    replicates: int = 4000,
    level: float = 0.95,
    seed: int = 20190101,
) -> Interval:
    """Percentile interval of the DiD, resampling each group with replacement."""
    t = np.asarray(treated_changes, dtype=float)
    c = np.asarray(control_changes, dtype=float)
    if len(t) == 0 or len(c) == 0:
        raise ValueError("both groups need at least one kommun")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1; got {level}")
    rng = np.random.default_rng(seed)
    tb = rng.choice(t, size=(replicates, len(t)), replace=True).mean(axis=1)
    cb = rng.choice(c, size=(replicates, len(c)), replace=True).mean(axis=1)
    stats = tb - cb
    alpha = (1 - level) / 2
    lower, upper = np.quantile(stats, [alpha, 1 - alpha])
    return Interval(
        did(t.tolist(), c.tolist()), float(lower), float(upper), level, replicates, seed
    )


def bootstrap_mean(
    values: Sequence[float], *, replicates: int = 4000, level: float = 0.95, seed: int = 20190102
) -> Interval:
    """Percentile interval of one group's mean change."""
    v = np.asarray(values, dtype=float)
    if len(v) == 0:
        raise ValueError("the group is empty")
    rng = np.random.default_rng(seed)
    stats = rng.choice(v, size=(replicates, len(v)), replace=True).mean(axis=1)
    alpha = (1 - level) / 2
    lower, upper = np.quantile(stats, [alpha, 1 - alpha])
    return Interval(
        float(v.mean()), float(lower), float(upper), level, replicates, seed, "bootstrap percentile"
    )


def hedges_g(a: Sequence[float], b: Sequence[float]) -> float | None:
    """Standardised mean difference (a − b) with Hedges' small-sample correction.

    None when it cannot be computed (fewer than two in a group, or no spread at all).
    """
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n1, n2 = len(x), len(y)
    if n1 < 2 or n2 < 2:
        return None
    pooled = ((n1 - 1) * x.var(ddof=1) + (n2 - 1) * y.var(ddof=1)) / (n1 + n2 - 2)
    if pooled <= 0:
        return None
    d = (x.mean() - y.mean()) / math.sqrt(pooled)
    correction = 1 - 3 / (4 * (n1 + n2) - 9)
    return float(d * correction)


def describe_g(g: float | None) -> str:
    """Cohen's (1988) conventional labels: negligible < 0.2 ≤ small < 0.5 ≤ medium < 0.8 ≤ large."""
    if g is None:
        return "not computed"
    size = abs(g)
    if size < 0.2:
        return "negligible"
    if size < 0.5:
        return "small"
    if size < 0.8:
        return "medium"
    return "large"


@dataclass
class GroupSummary:
    n: int
    baseline_mean: float
    follow_up_mean: float
    change: Interval


@dataclass
class Comparison:
    """One outcome (a prerequisite, a dimension or the index) compared between two groups."""

    outcome: str
    treated: GroupSummary
    control: GroupSummary
    did: Interval
    permutation: PermutationResult
    hedges_g: float | None
    effect_label: str
    baseline_smd: float | None
    balanced: bool | None
    excluded: list[str] = field(default_factory=list)


def compare(
    outcome: str,
    treated: Sequence[Unit],
    control: Sequence[Unit],
    *,
    seed: int = 20190101,
    replicates: int = 4000,
) -> Comparison:
    """Everything the evaluation page shows for one outcome."""
    if not treated or not control:
        raise ValueError(f"{outcome}: both groups need at least one kommun with both scores")
    tc = [u.change for u in treated]
    cc = [u.change for u in control]
    perm = exact_permutation_test(tc + cc, [True] * len(tc) + [False] * len(cc))
    smd = hedges_g([u.baseline for u in treated], [u.baseline for u in control])
    g = hedges_g(tc, cc)

    def summary(units: Sequence[Unit], changes: list[float], offset: int) -> GroupSummary:
        return GroupSummary(
            n=len(units),
            baseline_mean=float(np.mean([u.baseline for u in units])),
            follow_up_mean=float(np.mean([u.follow_up for u in units])),
            change=bootstrap_mean(changes, replicates=replicates, seed=seed + offset),
        )

    return Comparison(
        outcome=outcome,
        treated=summary(treated, tc, 1),
        control=summary(control, cc, 2),
        did=bootstrap_did(tc, cc, replicates=replicates, seed=seed),
        permutation=perm,
        hedges_g=g,
        effect_label=describe_g(g),
        baseline_smd=smd,
        balanced=None if smd is None else abs(smd) <= BALANCE_THRESHOLD,
    )

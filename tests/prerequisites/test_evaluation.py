"""Difference-in-differences, the exact permutation test (checked against a brute-force
enumeration written independently), bootstrap intervals and effect sizes."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from jamlik.prerequisites.evaluation import (
    Unit,
    bootstrap_did,
    compare,
    describe_g,
    did,
    exact_permutation_test,
    hedges_g,
)


def brute_force_p(changes: list[float], treated: list[bool]) -> Fraction:
    """Every 0/1 labelling of the kommuner with the same number of ones, by product()."""
    k = sum(treated)
    n = len(changes)

    def stat(labels: tuple[int, ...]) -> Fraction:
        exact = [Fraction(x).limit_denominator(10**6) for x in changes]
        t = [x for x, label in zip(exact, labels, strict=True) if label]
        c = [x for x, label in zip(exact, labels, strict=True) if not label]
        return sum(t) / len(t) - sum(c) / len(c)

    observed = abs(stat(tuple(int(x) for x in treated)))
    total = extreme = 0
    for labels in itertools.product((0, 1), repeat=n):
        if sum(labels) != k:
            continue
        total += 1
        if abs(stat(labels)) >= observed:
            extreme += 1
    assert total == math.comb(n, k)
    return Fraction(extreme, total)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_exact_permutation_p_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    n, k = 11, 4
    changes = [round(float(x), 1) for x in rng.normal(3, 10, size=n)]
    treated = [i < k for i in range(n)]
    changes[:k] = [c + 12 for c in changes[:k]]  # some effect so p varies across seeds
    result = exact_permutation_test(changes, treated)
    expected = brute_force_p(changes, treated)
    assert result.assignments == math.comb(n, k) == 330
    assert Fraction(result.as_extreme, result.assignments) == expected


def test_exact_permutation_with_ties_counts_equal_statistics_as_extreme():
    changes = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    result = exact_permutation_test(changes, [True, True, False, False, False, False])
    assert result.p_value == 1.0  # every assignment ties with the observed (zero) DiD
    assert result.observed == pytest.approx(0.0)


def test_most_extreme_split_gives_the_smallest_possible_p():
    # the two largest changes are the treated ones; no other pair gives as large a |DiD|
    changes = [10.0, 9.0, 0.0, 0.5, 1.0, 1.5]
    result = exact_permutation_test(changes, [True, True, False, False, False, False])
    assert result.as_extreme == 1
    assert result.p_value == pytest.approx(1 / 15)
    assert result.smallest_possible_p == pytest.approx(1 / 15)
    assert result.observed == pytest.approx(9.5 - 0.75)


def test_did_is_difference_of_mean_changes():
    assert did([10, 20], [1, 2, 3]) == pytest.approx(15 - 2)


def test_refusals_name_the_problem():
    with pytest.raises(ValueError, match="between 1 and 2"):
        exact_permutation_test([1, 2, 3], [True, True, True])
    with pytest.raises(ValueError, match="finite"):
        exact_permutation_test([1, float("nan"), 3], [True, False, False])
    with pytest.raises(ValueError, match="too many"):
        exact_permutation_test(list(range(60)), [i < 30 for i in range(60)])
    with pytest.raises(ValueError, match="both groups"):
        bootstrap_did([], [1.0])


def test_bootstrap_is_seeded_and_brackets_the_estimate():
    t, c = [20.0, 25.0, 30.0, 22.0], [1.0, 3.0, -2.0, 4.0, 0.0, 5.0, 2.0]
    a = bootstrap_did(t, c, seed=7)
    b = bootstrap_did(t, c, seed=7)
    assert (a.lower, a.upper) == (b.lower, b.upper)
    assert a.lower < a.estimate < a.upper
    assert a.estimate == pytest.approx(np.mean(t) - np.mean(c))
    # the interval of a DiD cannot be wider than the extremes of the resampled means
    assert a.lower >= min(t) - max(c) and a.upper <= max(t) - min(c)


def test_hedges_g_matches_the_textbook_formula():
    a, b = [5.0, 7.0, 9.0], [1.0, 2.0, 3.0, 4.0]
    sp = math.sqrt(((3 - 1) * np.var(a, ddof=1) + (4 - 1) * np.var(b, ddof=1)) / (3 + 4 - 2))
    d = (7 - 2.5) / sp
    assert hedges_g(a, b) == pytest.approx(d * (1 - 3 / (4 * 7 - 9)))
    assert hedges_g([1.0], b) is None
    assert hedges_g([1.0, 1.0], [1.0, 1.0]) is None
    assert describe_g(0.1) == "negligible" and describe_g(-0.6) == "medium"
    assert describe_g(0.9) == "large" and describe_g(None) == "not computed"


def test_compare_puts_it_together():
    treated = [Unit(f"t{i}", "", 40.0 + i, 70.0 + i) for i in range(4)]
    control = [Unit(f"c{i}", "", 50.0 + i, 52.0 + i % 3) for i in range(8)]
    result = compare("index", treated, control, replicates=500)
    assert result.did.estimate == pytest.approx(30 - np.mean([2 + i % 3 - i for i in range(8)]))
    assert result.permutation.p_value == pytest.approx(1 / math.comb(12, 4))
    assert result.balanced is False  # treated started about 10 points lower
    assert result.treated.n == 4 and result.control.n == 8

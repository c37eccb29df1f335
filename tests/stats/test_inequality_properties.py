"""Properties every summary measure of inequality must have (hypothesis).

1. The order in which subgroups are listed does not matter: permuting ``est``,
   ``se``, ``pop``, ``subgroup_order`` and ``reference_subgroup`` together leaves
   every measure, its standard error and its limits unchanged (simulated limits
   included: the draws follow the subgroups, not their positions).
2. Units: multiplying the estimates and their standard errors by c (a
   proportion given as a percentage instead of a fraction, a rate per 100 000
   instead of per 1 000 ...; ``scaleval`` follows) multiplies an absolute
   measure by c, a variance by c^2, and leaves a relative measure unchanged.
   Which applies follows from each measure's definition (table below).

The inputs are proportions k / n with binomial standard errors, distinct
between subgroups (with tied estimates the "highest" of D and R is ambiguous).
Simulated measures truncate their draws at 0, and also at 100 when ``scaleval``
is 100 (a percentage; healthequal does the same), so c = 100 is left out of the
unit test: a fraction has no upper bound there, and its percentage has one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jamlik.stats import inequality

FAST = settings(max_examples=50, deadline=None)
COLUMNS = ("estimate", "se", "lowerci", "upperci")

#: Exponent of c in each property: 1 absolute (difference), 0 relative (ratio), 2 variance.
ABSOLUTE, RELATIVE, VARIANCE = 1, 0, 2

Inputs = dict[str, Any]


def _measures() -> dict[str, tuple[Callable[[Inputs], pd.DataFrame], int, int]]:
    """name -> (call on the inputs, power of c of the estimate and limits, of the se)."""

    def simulated(function: Callable[..., pd.DataFrame], **extra: Any) -> Callable:
        return lambda x: function(
            x["est"], x["se"], x["pop"], scaleval=x["scale"], sim=200, seed=5, **extra
        )

    def with_reference(function: Callable[..., pd.DataFrame]) -> Callable:
        return lambda x: function(
            x["est"], x["se"], x["pop"], scaleval=x["scale"], reference_subgroup=x["ref"],
            sim=200, seed=5,
        )  # fmt: skip

    def attributable(function: Callable[..., pd.DataFrame], ordered: int) -> Callable:
        return lambda x: function(
            x["est"], x["pop"], favourable_indicator=x["fav"], ordered_dimension=ordered,
            subgroup_order=x["order"] if ordered else None, scaleval=x["scale"],
        )  # fmt: skip

    def pair(function: Callable[..., pd.DataFrame], how: str) -> Callable:
        options: dict[str, Callable[[Inputs], dict[str, Any]]] = {
            "highest/lowest": lambda x: {"ordered_dimension": 0},
            "reference": lambda x: {"ordered_dimension": 0, "reference_subgroup": x["ref"]},
            "ordered": lambda x: {"ordered_dimension": 1, "subgroup_order": x["order"]},
        }
        return lambda x: function(
            x["est"], x["se"], favourable_indicator=x["fav"], **options[how](x)
        )

    return {
        **{f"d ({how})": (pair(inequality.d, how), ABSOLUTE, ABSOLUTE) for how in
           ("highest/lowest", "reference", "ordered")},
        **{f"r ({how})": (pair(inequality.r, how), RELATIVE, RELATIVE) for how in
           ("highest/lowest", "reference", "ordered")},
        "bgv": (lambda x: inequality.bgv(x["est"], x["se"], x["pop"]), VARIANCE, VARIANCE),
        "bgsd": (simulated(inequality.bgsd), ABSOLUTE, ABSOLUTE),
        "cov": (
            lambda x: inequality.cov(
                x["est"], x["se"], x["pop"], scaleval=x["scale"], sim=200, seed=5
            ),
            RELATIVE, RELATIVE,
        ),
        "idisu": (simulated(inequality.idisu), RELATIVE, RELATIVE),
        "idisw": (simulated(inequality.idisw), RELATIVE, RELATIVE),
        "mdmu": (simulated(inequality.mdmu), ABSOLUTE, ABSOLUTE),
        "mdmw": (simulated(inequality.mdmw), ABSOLUTE, ABSOLUTE),
        "mdbu": (
            lambda x: inequality.mdbu(
                x["est"], x["se"], x["pop"], x["fav"], scaleval=x["scale"], sim=200, seed=5
            ),
            ABSOLUTE, ABSOLUTE,
        ),
        "mdbw": (
            lambda x: inequality.mdbw(
                x["est"], x["se"], x["pop"], x["fav"], scaleval=x["scale"], sim=200, seed=5
            ),
            ABSOLUTE, ABSOLUTE,
        ),
        "mdru": (with_reference(inequality.mdru), ABSOLUTE, ABSOLUTE),
        "mdrw": (with_reference(inequality.mdrw), ABSOLUTE, ABSOLUTE),
        "mld": (lambda x: inequality.mld(x["est"], x["se"], x["pop"]), RELATIVE, RELATIVE),
        "ti": (lambda x: inequality.ti(x["est"], x["se"], x["pop"]), RELATIVE, RELATIVE),
        "paf (ordered)": (attributable(inequality.paf, 1), RELATIVE, RELATIVE),
        "paf (non-ordered)": (attributable(inequality.paf, 0), RELATIVE, RELATIVE),
        "parisk (ordered)": (attributable(inequality.parisk, 1), ABSOLUTE, ABSOLUTE),
        "parisk (non-ordered)": (attributable(inequality.parisk, 0), ABSOLUTE, ABSOLUTE),
        "aci": (lambda x: inequality.aci(x["est"], x["order"], x["pop"]), ABSOLUTE, ABSOLUTE),
        "rci": (
            lambda x: inequality.rci(x["est"], x["order"], x["scale"], x["pop"]),
            RELATIVE, RELATIVE,
        ),
        # The SII's se is on the 0-1 scale of the logistic fit (healthequal), so it
        # does not change with the indicator's unit; its estimate and limits do.
        "sii": (
            lambda x: inequality.sii(x["est"], x["order"], x["pop"], x["scale"]),
            ABSOLUTE, RELATIVE,
        ),
        "rii": (
            lambda x: inequality.rii(x["est"], x["order"], x["pop"], scaleval=x["scale"]),
            RELATIVE, RELATIVE,
        ),
    }  # fmt: skip


MEASURES = _measures()


def test_every_measure_is_covered():
    names = {name.split(" ")[0] for name in MEASURES}
    assert names == set(inequality.__all__)


@st.composite
def subgroups(draw: st.DrawFn) -> Inputs:
    """3 to 8 subgroups of a proportion (as a fraction, scale 1) with binomial se."""
    n = draw(st.integers(min_value=3, max_value=8))
    pop = np.array(draw(st.lists(st.integers(20, 50_000), min_size=n, max_size=n)), dtype=float)
    events = np.array([draw(st.integers(1, int(p) - 1)) for p in pop], dtype=float)
    est = events / pop
    assume(len(np.unique(est)) == n)
    ref = np.zeros(n)
    ref[draw(st.integers(0, n - 1))] = 1
    return {
        "est": est,
        "se": np.sqrt(est * (1 - est) / pop),
        "pop": pop,
        "order": np.array(draw(st.permutations(range(1, n + 1))), dtype=float),
        "ref": ref,
        "fav": draw(st.sampled_from([0, 1])),
        "scale": 1.0,
    }


def _row(out: pd.DataFrame) -> np.ndarray:
    return out.iloc[0][list(COLUMNS)].to_numpy(dtype=float)


def _assert_close(actual: np.ndarray, expected: np.ndarray, what: str) -> None:
    np.testing.assert_allclose(
        actual, expected, rtol=1e-8, atol=1e-12 * (1 + np.nanmax(np.abs(expected))),
        equal_nan=True, err_msg=what,
    )  # fmt: skip


@FAST
@given(subgroups(), st.data())
def test_listing_the_subgroups_in_another_order_changes_nothing(inputs, data):
    permutation = np.array(data.draw(st.permutations(range(len(inputs["est"])))))
    permuted = {
        key: value[permutation] if isinstance(value, np.ndarray) else value
        for key, value in inputs.items()
    }
    for name, (call, _, _) in MEASURES.items():
        _assert_close(_row(call(permuted)), _row(call(inputs)), f"{name} after reordering")


@FAST
@given(subgroups(), st.sampled_from([0.01, 0.5, 3.0, 1000.0, 100_000.0]))
def test_changing_the_unit_scales_absolute_measures_and_keeps_relative_ones(inputs, c):
    scaled = {**inputs, "est": inputs["est"] * c, "se": inputs["se"] * c, "scale": c}
    for name, (call, power, se_power) in MEASURES.items():
        base, out = _row(call(inputs)), _row(call(scaled))
        factors = np.array([c**power, c**se_power, c**power, c**power])
        _assert_close(out, base * factors, f"{name} with the unit multiplied by {c}")

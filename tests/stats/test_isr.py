"""Indirectly standardised rates and ratios against PHEindicatormethods.

Source: shared/reference/phe/DSR_ISR__testresults_ISR.csv (inputs
DSR_ISR__testdata_multiarea_isr.csv and DSR_ISR__refdata.csv; the Area1/Area2
rows use DSR_ISR__testdata_err2.csv, where a zero population is allowed for
indirect standardisation). Tolerance: 1e-9 relative.
"""

from __future__ import annotations

import numpy as np
import pytest

from jamlik.stats import isr, smr

RTOL = 1e-9
LEVELS = {"95_0cl": 0.95, "99_8cl": 0.998}
CASES = [
    ("indirectly standardised rate per 100000", isr, 100_000),
    ("indirectly standardised rate per 1000", isr, 1_000),
    ("indirectly standardised ratio x 1", smr, 1),
    ("indirectly standardised ratio x 100", smr, 100),
]


def _check(out, exp, suffix):
    np.testing.assert_allclose(out["observed"], exp["observed"], rtol=RTOL)
    np.testing.assert_allclose(out["expected"], exp["expected"], rtol=RTOL)
    np.testing.assert_allclose(out["value"], exp["value"], rtol=RTOL)
    np.testing.assert_allclose(out["lower"], exp[f"lower{suffix}"], rtol=RTOL)
    np.testing.assert_allclose(out["upper"], exp[f"upper{suffix}"], rtol=RTOL)
    assert list(out["method"]) == list(exp["method"])


@pytest.mark.parametrize(("statistic", "function", "multiplier"), CASES)
@pytest.mark.parametrize("suffix", LEVELS)
def test_reference_multiarea(phe_csv, statistic, function, multiplier, suffix):
    data = phe_csv("DSR_ISR__testdata_multiarea_isr.csv")
    reference = phe_csv("DSR_ISR__refdata.csv")
    out = function(
        data, count="count", pop="pop", ref_count=reference["refcount"],
        ref_pop=reference["refpop"], by="area", multiplier=multiplier, confidence=LEVELS[suffix],
    ).set_index("area")  # fmt: skip
    ref = phe_csv("DSR_ISR__testresults_ISR.csv")
    exp = ref[(ref["statistic"] == statistic) & ref["area"].str.startswith("testdata")]
    exp = exp.set_index("area")
    _check(out.loc[exp.index], exp, suffix)
    if function is isr:
        np.testing.assert_allclose(out.loc[exp.index, "ref_rate"], exp["ref_rate"], rtol=RTOL)


@pytest.mark.parametrize(
    ("statistic", "function", "multiplier"),
    [
        ("indirectly standardised rate per 100000", isr, 100_000),
        ("indirectly standardised ratio x 100", smr, 100),
    ],
)
def test_reference_zero_population_band(phe_csv, statistic, function, multiplier):
    data = phe_csv("DSR_ISR__testdata_err2.csv")
    reference = phe_csv("DSR_ISR__refdata.csv")
    out = function(
        data, count="count", pop="pop", ref_count=reference["refcount"],
        ref_pop=reference["refpop"], by="area", multiplier=multiplier,
    ).set_index("area")  # fmt: skip
    ref = phe_csv("DSR_ISR__testresults_ISR.csv")
    exp = ref[(ref["statistic"] == statistic) & ref["area"].isin(["Area1", "Area2"])]
    _check(out.loc[exp["area"]], exp.set_index("area"), "95_0cl")


def test_reference_columns_in_data_work_too(phe_csv):
    data = phe_csv("DSR_ISR__testdata_multiarea_isr.csv").dropna(subset=["refcount"])
    big = data[data["area"] == "testdata_big"]
    out = isr(big, count="count", pop="pop", ref_count="refcount", ref_pop="refpop")
    assert out["observed"].iloc[0] == 895


def test_refusals(phe_csv):
    data = phe_csv("DSR_ISR__testdata_err3.csv")
    reference = phe_csv("DSR_ISR__refdata.csv")
    with pytest.raises(
        ValueError, match="count must be greater than or equal to zero; found -26.0"
    ):
        isr(
            phe_csv("DSR_ISR__testdata_err1.csv"), count="count", pop="pop",
            ref_count=reference["refcount"], ref_pop=reference["refpop"],
        )  # fmt: skip
    with pytest.raises(ValueError, match="pop must be greater than or equal to zero; found -558.0"):
        isr(
            data,
            count="count",
            pop="pop",
            ref_count=reference["refcount"],
            ref_pop=reference["refpop"],
        )
    with pytest.raises(ValueError, match="ref_count must have one value per age band: it has 18"):
        smr(
            phe_csv("DSR_ISR__testdata_multiarea.csv"), count="count", pop="pop",
            ref_count=reference["refcount"][:18], ref_pop=reference["refpop"][:18], by="area",
        )  # fmt: skip
    with pytest.raises(ValueError, match="ref_pop must be greater than zero"):
        isr(
            data.assign(pop=1),
            count="count",
            pop="pop",
            ref_count=reference["refcount"],
            ref_pop=reference["refpop"] * 0,
        )

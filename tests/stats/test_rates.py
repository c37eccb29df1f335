"""Crude rates (exact Poisson below 10, Byar's from 10) against PHEindicatormethods.

Source: shared/reference/phe/Rate__*.csv and Byars_Wilson__testdata_B_W.csv.
Tolerance: 1e-9 relative (closed forms).
"""

from __future__ import annotations

import numpy as np
import pytest

from jamlik.stats import rate
from jamlik.stats.rates import byars_limits

RTOL = 1e-9
LEVELS = {"95_0cl": 0.95, "99_8cl": 0.998}


@pytest.mark.parametrize("suffix", LEVELS)
def test_reference_rates(phe_csv, suffix):
    ref = phe_csv("Rate__testdata_Rate.csv")
    out = rate(ref["Numerator"], ref["Denominator"], confidence=LEVELS[suffix], multiplier=1)
    scale = ref["multiplier"].to_numpy()
    np.testing.assert_allclose(out["value"] * scale, ref["value"], rtol=RTOL, equal_nan=True)
    np.testing.assert_allclose(
        out["lower"] * scale, ref[f"lower{suffix}"], rtol=RTOL, equal_nan=True
    )
    np.testing.assert_allclose(
        out["upper"] * scale, ref[f"upper{suffix}"], rtol=RTOL, equal_nan=True
    )
    assert list(out["method"]) == list(ref["method"].fillna(""))


def test_reference_grouped_rates(phe_csv):
    data = phe_csv("Rate__testdata_Rate.csv")
    expected = phe_csv("Rate__testdata_Rate_g.csv")
    sums = data.groupby("Area", sort=False)[["Numerator", "Denominator"]].sum(min_count=1)
    sums = sums.loc[expected["Area"]]
    out = rate(sums["Numerator"], sums["Denominator"], multiplier=100_000)
    np.testing.assert_allclose(out["value"], expected["value"], rtol=RTOL, equal_nan=True)
    np.testing.assert_allclose(out["lower"], expected["lowercl"], rtol=RTOL, equal_nan=True)
    np.testing.assert_allclose(out["upper"], expected["uppercl"], rtol=RTOL, equal_nan=True)
    assert list(out["method"]) == list(expected["method"].fillna(""))


def test_reference_byars_counts(phe_csv):
    ref = phe_csv("Byars_Wilson__testdata_B_W.csv")
    rows = ref[ref["method"] == "Byars"]
    for _, row in rows.iterrows():
        level = 0.95 if row["confidence"] == "95%" else 0.998
        lower, upper = byars_limits(np.array([row["x"]], dtype=float), level)
        if np.isnan(row["lowercl"]):
            assert np.isnan(lower[0]), "Byar's lower limit undefined for this count"
        else:
            assert lower[0] == pytest.approx(row["lowercl"], rel=RTOL)
        assert upper[0] == pytest.approx(row["uppercl"], rel=RTOL)


def test_rate_may_exceed_one_per_person():
    out = rate([250], [220], multiplier=100_000)
    assert out["value"].iloc[0] == pytest.approx(113636.36363636365)


def test_zero_count_has_zero_lower_limit():
    out = rate([0], [1000])
    assert out["lower"].iloc[0] == 0
    assert out["upper"].iloc[0] > 0
    assert out["method"].iloc[0] == "Exact"


def test_refusals():
    with pytest.raises(ValueError, match="x must be greater than or equal to zero"):
        rate([-2], [10])
    with pytest.raises(ValueError, match="n must be greater than zero"):
        rate([2], [-10])
    with pytest.raises(ValueError, match="multiplier must be a positive number"):
        rate([2], [10], multiplier=0)

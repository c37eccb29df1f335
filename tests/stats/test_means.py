"""Means with Student's t limits against PHEindicatormethods.

Source: shared/reference/phe/Mean__testdata_Mean*.csv. Tolerance: 1e-9 relative.
"""

from __future__ import annotations

import numpy as np
import pytest

from jamlik.stats import mean

RTOL = 1e-9


@pytest.mark.parametrize(("suffix", "level"), [("95_0cl", 0.95), ("99_8cl", 0.998)])
def test_reference_means(phe_csv, suffix, level):
    data = phe_csv("Mean__testdata_Mean.csv")
    expected = phe_csv("Mean__testdata_Mean_results.csv").set_index("area")
    grouped = mean(data["values"], by=data["area"], confidence=level).set_index("group")
    overall = mean(data["values"], confidence=level).assign(group="No grouping")
    out = pd_concat(grouped, overall.set_index("group")).loc[expected.index]
    np.testing.assert_allclose(out["total"], expected["value_sum"], rtol=RTOL)
    np.testing.assert_allclose(out["count"], expected["value_count"], rtol=RTOL)
    np.testing.assert_allclose(out["sd"], expected["stdev"], rtol=RTOL)
    np.testing.assert_allclose(out["value"], expected["value"], rtol=RTOL)
    np.testing.assert_allclose(out["lower"], expected[f"lower{suffix}"], rtol=RTOL)
    np.testing.assert_allclose(out["upper"], expected[f"upper{suffix}"], rtol=RTOL)


def pd_concat(a, b):
    import pandas as pd

    return pd.concat([a, b])


def test_single_value_has_no_interval():
    out = mean([4.0])
    assert out["value"].iloc[0] == 4.0
    assert np.isnan(out["lower"].iloc[0])
    assert out["note"].iloc[0] == "interval needs at least two values"


def test_refusals():
    with pytest.raises(ValueError, match="values must not contain missing values"):
        mean([1.0, np.nan])
    with pytest.raises(ValueError, match="arguments must have the same length"):
        mean([1.0, 2.0], by=["a"])
    with pytest.raises(ValueError, match="at least one number"):
        mean([])

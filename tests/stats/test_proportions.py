"""Wilson (1927) proportions against PHEindicatormethods' reference values.

Source: shared/reference/phe/Proportion__*.csv and Byars_Wilson__testdata_B_W.csv.
Tolerance: 1e-9 relative (closed form).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jamlik.stats import proportion

RTOL = 1e-9
LEVELS = {"95_0cl": 0.95, "99_8cl": 0.998}


@pytest.mark.parametrize("suffix", LEVELS)
def test_reference_proportions(phe_csv, suffix):
    ref = phe_csv("Proportion__testdata_Prop.csv")
    out = proportion(ref["Numerator"], ref["Denominator"], confidence=LEVELS[suffix])
    scale = ref["multiplier"].to_numpy()
    for mine, theirs in (
        ("value", "value"),
        ("lower", f"lower{suffix}"),
        ("upper", f"upper{suffix}"),
    ):
        np.testing.assert_allclose(
            out[mine] * scale, ref[theirs], rtol=RTOL, equal_nan=True, err_msg=mine
        )


def test_reference_grouped_proportions(phe_csv):
    data = phe_csv("Proportion__testdata_Prop.csv")
    expected = phe_csv("Proportion__testdata_Prop_g.csv")
    sums = data.groupby("Area", sort=False)[["Numerator", "Denominator"]].sum(min_count=1)
    sums = sums.loc[expected["Area"]]
    out = proportion(sums["Numerator"], sums["Denominator"])
    scale = expected["multiplier"].to_numpy()
    np.testing.assert_allclose(out["value"] * scale, expected["value"], rtol=RTOL, equal_nan=True)
    np.testing.assert_allclose(out["lower"] * scale, expected["lowercl"], rtol=RTOL, equal_nan=True)
    np.testing.assert_allclose(out["upper"] * scale, expected["uppercl"], rtol=RTOL, equal_nan=True)


def test_reference_wilson_rows(phe_csv):
    ref = phe_csv("Byars_Wilson__testdata_B_W.csv")
    rows = ref[ref["method"] == "Wilson"]
    for _, row in rows.iterrows():
        level = 0.95 if row["confidence"] == "95%" else 0.998
        out = proportion([row["x"]], [row["n"]], confidence=level).iloc[0]
        assert out["lower"] == pytest.approx(row["lowercl"], rel=RTOL)
        assert out["upper"] == pytest.approx(row["uppercl"], rel=RTOL)


def test_percentage_multiplier_scales_everything():
    one = proportion([20], [100])
    pct = proportion([20], [100], multiplier=100)
    for column in ("value", "lower", "upper"):
        assert pct[column].iloc[0] == pytest.approx(one[column].iloc[0] * 100)


def test_missing_inputs_give_missing_results_with_a_note():
    out = proportion([np.nan, 5], [100, np.nan])
    assert out[["value", "lower", "upper"]].isna().all().all()
    assert (out["note"] == "missing numerator or denominator").all()


@pytest.mark.parametrize(
    ("x", "n", "message"),
    [
        ([11], [10], "x must be less than or equal to n; found x=11.0 above n=10.0 at position 0."),
        ([-1], [10], "x must be greater than or equal to zero; found -1.0 at position 0."),
        ([1], [0], "n must be greater than zero; found 0.0 at position 0."),
        ([1, 2], [10], "arguments must have the same length; x has 2, n has 1."),
        (["a"], [10], "x must be numeric"),
    ],
)
def test_refusals_name_the_argument_and_rule(x, n, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        proportion(x, n)


@pytest.mark.parametrize("confidence", [0.5, 0.8999, 1.0, 95])
def test_confidence_outside_range_is_refused(confidence):
    with pytest.raises(ValueError, match="confidence must be between 0.9 and 0.999"):
        proportion([1], [10], confidence=confidence)


def test_output_is_a_dataframe_with_value_lower_upper():
    out = proportion(pd.Series([1, 2]), pd.Series([10, 20]))
    assert {"value", "lower", "upper", "method", "confidence"} <= set(out.columns)
    assert (out["method"] == "Wilson").all()

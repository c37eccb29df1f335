"""Funnel plot limits and significance (Spiegelhalter 2005) against PHEindicatormethods.

Source: shared/reference/phe/testdata_funnel_*.csv.

Tolerances: proportions 1e-6 relative (the reference file is rounded to six
decimals). Ratio and rate limits come from the exact Poisson (chi-square)
relation here, while the reference finds them by bisection, stopping when its
step on v = E / (1 + obs + E) falls below 1e-7; so each expected count is
checked to within that bisection's own error, (1 + obs) * 1.2e-7 / (1 - v)^2,
plus 1e-9 relative. Significance bands must match exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jamlik.stats import funnel_limits, funnel_significance

PROPORTION_RTOL = 1e-6
BISECTION_STEP = 1.2e-7


def _bisection_tolerance(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    v = expected / (1 + observed + expected)
    return (1 + observed) * BISECTION_STEP / (1 - v) ** 2 + 1e-9 * expected


def _check_expected(mine: np.ndarray, theirs: np.ndarray, observed: np.ndarray, label: str):
    tolerance = _bisection_tolerance(observed, theirs)
    assert (np.abs(mine - theirs) <= tolerance).all(), label


PROPORTION_COLUMNS = {
    "population": "Population",
    "lower_2s_limit": "Lower2s0025limit",
    "upper_2s_limit": "Upper2s0025limit",
    "lower_3s_limit": "Lower3s0001limit",
    "upper_3s_limit": "Upper3s0001limit",
    "baseline": "Baseline",
}


@pytest.mark.parametrize(
    ("output", "subset"),
    [
        ("testdata_funnel_prop_outputs.csv", None),
        ("testdata_funnel_prop_outputs_with_axis_variation.csv", 31000),
    ],
)
def test_reference_proportion_limits(phe_csv, output, subset):
    inputs = phe_csv("testdata_funnel_prop_inputs.csv")
    if subset:
        inputs = inputs[inputs["denominator"] < subset]
    expected = phe_csv(output)
    out = funnel_limits(
        inputs["numerator"], inputs["denominator"], statistic="proportion", multiplier=100
    )
    assert len(out) == 100
    for mine, theirs in PROPORTION_COLUMNS.items():
        np.testing.assert_allclose(
            out[mine], expected[theirs], rtol=PROPORTION_RTOL, atol=5e-7, err_msg=mine
        )


def test_reference_proportion_significance(phe_csv):
    inputs = phe_csv("testdata_funnel_prop_inputs.csv")
    out = funnel_significance(inputs["numerator"], inputs["denominator"], statistic="proportion")
    assert list(out["significance"]) == list(inputs["significance"])


@pytest.mark.parametrize("ratio_type", ["count", "isr"])
def test_reference_ratio_limits(phe_csv, ratio_type):
    inputs = phe_csv("testdata_funnel_ratio_inputs.csv")
    expected = phe_csv("testdata_funnel_ratio_outputs.csv")
    out = funnel_limits(inputs["obs"], inputs["expected"], statistic="ratio", ratio_type=ratio_type)
    observed = expected["Observed_events"].to_numpy()
    np.testing.assert_array_equal(out["observed_events"], observed)
    for side in ("lower", "upper"):
        for band in ("2s", "3s"):
            mine_e = out[f"{side}_{band}_exp_events"].to_numpy()
            theirs_e = expected[f"{side}_{band}_exp_events"].to_numpy()
            _check_expected(mine_e, theirs_e, observed, f"{side}_{band}_exp_events")
            # The limit is observed / expected, so its tolerance follows from the above.
            ratio_tol = observed / theirs_e**2 * _bisection_tolerance(observed, theirs_e)
            scale = 1 if ratio_type == "count" else 100
            mine_l = out[f"{side}_{band}_limit"].to_numpy()
            theirs_l = expected[f"{side}_{band}_{ratio_type}"].to_numpy()
            assert (
                np.abs(mine_l - theirs_l) <= ratio_tol * scale * 1.01 + 1e-9 * np.abs(theirs_l)
            ).all()


def test_reference_ratio_significance(phe_csv):
    inputs = phe_csv("testdata_funnel_ratio_inputs.csv")
    out = funnel_significance(inputs["obs"], inputs["expected"], statistic="ratio")
    assert list(out["significance"]) == list(inputs["significance"])


def _rate_inputs(phe_csv, variant: str) -> pd.DataFrame:
    data = phe_csv("testdata_funnel_rate_input_funnels.csv")[["ev", "rate", "pop"]].copy()
    top = data["ev"] == data["ev"].max()
    if variant == "fewer than 10 events":
        data.loc[top, "ev"] = 5
    if variant == "zero events with denominator":
        data["pop"] = 1e5 * data["ev"] / data["rate"]
        data.loc[top, ["ev", "rate"]] = 0
        data = data[data["pop"] > data["pop"].max() / 2]
    return data


@pytest.mark.parametrize(
    ("variant", "rate_type", "output", "with_denominator"),
    [
        ("as given", "dsr", "testdata_funnel_rate_outputs.csv", False),
        ("fewer than 10 events", "crude", "testdata_funnel_rate_outputs_2.csv", False),
        ("zero events with denominator", "crude", "testdata_funnel_rate_outputs_3.csv", True),
    ],
)
def test_reference_rate_limits(phe_csv, variant, rate_type, output, with_denominator):
    data = _rate_inputs(phe_csv, variant)
    expected = phe_csv(output)
    out = funnel_limits(
        data["ev"], data["pop"] if with_denominator else None, rate=data["rate"],
        statistic="rate", rate_type=rate_type, multiplier=100_000, years_of_data=3,
    )  # fmt: skip
    events = expected["Events"].to_numpy()
    np.testing.assert_array_equal(out["events"], events)
    np.testing.assert_allclose(out["baseline"], expected["baseline"], rtol=1e-8)
    assert out["statistic"].iloc[0] == expected["statistic"].iloc[0]
    average = expected["baseline"].iloc[0] / 100_000
    for side in ("lower", "upper"):
        for band in ("2s", "3s"):
            column = f"{side}_{band}_population_1_year"
            theirs_e = expected[column].to_numpy() * 3 * average
            mine_e = out[column].to_numpy() * 3 * average
            _check_expected(mine_e, theirs_e, events, column)


@pytest.mark.parametrize(
    ("column", "rate_column", "rate_type", "multiplier", "drop_zero"),
    [
        ("dsr_per_100000_with_0", "rate_dsr", "dsr", 100_000, False),
        ("dsr_per_100000_without_0", "rate_dsr", "dsr", 100_000, True),
        ("dsr_per_100_without_0", "rate_dsr", "dsr", 100, True),
        ("crude_per_100000_with_0", "rate_crude_per_100000", "crude", 100_000, False),
        ("crude_per_100000_without_0", "rate_crude_per_100000", "crude", 100_000, True),
        ("crude_per_100_with_0", "rate_crude_per_100", "crude", 100, False),
        ("crude_per_100_without_0", "rate_crude_per_100", "crude", 100, True),
    ],
)
def test_reference_rate_significance(
    phe_csv, column, rate_column, rate_type, multiplier, drop_zero
):
    data = phe_csv("testdata_funnel_rate_dsr_inputs.csv")
    if drop_zero:
        data = data[data["count"] != 0]
    rates = pd.to_numeric(data[rate_column], errors="coerce").fillna(0)
    out = funnel_significance(
        data["count"], data["pop"], rate=rates, statistic="rate",
        rate_type=rate_type, multiplier=multiplier,
    )  # fmt: skip
    assert list(out["significance"]) == list(data[column])


def test_refusals():
    with pytest.raises(ValueError, match="numerator must be less than or equal to denominator"):
        funnel_significance([65, 80, 30], [100, 100, 20], statistic="proportion")
    with pytest.raises(ValueError, match="denominator must be greater than zero"):
        funnel_significance([65, 80, 30], [100, 100, 0], statistic="proportion")
    with pytest.raises(ValueError, match="numerator must be greater than or equal to zero"):
        funnel_significance([65, -80, 30], [100, 100, 200], statistic="proportion")
    with pytest.raises(ValueError, match="statistic must be one of"):
        funnel_limits([1], [2], statistic="pop")
    with pytest.raises(
        ValueError, match="denominator is required for rates when a numerator is zero"
    ):
        funnel_limits([0, 5], rate=[0, 3.0], statistic="rate", rate_type="crude", multiplier=100)


@pytest.mark.parametrize("function", [funnel_limits, funnel_significance])
@pytest.mark.parametrize("statistic", ["proportion", "ratio"])
def test_no_areas_is_refused_by_name(function, statistic):
    with pytest.raises(ValueError, match="numerator must hold at least one area; got none"):
        function([], [], statistic=statistic)

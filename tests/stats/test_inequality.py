"""WHO summary measures of inequality against healthequal's test cases.

Source: shared/reference/who/cases.csv (+ <case>__inputs.csv). Each case states
its own relative tolerance; every stated statistic (estimate, se, limits) is checked.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jamlik.stats import inequality

WHO = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "who"
CASES = pd.read_csv(WHO / "cases.csv") if (WHO / "cases.csv").exists() else pd.DataFrame()
COLUMN = {"se": "se", "lowerci": "lowerci", "upperci": "upperci"}


@pytest.mark.parametrize("case", CASES.to_dict("records"), ids=lambda c: c["case"])
def test_reference_case(who_dir, case):
    arguments = json.loads(case["arguments"])
    expected = json.loads(case["expected"])
    inputs = pd.read_csv(who_dir / f"{case['case']}__inputs.csv")
    kwargs = {name: inputs[column].to_numpy() for name, column in arguments.items()}
    result = getattr(inequality, case["function"])(**kwargs).iloc[0]
    checked = 0
    for key, text in expected.items():
        column = COLUMN.get(key, "estimate")
        if text == "NA":
            assert np.isnan(result[column]), f"{case['case']}: {key} should be undefined"
        else:
            assert result[column] == pytest.approx(float(text), rel=float(case["tolerance"])), (
                f"{case['case']}: {key}"
            )
        checked += 1
    assert checked == len(expected)


def test_every_result_has_both_naming_conventions():
    out = inequality.bgv([1.0, 2.0, 4.0], pop=[1, 1, 1], se=[0.1, 0.1, 0.1])
    assert list(out.columns) == [
        "measure", "estimate", "se", "lowerci", "upperci", "value", "lower", "upper",
    ]  # fmt: skip
    assert out["value"].iloc[0] == out["estimate"].iloc[0]


def test_difference_and_ratio_by_hand():
    est = [20.0, 30.0, 50.0]
    se = [1.0, 2.0, 2.0]
    # Ordered, favourable: most advantaged (order 3) minus most disadvantaged (order 1).
    out = inequality.d(
        est, se, favourable_indicator=1, ordered_dimension=1, subgroup_order=[1, 2, 3]
    )
    assert out["estimate"].iloc[0] == 30.0
    assert out["se"].iloc[0] == pytest.approx(np.sqrt(5.0))
    assert out["lowerci"].iloc[0] == pytest.approx(30 - 1.959963985 * np.sqrt(5.0))
    # Adverse indicator: the other way round.
    adverse = inequality.d(
        est, se, favourable_indicator=0, ordered_dimension=1, subgroup_order=[1, 2, 3]
    )
    assert adverse["estimate"].iloc[0] == -30.0
    ratio = inequality.r(
        est, se, favourable_indicator=1, ordered_dimension=1, subgroup_order=[1, 2, 3]
    )
    assert ratio["estimate"].iloc[0] == pytest.approx(2.5)
    log_se = np.sqrt((2.0**2 + 2.5**2 * 1.0**2) / 20.0**2) / 2.5
    assert ratio["se"].iloc[0] == pytest.approx(log_se)
    assert ratio["lowerci"].iloc[0] == pytest.approx(np.exp(np.log(2.5) - 1.959963985 * log_se))
    # Non-ordered with a reference subgroup (favourable): reference minus the lowest.
    ref = inequality.d([40.0, 30.0, 50.0], favourable_indicator=1, reference_subgroup=[1, 0, 0])
    assert ref["estimate"].iloc[0] == 10.0
    # Non-ordered without a reference: highest minus lowest.
    plain = inequality.d([40.0, 30.0, 50.0])
    assert plain["estimate"].iloc[0] == 20.0
    assert np.isnan(plain["se"].iloc[0])


def test_ratio_interval_is_the_log_scale_delta_method_on_the_estimates_standard_errors():
    """se are the subgroup estimates' own standard errors (natural scale), not se(log R)."""
    z = 1.959963985
    est = np.array([39.96, 27.96])
    # Standard errors read off each estimate's 95 % interval.
    lower, upper = np.array([37.12, 25.73]), np.array([42.80, 30.19])
    se = (upper - lower) / (2 * z)
    out = inequality.r(est, se).iloc[0]
    ratio = 39.96 / 27.96
    assert out["estimate"] == pytest.approx(ratio, rel=1e-12)
    assert round(out["estimate"], 3) == 1.429
    log_se = np.sqrt((se[0] / est[0]) ** 2 + (se[1] / est[1]) ** 2)
    assert out["se"] == pytest.approx(log_se, rel=1e-12), "result se is that of log(R)"
    assert out["lowerci"] == pytest.approx(np.exp(np.log(ratio) - z * log_se), rel=1e-9)
    assert out["upperci"] == pytest.approx(np.exp(np.log(ratio) + z * log_se), rel=1e-9)
    # Passing relative standard errors (se / est) instead gives a far too narrow interval.
    wrong = inequality.r(est, se / est).iloc[0]
    assert wrong["upperci"] - wrong["lowerci"] < (out["upperci"] - out["lowerci"]) / 10


def test_every_argument_of_every_measure_is_documented():
    """Each public measure says what each argument is and cites its method (a year)."""
    for name in inequality.__all__:
        function = getattr(inequality, name)
        doc = inspect.getdoc(function) or ""
        assert re.search(r"\b(19|20)\d\d\b", doc), f"{name} cites no dated source"
        for parameter in inspect.signature(function).parameters:
            assert f"``{parameter}``:" in doc, f"{name}: argument {parameter} is not described"


def test_coefficient_of_variation_by_hand():
    # mu = (10 + 20 + 2 x 30) / 4 = 22.5; BGV = (12.5^2 + 2.5^2 + 2 x 7.5^2) / 4 = 68.75.
    out = inequality.cov([10.0, 20.0, 30.0], pop=[1, 1, 2])
    assert list(out.columns) == list(inequality.bgv([1.0, 2.0, 4.0], pop=[1, 1, 1]).columns)
    assert out["measure"].iloc[0] == "cov"
    assert out["estimate"].iloc[0] == pytest.approx(100 * np.sqrt(68.75) / 22.5, rel=1e-12)
    assert np.isnan(out["lowerci"].iloc[0]), "no standard errors, no interval"


def test_coefficient_of_variation_is_100_bgsd_over_the_weighted_mean(who_dir):
    """HEAT technical notes: COV = 100 x BGSD / mu (healthequal ``covar``)."""
    inputs = pd.read_csv(who_dir / "bgsd__inputs.csv")
    mu = float(np.average(inputs["est"], weights=inputs["pop"]))
    # The healthequal test case's BGSD for these inputs (cases.csv, tolerance 1e-4).
    expected = 100 * 6.7969351 / mu
    out = inequality.cov(inputs["est"], inputs["se"], inputs["pop"], scaleval=100).iloc[0]
    assert out["estimate"] == pytest.approx(expected, rel=1e-4)
    bgsd = inequality.bgsd(inputs["est"], inputs["se"], inputs["pop"], scaleval=100).iloc[0]
    assert out["estimate"] == pytest.approx(100 * bgsd["estimate"] / mu, rel=1e-12)


def test_coefficient_of_variation_has_seeded_simulated_limits(who_dir):
    inputs = pd.read_csv(who_dir / "bgsd__inputs.csv")
    args = (inputs["est"], inputs["se"], inputs["pop"])
    out = inequality.cov(*args, scaleval=100, sim=500, seed=11).iloc[0]
    assert out["lowerci"] < out["estimate"] < out["upperci"]
    assert np.isnan(out["se"]), "simulated limits have no standard error"
    again = inequality.cov(*args, scaleval=100, sim=500, seed=11).iloc[0]
    assert (again["lowerci"], again["upperci"]) == (out["lowerci"], out["upperci"])
    # The same draws as BGSD's: every simulated COV is 100 x simulated BGSD / its mean,
    # so with the same seed the relative spread of both intervals is alike.
    bgsd = inequality.bgsd(*args, scaleval=100, sim=500, seed=11).iloc[0]
    assert (out["upperci"] - out["lowerci"]) / out["estimate"] == pytest.approx(
        (bgsd["upperci"] - bgsd["lowerci"]) / bgsd["estimate"], rel=0.1
    )
    # Like BGSD (and healthequal), limits need scaleval to know the indicator's range.
    assert np.isnan(inequality.cov(*args).iloc[0]["lowerci"])


def test_coefficient_of_variation_refuses_a_zero_mean():
    with pytest.raises(ValueError, match="cov is undefined: the population-weighted mean"):
        inequality.cov([0.0, 0.0, 0.0], pop=[1, 2, 3])


@pytest.mark.parametrize(
    ("est", "pop", "order"),
    [
        (
            [0.85185185, 0.05, 0.04761905, 0.04545455, 0.04347826, 0.04166667, 0.04],
            [54, 20, 21, 22, 23, 24, 25],
            [3, 2, 1, 4, 5, 6, 7],
        ),
        (
            [207 / 237, 1 / 45984, 80 / 91, 1 / 2976],
            [237, 45984, 91, 2976],
            [1, 2, 3, 4],
        ),
    ],
)
def test_regression_sii_converges_where_plain_newton_steps_overshoot(est, pop, order):
    """Found by the property tests: unguarded Newton (IRLS) steps diverged on these
    subgroups (overflow, a singular matrix, then NaN or an error)."""
    from scipy import optimize

    est, pop, order = (np.asarray(v, dtype=float) for v in (est, pop, order))
    # The same model fitted independently: counts out of pop, weighted by pop
    # (healthequal's glm(cbind(events, pop - events) ~ rank, weights = pop)).
    sort = np.argsort(order)
    share = pop[sort] / pop.sum()
    rank = np.cumsum(share) - share / 2
    proportion = np.round(est[sort] * pop[sort]) / pop[sort]
    weight = pop[sort] ** 2 / np.sum(pop**2)
    design = np.column_stack([np.ones_like(rank), rank])

    def minus_log_likelihood(beta):
        eta = design @ beta
        return np.sum(
            weight * (proportion * np.logaddexp(0, -eta) + (1 - proportion) * np.logaddexp(0, eta))
        )

    fit = optimize.minimize(
        minus_log_likelihood, np.zeros(2), method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-16, "maxiter": 20_000},
    )  # fmt: skip
    bottom, top = 1 / (1 + np.exp(-np.array([fit.x[0], fit.x.sum()])))
    out = inequality.sii(est, order, pop, 1.0).iloc[0]
    assert out["estimate"] == pytest.approx(top - bottom, rel=1e-6)
    assert np.isfinite([out["lowerci"], out["upperci"]]).all()
    rii = inequality.rii(est, order, pop, scaleval=1.0).iloc[0]
    assert rii["estimate"] == pytest.approx(top / bottom, rel=1e-6)


def test_simulated_limits_bracket_the_estimate(who_dir):
    inputs = pd.read_csv(who_dir / "mdbw__inputs.csv")
    out = inequality.mdbw(
        inputs["est"],
        inputs["pop"],
        inputs["se"],
        favourable_indicator=1,
        scaleval=100,
        sim=200,
        seed=7,
    ).iloc[0]
    assert out["lowerci"] < out["upperci"]
    assert np.isnan(out["se"])
    again = inequality.mdbw(
        inputs["est"],
        inputs["pop"],
        inputs["se"],
        favourable_indicator=1,
        scaleval=100,
        sim=200,
        seed=7,
    ).iloc[0]
    assert again["lowerci"] == out["lowerci"], "a fixed seed gives the same limits"


def test_positional_order_follows_healthequal():
    est, se, pop = [61.0, 74.0, 58.0, 59.0], [5.0, 3.0, 3.0, 3.0], [832, 931, 1468, 1021]
    assert inequality.bgv(est, se, pop).equals(inequality.bgv(est, pop=pop, se=se))
    assert inequality.mld(est, se, pop).equals(inequality.mld(est, pop=pop, se=se))
    assert inequality.mdrw(est, se, pop, 100, [1, 0, 0, 0]).equals(
        inequality.mdrw(est, pop=pop, se=se, scaleval=100, reference_subgroup=[1, 0, 0, 0])
    )


def test_setting_average_without_population():
    out = inequality.paf(
        [20.0, 30.0, 60.0], favourable_indicator=1, ordered_dimension=0, setting_average=40.0
    )
    assert out["estimate"].iloc[0] == pytest.approx(50.0)
    assert np.isnan(out["se"].iloc[0])


def test_no_limits_without_standard_errors():
    out = inequality.idisw([50.0, 60.0, 70.0], pop=[1, 2, 3])
    assert np.isnan(out["lowerci"].iloc[0])
    assert out["estimate"].iloc[0] > 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: inequality.bgv([1.0, 2.0], pop=[1, 1]), "est must hold at least 3 subgroups"),
        (lambda: inequality.bgv([1.0, 2.0, 3.0], pop=[0, 0, 0]), "pop must be above zero"),
        (
            lambda: inequality.rii([1.0, 2.0, 3.0], [1, 2, 4], [1, 1, 1]),
            "subgroup_order must number",
        ),
        (
            lambda: inequality.sii([5.0, 5.0, 5.0], [1, 2, 3], [1, 1, 1]),
            "same value in every subgroup",
        ),
        (
            lambda: inequality.mdru([1.0, 2.0, 3.0], pop=[1, 1, 1], reference_subgroup=[1, 1, 0]),
            "exactly one",
        ),
        (
            lambda: inequality.paf(
                [1.0, 2.0, 3.0],
                [1, 1, 1],
                favourable_indicator=[1, 0, 1],
                ordered_dimension=0,
                scaleval=100,
            ),
            "favourable_indicator must be a single 0 or 1",
        ),
        (
            lambda: inequality.aci([1.0, 2.0, 3.0], [1, 2, 3], conf_level=0.5),
            "conf_level must be between",
        ),
        (
            lambda: inequality.rci([0.0, 0.0, 0.0], [1, 2, 3]),
            "rci is undefined: the population-weighted mean of est is zero",
        ),
    ],
)
def test_refusals(call, message):
    with pytest.raises(ValueError, match=message):
        call()

"""Summary measures of health inequality across population subgroups.

The measures and their names follow WHO's Health Equity Assessment Toolkit and
its reference implementation ``healthequal`` (WHO), described in
Schlotheuber, A. & Hosseinpoor, A. R. (2022). Summary measures of health
inequality: a review of existing measures and their application. International
Journal of Environmental Research and Public Health 19(6), 3697.

Standard errors: Ahn, J. et al. (2018), Variance estimation and confidence
intervals for 11 commonly used health disparity measures, JCO Clinical Cancer
Informatics 2, 1-19 (BGV, MLD, TI, D, R); Walter, S. D. (1978), Calculation of
attributable risks from epidemiological data, International Journal of
Epidemiology 7, 175-182 (PAF, PAR). Measures without a closed-form variance
(BGSD, COV, IDIS, MD*) get Monte Carlo limits: subgroup estimates are redrawn from
normal distributions truncated to the indicator's range (Ahn, J. et al. 2019,
Improved Monte Carlo methods ..., PLoS One 14(7)), each subgroup with its own
stream of random numbers whatever its position, so that with a fixed seed the
limits do not depend on the order of the subgroups. The concentration indices
use the convenient-regression formulation (Kakwani, Wagstaff & van Doorslaer
1997, Journal of Econometrics 77, 87-103); the regression-based SII and RII fit
a logistic model of the estimate on the subgroups' mid-point ranks with
heteroskedasticity-robust (HC1) standard errors (White 1980; delta method).

Every function returns a one-row DataFrame with ``measure``, ``estimate``,
``se``, ``lowerci``, ``upperci`` (healthequal's names) and the same numbers as
``value``, ``lower``, ``upper`` (the names used everywhere else in
:mod:`jamlik.stats`). Missing pieces (no standard errors given) are NaN.
Reference values: ``shared/reference/who/``.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy import special
from scipy import stats as sps

from jamlik.stats.validation import (
    FloatArray,
    as_float_array,
    check_confidence,
    check_same_length,
)

DEFAULT_SIMULATIONS = 100
DEFAULT_SEED = 123456
ZERO_REPLACEMENT = 1e-6
#: Largest change of a logistic coefficient in one Newton step (SII and RII fits).
MAX_LOGIT_STEP = 4.0

__all__ = [
    "aci",
    "bgsd",
    "bgv",
    "cov",
    "d",
    "idisu",
    "idisw",
    "mdbu",
    "mdbw",
    "mdmu",
    "mdmw",
    "mdru",
    "mdrw",
    "mld",
    "paf",
    "parisk",
    "r",
    "rci",
    "rii",
    "sii",
    "ti",
]


# --- shared helpers -------------------------------------------------------------


def _result(
    measure: str, estimate: float, se: float = np.nan, lower: float = np.nan, upper: float = np.nan
) -> pd.DataFrame:
    row = {
        "measure": measure,
        "estimate": float(estimate),
        "se": float(se),
        "lowerci": float(lower),
        "upperci": float(upper),
    }
    row.update({"value": row["estimate"], "lower": row["lowerci"], "upper": row["upperci"]})
    return pd.DataFrame([row])


def _z(conf_level: float) -> float:
    return float(sps.norm.ppf(0.5 + check_confidence(conf_level, "conf_level") / 2))


def _normal_interval(measure: str, estimate: float, se: float, conf_level: float) -> pd.DataFrame:
    z = _z(conf_level)
    return _result(measure, estimate, se, estimate - z * se, estimate + z * se)


def _estimates(est: Any, minimum: int = 3) -> FloatArray:
    values = as_float_array(est, "est")
    if len(values) < minimum:
        raise ValueError(
            f"est must hold at least {minimum} subgroups for this measure; got {len(values)}."
        )
    return values


def _population_shares(pop: Any, n: int) -> FloatArray:
    if pop is None:
        raise ValueError("pop is required: give the population of each subgroup.")
    population = as_float_array(pop, "pop")
    if len(population) != n:
        raise ValueError(f"pop must have one value per subgroup ({n}); got {len(population)}.")
    if (population < 0).any():
        raise ValueError("pop must be greater than or equal to zero in every subgroup.")
    if population.sum() <= 0:
        raise ValueError("pop must be above zero in at least one subgroup; all are zero.")
    return population / population.sum()


def _optional_se(se: Any, n: int) -> FloatArray | None:
    if se is None:
        return None
    values = as_float_array(se, "se", allow_nan=True)
    if len(values) != n:
        raise ValueError(f"se must have one value per subgroup ({n}); got {len(values)}.")
    if np.isnan(values).any():
        return None
    if (values < 0).any():
        raise ValueError("se must be greater than or equal to zero.")
    return values


def _single_flag(values: Any, name: str, n: int) -> int:
    """A 0/1 flag given once or repeated per subgroup (it must then be constant)."""
    array = np.atleast_1d(np.asarray(values))
    if array.size not in (1, n):
        raise ValueError(f"{name} must be one value or one per subgroup; got {array.size}.")
    unique = np.unique(array)
    if len(unique) != 1 or unique[0] not in (0, 1):
        raise ValueError(f"{name} must be a single 0 or 1 for the whole indicator; got {unique!r}.")
    return int(unique[0])


def _scale(scaleval: Any, n: int) -> float | None:
    if scaleval is None:
        return None
    array = np.atleast_1d(np.asarray(scaleval, dtype=np.float64))
    if array.size not in (1, n) or len(np.unique(array)) != 1 or array[0] <= 0:
        raise ValueError(
            f"scaleval must be one positive value for the indicator (e.g. 100 for a "
            f"percentage); got {np.unique(array)!r}."
        )
    return float(array[0])


def _order(subgroup_order: Any, n: int) -> FloatArray:
    order = as_float_array(subgroup_order, "subgroup_order")
    if len(order) != n:
        raise ValueError(
            f"subgroup_order must have one value per subgroup ({n}); got {len(order)}."
        )
    ranks = np.sort(order)
    if (np.diff(ranks) != 1).any() or (ranks % 1 != 0).any():
        raise ValueError(
            "subgroup_order must number the subgroups 1, 2, 3, ... from the most "
            f"disadvantaged; got {order.tolist()}."
        )
    return order


def _midpoint_ranks(pop: FloatArray) -> FloatArray:
    """Mid-point of each subgroup's share of the cumulative population (0..1)."""
    share = pop / pop.sum()
    return np.cumsum(share) - share / 2


def _simulate(
    est: FloatArray, se: FloatArray, scaleval: float, sim: int, seed: int | None
) -> FloatArray:
    """Draw ``sim`` sets of subgroup estimates, each truncated to the indicator range."""
    upper = 100.0 if scaleval == 100 else np.inf
    safe_se = np.where(se > 0, se, 1e-12)
    a = (0.0 - est) / safe_se
    b = (upper - est) / safe_se
    rng = np.random.default_rng(seed)
    draws = sps.truncnorm.rvs(a, b, loc=est, scale=safe_se, size=(sim, len(est)), random_state=rng)
    return np.asarray(draws, dtype=np.float64)


def _simulated_limits(samples: FloatArray, conf_level: float) -> tuple[float, float]:
    tail = (1 - check_confidence(conf_level, "conf_level")) / 2
    lower, upper = np.quantile(samples, [tail, 1 - tail])
    return float(lower), float(upper)


def _simulated(
    measure: str,
    statistic: Any,
    est: FloatArray,
    se: FloatArray | None,
    scaleval: float | None,
    sim: int,
    seed: int | None,
    conf_level: float,
    traits: tuple[FloatArray, ...] = (),
) -> pd.DataFrame:
    """Point estimate plus Monte Carlo limits (when se and scaleval are known).

    The subgroups are drawn in a canonical order (by estimate, then se, then
    their other ``traits`` such as population share), so that each subgroup
    gets the same random numbers wherever it is listed: the limits do not
    depend on the order of the rows.
    """
    estimate = float(statistic(est[np.newaxis, :])[0])
    if se is None or scaleval is None:
        return _result(measure, estimate)
    if sim < 10:
        raise ValueError(f"sim must be at least 10 simulations; got {sim}.")
    canonical = np.lexsort((*reversed(traits), se, est))
    draws = np.empty((sim, len(est)))
    draws[:, canonical] = _simulate(est[canonical], se[canonical], scaleval, sim, seed)
    samples = statistic(draws)
    lower, upper = _simulated_limits(samples, conf_level)
    return _result(measure, estimate, np.nan, lower, upper)


# --- two-subgroup measures --------------------------------------------------------


def _pair(
    est: FloatArray,
    favourable: int,
    ordered: int,
    order: FloatArray | None,
    reference: FloatArray | None,
) -> tuple[int, int]:
    """Indices of (y1, y2): the numerator/minuend and denominator/subtrahend."""
    if ordered:
        if order is None:
            raise ValueError("subgroup_order is required when ordered_dimension is 1.")
        most_advantaged = int(np.argmax(order))
        most_disadvantaged = int(np.argmin(order))
        if favourable:
            return most_advantaged, most_disadvantaged
        return most_disadvantaged, most_advantaged
    highest, lowest = int(np.argmax(est)), int(np.argmin(est))
    if reference is not None and reference.sum() > 0:
        if reference.sum() != 1:
            raise ValueError("reference_subgroup must mark exactly one subgroup with 1.")
        ref = int(np.argmax(reference))
        return (ref, lowest) if favourable else (highest, ref)
    return highest, lowest


def _pair_inputs(
    est: Any,
    se: Any,
    favourable_indicator: Any,
    ordered_dimension: Any,
    subgroup_order: Any,
    reference_subgroup: Any,
) -> tuple[FloatArray, FloatArray | None, int, int]:
    values = _estimates(est, minimum=2)
    n = len(values)
    favourable = _single_flag(favourable_indicator, "favourable_indicator", n)
    ordered = (
        0 if ordered_dimension is None else _single_flag(ordered_dimension, "ordered_dimension", n)
    )
    order = None if subgroup_order is None else _order(subgroup_order, n)
    reference = (
        None
        if reference_subgroup is None
        else as_float_array(reference_subgroup, "reference_subgroup")
    )
    i, j = _pair(values, favourable, ordered, order, reference)
    return values, _optional_se(se, n), i, j


def d(
    est: Any,
    se: Any = None,
    favourable_indicator: Any = 1,
    ordered_dimension: Any = None,
    subgroup_order: Any = None,
    reference_subgroup: Any = None,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Difference D = y1 - y2 between two subgroups (Schlotheuber & Hosseinpoor 2022).

    Ordered dimensions compare the most advantaged with the most disadvantaged
    subgroup (favourable indicators: advantaged minus disadvantaged; adverse:
    the reverse). Non-ordered: highest minus lowest, or, when a reference
    subgroup is marked, the reference minus the lowest (favourable) or the
    highest minus the reference (adverse). The interval is D +/- z se(D) with
    se(D) = sqrt(se1^2 + se2^2) (Ahn et al. 2018).

    * ``est``: the indicator's estimate in each subgroup (at least 2).
    * ``se``: standard error of each subgroup estimate, on the estimate's own
      scale; without it (or with any missing) there is no interval.
    * ``favourable_indicator``: 1 if higher values are better (e.g. coverage),
      0 if lower values are better (e.g. mortality); one value or one per subgroup.
    * ``ordered_dimension``: 1 if the subgroups have a natural order (income
      quintiles, education), 0 or None if not.
    * ``subgroup_order``: each subgroup's rank, 1 = most disadvantaged up to n =
      most advantaged; required when ``ordered_dimension`` is 1.
    * ``reference_subgroup``: 1 marks the reference subgroup, 0 the others
      (non-ordered dimensions only); None compares highest with lowest.
    * ``conf_level``: confidence level of the interval (0.90 to 0.999).

    The result's ``se`` is se(D), on the indicator's scale.
    """
    values, errors, i, j = _pair_inputs(
        est, se, favourable_indicator, ordered_dimension, subgroup_order, reference_subgroup
    )
    estimate = values[i] - values[j]
    if errors is None:
        return _result("d", estimate)
    return _normal_interval("d", estimate, float(np.hypot(errors[i], errors[j])), conf_level)


def r(
    est: Any,
    se: Any = None,
    favourable_indicator: Any = 1,
    ordered_dimension: Any = None,
    subgroup_order: Any = None,
    reference_subgroup: Any = None,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Ratio R = y1 / y2 between two subgroups (Schlotheuber & Hosseinpoor 2022).

    Subgroups y1 and y2 are chosen as in :func:`d`. The interval is on the log
    scale by the delta method applied to the subgroup estimates' own standard
    errors (Ahn et al. 2018): se(log R) = sqrt((se1 / y1)^2 + (se2 / y2)^2) and
    the limits are exp(log R +/- z se(log R)).

    * ``est``: the indicator's estimate in each subgroup (at least 2); the
      comparison subgroup's estimate y2 must not be zero.
    * ``se``: standard error of each subgroup *estimate*, on the estimate's own
      (natural) scale, e.g. (upper - lower) / (2 x 1.96) from its 95 % interval;
      not relative standard errors and not se(log R). Without it (or with any
      missing) there is no interval.
    * ``favourable_indicator``: 1 if higher values are better, 0 if lower values
      are better; one value or one per subgroup.
    * ``ordered_dimension``: 1 if the subgroups have a natural order, 0 or None if not.
    * ``subgroup_order``: each subgroup's rank, 1 = most disadvantaged up to n =
      most advantaged; required when ``ordered_dimension`` is 1.
    * ``reference_subgroup``: 1 marks the reference subgroup, 0 the others
      (non-ordered dimensions only); None compares highest with lowest.
    * ``conf_level``: confidence level of the interval (0.90 to 0.999).

    The result's ``se`` is se(log R), not the standard error of R itself.
    """
    values, errors, i, j = _pair_inputs(
        est, se, favourable_indicator, ordered_dimension, subgroup_order, reference_subgroup
    )
    if values[j] == 0:
        raise ValueError("est of the comparison subgroup is zero; the ratio is undefined.")
    estimate = values[i] / values[j]
    if errors is None:
        return _result("r", estimate)
    ratio_se = np.sqrt((errors[i] ** 2 + estimate**2 * errors[j] ** 2) / values[j] ** 2)
    log_se = ratio_se / estimate
    z = _z(conf_level)
    return _result(
        "r",
        estimate,
        log_se,
        float(np.exp(np.log(estimate) - z * log_se)),
        float(np.exp(np.log(estimate) + z * log_se)),
    )


# --- variance-type measures (non-ordered) ------------------------------------------


def bgv(est: Any, se: Any = None, pop: Any = None, conf_level: float = 0.95) -> pd.DataFrame:
    """Between-group variance BGV = sum p_j (y_j - mu)^2 (Schlotheuber & Hosseinpoor 2022).

    mu = sum p_j y_j is the population-weighted mean and p_j each subgroup's
    population share. The interval is BGV +/- z se(BGV), with Ahn et al.'s
    (2018) closed-form standard error.

    * ``est``: the indicator's estimate in each subgroup (at least 3).
    * ``se``: standard error of each subgroup estimate, on the estimate's own
      scale; without it (or with any missing) there is no interval.
    * ``pop``: population of each subgroup (counts or shares); gives p_j.
    * ``conf_level``: confidence level of the interval (0.90 to 0.999).
    """
    values = _estimates(est)
    share = _population_shares(pop, len(values))
    errors = _optional_se(se, len(values))
    mu = float(np.sum(share * values))
    estimate = float(np.sum(share * (values - mu) ** 2))
    if errors is None:
        return _result("bgv", estimate)
    term1 = np.sum(share**2 * errors**2 * (values - mu) ** 2)
    s2 = np.sum(share**2 * errors**2)
    s4 = np.sum(share**4 * errors**4)
    term4 = np.sum(share**2 * (1 - share) ** 2 * errors**4)
    variance = 4 * term1 + 2 * (s2**2 - s4 + term4)
    return _normal_interval("bgv", estimate, float(np.sqrt(variance)), conf_level)


def bgsd(
    est: Any,
    se: Any = None,
    pop: Any = None,
    scaleval: Any = None,
    sim: int = DEFAULT_SIMULATIONS,
    seed: int | None = DEFAULT_SEED,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Between-group standard deviation BGSD = sqrt(BGV) (Schlotheuber & Hosseinpoor 2022).

    Monte Carlo limits (Ahn et al. 2019): ``sim`` sets of subgroup estimates
    are drawn from normal distributions truncated to the indicator's range, and
    the limits are percentiles of the BGSDs of the draws; there is no standard error.

    * ``est``: the indicator's estimate in each subgroup (at least 3).
    * ``se``: standard error of each subgroup estimate, on the estimate's own
      scale; without it (or with any missing) there are no limits.
    * ``pop``: population of each subgroup (counts or shares).
    * ``scaleval``: the indicator's scale: 100 for a percentage (draws bounded to
      0..100); any other value bounds the draws below by 0 only. Without it
      there are no limits, as in healthequal.
    * ``sim``: number of simulated sets of estimates (at least 10).
    * ``seed``: seed of the random draws; the same seed gives the same limits.
    * ``conf_level``: confidence level of the limits (0.90 to 0.999).
    """
    values = _estimates(est)
    share = _population_shares(pop, len(values))

    def statistic(sample: FloatArray) -> FloatArray:
        mu = sample @ share
        return np.sqrt(((sample - mu[:, None]) ** 2) @ share)

    return _simulated(
        "bgsd", statistic, values, _optional_se(se, len(values)), _scale(scaleval, len(values)),
        sim, seed, conf_level, (share,),
    )  # fmt: skip


def cov(
    est: Any,
    se: Any = None,
    pop: Any = None,
    conf_level: float = 0.95,
    *,
    scaleval: Any = None,
    sim: int = DEFAULT_SIMULATIONS,
    seed: int | None = DEFAULT_SEED,
) -> pd.DataFrame:
    """Coefficient of variation COV = 100 x BGSD / mu (Schlotheuber & Hosseinpoor 2022).

    The measure of WHO's HEAT (technical notes) and healthequal ``covar``.
    mu is the population-weighted mean sum p_j y_j and BGSD the between-group
    standard deviation (:func:`bgsd`). Limits are Monte Carlo limits from the
    same seeded draws as :func:`bgsd` (Ahn et al. 2019): each set of redrawn
    subgroup estimates gives its own BGSD and mean, and the limits are the
    percentiles of 100 x BGSD / mu over the draws; there is no standard error.

    * ``est``: the indicator's estimate in each subgroup (at least 3), e.g. a
      percentage or a rate; the weighted mean must be above zero.
    * ``se``: standard error of each subgroup estimate, on the estimate's own
      scale; without it (or with any missing) there are no limits.
    * ``pop``: population of each subgroup (counts or shares); the weights p_j.
    * ``conf_level``: confidence level of the limits (0.90 to 0.999).
    * ``scaleval``: the indicator's scale (100 for a percentage, which bounds
      the draws to 0..100; any other value bounds them below by 0 only);
      without it there are no limits, as in healthequal.
    * ``sim``: number of simulated sets of estimates (at least 10).
    * ``seed``: seed of the random draws; the same seed gives the same limits.
    """
    values = _estimates(est)
    share = _population_shares(pop, len(values))
    mu = float(share @ values)
    if mu <= 0:
        raise ValueError(
            f"cov is undefined: the population-weighted mean of est must be above zero; got {mu!r}."
        )

    def statistic(sample: FloatArray) -> FloatArray:
        means = sample @ share
        return 100 * np.sqrt(((sample - means[:, None]) ** 2) @ share) / means

    return _simulated(
        "cov", statistic, values, _optional_se(se, len(values)), _scale(scaleval, len(values)),
        sim, seed, conf_level, (share,),
    )  # fmt: skip


def _disparity_measure(
    measure: str,
    est: Any,
    pop: Any,
    se: Any,
    scaleval: Any,
    sim: int,
    seed: int | None,
    conf_level: float,
    *,
    weighted: bool,
    reference: str,
    favourable_indicator: Any = None,
    reference_subgroup: Any = None,
    relative: bool = False,
) -> pd.DataFrame:
    """Shared body of IDIS and the mean-difference family (MDB, MDM, MDR)."""
    values = _estimates(est)
    n = len(values)
    share = _population_shares(pop, n)
    weights = share if weighted else np.full(n, 1.0 / n)
    favourable = 1
    ref_index = 0
    if reference == "best":
        favourable = _single_flag(favourable_indicator, "favourable_indicator", n)
    elif reference == "subgroup":
        if reference_subgroup is None:
            raise ValueError("reference_subgroup is required: mark the reference subgroup with 1.")
        marks = as_float_array(reference_subgroup, "reference_subgroup")
        if len(marks) != n or marks.sum() != 1 or not np.isin(marks, (0, 1)).all():
            raise ValueError("reference_subgroup must mark exactly one subgroup with 1.")
        ref_index = int(np.argmax(marks))

    def statistic(sample: FloatArray) -> FloatArray:
        mu = sample @ share
        if reference == "mean":
            point = mu
        elif reference == "best":
            point = sample.max(axis=1) if favourable else sample.min(axis=1)
        else:
            point = sample[:, ref_index]
        spread = np.abs(sample - point[:, None]) @ weights
        return 100 * spread / mu if relative else spread

    is_reference = (np.arange(n) == ref_index) & (reference == "subgroup")
    return _simulated(
        measure, statistic, values, _optional_se(se, n), _scale(scaleval, n), sim, seed,
        conf_level, (share, is_reference.astype(np.float64)),
    )  # fmt: skip


#: What each argument of the simulated disparity measures is (their docstrings list it).
_DISPARITY_ARGUMENTS = {
    "est": "the indicator's estimate in each subgroup (at least 3).",
    "se": "standard error of each subgroup estimate, on the estimate's own scale; "
    "without it (or with any missing) there are no limits.",
    "pop": "population of each subgroup (counts or shares); gives the shares p_j "
    "and the population-weighted mean mu = sum p_j y_j.",
    "favourable_indicator": "1 if higher values are better (the best subgroup is "
    "the highest), 0 if lower values are better (the lowest); one value or one "
    "per subgroup.",
    "scaleval": "the indicator's scale: 100 for a percentage (draws bounded to "
    "0..100); any other value bounds the draws below by 0 only. Without it there "
    "are no limits, as in healthequal.",
    "reference_subgroup": "1 marks the reference subgroup, 0 the others (exactly one 1).",
    "sim": "number of simulated sets of estimates (at least 10).",
    "seed": "seed of the random draws; the same seed gives the same limits.",
    "conf_level": "confidence level of the limits (0.90 to 0.999).",
}
_MONTE_CARLO = (
    "Monte Carlo limits (Ahn et al. 2019): ``sim`` sets of subgroup estimates are\n"
    "drawn from normal distributions truncated to the indicator's range, and the\n"
    "limits are percentiles of the measure over the draws; there is no standard error."
)


def _named(
    function: Callable[..., pd.DataFrame],
    measure: str,
    doc: str,
    arguments: dict[str, str] | None = None,
) -> Callable[..., pd.DataFrame]:
    """Give a generated public measure its own name and a docstring listing its arguments."""
    described = {**_DISPARITY_ARGUMENTS, **(arguments or {})}
    lines = [
        textwrap.fill(
            f"``{name}``: {described[name]}",
            width=84,
            initial_indent="* ",
            subsequent_indent="  ",
        )
        for name in inspect.signature(function).parameters
    ]
    function.__name__ = function.__qualname__ = measure
    function.__doc__ = f"{doc}\n\n{_MONTE_CARLO}\n\n" + "\n".join(lines) + "\n"
    return function


def _mean_referenced(
    measure: str, doc: str, *, weighted: bool, relative: bool
) -> Callable[..., pd.DataFrame]:
    """IDIS and MDM: spread around the population-weighted mean (healthequal's argument order)."""

    def function(
        est: Any,
        se: Any = None,
        pop: Any = None,
        scaleval: Any = None,
        sim: int = DEFAULT_SIMULATIONS,
        seed: int | None = DEFAULT_SEED,
        conf_level: float = 0.95,
    ) -> pd.DataFrame:
        return _disparity_measure(
            measure, est, pop, se, scaleval, sim, seed, conf_level,
            weighted=weighted, reference="mean", relative=relative,
        )  # fmt: skip

    return _named(function, measure, doc)


def _best_referenced(measure: str, doc: str, *, weighted: bool) -> Callable[..., pd.DataFrame]:
    """MDB: mean difference from the best-performing subgroup."""

    def function(
        est: Any,
        se: Any = None,
        pop: Any = None,
        favourable_indicator: Any = 1,
        scaleval: Any = None,
        sim: int = DEFAULT_SIMULATIONS,
        seed: int | None = DEFAULT_SEED,
        conf_level: float = 0.95,
    ) -> pd.DataFrame:
        return _disparity_measure(
            measure, est, pop, se, scaleval, sim, seed, conf_level,
            weighted=weighted, reference="best", favourable_indicator=favourable_indicator,
        )  # fmt: skip

    return _named(function, measure, doc)


def _subgroup_referenced(measure: str, doc: str, *, weighted: bool) -> Callable[..., pd.DataFrame]:
    """MDR: mean difference from a marked reference subgroup."""

    def function(
        est: Any,
        se: Any = None,
        pop: Any = None,
        scaleval: Any = None,
        reference_subgroup: Any = None,
        favourable_indicator: Any = 1,
        sim: int = DEFAULT_SIMULATIONS,
        seed: int | None = DEFAULT_SEED,
        conf_level: float = 0.95,
    ) -> pd.DataFrame:
        _single_flag(favourable_indicator, "favourable_indicator", len(np.atleast_1d(est)))
        return _disparity_measure(
            measure, est, pop, se, scaleval, sim, seed, conf_level,
            weighted=weighted, reference="subgroup", reference_subgroup=reference_subgroup,
        )  # fmt: skip

    unused = (
        "accepted (and checked: a single 0 or 1) for signature compatibility with "
        "healthequal; absolute differences from the reference do not depend on it."
    )
    return _named(function, measure, doc, {"favourable_indicator": unused})


idisu = _mean_referenced(
    "idisu",
    "Index of disparity, unweighted: 100 x (1/n) sum |y_j - mu| / mu (Pearcy & Keppel 2002).\n\n"
    "mu is the population-weighted mean of the n subgroup estimates.",
    weighted=False,
    relative=True,
)
idisw = _mean_referenced(
    "idisw",
    "Index of disparity, population-weighted: 100 x sum p_j |y_j - mu| / mu\n"
    "(Pearcy & Keppel 2002; Schlotheuber & Hosseinpoor 2022).",
    weighted=True,
    relative=True,
)
mdbu = _best_referenced(
    "mdbu",
    "Mean difference from the best-performing subgroup, unweighted: (1/n) sum |y_j - y_best|\n"
    "(Schlotheuber & Hosseinpoor 2022).",
    weighted=False,
)
mdbw = _best_referenced(
    "mdbw",
    "Mean difference from the best-performing subgroup, population-weighted:\n"
    "sum p_j |y_j - y_best| (Schlotheuber & Hosseinpoor 2022).",
    weighted=True,
)
mdmu = _mean_referenced(
    "mdmu",
    "Mean difference from the population-weighted mean, unweighted: (1/n) sum |y_j - mu|\n"
    "(Schlotheuber & Hosseinpoor 2022).",
    weighted=False,
    relative=False,
)
mdmw = _mean_referenced(
    "mdmw",
    "Mean difference from the population-weighted mean, population-weighted:\n"
    "sum p_j |y_j - mu| (Schlotheuber & Hosseinpoor 2022).",
    weighted=True,
    relative=False,
)
mdru = _subgroup_referenced(
    "mdru",
    "Mean difference from a reference subgroup, unweighted: (1/n) sum |y_j - y_ref|\n"
    "(Schlotheuber & Hosseinpoor 2022).",
    weighted=False,
)
mdrw = _subgroup_referenced(
    "mdrw",
    "Mean difference from a reference subgroup, population-weighted:\n"
    "sum p_j |y_j - y_ref| (Schlotheuber & Hosseinpoor 2022).",
    weighted=True,
)


# --- entropy measures ------------------------------------------------------------------


def _entropy_inputs(
    est: Any, pop: Any, se: Any
) -> tuple[FloatArray, FloatArray, FloatArray | None, float]:
    values = _estimates(est)
    if (values < 0).any():
        raise ValueError("est must be greater than or equal to zero for entropy measures.")
    values = np.where(values == 0, ZERO_REPLACEMENT, values)
    share = _population_shares(pop, len(values))
    return values, share, _optional_se(se, len(values)), float(np.sum(share * values))


def mld(est: Any, se: Any = None, pop: Any = None, conf_level: float = 0.95) -> pd.DataFrame:
    """Mean log deviation x 1000: 1000 x sum p_j (-ln(y_j / mu)) (Theil 1967).

    The interval is MLD +/- z se(MLD), with Ahn et al.'s (2018) closed-form
    standard error (also x 1000).

    * ``est``: the indicator's estimate in each subgroup (at least 3; zero or
      above, zeros are replaced by 1e-6 as in healthequal).
    * ``se``: standard error of each subgroup estimate, on the estimate's own
      scale; without it (or with any missing) there is no interval.
    * ``pop``: population of each subgroup (counts or shares); gives the shares
      p_j and the population-weighted mean mu = sum p_j y_j.
    * ``conf_level``: confidence level of the interval (0.90 to 0.999).
    """
    values, share, errors, mu = _entropy_inputs(est, pop, se)
    ratio = values / mu
    estimate = float(np.sum(share * -np.log(ratio))) * 1000
    if errors is None:
        return _result("mld", estimate)
    se_value = float(np.sqrt(np.sum(errors**2 * share**2 / mu**2 * (1 - 1 / ratio) ** 2)))
    return _normal_interval("mld", estimate, se_value, conf_level)


def ti(est: Any, se: Any = None, pop: Any = None, conf_level: float = 0.95) -> pd.DataFrame:
    """Theil index x 1000: 1000 x sum p_j r_j ln r_j with r_j = y_j / mu (Theil 1967).

    The interval is TI +/- z se(TI), with Ahn et al.'s (2018) closed-form
    standard error (also x 1000).

    * ``est``: the indicator's estimate in each subgroup (at least 3; zero or
      above, zeros are replaced by 1e-6 as in healthequal).
    * ``se``: standard error of each subgroup estimate, on the estimate's own
      scale; without it (or with any missing) there is no interval.
    * ``pop``: population of each subgroup (counts or shares); gives the shares
      p_j and the population-weighted mean mu = sum p_j y_j.
    * ``conf_level``: confidence level of the interval (0.90 to 0.999).
    """
    values, share, errors, mu = _entropy_inputs(est, pop, se)
    ratio = values / mu
    estimate = float(np.sum(share * ratio * np.log(ratio))) * 1000
    if errors is None:
        return _result("ti", estimate)
    centre = np.sum(ratio * (1 + np.log(ratio)) * share)
    se_value = float(
        np.sqrt(np.sum((1 + np.log(ratio) - centre) ** 2 * share**2 * errors**2 / mu**2))
    )
    return _normal_interval("ti", estimate, se_value, conf_level)


# --- attributable measures ----------------------------------------------------------------


def _attributable(
    est: Any,
    pop: Any,
    favourable_indicator: Any,
    ordered_dimension: Any,
    subgroup_order: Any,
    setting_average: Any,
    scaleval: Any,
) -> tuple[float, float, float, float, int]:
    """Reference estimate, setting mean, PAF (%) and Walter's (1978) se of the PAF.

    Without ``pop`` the setting mean is ``setting_average`` and the se is NaN.
    """
    values = _estimates(est)
    n = len(values)
    favourable = _single_flag(favourable_indicator, "favourable_indicator", n)
    ordered = _single_flag(ordered_dimension, "ordered_dimension", n)
    if ordered:
        if subgroup_order is None:
            raise ValueError("subgroup_order is required when ordered_dimension is 1.")
        ref = int(np.argmax(_order(subgroup_order, n)))
    else:
        ref = int(np.argmax(values) if favourable else np.argmin(values))
    ref_estimate = float(values[ref])
    if pop is None:
        averages = np.unique(np.atleast_1d(np.asarray(setting_average, dtype=np.float64)))
        if setting_average is None or len(averages) != 1 or not np.isfinite(averages[0]):
            raise ValueError("give pop, or one setting_average for the whole setting.")
        mu = float(averages[0])
    else:
        mu = float(np.sum(_population_shares(pop, n) * values))
    gap = ref_estimate - mu
    paf_value = 0.0 if gap < 0 and favourable or gap > 0 and not favourable else 100 * gap / mu
    if pop is None:
        return ref_estimate, mu, paf_value, np.nan, favourable
    scale = _scale(scaleval, n)
    if scale is None:
        raise ValueError("scaleval is required for the interval (e.g. 100 for a percentage).")
    population = as_float_array(pop, "pop")
    ref_pop = float(population[ref])
    total = float(population.sum())
    c = ref_estimate / scale * ref_pop
    d_ = ref_pop - c
    a = mu / scale * total - c
    b = total - a - ref_pop
    big_n = a + b + c + d_
    paf_se = float(
        np.sqrt((c * big_n * (a * d_ * (big_n - c) + b * c**2)) / ((a + c) ** 3 * (c + d_) ** 3))
    )
    return ref_estimate, mu, paf_value, paf_se, favourable


def paf(
    est: Any,
    pop: Any = None,
    favourable_indicator: Any = 1,
    ordered_dimension: Any = 0,
    subgroup_order: Any = None,
    setting_average: Any = None,
    scaleval: Any = None,
    conf_level: float = 0.95,
    se: Any = None,
) -> pd.DataFrame:
    """Population attributable fraction (%): 100 (y_ref - mu) / mu, floored at 0.

    The reference subgroup is the most advantaged (ordered dimensions) or the
    best-performing one (non-ordered). Its standard error follows Walter (1978)
    on the 2x2 table implied by the estimates, populations and ``scaleval``;
    like healthequal, the interval is the PAF +/- z x that standard error.

    * ``est``: the indicator's estimate in each subgroup (at least 3).
    * ``pop``: population of each subgroup (counts); gives the setting mean mu =
      sum p_j y_j and the 2x2 table of the standard error. Without it, give
      ``setting_average``; there is then no interval.
    * ``favourable_indicator``: 1 if higher values are better, 0 if lower values
      are better; one value or one per subgroup.
    * ``ordered_dimension``: 1 if the subgroups have a natural order (the
      reference is the most advantaged subgroup), 0 if not (the best-performing one).
    * ``subgroup_order``: each subgroup's rank, 1 = most disadvantaged up to n =
      most advantaged; required when ``ordered_dimension`` is 1.
    * ``setting_average``: the setting's overall mean (one value), used only
      when ``pop`` is not given.
    * ``scaleval``: the indicator's scale (100 for a percentage, 1000 for a rate
      per 1000 ...); required for the interval.
    * ``conf_level``: confidence level of the interval (0.90 to 0.999).
    * ``se``: standard error of each subgroup estimate; accepted for signature
      compatibility with healthequal and not used.
    """
    _, _, paf_value, paf_se, _ = _attributable(
        est, pop, favourable_indicator, ordered_dimension, subgroup_order, setting_average, scaleval
    )
    return _normal_interval("paf", paf_value, paf_se, conf_level)


def parisk(
    est: Any,
    pop: Any = None,
    favourable_indicator: Any = 1,
    ordered_dimension: Any = 0,
    subgroup_order: Any = None,
    setting_average: Any = None,
    scaleval: Any = None,
    conf_level: float = 0.95,
    se: Any = None,
) -> pd.DataFrame:
    """Population attributable risk: y_ref - mu, floored at 0 (Walter 1978).

    The reference subgroup is chosen as in :func:`paf`. Its standard error is
    the setting mean times Walter's standard error of the attributable fraction,
    as in healthequal; the interval is PAR +/- z x that standard error.

    * ``est``: the indicator's estimate in each subgroup (at least 3).
    * ``pop``: population of each subgroup (counts); gives the setting mean mu =
      sum p_j y_j and the 2x2 table of the standard error. Without it, give
      ``setting_average``; there is then no interval.
    * ``favourable_indicator``: 1 if higher values are better, 0 if lower values
      are better; one value or one per subgroup.
    * ``ordered_dimension``: 1 if the subgroups have a natural order (the
      reference is the most advantaged subgroup), 0 if not (the best-performing one).
    * ``subgroup_order``: each subgroup's rank, 1 = most disadvantaged up to n =
      most advantaged; required when ``ordered_dimension`` is 1.
    * ``setting_average``: the setting's overall mean (one value), used only
      when ``pop`` is not given.
    * ``scaleval``: the indicator's scale (100 for a percentage, 1000 for a rate
      per 1000 ...); required for the interval.
    * ``conf_level``: confidence level of the interval (0.90 to 0.999).
    * ``se``: standard error of each subgroup estimate; accepted for signature
      compatibility with healthequal and not used.
    """
    ref_estimate, mu, _, paf_se, favourable = _attributable(
        est, pop, favourable_indicator, ordered_dimension, subgroup_order, setting_average, scaleval
    )
    gap = ref_estimate - mu
    estimate = 0.0 if (gap < 0 and favourable) or (gap > 0 and not favourable) else gap
    return _normal_interval("parisk", estimate, abs(mu * paf_se), conf_level)


# --- ordered, regression-based measures -------------------------------------------------


def _ordered_inputs(est: Any, subgroup_order: Any, pop: Any) -> tuple[FloatArray, FloatArray]:
    values = _estimates(est)
    n = len(values)
    order = _order(subgroup_order, n)
    population = np.ones(n) if pop is None else as_float_array(pop, "pop")
    check_same_length(est=values, pop=population)
    if (population < 0).any() or population.sum() <= 0:
        raise ValueError("pop must be non-negative with a positive total.")
    sort = np.argsort(order, kind="stable")
    return values[sort], population[sort]


def _concentration(est: Any, subgroup_order: Any, pop: Any, relative: bool) -> tuple[float, float]:
    """Concentration index by the convenient regression (Kakwani et al. 1997)."""
    values, population = _ordered_inputs(est, subgroup_order, pop)
    rank = _midpoint_ranks(population)
    share = population / population.sum()
    sigma2 = float(np.sum(share * (rank - 0.5) ** 2))
    mu = float(np.sum(share * values))
    if relative and mu == 0:
        raise ValueError(
            "rci is undefined: the population-weighted mean of est is zero, and the "
            "relative index divides by it. Use aci (the absolute index) instead."
        )
    root = np.sqrt(population)
    response = 2 * sigma2 * values * root
    if relative:
        response = response / mu
    design = np.column_stack([rank * root, root])
    coefficients, *_ = np.linalg.lstsq(design, response, rcond=None)
    residuals = response - design @ coefficients
    dof = len(values) - 2
    dispersion = float(residuals @ residuals) / dof
    covariance = dispersion * np.linalg.inv(design.T @ design)
    return float(coefficients[0]), float(np.sqrt(covariance[0, 0]))


def aci(
    est: Any, subgroup_order: Any, pop: Any = None, *, conf_level: float = 0.95
) -> pd.DataFrame:
    """Absolute concentration index (Kakwani, Wagstaff & van Doorslaer 1997).

    ACI = 2 cov(y, R), the population-weighted covariance of the estimates with
    the subgroups' mid-point ranks R, found as the slope of the convenient
    regression of 2 var(R) y on R; the interval is ACI +/- z se(ACI), from that
    regression's ordinary least-squares standard error.

    * ``est``: the indicator's estimate in each subgroup (at least 3).
    * ``subgroup_order``: each subgroup's rank, 1 = most disadvantaged up to n =
      most advantaged; gives the order of the cumulative population.
    * ``pop``: population of each subgroup (counts or shares); None weights the
      subgroups equally. Each subgroup sits at the mid-point of its share of the
      cumulative population.
    * ``conf_level``: confidence level of the interval (0.90 to 0.999).
    """
    estimate, se_value = _concentration(est, subgroup_order, pop, relative=False)
    return _normal_interval("aci", estimate, se_value, conf_level)


def rci(
    est: Any,
    subgroup_order: Any,
    scaleval: Any = None,
    pop: Any = None,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Relative concentration index RCI = ACI / mu (Kakwani, Wagstaff & van Doorslaer 1997).

    mu is the population-weighted mean of ``est``; the regression of :func:`aci`
    is run on y / mu, and the interval is RCI +/- z se(RCI). The mean must not
    be zero.

    * ``est``: the indicator's estimate in each subgroup (at least 3).
    * ``subgroup_order``: each subgroup's rank, 1 = most disadvantaged up to n =
      most advantaged; gives the order of the cumulative population.
    * ``pop``: population of each subgroup (counts or shares); None weights the
      subgroups equally. Each subgroup sits at the mid-point of its share of the
      cumulative population.
    * ``scaleval``: the indicator's scale; accepted for signature compatibility
      with healthequal and not used (the index has no unit).
    * ``conf_level``: confidence level of the interval (0.90 to 0.999).
    """
    estimate, se_value = _concentration(est, subgroup_order, pop, relative=True)
    return _normal_interval("rci", estimate, se_value, conf_level)


def _auto_scale(values: FloatArray) -> float:
    """The indicator's scale when not given: the smallest of 1, 100, 1000, ... covering it."""
    for candidate in (1.0, 100.0, 1_000.0, 10_000.0, 100_000.0):
        if values.max() <= candidate:
            return candidate
    return 1_000_000.0


def _logistic_fit(
    est: Any, subgroup_order: Any, pop: Any, scaleval: Any
) -> tuple[FloatArray, FloatArray, float] | None:
    """Quasi-binomial logistic fit of the estimate on mid-point rank with HC1 covariance.

    Counts are rebuilt as round(est / scale x ceil(pop)) out of ceil(pop) and
    each subgroup is weighted by its population (as healthequal does through
    R's glm with a two-column response and ``weights = pop``).
    The maximum-likelihood fit is found by Newton (IRLS) steps, each at most
    ``MAX_LOGIT_STEP`` on the logit scale and halved until the likelihood does
    not fall, so that a start far from the optimum cannot overshoot into a
    region where every fitted proportion is 0 or 1 (the optimum is the same as
    R's glm wherever that converges).
    Returns (coefficients, HC1 covariance, scale), or None when counts are impossible.
    """
    values, population = _ordered_inputs(est, subgroup_order, pop)
    if len(np.unique(values)) == 1:
        raise ValueError("est has the same value in every subgroup; the index is undefined.")
    scale = _scale(scaleval, len(values)) or _auto_scale(values)
    trials = np.ceil(population)
    events = np.round(values / scale * trials)
    if (events < 0).any() or (events > trials).any():
        return None
    proportion_ = events / trials
    prior = population * trials
    rank = _midpoint_ranks(trials)
    design = np.column_stack([np.ones_like(rank), rank])
    mean_ = np.clip(proportion_, 0.01, 0.99)
    eta = np.log(mean_ / (1 - mean_))
    beta: FloatArray = np.asarray(np.linalg.lstsq(design, eta, rcond=None)[0], dtype=np.float64)
    # Weights normalised to sum to 1: the same optimum, a likelihood of order 1.
    weight = prior / prior.sum()

    def minus_log_likelihood(coefficients: FloatArray) -> float:
        linear = design @ coefficients
        # log(mu) = -log(1 + e^-eta) and log(1 - mu) = -log(1 + e^eta), without overflow.
        return float(
            np.sum(
                weight
                * (
                    proportion_ * np.logaddexp(0, -linear)
                    + (1 - proportion_) * np.logaddexp(0, linear)
                )
            )
        )

    current = minus_log_likelihood(beta)
    for _ in range(200):
        mean_ = special.expit(design @ beta)
        information = design.T @ (design * (weight * mean_ * (1 - mean_))[:, None])
        score_ = design.T @ (weight * (proportion_ - mean_))
        step = np.linalg.lstsq(information, score_, rcond=None)[0]
        largest = float(np.max(np.abs(step)))
        if largest > MAX_LOGIT_STEP:
            step = step * (MAX_LOGIT_STEP / largest)
        for _ in range(60):
            candidate = np.asarray(beta + step, dtype=np.float64)
            candidate_value = minus_log_likelihood(candidate)
            if candidate_value <= current + 1e-15 * abs(current):
                break
            step = step / 2
        converged = np.max(np.abs(candidate - beta)) < 1e-12
        beta, current = candidate, candidate_value
        if converged:
            break
    mean_ = special.expit(design @ beta)
    working_weight = prior * mean_ * (1 - mean_)
    bread = np.linalg.inv(design.T @ (design * working_weight[:, None]))
    score = design * (prior * (proportion_ - mean_))[:, None]
    n, k = design.shape
    covariance = bread @ (score.T @ score) @ bread * n / (n - k)
    return beta, covariance, scale


def _fitted_ends(
    est: Any, subgroup_order: Any, pop: Any, scaleval: Any
) -> tuple[float, float, FloatArray, float] | None:
    """Fitted values at the bottom (rank 0) and top (rank 1) of the social ranking.

    Returns (p0, p1, HC1 covariance of the coefficients, scale), or None when
    the counts are impossible (see :func:`_logistic_fit`).
    """
    fit = _logistic_fit(est, subgroup_order, pop, scaleval)
    if fit is None:
        return None
    beta, covariance, scale = fit
    p0 = 1 / (1 + np.exp(-beta[0]))
    p1 = 1 / (1 + np.exp(-(beta[0] + beta[1])))
    return p0, p1, covariance, scale


def _delta_se(gradient: list[float], covariance: FloatArray) -> float:
    """Delta-method standard error: sqrt(g' V g)."""
    g = np.asarray(gradient, dtype=np.float64)
    return float(np.sqrt(g @ covariance @ g))


def sii(
    est: Any,
    subgroup_order: Any,
    pop: Any = None,
    scaleval: Any = None,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Slope index of inequality, regression-based (Schlotheuber & Hosseinpoor 2022).

    The predicted value at the top of the social ranking minus that at the
    bottom from a logistic fit on mid-point ranks; the standard error (delta
    method with HC1 covariance) is on the 0-1 scale, the estimate and limits on
    the indicator's scale, as in healthequal. NaN when the implied counts are
    impossible (an estimate above its scale).

    * ``est``: the indicator's estimate in each subgroup (at least 3, not all
      equal), a proportion on the scale of ``scaleval``.
    * ``subgroup_order``: each subgroup's rank, 1 = most disadvantaged up to n =
      most advantaged.
    * ``pop``: population of each subgroup (counts): rounded up, it is the
      number of trials of each subgroup in the logistic fit and its weight.
      None counts every subgroup as 1.
    * ``scaleval``: the indicator's scale (1 for a fraction, 100 for a
      percentage ...); None takes the smallest of 1, 100, 1000 ... that covers ``est``.
    * ``conf_level``: confidence level of the interval (0.90 to 0.999).
    """
    ends = _fitted_ends(est, subgroup_order, pop, scaleval)
    if ends is None:
        return _result("sii", np.nan)
    p0, p1, covariance, scale = ends
    se_value = _delta_se([p1 * (1 - p1) - p0 * (1 - p0), p1 * (1 - p1)], covariance)
    z = _z(conf_level)
    difference = p1 - p0
    return _result(
        "sii",
        difference * scale,
        se_value,
        (difference - z * se_value) * scale,
        (difference + z * se_value) * scale,
    )


def rii(
    est: Any,
    subgroup_order: Any,
    pop: Any = None,
    *,
    scaleval: Any = None,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Relative index of inequality, regression-based (Schlotheuber & Hosseinpoor 2022).

    RII is the predicted value at the top of the social ranking divided by that
    at the bottom, from the logistic fit of :func:`sii`. The interval is on the
    log scale (delta method with HC1 covariance, White 1980); the result's
    ``se`` is that of log(RII).

    * ``est``: the indicator's estimate in each subgroup (at least 3, not all
      equal), a proportion on the scale of ``scaleval``.
    * ``subgroup_order``: each subgroup's rank, 1 = most disadvantaged up to n =
      most advantaged.
    * ``pop``: population of each subgroup (counts): rounded up, it is the
      number of trials of each subgroup in the logistic fit and its weight.
      None counts every subgroup as 1.
    * ``scaleval``: the indicator's scale (1 for a fraction, 100 for a
      percentage ...); None takes the smallest of 1, 100, 1000 ... that covers ``est``.
    * ``conf_level``: confidence level of the interval (0.90 to 0.999).
    """
    ends = _fitted_ends(est, subgroup_order, pop, scaleval)
    if ends is None:
        return _result("rii", np.nan)
    p0, p1, covariance, _ = ends
    log_ratio = np.log(p1 / p0)
    se_value = _delta_se([(1 - p1) - (1 - p0), 1 - p1], covariance)
    z = _z(conf_level)
    return _result(
        "rii",
        float(np.exp(log_ratio)),
        se_value,
        float(np.exp(log_ratio - z * se_value)),
        float(np.exp(log_ratio + z * se_value)),
    )

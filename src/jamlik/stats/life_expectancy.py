"""Life expectancy from an abridged life table, with confidence limits.

Method: Chiang, C. L. (1968), Introduction to Stochastic Processes in
Biostatistics (Wiley) - the abridged life table ("Chiang II") - with the
variance of Silcocks, P. B. S., Jenner, D. A. & Reza, R. (2001), Life
expectancy as a summary of mortality in a population: statistical
considerations and suitability for use by health authorities, Journal of
Epidemiology and Community Health 55, 38-43, which adds the sampling error of
the open-ended last age band. The fraction of the interval lived by those who
die is 0.1 for the first year of life and 0.5 otherwise, as in
PHEindicatormethods ``phe_life_expectancy``.

Rules for when a figure is not published (as the reference implementation):
no value for a group whose total population is 5 000 or less, where an age band
has more deaths than population, where a band has no population, where the last
(open) band has no deaths, or where the 95 % interval would be wider than 20
years.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps

from jamlik.stats.proportions import z_value
from jamlik.stats.validation import (
    as_float_array,
    as_group_keys,
    check_columns,
    check_confidence,
    check_non_negative,
    constant_label,
    factorize_groups,
    group_labels,
    labels,
)

RADIX = 100_000.0
MIN_POPULATION = 5_000
INFANT_FRACTION = 0.1
DEFAULT_FRACTION = 0.5
METHOD = "Chiang II, Silcocks variance"
NOTE_SMALL = "not calculated: total population 5 000 or less"
NOTE_WIDE = "not calculated: 95 % interval wider than 20 years"
MAX_HALF_WIDTH_95 = 10.0
NOTE_DEATHS = "not calculated: more deaths than population in an age band"
NOTE_ZERO_POP = "not calculated: an age band has no population"
NOTE_LAST = "not calculated: no deaths in the last age band"


def life_expectancy(
    data: pd.DataFrame,
    *,
    deaths: str,
    pop: str,
    age: str,
    by: str | Sequence[str] = (),
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Life expectancy at the start of each age band (Chiang 1968; Silcocks et al. 2001).

    ``data`` has one row per group and age band; ``age`` holds the band's
    starting age (e.g. 0, 1, 5, 10, ..., 90), the last band being open-ended.
    Every group must have the same bands. Returns one row per group and
    starting age: ``age``, ``value`` (years), ``lower``, ``upper``, ``se``,
    ``confidence``, ``method``, ``note`` (why a value is withheld).
    """
    keys = as_group_keys(by)
    check_columns(data, [deaths, pop, age, *keys])
    level = check_confidence(confidence)
    d_all = as_float_array(data[deaths], deaths)
    p_all = as_float_array(data[pop], pop)
    a_all = as_float_array(data[age], age)
    check_non_negative(d_all, deaths)
    check_non_negative(p_all, pop)
    groups, n_groups, first_rows = factorize_groups(data, keys)
    ages = np.unique(a_all)
    k = len(ages)
    if k < 2:
        raise ValueError(f"{age} must hold at least two age bands; got {k}.")
    sizes = np.bincount(groups, minlength=n_groups)
    if (sizes != k).any():
        raise ValueError(
            f"every group must have the same {k} age bands ({ages.tolist()}); a group "
            f"has {int(sizes[sizes != k][0])} rows."
        )
    order = np.lexsort((a_all, groups))
    if (np.diff(a_all[order].reshape(n_groups, k), axis=1) <= 0).any():
        raise ValueError(f"{age} must not repeat within a group.")
    big_d = d_all[order].reshape(n_groups, k)
    big_p = p_all[order].reshape(n_groups, k)

    width = np.diff(ages)
    fraction = np.where(ages[:-1] == 0, INFANT_FRACTION, DEFAULT_FRACTION)
    zero_pop = (big_p == 0).any(axis=1)
    too_many = (big_d > big_p).any(axis=1)
    last_empty = big_d[:, -1] == 0
    broken = zero_pop | too_many | last_empty
    safe_p = np.where(big_p > 0, big_p, 1.0)
    rate = big_d / safe_p
    rate = np.where(broken[:, None], 0.5, rate)  # placeholder so arithmetic stays finite

    m = rate[:, :-1]
    # Everyone dies within the band when deaths exceed population / (width x fraction).
    q = np.where(
        big_d[:, :-1] <= safe_p[:, :-1] / width / fraction,
        width * m / (1 + (1 - fraction) * width * m),
        1.0,
    )
    survivors = RADIX * np.concatenate([np.ones((n_groups, 1)), np.cumprod(1 - q, axis=1)], axis=1)
    dying = survivors[:, :-1] - survivors[:, 1:]
    years = width * (survivors[:, 1:] + fraction * dying)
    last_years = survivors[:, -1] / rate[:, -1]
    person_years = np.concatenate([years, last_years[:, None]], axis=1)
    total = np.cumsum(person_years[:, ::-1], axis=1)[:, ::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        expectancy = np.where(survivors > 0, total / survivors, np.nan)

    d_bands = big_d[:, :-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        var_q = np.where(d_bands > 0, q**2 * (1 - q) / d_bands, 0.0)
    following = expectancy[:, 1:]
    terms = survivors[:, :-1] ** 2 * ((1 - fraction) * width + following) ** 2 * var_q
    last_term = survivors[:, -1] ** 2 / rate[:, -1] ** 4 * big_d[:, -1] / safe_p[:, -1] ** 2
    all_terms = np.concatenate([terms, last_term[:, None]], axis=1)
    cumulative = np.cumsum(all_terms[:, ::-1], axis=1)[:, ::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(cumulative) / survivors
    z = z_value(level)

    small = big_p.sum(axis=1) <= MIN_POPULATION
    wide = sps.norm.ppf(0.975) * se > MAX_HALF_WIDTH_95
    notes = ["", NOTE_WIDE, NOTE_SMALL, NOTE_LAST, NOTE_DEATHS, NOTE_ZERO_POP]
    note = np.zeros((n_groups, k), dtype=np.int8)
    note[wide] = 1
    note[small] = 2
    note[last_empty] = 3
    note[too_many] = 4
    note[zero_pop] = 5
    withheld = note != 0
    value = np.where(withheld, np.nan, expectancy)
    se = np.where(withheld, np.nan, se)

    out = pd.DataFrame(
        {
            "age": np.tile(ages, n_groups),
            "value": value.ravel(),
            "lower": (value - z * se).ravel(),
            "upper": (value + z * se).ravel(),
            "se": se.ravel(),
            "confidence": level,
            "method": constant_label(METHOD, n_groups * k),
            "note": labels(note.ravel(), notes),
        }
    )
    if keys:
        out = pd.concat([group_labels(data, keys, np.repeat(first_rows, k)), out], axis=1)
    return out

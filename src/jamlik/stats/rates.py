"""Crude rates with Poisson confidence intervals.

Methods:
* exact Poisson limits through the chi-square relation (Garwood 1936; as used
  by Breslow and Day 1987), for counts below 10;
* Byar's approximation to the exact limits (Breslow, N. E. & Day, N. E. 1987,
  Statistical Methods in Cancer Research vol. II, IARC), for counts of 10 or more.

This is the rule of England's Fingertips profiles (PHEindicatormethods
``phe_rate``); ``shared/reference/phe/Rate__*.csv`` and
``Byars_Wilson__testdata_B_W.csv`` are reproduced to 1e-9 relative. The helpers
here are reused for standardised rates, ratios and funnel plots.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special

from jamlik.stats.proportions import z_value
from jamlik.stats.validation import (
    FloatArray,
    as_float_array,
    check_confidence,
    check_multiplier,
    check_non_negative,
    check_positive,
    check_same_length,
    labels,
    missing_note,
)

EXACT = "Exact"
BYARS = "Byars"
EXACT_BELOW = 10


def byars_limits(x: FloatArray, confidence: float) -> tuple[FloatArray, FloatArray]:
    """Byar's approximate Poisson limits for an observed count x (Breslow & Day 1987).

    lower = x (1 - 1/(9x) - z/(3 sqrt x))^3 and
    upper = (x+1) (1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3; the lower limit is 0 at x = 0.
    """
    z = z_value(confidence)
    x = np.asarray(x, dtype=np.float64)
    safe = np.where(x > 0, x, 1.0)
    lower = np.where(x > 0, safe * (1 - 1 / (9 * safe) - z / (3 * np.sqrt(safe))) ** 3, 0.0)
    # Byar's formula breaks down (negative cube) for very small counts at high
    # confidence; such a limit is reported as missing rather than invented.
    lower = np.where(lower < 0, np.nan, lower)
    x1 = x + 1
    upper = x1 * (1 - 1 / (9 * x1) + z / (3 * np.sqrt(x1))) ** 3
    return lower, upper


def exact_limits(x: FloatArray, confidence: float) -> tuple[FloatArray, FloatArray]:
    """Exact Poisson limits via the chi-square (gamma) relation (Garwood 1936).

    lower = chi2(alpha/2; 2x)/2 and upper = chi2(1 - alpha/2; 2x + 2)/2, with
    the lower limit 0 when x = 0.
    """
    alpha = 1 - confidence
    x = np.asarray(x, dtype=np.float64)
    safe = np.where(x > 0, x, 1.0)
    lower = np.where(x > 0, special.gammaincinv(safe, alpha / 2), 0.0)
    upper = special.gammaincinv(x + 1, 1 - alpha / 2)
    return lower, upper


def poisson_limits(
    x: FloatArray, confidence: float
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.str_]]:
    """Exact limits below 10 events, Byar's from 10 up; also returns the method per row.

    The (slow) inverse gamma is only evaluated on the rows that need it.
    """
    use_exact = x < EXACT_BELOW
    lower, upper = byars_limits(x, confidence)
    if use_exact.any():
        exact_lower, exact_upper = exact_limits(x[use_exact], confidence)
        lower[use_exact] = exact_lower
        upper[use_exact] = exact_upper
    method = np.where(use_exact, EXACT, BYARS)
    return lower, upper, method


def rate(x: Any, n: Any, *, confidence: float = 0.95, multiplier: float = 100_000) -> pd.DataFrame:
    """Crude rate x/n x multiplier with a Poisson interval.

    Exact limits are used when the count is below 10 and Byar's approximation
    otherwise (Breslow & Day 1987). Columns: ``numerator``, ``denominator``,
    ``value``, ``lower``, ``upper``, ``confidence``, ``method`` ("Exact" or
    "Byars").
    """
    xs = as_float_array(x, "x", allow_nan=True)
    ns = as_float_array(n, "n", allow_nan=True)
    check_same_length(x=xs, n=ns)
    check_non_negative(xs, "x")
    check_positive(ns, "n")
    level = check_confidence(confidence)
    scale = check_multiplier(multiplier)
    lower, upper, method = poisson_limits(xs, level)
    missing = np.isnan(xs) | np.isnan(ns)
    lower = np.where(missing, np.nan, lower)
    upper = np.where(missing, np.nan, upper)
    return pd.DataFrame(
        {
            "numerator": xs,
            "denominator": ns,
            "value": xs / ns * scale,
            "lower": lower / ns * scale,
            "upper": upper / ns * scale,
            "confidence": level,
            "method": labels(
                np.where(np.isnan(xs), 0, np.where(xs < EXACT_BELOW, 1, 2)), ["", EXACT, BYARS]
            ),
            "note": missing_note(xs, ns),
        }
    )

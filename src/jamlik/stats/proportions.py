"""Proportions with the Wilson score interval.

Method: Wilson, E. B. (1927). Probable inference, the law of succession, and
statistical inference. Journal of the American Statistical Association 22,
209-212. This is the interval used for proportions in England's Fingertips
profiles (PHEindicatormethods ``phe_proportion``), and the reference values in
``shared/reference/phe/Proportion__*.csv`` are reproduced to 1e-9 relative.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from jamlik.stats.validation import (
    FloatArray,
    as_float_array,
    check_at_most,
    check_confidence,
    check_multiplier,
    check_non_negative,
    check_positive,
    check_same_length,
    constant_label,
    missing_note,
)

METHOD = "Wilson"


def z_value(confidence: float) -> float:
    """Two-sided standard normal quantile for a confidence level (0.95 -> 1.96)."""
    return float(sps.norm.ppf(0.5 + confidence / 2))


def wilson_limits(x: FloatArray, n: FloatArray, confidence: float) -> tuple[FloatArray, FloatArray]:
    """Wilson (1927) score limits for x successes out of n, as fractions.

    Written in the closed form that avoids cancellation at x = 0 and x = n:
    (2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2)).
    """
    z = z_value(confidence)
    p = x / n
    centre = 2 * x + z**2
    spread = z * np.sqrt(z**2 + 4 * x * (1 - p))
    denominator = 2 * (n + z**2)
    lower = np.clip((centre - spread) / denominator, 0.0, 1.0)
    upper = np.clip((centre + spread) / denominator, 0.0, 1.0)
    return lower, upper


def proportion(x: Any, n: Any, *, confidence: float = 0.95, multiplier: float = 1) -> pd.DataFrame:
    """Proportion x/n with its Wilson (1927) score interval.

    ``x`` (numerators) and ``n`` (denominators) are array-likes of equal length.
    Returns one row per input with columns ``numerator``, ``denominator``,
    ``value``, ``lower``, ``upper`` (all times ``multiplier``: 1 for a fraction,
    100 for a percentage), ``confidence`` and ``method``.
    """
    xs = as_float_array(x, "x", allow_nan=True)
    ns = as_float_array(n, "n", allow_nan=True)
    check_same_length(x=xs, n=ns)
    check_non_negative(xs, "x")
    check_positive(ns, "n")
    check_at_most(xs, ns, "x", "n")
    level = check_confidence(confidence)
    scale = check_multiplier(multiplier)
    lower, upper = wilson_limits(xs, ns, level)
    return pd.DataFrame(
        {
            "numerator": xs,
            "denominator": ns,
            "value": xs / ns * scale,
            "lower": lower * scale,
            "upper": upper * scale,
            "confidence": level,
            "method": constant_label(METHOD, len(xs)),
            "note": missing_note(xs, ns),
        }
    )

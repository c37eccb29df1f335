"""Means with a Student's t confidence interval.

Method: Student (Gosset, W. S. 1908), "The probable error of a mean",
Biometrika 6, 1-25; the interval is mean +/- t(1 - alpha/2, n - 1) * sd / sqrt(n),
as in PHEindicatormethods ``phe_mean``. Reference values:
``shared/reference/phe/Mean__testdata_Mean_results.csv`` (1e-9 relative).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from jamlik.stats.validation import as_float_array, check_confidence, check_same_length

METHOD = "Student's t-distribution"
GROUP_COLUMN = "group"


def mean(values: Any, *, by: Any = None, confidence: float = 0.95) -> pd.DataFrame:
    """Mean of ``values`` (optionally per group in ``by``) with a Student's t interval.

    ``by`` is an array-like of group labels the same length as ``values``; the
    output then has one row per group (column ``group``), in order of first
    appearance. Columns: ``total``, ``count``, ``sd``, ``value``, ``lower``,
    ``upper``, ``confidence``, ``method``. With a single value the standard
    deviation and limits are missing (noted in ``note``).
    """
    xs = as_float_array(values, "values")
    level = check_confidence(confidence)
    if len(xs) == 0:
        raise ValueError("values must contain at least one number; got an empty list.")
    if by is None:
        labels = np.zeros(len(xs), dtype=np.int64)
    else:
        labels = np.asarray(pd.Series(by).to_numpy())
        check_same_length(values=xs, by=labels)
    frame = pd.DataFrame({"label": labels, "x": xs})
    grouped = frame.groupby("label", sort=False)["x"]
    summary = grouped.agg(["sum", "count", "std"])
    count = summary["count"].to_numpy(dtype=np.float64)
    total = summary["sum"].to_numpy(dtype=np.float64)
    sd = summary["std"].to_numpy(dtype=np.float64)
    value = total / count
    enough = count >= 2
    dof = np.where(enough, count - 1, 1.0)
    t = sps.t.ppf(0.5 + level / 2, dof)
    half = np.where(enough, t * np.where(enough, sd, 0.0) / np.sqrt(count), np.nan)
    out = pd.DataFrame(
        {
            "total": total,
            "count": count,
            "sd": np.where(enough, sd, np.nan),
            "value": value,
            "lower": value - half,
            "upper": value + half,
            "confidence": level,
            "method": METHOD,
            "note": np.where(enough, "", "interval needs at least two values"),
        }
    )
    if by is not None:
        out.insert(0, GROUP_COLUMN, summary.index.to_numpy())
    return out

"""Proportions from survey microdata: design-weighted, with a Wilson interval on Kish's n.

Without weights this is exactly :func:`jamlik.stats.proportions.proportion` (Wilson
1927): ``x`` of ``n`` respondents, the score interval.

With design weights ``w`` (for example the inverse of a school year's sampling
fraction in a kommun) the point estimate is the weighted share
``p = Σ w·y / Σ w`` (the Hájek ratio estimator), and the interval is Wilson's with
the sample size replaced by Kish's effective sample size
``n_eff = (Σ w)² / Σ w²`` (Kish, L. 1965, *Survey Sampling*, Wiley):
the number of equally weighted respondents that would give the same variance.
Replacing n by ``n_eff`` in an interval for a proportion is the effective-sample-size
approach of Korn, E. L. & Graubard, B. I. (1998), "Confidence intervals for
proportions with small expected number of positive counts estimated from survey
data", *Survey Methodology* 24(2), 193-201 (they pair it with Clopper-Pearson);
here it is paired with Wilson's score interval, which stays inside [0, 100] and
behaves near 0 % and 100 %, where the Wald interval fails, and which is the interval
Jämlik uses for every other proportion.
When all weights are equal, ``n_eff = n`` and ``p = x/n``, so the weighted and the
unweighted estimates agree.

:func:`proportions_from_sums` is the vectorised form used for thousands of cells at
once by :mod:`jamlik.surveys.aggregate`; :func:`weighted_proportion` is one cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jamlik.stats.proportions import wilson_limits
from jamlik.stats.validation import check_confidence

#: Estimates are percentages.
MULTIPLIER = 100.0


@dataclass(frozen=True)
class Proportion:
    """One estimated share: unweighted counts, weighted value and its interval (0-100)."""

    x: int
    n: int
    value: float
    lower: float
    upper: float
    n_eff: float


def proportions_from_sums(
    x: Any,
    n: Any,
    sum_w: Any,
    sum_w2: Any,
    sum_wy: Any,
    *,
    weighted: bool,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Share and Wilson limits per cell from the cell's sums (all arrays of equal length).

    ``x``, ``n``: unweighted count of 1s and of answers; ``sum_w``, ``sum_w2``,
    ``sum_wy``: Σw, Σw² and Σw·y over the answers.  With ``weighted`` false the
    weights are ignored (``value = x/n`` on ``n``), which is exact rather than equal
    to rounding.  Returns columns ``x``, ``n``, ``value``, ``lower``, ``upper``,
    ``n_eff``; a cell with ``n == 0`` has NaN value and limits.
    """
    level = check_confidence(confidence)
    xs = np.asarray(x, dtype=float)
    ns = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        if weighted:
            sw = np.asarray(sum_w, dtype=float)
            p = np.asarray(sum_wy, dtype=float) / sw
            n_eff = sw**2 / np.asarray(sum_w2, dtype=float)
            successes = p * n_eff
        else:
            p = xs / ns
            n_eff = ns.copy()
            successes = xs
        lower, upper = wilson_limits(successes, n_eff, level)
    empty = ns <= 0
    frame = pd.DataFrame(
        {
            "x": xs.astype(np.int64),
            "n": ns.astype(np.int64),
            "value": np.where(empty, np.nan, p * MULTIPLIER),
            "lower": np.where(empty, np.nan, lower * MULTIPLIER),
            "upper": np.where(empty, np.nan, upper * MULTIPLIER),
            "n_eff": np.where(empty, 0.0, n_eff),
        }
    )
    return frame


def weighted_proportion(y: Any, w: Any = None, *, confidence: float = 0.95) -> Proportion:
    """The share of ``y == 1`` among answered ``y`` (NaN = not answered), in percent.

    ``w`` are design weights (positive, finite), or ``None`` for an unweighted
    estimate.  Raises ``ValueError`` for values of ``y`` other than 0, 1 and NaN, for
    weights that are not positive, or for ``y`` and ``w`` of different lengths.
    """
    ys = np.asarray(y, dtype=float).ravel()
    answered = ~np.isnan(ys)
    if not np.isin(ys[answered], (0.0, 1.0)).all():
        raise ValueError("y must hold 0, 1 or NaN (not answered)")
    if w is None:
        ws = np.ones_like(ys)
    else:
        ws = np.asarray(w, dtype=float).ravel()
        if ws.shape != ys.shape:
            raise ValueError(f"y and w differ in length: {ys.size} and {ws.size}")
        if not (np.isfinite(ws[answered]).all() and (ws[answered] > 0).all()):
            raise ValueError("weights must be positive finite numbers")
    ya, wa = ys[answered], ws[answered]
    row = proportions_from_sums(
        [ya.sum()],
        [ya.size],
        [wa.sum()],
        [(wa**2).sum()],
        [(wa * ya).sum()],
        weighted=w is not None,
        confidence=confidence,
    ).iloc[0]
    return Proportion(
        x=int(row["x"]),
        n=int(row["n"]),
        value=float(row["value"]),
        lower=float(row["lower"]),
        upper=float(row["upper"]),
        n_eff=float(row["n_eff"]),
    )

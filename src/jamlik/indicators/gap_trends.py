"""Is a gap between groups narrowing, widening or unchanged over time?

Method: a weighted linear trend of the measure over the periods, each period
weighted by the inverse of its variance (se = (upper − lower) / 3.92), the
same weighted regression as PHE's Fingertips trend markers (Public Health
England 2018, Technical guide: Fingertips trend markers) but over every period
shown and reported with a 95 % interval for the slope instead of a
significance marker. When the points scatter more than their own intervals
allow (Pearson χ² / (n − 2) above 1), the slope's variance is multiplied by that
factor, so year-to-year noise does not pass for a trend (the usual
multiplicative over-dispersion correction in weighted regression). Ratios
(R, RII) are trended on the log scale, where "no gap" is 0.

Verdict: the gap is *unchanged* when the slope's interval includes 0. Otherwise
it is *narrowing* when its absolute size shrinks — the gap keeps one sign over
the periods and the slope points toward 0 — and *widening* when the slope
points away from 0. A gap that changes sign over the periods gets no verdict:
"shrinking" would be ambiguous there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy import stats as sps

Z95 = float(sps.norm.ppf(0.975))
MIN_PERIODS = 3


class GapChange(StrEnum):
    NARROWING = "narrowing"
    WIDENING = "widening"
    UNCHANGED = "unchanged"
    CHANGES_SIGN = "changes_sign"
    CANNOT_BE_CALCULATED = "cannot_be_calculated"


@dataclass(frozen=True)
class GapTrend:
    """Slope per year of a gap measure (log scale for ratios) with its 95 % interval."""

    change: GapChange
    slope: float | None = None
    lower: float | None = None
    upper: float | None = None
    periods: int = 0
    first_year: int | None = None
    last_year: int | None = None
    log_scale: bool = False


def gap_trend(
    years: Sequence[float],
    values: Sequence[float | None],
    lowers: Sequence[float | None],
    uppers: Sequence[float | None],
    *,
    log_scale: bool = False,
) -> GapTrend:
    """Weighted linear trend of a gap measure and the verdict (see the module docstring).

    Periods without a value or an interval are left out; at least
    :data:`MIN_PERIODS` must remain. With ``log_scale`` values and limits must
    be positive (ratios).
    """
    rows = [
        (float(x), float(v), float(lo), float(hi))
        for x, v, lo, hi in zip(years, values, lowers, uppers, strict=True)
        if v is not None and lo is not None and hi is not None
        and np.isfinite([v, lo, hi]).all() and hi > lo
        and (not log_scale or min(v, lo) > 0)
    ]  # fmt: skip
    if len(rows) < MIN_PERIODS:
        return GapTrend(GapChange.CANNOT_BE_CALCULATED, periods=len(rows), log_scale=log_scale)
    x, y, lo, hi = (np.array(c) for c in zip(*rows, strict=True))
    if log_scale:
        y, lo, hi = np.log(y), np.log(lo), np.log(hi)
    se = (hi - lo) / (2 * Z95)
    w = 1 / se**2
    xm = np.sum(w * x) / np.sum(w)
    ym = np.sum(w * y) / np.sum(w)
    sxx = np.sum(w * (x - xm) ** 2)
    slope = float(np.sum(w * (x - xm) * (y - ym)) / sxx)
    residuals = y - (ym + slope * (x - xm))
    dispersion = max(1.0, float(np.sum(w * residuals**2)) / (len(x) - 2))
    slope_se = float(np.sqrt(dispersion / sxx))
    lower, upper = slope - Z95 * slope_se, slope + Z95 * slope_se
    signs = set(np.sign(y[y != 0]).tolist())
    if lower <= 0 <= upper:
        change = GapChange.UNCHANGED
    elif len(signs) > 1:
        change = GapChange.CHANGES_SIGN
    else:
        gap_sign = signs.pop() if signs else 1.0
        change = GapChange.NARROWING if slope * gap_sign < 0 else GapChange.WIDENING
    return GapTrend(change, slope, lower, upper, len(x), int(x.min()), int(x.max()), log_scale)

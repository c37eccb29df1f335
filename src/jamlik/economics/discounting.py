"""Discounting, present values and the internal rate of return.

Convention: year 1 is the base year and is not discounted; a flow in year t is
multiplied by (1 + r)^-(t-1). This reproduces the worked example in Aos's
benefit-cost workshop (WSIPP, 2013): 3 000 invested once and 500 a year for
20 years at 3 % give a benefit-cost ratio of 2.55 and an internal rate of
return of 19.3 %.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def discount_factors(rates: FloatArray | float, horizon: int) -> FloatArray:
    """Discount factors of shape ``(len(rates), horizon)`` (or ``(1, horizon)``)."""
    r = np.atleast_1d(np.asarray(rates, dtype=np.float64))
    exponents = np.arange(horizon, dtype=np.float64)
    out: FloatArray = np.power(1.0 + r[:, None], -exponents[None, :])
    return out


def present_value(flows: FloatArray, rate: float) -> float:
    """Present value of a 1-D flow series (year 1 undiscounted)."""
    flows = np.asarray(flows, dtype=np.float64)
    return float(np.dot(flows, discount_factors(rate, flows.shape[-1])[0]))


def annuity_factor(rate: float, years: int) -> float:
    """Closed form of sum_{t=1..n} (1+r)^-(t-1): the annuity-due factor.

    (1 - (1+r)^-n) / (1 - (1+r)^-1), and n when r = 0.
    """
    growth = math.log1p(rate)
    if growth == 0:
        return float(years)
    # expm1 keeps the ratio exact for rates close to zero.
    return math.expm1(-years * growth) / math.expm1(-growth)


def internal_rate_of_return(
    flows: FloatArray, *, low: float = -0.99, high: float = 10.0, tol: float = 1e-10
) -> float | None:
    """The rate that makes the present value of ``flows`` zero, by bisection.

    Returns ``None`` when the present value does not change sign between
    ``low`` and ``high`` (no costs, no benefits, or an unconventional series).
    """
    flows = np.asarray(flows, dtype=np.float64)
    f_low, f_high = present_value(flows, low), present_value(flows, high)
    if not np.isfinite(f_low) or f_low == 0 or f_high == 0 or np.sign(f_low) == np.sign(f_high):
        return None
    for _ in range(200):
        mid = 0.5 * (low + high)
        f_mid = present_value(flows, mid)
        if np.sign(f_mid) == np.sign(f_low):
            low, f_low = mid, f_mid
        else:
            high = mid
        if high - low < tol:
            break
    return 0.5 * (low + high)

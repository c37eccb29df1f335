"""Assigning areas to quantiles (quintiles, deciles ...) within a parent area.

Method: areas are ranked within their group (ties share the lowest rank) so that
rank 1 is the least favourable value given the indicator's polarity, and the
quantile is floor(q + 1 - ceil((N + 1 - rank) q / N)) for q quantiles and N
ranked areas; quantile 1 therefore holds the least favourable areas. This is
the rule of PHEindicatormethods ``phe_quantile`` (Public Health England 2018),
reproduced exactly on ``shared/reference/phe/Quantiles__testdata_Quantiles.csv``.
Indicators without polarity are ranked as if high were good (quantile 1 = lowest).
A group with fewer areas than quantiles gets no quantiles.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jamlik.stats.compare import Polarity, as_polarity
from jamlik.stats.validation import as_float_array


def quantiles(
    values: Any,
    *,
    n_quantiles: int,
    polarity: Polarity | str | Any = Polarity.HIGH_IS_GOOD,
    by: Any = None,
) -> pd.DataFrame:
    """Quantile of each value within its group (``by``), honouring polarity.

    ``polarity`` is one value or one per row (it must then be the same within
    each group). ``by`` gives each value's group label (none missing). Missing
    values get no quantile. Returns one row per input:
    ``value``, ``rank``, ``group_size``, ``quantile`` (1 = least favourable),
    and ``lower``/``upper``: the smallest and largest value in the same
    quantile of the same group.
    """
    xs = as_float_array(values, "values", allow_nan=True)
    q = int(n_quantiles)
    if q != n_quantiles or q < 2:
        raise ValueError(f"n_quantiles must be a whole number of at least 2; got {n_quantiles!r}.")
    labels = np.zeros(len(xs), dtype=np.int64) if by is None else pd.Series(by).to_numpy()
    if len(labels) != len(xs):
        raise ValueError(f"by must have one label per value ({len(xs)}); got {len(labels)}.")
    unlabelled = pd.isna(labels)
    if unlabelled.any():
        name = getattr(by, "name", None)
        where = f"by ({name})" if name is not None else "by"
        count = int(unlabelled.sum())
        positions = np.flatnonzero(unlabelled)[:10].tolist()
        raise ValueError(
            f"{where} has no group label on {count} row{'s' if count != 1 else ''} "
            f"(positions {positions}{' ...' if count > 10 else ''}); every value needs the "
            f"group it is ranked within. Fill the missing labels or drop those rows."
        )
    if isinstance(polarity, str | Polarity):
        inverted = np.full(len(xs), as_polarity(polarity) is Polarity.LOW_IS_GOOD)
    else:
        raw = pd.Series(polarity).map(as_polarity).to_numpy()
        if len(raw) != len(xs):
            raise ValueError(
                f"polarity must be one value or one per row ({len(xs)}); got {len(raw)}."
            )
        inverted = raw == Polarity.LOW_IS_GOOD
        mixed = pd.Series(inverted).groupby(labels).nunique() > 1
        if mixed.any():
            raise ValueError(
                f"polarity must be the same for every area in a group; group "
                f"{mixed.index[mixed.to_numpy()][0]!r} mixes polarities."
            )
    key = np.where(inverted, -xs, xs)
    frame = pd.DataFrame({"g": labels, "key": key, "x": xs})
    grouped = frame.groupby("g", sort=False)["key"]
    rank = grouped.rank(method="min").to_numpy()
    size = grouped.transform("count").to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        quantile = np.floor(q + 1 - np.ceil((size + 1 - rank) * q / size))
    # A group with fewer areas than quantiles cannot be split (reference rule).
    quantile = np.where(size < q, np.nan, quantile)
    frame["quantile"] = quantile
    bands = frame.groupby(["g", "quantile"], sort=False)["x"]
    return pd.DataFrame(
        {
            "value": xs,
            "rank": rank,
            "group_size": np.where(np.isnan(xs), np.nan, size),
            "quantile": quantile,
            "lower": bands.transform("min").to_numpy(),
            "upper": bands.transform("max").to_numpy(),
        }
    )

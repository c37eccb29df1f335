"""Disclosure control for everything the public sees: pages, CSV exports and the API.

Counts below an indicator's threshold are hidden, together with the value and
interval of that row, and so are the counts that would let a reader recover a
hidden one from a published total (secondary suppression).  The work is done by
:func:`jamlik.stats.suppress` (Hundepool et al. 2012); this module only says
which rows form a table with a published total.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from jamlik.stats import suppress

SUPPRESSED_NOTE = "suppressed (small numbers)"


def disclose(frame: pd.DataFrame, *, within: Sequence[str]) -> pd.DataFrame:
    """Hide small numerators in ``frame`` per indicator threshold.

    ``frame`` needs ``numerator``, ``value``, ``lower``, ``upper`` and
    ``threshold`` columns.  Rows sharing the ``within`` columns are one table
    whose numerators add up to a published total (for example the kommuner of
    one indicator and period, whose county total is also shown).  The result
    has a boolean ``suppressed`` column; suppressed numerators, values and
    limits are missing.
    """
    if frame.empty:
        out = frame.copy()
        out["suppressed"] = pd.Series(dtype=bool)
        return out
    parts = []
    for threshold, part in frame.groupby("threshold", sort=False):
        if part["numerator"].isna().all():
            done = part.copy()
            done["suppressed"] = False
            parts.append(done)
            continue
        done = suppress(
            part.reset_index(drop=True),
            count_columns=["numerator"],
            threshold=int(threshold),
            totals="columns",
            within=list(within) or None,
            linked_columns=["value", "lower", "upper"],
        )
        done.index = part.index
        done["suppressed"] = done["numerator_note"].astype(str) != ""
        parts.append(done.drop(columns=["numerator_note"]))
    return pd.concat(parts).loc[frame.index]

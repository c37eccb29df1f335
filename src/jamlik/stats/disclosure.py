"""Disclosure control: suppression of small counts in published tables.

Method: cell suppression as described by Hundepool, A. et al. (2012),
Statistical Disclosure Control (Wiley), ch. 5. Primary suppression hides counts
that are above zero and below the threshold (default 5: counts 1-4 are hidden).
Secondary (complementary) suppression then hides further cells so that no
hidden cell can be recovered by subtraction from a published total: whenever a
row (or a column, within each table) has exactly one hidden cell, the smallest
other cell in that line is hidden too, and this is repeated until stable.
Figures derived from a hidden count (a rate, its limits) are hidden with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from jamlik.stats.validation import as_group_keys, check_choice, check_columns, labels

TOTALS = ("rows", "columns", "both", "none")
NOTE_PRIMARY = "suppressed: small count"
NOTE_SECONDARY = "suppressed: protects another cell"
NOTE_SUFFIX = "_note"
DEFAULT_LINKED = ("value", "lower", "upper")


def _complete_lines(hidden: np.ndarray, counts: np.ndarray, line_ids: np.ndarray) -> np.ndarray:
    """Cells to hide so that no line (row, or column within a table) has a lone hidden cell.

    ``line_ids`` gives, for every cell, the line it belongs to along one axis.
    """
    flat_hidden = hidden.ravel()
    flat_ids = line_ids.ravel()
    flat_counts = counts.ravel()
    n_lines = int(flat_ids.max()) + 1 if flat_ids.size else 0
    per_line = np.bincount(flat_ids, weights=flat_hidden, minlength=n_lines)
    lone = per_line == 1
    if not lone.any():
        return np.zeros_like(hidden)
    candidates = lone[flat_ids] & ~flat_hidden
    # Prefer the smallest positive count; zeros only when nothing else is left.
    score = np.where(flat_counts > 0, flat_counts, np.finfo(np.float64).max)
    score = np.where(candidates, score, np.inf)
    order = np.lexsort((score, flat_ids))
    chosen = np.zeros(flat_hidden.shape, dtype=bool)
    seen_ids = flat_ids[order]
    valid = candidates[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = seen_ids[1:] != seen_ids[:-1]
    first_valid = valid & first
    # If the first entry of a line is not a candidate, no candidate exists in it.
    chosen[order[first_valid]] = True
    return chosen.reshape(hidden.shape)


def suppress(
    table: pd.DataFrame,
    *,
    count_columns: Sequence[str],
    threshold: int = 5,
    totals: str = "both",
    within: str | Sequence[str] | None = None,
    linked_columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Hide small counts and the cells that would reveal them (Hundepool et al. 2012).

    ``count_columns`` are the count cells of each row. ``totals`` says which
    published totals must not give a hidden cell away: "rows" (a total across
    ``count_columns`` in each row), "columns" (a total of each count column,
    over the whole table or per group of ``within``), "both" or "none".
    Hidden counts become missing and the column ``<count>_note`` says why.
    ``linked_columns`` (default ``value``, ``lower``, ``upper`` when present)
    are hidden in any row where a count was hidden.
    """
    columns = list(count_columns)
    if not columns:
        raise ValueError("count_columns must name at least one column of counts.")
    groups = as_group_keys(within)
    check_columns(table, [*columns, *groups], "table")
    check_choice(totals, "totals", TOTALS)
    if int(threshold) != threshold or threshold < 1:
        raise ValueError(f"threshold must be a whole number of at least 1; got {threshold!r}.")
    counts = table[columns].to_numpy(dtype=np.float64)
    present = ~np.isnan(counts)
    if (counts[present] < 0).any():
        raise ValueError("count_columns must not hold negative counts.")
    work = np.where(present, counts, 0.0)
    primary = present & (work > 0) & (work < threshold)
    hidden = primary.copy()

    n_rows, n_cols = counts.shape
    row_lines = np.repeat(np.arange(n_rows)[:, None], n_cols, axis=1)
    if groups:
        codes, _ = pd.MultiIndex.from_frame(table[groups]).factorize()
        group_codes = np.asarray(codes, dtype=np.int64)
    else:
        group_codes = np.zeros(n_rows, dtype=np.int64)
    column_lines = group_codes[:, None] * n_cols + np.arange(n_cols)[None, :]
    use_rows = totals in ("rows", "both") and n_cols > 1
    use_columns = totals in ("columns", "both")

    for _ in range(n_rows * n_cols + 1):
        added = np.zeros_like(hidden)
        if use_rows:
            added |= _complete_lines(hidden, work, row_lines)
        if use_columns:
            added |= _complete_lines(hidden | added, work, column_lines)
        added &= ~hidden & present
        if not added.any():
            break
        hidden |= added

    out = table.copy()
    for j, column in enumerate(columns):
        out[column] = np.where(hidden[:, j], np.nan, counts[:, j])
        codes = np.where(primary[:, j], 1, np.where(hidden[:, j], 2, 0))
        out[column + NOTE_SUFFIX] = labels(codes, ["", NOTE_PRIMARY, NOTE_SECONDARY])
    linked = (
        [c for c in DEFAULT_LINKED if c in table.columns]
        if linked_columns is None
        else list(linked_columns)
    )
    check_columns(table, linked, "table")
    row_hidden = hidden.any(axis=1)
    for column in linked:
        values: Any = out[column].astype("float64")
        out[column] = values.where(~row_hidden)
    return out

"""Disclosure control: primary and secondary suppression (Hundepool et al. 2012)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jamlik.stats import suppress
from jamlik.stats.disclosure import NOTE_PRIMARY, NOTE_SECONDARY


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kommun": ["A", "B", "C", "D"],
            "men": [3, 20, 30, 12],
            "women": [15, 22, 40, 9],
            "value": [1.0, 2.0, 3.0, 4.0],
        }
    )


def _recoverable(out: pd.DataFrame, columns: list[str]) -> bool:
    """True if any hidden cell is the only hidden one in its row or column."""
    hidden = out[columns].isna().to_numpy()
    return bool((hidden.sum(axis=1) == 1).any() or (hidden.sum(axis=0) == 1).any())


def test_small_count_and_its_complements_are_hidden():
    out = suppress(_table(), count_columns=["men", "women"])
    assert out.loc[0, "men_note"] == NOTE_PRIMARY
    assert np.isnan(out.loc[0, "men"])
    assert out.loc[0, "women_note"] == NOTE_SECONDARY  # protects the row total
    assert not _recoverable(out, ["men", "women"])
    assert np.isnan(out.loc[0, "value"]), "a rate derived from a hidden count is hidden"
    assert out.loc[2, "men"] == 30 and out.loc[2, "value"] == 3.0


def test_smallest_complement_is_chosen():
    out = suppress(_table(), count_columns=["men", "women"], totals="columns")
    # Column total of men is published: the smallest other man count (12) goes too.
    assert out["men"].isna().tolist() == [True, False, False, True]
    assert out.loc[3, "men_note"] == NOTE_SECONDARY


def test_zero_is_not_suppressed_and_nothing_small_means_nothing_hidden():
    table = pd.DataFrame({"n": [0, 10, 20]})
    out = suppress(table, count_columns=["n"])
    assert out["n"].tolist() == [0, 10, 20]
    assert (out["n_note"] == "").all()


def test_within_groups_protects_each_table_separately():
    table = pd.DataFrame({"lan": ["01", "01", "03", "03"], "n": [2, 50, 60, 70]})
    out = suppress(table, count_columns=["n"], within="lan")
    assert out["n"].isna().tolist() == [True, True, False, False]


def test_threshold_is_configurable():
    out = suppress(
        pd.DataFrame({"n": [7, 8, 100]}), count_columns=["n"], threshold=10, totals="none"
    )
    assert out["n"].isna().tolist() == [True, True, False]


def test_refusals():
    with pytest.raises(ValueError, match="count_columns must not hold negative counts"):
        suppress(pd.DataFrame({"n": [-1]}), count_columns=["n"])
    with pytest.raises(ValueError, match="totals must be one of"):
        suppress(pd.DataFrame({"n": [1]}), count_columns=["n"], totals="diagonal")
    with pytest.raises(ValueError, match=r"table is missing column\(s\) \['x'\]"):
        suppress(pd.DataFrame({"n": [1]}), count_columns=["x"])

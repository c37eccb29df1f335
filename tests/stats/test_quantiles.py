"""Quantile assignment within parent areas against PHEindicatormethods.

Source: shared/reference/phe/Quantiles__testdata_Quantiles.csv; ranks and
quantiles must match exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jamlik.stats import Polarity, quantiles

COUNT = {"Decile": 10, "Septile": 7, "Quartile": 4}
POLARITY = {
    "RAG - Low is good": Polarity.LOW_IS_GOOD,
    "RAG - High is good": Polarity.HIGH_IS_GOOD,
    # In the dummy indicators "True" means quantiles inverted (highest value first).
    "True": Polarity.LOW_IS_GOOD,
    "False": Polarity.HIGH_IS_GOOD,
}


def _same(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return bool(((a == b) | (np.isnan(a) & np.isnan(b))).all())


@pytest.mark.parametrize(
    ("test", "name", "grouping"),
    [
        ("Gooddata", "Decile", "IndSexReg"),
        ("GooddataDups", "Decile", "IndSexReg"),
        ("Gooddata", "Septile", "IndSex"),
        ("Gooddata", "Quartile", None),
        ("GooddataDups", "Quartile", None),
    ],
)
def test_reference_quantiles(phe_csv, test, name, grouping):
    data = phe_csv("Quantiles__testdata_Quantiles.csv")
    chosen = data["QuantileNm"] == name
    if grouping is None:
        # One ranking across the whole sheet (485 areas), highest value first.
        rows = data[chosen]
        out = quantiles(rows["Value"], n_quantiles=COUNT[name], polarity=Polarity.LOW_IS_GOOD)
    else:
        rows = data[chosen & (data["Test"] == test) & (data["GroupSet"] == grouping)]
        by = (
            rows["IndSexRef"] + "|" + rows["ParentCode"]
            if grouping == "IndSexReg"
            else rows["IndSexRef"]
        )
        polarity = rows["Polarity"].astype(str).map(POLARITY)
        out = quantiles(rows["Value"], n_quantiles=COUNT[name], polarity=polarity, by=by)
    assert _same(out["rank"], rows["RankinGrp"])
    assert _same(out["quantile"], rows["QuantileInGrp"])


def test_reference_mixed_polarity_is_refused_and_first_polarity_reproduces(phe_csv):
    data = phe_csv("Quantiles__testdata_Quantiles.csv")
    rows = data[data["Test"] == "BadPolarity"]
    polarity = rows["Polarity"].astype(str).map(POLARITY)
    with pytest.raises(ValueError, match="polarity must be the same for every area in a group"):
        quantiles(rows["Value"], n_quantiles=7, polarity=polarity, by=rows["IndSexRef"])
    out = quantiles(rows["Value"], n_quantiles=7, polarity=polarity.iloc[0], by=rows["IndSexRef"])
    assert _same(out["quantile"], rows["QuantileInGrp"])


def test_band_limits_and_small_groups():
    out = quantiles([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10], n_quantiles=5)
    assert list(out["quantile"]) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert list(out["lower"][:2]) == [1.0, 1.0] and list(out["upper"][:2]) == [2.0, 2.0]
    small = quantiles([1.0, 2.0], n_quantiles=5)
    assert small["quantile"].isna().all()


def test_refusals():
    with pytest.raises(ValueError, match="n_quantiles must be a whole number of at least 2"):
        quantiles([1.0, 2.0], n_quantiles=1)
    with pytest.raises(ValueError, match="polarity must be one of"):
        quantiles([1.0, 2.0], n_quantiles=2, polarity="up")
    with pytest.raises(ValueError, match="by must have one label per value"):
        quantiles([1.0, 2.0], n_quantiles=2, by=pd.Series(["a"]))


def test_values_without_a_group_label_are_refused():
    by = pd.Series(["a", None, "a", np.nan, "b"], name="region")
    with pytest.raises(
        ValueError, match=r"by \(region\) has no group label on 2 rows \(positions \[1, 3\]\)"
    ):
        quantiles([1.0, 2, 3, 4, 5], n_quantiles=2, by=by)
    with pytest.raises(ValueError, match=r"by has no group label on 1 row \(positions \[0\]\)"):
        quantiles([1.0, 2], n_quantiles=2, by=[None, "a"])

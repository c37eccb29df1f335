"""The shared argument checks: messages name the argument, the rule and the value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jamlik.stats import validation as v


def test_confidence_message_wording():
    with pytest.raises(ValueError) as error:
        v.check_confidence(0.5)
    assert str(error.value) == (
        "confidence must be between 0.9 and 0.999 (a fraction such as 0.95 or 0.998); got 0.5."
    )


def test_non_negative_message_wording():
    with pytest.raises(ValueError) as error:
        v.check_non_negative(np.array([1.0, -3.0]), "count")
    assert str(error.value) == (
        "count must be greater than or equal to zero; found -3.0 at position 1. "
        "Check the source data for sign errors."
    )


def test_positive_message_wording():
    with pytest.raises(ValueError) as error:
        v.check_positive(np.array([0.0]), "pop")
    assert str(error.value).startswith("pop must be greater than zero; found 0.0 at position 0.")


def test_numerator_above_denominator_wording():
    with pytest.raises(ValueError) as error:
        v.check_at_most(np.array([5.0]), np.array([4.0]), "x", "n")
    assert (
        str(error.value)
        == "x must be less than or equal to n; found x=5.0 above n=4.0 at position 0."
    )


def test_missing_columns_are_listed():
    with pytest.raises(
        ValueError, match=r"data is missing column\(s\) \['b'\]; available columns are \['a'\]"
    ):
        v.check_columns(pd.DataFrame({"a": [1]}), ["a", "b"])


def test_text_and_infinity_are_refused():
    with pytest.raises(ValueError, match="values must be numeric"):
        v.as_float_array(["x"], "values")
    with pytest.raises(ValueError, match="values must be finite; found inf at position 0"):
        v.as_float_array([np.inf], "values")


def test_group_keys():
    assert v.as_group_keys(None) == []
    assert v.as_group_keys("area") == ["area"]
    assert v.as_group_keys(("a", "b")) == ["a", "b"]

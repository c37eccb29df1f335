"""Argument checks shared by every statistic in :mod:`jamlik.stats`.

Each check raises :class:`ValueError` with a message that names the argument,
states the rule, shows the offending value and says how to fix it, so that a
user who pasted the message into a ticket can be helped without a debugger.
The functions return cleaned NumPy arrays so callers can compute straight away.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]

CONFIDENCE_MIN = 0.90
CONFIDENCE_MAX = 0.999


def _first_bad(values: FloatArray, mask: npt.NDArray[np.bool_]) -> str:
    """Describe the first offending element (position and value) for a message."""
    index = int(np.flatnonzero(mask)[0])
    return f"{float(values[index])!r} at position {index}"


def as_float_array(values: Any, name: str, *, allow_nan: bool = False) -> FloatArray:
    """Convert an array-like to a 1-D float array, refusing text and missing values."""
    if isinstance(values, pd.Series | pd.Index):
        values = values.to_numpy()
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{name} must be numeric; got a value that is not a number ({error}). "
            f"Convert {name} to numbers first."
        ) from None
    array = np.atleast_1d(array)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; got shape {array.shape}.")
    if not allow_nan and np.isnan(array).any():
        raise ValueError(
            f"{name} must not contain missing values; found NaN "
            f"at position {int(np.flatnonzero(np.isnan(array))[0])}. "
            f"Remove or fill the missing rows first."
        )
    if np.isinf(array).any():
        raise ValueError(f"{name} must be finite; found {_first_bad(array, np.isinf(array))}.")
    return array


MISSING_INPUT_NOTE = "missing numerator or denominator"


def labels(codes: npt.NDArray[Any], categories: Sequence[str]) -> pd.Categorical[str]:
    """A text column built from integer codes (cheap for a million rows; compares as text)."""
    return pd.Categorical.from_codes(
        np.asarray(codes, dtype=np.int8), categories=pd.Index(list(categories))
    )


def constant_label(text: str, n: int) -> pd.Categorical[str]:
    """The same text on every row, e.g. the method name."""
    return labels(np.zeros(n, dtype=np.int8), [text])


def missing_note(*arrays: FloatArray) -> pd.Categorical[str]:
    """Per-row note for rows whose inputs are missing (their results are NaN)."""
    missing = np.zeros(len(arrays[0]), dtype=bool)
    for array in arrays:
        missing |= np.isnan(array)
    return labels(missing, ["", MISSING_INPUT_NOTE])


def check_same_length(**arrays: npt.NDArray[Any]) -> int:
    """All named arrays must have the same length; return that length."""
    lengths = {name: len(array) for name, array in arrays.items()}
    distinct = set(lengths.values())
    if len(distinct) > 1:
        described = ", ".join(f"{name} has {length}" for name, length in lengths.items())
        raise ValueError(f"arguments must have the same length; {described}.")
    return distinct.pop() if distinct else 0


def check_non_negative(values: FloatArray, name: str) -> None:
    """Counts and populations cannot be negative."""
    bad = values < 0
    if bad.any():
        raise ValueError(
            f"{name} must be greater than or equal to zero; found "
            f"{_first_bad(values, bad)}. Check the source data for sign errors."
        )


def check_positive(values: FloatArray, name: str) -> None:
    """Denominators and populations used as divisors must be above zero."""
    bad = values <= 0
    if bad.any():
        raise ValueError(
            f"{name} must be greater than zero; found {_first_bad(values, bad)}. "
            f"Rows with no population cannot give a rate; drop or merge them."
        )


def check_at_most(values: FloatArray, limit: FloatArray, name: str, limit_name: str) -> None:
    """A numerator may not exceed its denominator (for proportions)."""
    bad = values > limit
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name} must be less than or equal to {limit_name}; found {name}="
            f"{float(values[index])!r} above {limit_name}={float(limit[index])!r} at position {index}."
        )


def check_confidence(confidence: float, name: str = "confidence") -> float:
    """Confidence is a fraction between 0.90 and 0.999 (e.g. 0.95 or 0.998)."""
    try:
        value = float(confidence)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a number between {CONFIDENCE_MIN} and {CONFIDENCE_MAX}; "
            f"got {confidence!r}."
        ) from None
    if not CONFIDENCE_MIN <= value <= CONFIDENCE_MAX:
        raise ValueError(
            f"{name} must be between {CONFIDENCE_MIN} and {CONFIDENCE_MAX} "
            f"(a fraction such as 0.95 or 0.998); got {confidence!r}."
        )
    return value


def check_multiplier(multiplier: float, name: str = "multiplier") -> float:
    """Multipliers scale results (1, 100, 100 000) and must be positive."""
    try:
        value = float(multiplier)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive number; got {multiplier!r}.") from None
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number; got {multiplier!r}.")
    return value


def check_columns(data: pd.DataFrame, columns: Sequence[str], argument: str = "data") -> None:
    """Every named column must be present in the DataFrame."""
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"{argument} must be a pandas DataFrame; got {type(data).__name__}.")
    missing = [column for column in columns if column not in data.columns]
    if missing:
        raise ValueError(
            f"{argument} is missing column(s) {missing}; available columns are "
            f"{list(data.columns)}."
        )


def check_choice(value: Any, name: str, choices: Sequence[Any]) -> None:
    """A string option must be one of the documented choices."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}; got {value!r}.")


def factorize_groups(
    data: pd.DataFrame, keys: list[str]
) -> tuple[npt.NDArray[np.int64], int, npt.NDArray[np.int64]]:
    """Group number of every row (in order of first appearance), the number of
    groups, and the position of each group's first row."""
    if not keys:
        n_rows = len(data)
        return (
            np.zeros(n_rows, dtype=np.int64),
            (1 if n_rows else 0),
            np.zeros(1 if n_rows else 0, dtype=np.int64),
        )
    if len(keys) == 1:
        codes, uniques = pd.factorize(data[keys[0]], sort=False, use_na_sentinel=False)
        codes = np.asarray(codes, dtype=np.int64)
        n_groups = len(uniques)
    else:
        codes = np.asarray(data.groupby(keys, sort=False, dropna=False).ngroup(), dtype=np.int64)
        n_groups = int(codes.max()) + 1 if len(codes) else 0
    _, first = np.unique(codes, return_index=True)
    return codes, n_groups, np.asarray(first, dtype=np.int64)


def group_labels(data: pd.DataFrame, keys: list[str], first: npt.NDArray[np.int64]) -> pd.DataFrame:
    """The key columns of each group's first row, as the leading columns of a result."""
    return data[keys].iloc[first].reset_index(drop=True)


def as_group_keys(by: str | Sequence[str] | None) -> list[str]:
    """Normalise a ``by`` argument (None, one column name, or several) to a list."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)

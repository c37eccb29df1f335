"""The canonical observation: one number for one indicator, area, period and group.

Every connector in :mod:`jamlik.sources` (Kolada, PxWeb, the CSV/XLSX import
template) turns its input into :class:`Observation` rows, so the rest of the
platform only ever has to understand this one shape.  A missing value is kept
as a row with ``value=None`` and a ``note`` saying why, because "the source
has no number" is information a reader needs (it differs from "we never
asked").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields

import pandas as pd

#: Breakdown dimension and category used for the whole population.
TOTAL = "total"
#: Breakdown dimension for sex; categories are ``female`` and ``male``.
SEX = "sex"
FEMALE = "female"
MALE = "male"


@dataclass(frozen=True, slots=True)
class Observation:
    """One value of one indicator for one area, period and population group.

    ``breakdown`` names the dimension that splits the population (``"total"``,
    ``"sex"``, ``"education"``, ``"district"``...) and ``category`` the group
    within it.  Dimensions are plain strings on purpose: a county may add its
    own (income quintile, country of birth) without a code change.
    """

    indicator: str
    area: str
    period: str
    breakdown: str = TOTAL
    category: str = TOTAL
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    lower: float | None = None
    upper: float | None = None
    note: str = ""
    source: str = ""

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """The identity of the row: two rows with the same key are duplicates."""
        return (self.indicator, self.area, self.period, self.breakdown, self.category)

    @property
    def is_missing(self) -> bool:
        """True when the source gave no value and none can be computed."""
        return self.value is None and (self.numerator is None or self.denominator is None)


#: Column order of the canonical observation table.
COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Observation))


def to_dataframe(observations: Iterable[Observation]) -> pd.DataFrame:
    """Return the observations as a DataFrame with the canonical columns.

    Numbers become float columns with NaN for missing values, which is what
    the statistics engine and pandas expect.
    """
    frame = pd.DataFrame([asdict(o) for o in observations], columns=list(COLUMNS))
    for column in ("numerator", "denominator", "value", "lower", "upper"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame

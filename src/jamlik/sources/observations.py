"""The canonical observation: one number for one indicator, area, period and group.

Every connector in :mod:`jamlik.sources` (Kolada, PxWeb, the CSV/XLSX import
template) turns its input into :class:`Observation` rows, so the rest of the
platform only ever has to understand this one shape.  A missing value is kept
as a row with ``value=None`` and a ``note`` saying why, because "the source
has no number" is information a reader needs (it differs from "we never
asked").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd

#: Breakdown dimension and category used for the whole population.
TOTAL = "total"
#: Breakdown dimension for sex; categories are ``female`` and ``male``.
SEX = "sex"
FEMALE = "female"
MALE = "male"

#: Joins the dimensions of a cross-classified cell: a cell of women aged 65–84
#: is ``breakdown="age*sex"``, ``category="65-84*female"``.  Dimensions at
#: their total are left out, so the sex margin of that table is the ordinary
#: single breakdown ``sex``/``female`` and the grand total stays ``total``/``total``:
#: every single-dimension page keeps working, and a table split three ways is
#: stored whole.
DIMENSION_SEPARATOR = "*"

#: Status symbols of official statistics (SCB's conventions), stored per row
#: in ``status`` so that "not available" and "zero / none" stay different things.
STATUS_VALUE = ""  # a number (or a computed value) is given
STATUS_UNAVAILABLE = "unavailable"  # ``..`` the figure is not available or too uncertain
STATUS_NONE = "none"  # ``-`` nothing to report: zero, or no such cases
STATUS_CONFIDENTIAL = "confidential"  # ``.`` withheld by the source (its own disclosure control)

#: The symbols of SCB's legend ("Teckenförklaring") and PxWeb's default
#: DATASYMBOLs, as status.  ``-`` ("nothing to report", magnitude zero) is kept
#: as *no number* with status ``none`` rather than as 0: for a count it does
#: mean zero, but for a share or rate with nothing to report the quotient is
#: undefined (0/0), and a stored 0 would enter comparisons, trends and
#: averages as a measured zero.  The pages show ``–`` for it, apart from ``..``.
STATUS_BY_SYMBOL: dict[str, str] = {
    "..": STATUS_UNAVAILABLE,
    "...": STATUS_UNAVAILABLE,
    "....": STATUS_UNAVAILABLE,
    ".....": STATUS_UNAVAILABLE,
    "......": STATUS_UNAVAILABLE,
    "-": STATUS_NONE,
    "–": STATUS_NONE,
    ".": STATUS_CONFIDENTIAL,
}


def status_for(symbol: str, value: float | None) -> str:
    """The status of a cell the source gave ``value`` and ``symbol`` for.

    A number is a number (a symbol beside it, such as a data note, does not
    change that); a missing number is ``unavailable`` unless its symbol says
    otherwise, since "the source has no figure" is what an unknown symbol
    means too.
    """
    if value is not None:
        return STATUS_VALUE
    return STATUS_BY_SYMBOL.get(symbol.strip(), STATUS_UNAVAILABLE)


def compose_breakdown(dimensions: dict[str, str]) -> tuple[str, str]:
    """The ``(breakdown, category)`` pair for a cell classified by several dimensions.

    ``dimensions`` maps dimension name to category (``{"sex": "female",
    "age": "65-84", "education": "total"}``); dimensions at ``total`` are
    dropped and the rest ordered by name, so one cell has exactly one key
    whichever order a source lists its variables in.
    """
    parts = sorted((d, c) for d, c in dimensions.items() if c != TOTAL and d != TOTAL)
    if not parts:
        return TOTAL, TOTAL
    for name, category in parts:
        if DIMENSION_SEPARATOR in name or DIMENSION_SEPARATOR in category:
            raise ValueError(
                f"{DIMENSION_SEPARATOR!r} may not occur in a dimension or category: "
                f"{name!r}={category!r}"
            )
    return (
        DIMENSION_SEPARATOR.join(d for d, _ in parts),
        DIMENSION_SEPARATOR.join(c for _, c in parts),
    )


def split_breakdown(breakdown: str, category: str) -> dict[str, str]:
    """The dimensions of a stored ``(breakdown, category)`` pair; ``{}`` for the total."""
    if breakdown == TOTAL:
        return {}
    names = breakdown.split(DIMENSION_SEPARATOR)
    categories = category.split(DIMENSION_SEPARATOR)
    if len(names) != len(categories):
        raise ValueError(f"breakdown {breakdown!r} and category {category!r} do not pair up")
    return dict(zip(names, categories, strict=True))


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
    #: The source's status symbol decoded (``STATUS_*``); ``""`` for a number.
    status: str = STATUS_VALUE

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """The identity of the row: two rows with the same key are duplicates."""
        return (self.indicator, self.area, self.period, self.breakdown, self.category)

    @property
    def is_missing(self) -> bool:
        """True when the source gave no value and none can be computed."""
        return self.value is None and (self.numerator is None or self.denominator is None)


def _floats(values: Iterable[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


@dataclass(slots=True)
class ObservationBatch:
    """Many observations as columns: how a large file travels from reader to database.

    Building a million :class:`Observation` objects costs more than reading the
    file; a batch keeps each field as one list (texts) or one float array
    (numbers, NaN for none).  ``period_start``/``period_end`` are filled by
    readers that already parsed the periods, else ``None``.
    """

    indicator: list[str]
    area: list[str]
    period: list[str]
    breakdown: list[str]
    category: list[str]
    numerator: np.ndarray
    denominator: np.ndarray
    value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    note: list[str]
    source: list[str]
    period_start: np.ndarray | None = None
    period_end: np.ndarray | None = None
    #: ``STATUS_*`` per row; ``None`` when the reader has none (every row a number).
    status: list[str] | None = None

    def __len__(self) -> int:
        return len(self.indicator)

    @classmethod
    def empty(cls) -> ObservationBatch:
        return cls.from_observations([])

    @classmethod
    def from_observations(cls, observations: Sequence[Observation]) -> ObservationBatch:
        return cls(
            indicator=[o.indicator for o in observations],
            area=[o.area for o in observations],
            period=[o.period for o in observations],
            breakdown=[o.breakdown for o in observations],
            category=[o.category for o in observations],
            numerator=_floats(o.numerator for o in observations),
            denominator=_floats(o.denominator for o in observations),
            value=_floats(o.value for o in observations),
            lower=_floats(o.lower for o in observations),
            upper=_floats(o.upper for o in observations),
            note=[o.note for o in observations],
            source=[o.source for o in observations],
            status=[o.status for o in observations],
        )

    def statuses(self) -> list[str]:
        """``status`` per row, ``""`` where the reader gave none."""
        return self.status if self.status is not None else [STATUS_VALUE] * len(self)

    def observations(self) -> list[Observation]:
        """The batch as :class:`Observation` objects (``None`` for missing numbers)."""

        def plain(values: np.ndarray) -> list[float | None]:
            return [None if x != x else x for x in values.tolist()]  # NaN → None

        return [
            Observation(*row)
            for row in zip(
                self.indicator,
                self.area,
                self.period,
                self.breakdown,
                self.category,
                plain(self.numerator),
                plain(self.denominator),
                plain(self.value),
                plain(self.lower),
                plain(self.upper),
                self.note,
                self.source,
                self.statuses(),
                strict=True,
            )
        ]


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

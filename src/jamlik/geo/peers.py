"""Peer groups of a kommun: SKR's kommungrupp and its nearest neighbours ("liknande kommuner").

A kommun is better judged against kommuner like it than against its county
alone.  Two peer groups are offered, as Kolada does:

* **Kommungrupp**: Sveriges Kommuner och Regioner's grouping of the 290 kommuner
  into nine groups A1–C9 (Kommungruppsindelning 2023; shipped in
  ``data/kommungrupper.csv``, see ``data/README.md``).
* **Liknande kommuner**: the ``k`` kommuner nearest on a few structural
  socio-economic indicators (:data:`PEER_INDICATORS`), each standardised to a
  z-score across the kommuner with values, by Euclidean distance: the idea of
  Kolada's "liknande kommuner" (RKA), with a small, stated set of indicators.

The arithmetic (:func:`standardise`, :func:`distances_from`, :func:`nearest`)
is pure; :func:`neighbour_table` reads the latest *published* values (the
public table) and is cached per publication.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

#: How many neighbours "liknande kommuner" has unless asked otherwise (Kolada uses 7).
DEFAULT_K = 7


@dataclass(frozen=True)
class PeerIndicator:
    """An indicator used to find neighbours; ``log`` when its natural logarithm is used."""

    code: str
    why: str
    log: bool = False


#: The structural indicators neighbours are found on, each with why it is there.  Few
#: and structural on purpose: outcomes (health, school results) are left out so that a
#: kommun is compared with kommuner of like conditions, not of like results.
PEER_INDICATORS: tuple[PeerIndicator, ...] = (
    PeerIndicator("N66080", "income: share with low economic standard"),
    PeerIndicator("N01982", "education: share of 25-64-year-olds with post-secondary education"),
    PeerIndicator("N03937", "labour market: openly unemployed 18-65"),
    PeerIndicator("N31807", "social exclusion: share receiving economic assistance"),
    PeerIndicator(
        "N01951", "size: population, on a log scale (sizes span 2 500 to 1 million)", log=True
    ),
)

#: SKR's nine groups (2023): code → (Swedish name, English name).
GROUPS: dict[str, tuple[str, str]] = {
    "A1": ("Storstäder", "Large cities"),
    "A2": ("Pendlingskommun nära storstad", "Commuting municipality near a large city"),
    "B3": ("Större stad", "Large town"),
    "B4": ("Pendlingskommun nära större stad", "Commuting municipality near a large town"),
    "B5": (
        "Lågpendlingskommun nära större stad",
        "Low-commuting municipality near a large town",
    ),
    "C6": ("Mindre stad/tätort", "Small town or urban area"),
    "C7": (
        "Pendlingskommun nära mindre tätort",
        "Commuting municipality near a small urban area",
    ),
    "C8": ("Landsbygdskommun", "Rural municipality"),
    "C9": ("Landsbygdskommun med besöksnäring", "Rural municipality with a visitor industry"),
}


@dataclass(frozen=True)
class Kommungrupp:
    """One of SKR's groups."""

    code: str
    name_sv: str
    name_en: str

    def name(self, language: str = "sv") -> str:
        return self.name_en if language.startswith("en") else self.name_sv


class KommungruppError(ValueError):
    """The shipped grouping file is not what this module expects."""


def parse_kommungrupper(text: str, source: str = "kommungrupper.csv") -> dict[str, str]:
    """Kommun code → group code from the CSV text, checked row by row.

    Every row needs a four-digit ``kommunkod`` seen once and a ``grupp`` among
    :data:`GROUPS` whose ``gruppnamn`` is SKR's name for it; anything else is an
    error naming the file, row and column.
    """
    reader = csv.DictReader(text.splitlines())
    expected = ["kommunkod", "kommun", "grupp", "gruppnamn"]
    if reader.fieldnames != expected:
        raise KommungruppError(f"{source}: columns {reader.fieldnames}, expected {expected}")
    found: dict[str, str] = {}
    for line, row in enumerate(reader, start=2):
        code, group = row["kommunkod"].strip(), row["grupp"].strip()
        if len(code) != 4 or not code.isdigit():
            raise KommungruppError(f"{source}, row {line}, kommunkod: {code!r} is not 4 digits")
        if code in found:
            raise KommungruppError(f"{source}, row {line}, kommunkod: {code} given twice")
        if group not in GROUPS:
            raise KommungruppError(
                f"{source}, row {line}, grupp: {group!r} is not one of {', '.join(GROUPS)}"
            )
        if row["gruppnamn"].strip() != GROUPS[group][0]:
            raise KommungruppError(
                f"{source}, row {line}, gruppnamn: {row['gruppnamn']!r}, "
                f"expected {GROUPS[group][0]!r} for {group}"
            )
        found[code] = group
    return found


@cache
def kommungrupper() -> dict[str, str]:
    """Kommun code → SKR group code for all 290 kommuner (read once per process)."""
    text = resources.files("jamlik.geo").joinpath("data/kommungrupper.csv").read_text("utf-8")
    return parse_kommungrupper(text)


def group(code: str) -> Kommungrupp:
    """The group ``code`` (``A1`` … ``C9``); ``KeyError`` for an unknown code."""
    name_sv, name_en = GROUPS[code]
    return Kommungrupp(code, name_sv, name_en)


def group_of(kommun_code: str) -> Kommungrupp | None:
    """The kommungrupp of a kommun, or ``None`` for a code that is not a kommun."""
    found = kommungrupper().get(kommun_code)
    return group(found) if found else None


def members(group_code: str) -> tuple[str, ...]:
    """The kommun codes of a group, in code order."""
    return tuple(sorted(k for k, g in kommungrupper().items() if g == group_code))


# ------------------------------------------------------------ nearest neighbours
def standardise(matrix: np.ndarray) -> np.ndarray:
    """Each column as z-scores: ``(x - mean) / sd`` (population sd, ``ddof=0``).

    A column that does not vary (to rounding) says nothing about likeness and
    becomes 0 rather than a division by zero.  Rows are kommuner, columns indicators, no NaN.
    """
    values = np.asarray(matrix, dtype=float)
    if values.size == 0:
        return values.reshape(values.shape)
    mean = values.mean(axis=0)
    sd = values.std(axis=0)
    # equal values can leave a rounding error of a few ulps as their spread
    varies = sd > 1e-9 * np.maximum(np.abs(values).max(axis=0), 1.0)
    safe = np.where(varies, sd, 1.0)
    return np.where(varies, (values - mean) / safe, 0.0)


def distances_from(z: np.ndarray, row: int) -> np.ndarray:
    """Euclidean distance from row ``row`` of ``z`` to every row (0 to itself)."""
    return np.sqrt(((np.asarray(z, dtype=float) - z[row]) ** 2).sum(axis=1))


@dataclass(frozen=True)
class Neighbour:
    code: str
    #: Euclidean distance in standard deviations over :data:`PEER_INDICATORS`.
    distance: float


def prepared(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (kommun code × indicator code, raw values) as used for distances:
    log for :data:`PEER_INDICATORS` marked ``log`` (values ≤ 0 become missing),
    rows missing any indicator dropped."""
    out = table.astype(float).copy()
    for indicator in PEER_INDICATORS:
        if indicator.log and indicator.code in out:
            column = out[indicator.code]
            out[indicator.code] = np.log(column.where(column > 0))
    return out.dropna(how="any")


def nearest(table: pd.DataFrame, code: str, k: int = DEFAULT_K) -> list[Neighbour]:
    """The ``k`` rows of ``table`` nearest to ``code`` (itself excluded), nearest first.

    ``table`` holds one row per kommun (index: code) and one column per indicator,
    complete (see :func:`prepared`).  Columns are standardised over the rows given,
    so the neighbours are found among kommuner with values only.  Ties are broken
    by code so the answer does not depend on row order.  A ``code`` not in the
    table has no neighbours.
    """
    if code not in table.index or k <= 0:
        return []
    codes = [str(c) for c in table.index]
    z = standardise(table.to_numpy(dtype=float))
    found = distances_from(z, codes.index(code))
    # ties (to rounding: sums in another row order differ in the last bits) go by code
    order = sorted(
        (round(float(d), 9), c, float(d))
        for d, c in zip(found.tolist(), codes, strict=True)
        if c != code
    )
    return [Neighbour(c, d) for _r, c, d in order[:k]]


@dataclass(frozen=True)
class NeighbourTable:
    """The values neighbours are found on, from the public table, with what was left out."""

    #: Kommun code × indicator code, complete rows, log applied (see :func:`prepared`).
    values: pd.DataFrame
    #: The period used per indicator code.
    periods: dict[str, str]
    #: Kommuner lacking a published value for at least one indicator.
    left_out: tuple[str, ...]


def neighbour_table() -> NeighbourTable:
    """The latest published values of :data:`PEER_INDICATORS` for every kommun.

    Two queries on the public table, computed once per publication (cached with
    :func:`jamlik.indicators.figure_cache.public_cached`).  Staged rows of
    unpublished imports never count: neighbours are the same for every reader.
    """
    from jamlik.indicators.figure_cache import public_cached

    return public_cached("peer-neighbour-table", (PEER_INDICATORS,), None, _neighbour_table)


def _neighbour_table() -> NeighbourTable:
    from jamlik.geo.models import Area
    from jamlik.indicators.models import Indicator
    from jamlik.indicators.queries import Visibility, latest_rows, observation_frame

    codes = [i.code for i in PEER_INDICATORS]
    ids = dict(Indicator.objects.filter(code__in=codes).values_list("pk", "code"))
    kommuner = dict(Area.objects.municipalities().values_list("pk", "code"))
    frame = observation_frame(
        indicator_ids=ids.keys(), area_ids=kommuner.keys(), visibility=Visibility.public()
    )
    latest = latest_rows(frame)
    raw = pd.DataFrame(index=sorted(kommuner.values()), columns=codes, dtype=float)
    periods: dict[str, str] = {}
    if not latest.empty:
        for row in latest[["indicator_id", "area_id", "period", "value"]].itertuples(index=False):
            raw.loc[kommuner[int(row.area_id)], ids[int(row.indicator_id)]] = row.value
            periods[ids[int(row.indicator_id)]] = str(row.period)
    values = prepared(raw)
    left_out = tuple(c for c in raw.index if c not in values.index)
    return NeighbourTable(values, periods, left_out)


def similar(code: str, k: int = DEFAULT_K) -> list[Neighbour]:
    """The ``k`` kommuner most like ``code`` on the latest published values."""
    return nearest(neighbour_table().values, code, k)

"""Price-year conversion with an annual price index carried by the scenario.

A scenario that mixes price years carries the index it uses, with its name and
source, so the conversion can be checked. Jämlik ships one series to start
from: Statistics Sweden's consumer price index (KPI, 1980=100, fastställda tal,
annual averages 2006–2023, ``data/kpi_1980.csv``; SCB's 2024 annual average was
not verifiable from the sources at hand when the series was last extended, so it
ends at 2023; ``jamlik fetch-kpi`` carries it forward into the data folder, see
:mod:`jamlik.economics.kpi_update`). The editor offers it for new
scenarios; users may extend it with later years or replace it with another
index (e.g. a wage index for staff costs) and name that source instead.
Conversion is the usual ratio of index levels: value_to = value_from *
I(to) / I(from) (ASEK 7.0, ch. 5.4, describes the same re-pricing step).
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from jamlik.economics.validation import require, require_finite, require_int

logger = logging.getLogger(__name__)


class PriceYearOutsideIndex(ValueError):
    """A price year the index does not cover: conversion is refused, never extrapolated.

    The message is translated (Swedish in the Swedish interface) and names the index,
    the year and the years it covers; ``year`` lets a form show it at the right field.
    """

    def __init__(self, message: str, *, year: int, first: int, last: int) -> None:
        super().__init__(message)
        self.year = year
        self.first = first
        self.last = last


@dataclass(frozen=True)
class PriceIndex:
    """An annual price index: ``values[year]`` is the index level of that year."""

    name: str
    source: str
    values: Mapping[int, float]

    def __post_init__(self) -> None:
        require(bool(self.name.strip()), "price_index.name", "must not be empty", self.name)
        require(
            bool(self.source.strip()),
            "price_index.source",
            "must name where the index values come from",
            self.source,
        )
        require(len(self.values) > 0, "price_index.values", "at least one year", {})
        for year, level in self.values.items():
            require_int(year, "price_index year", 1800, 2200)
            require_finite(level, f"price_index.values[{year}]")
            require(level > 0, f"price_index.values[{year}]", "must be positive", level)

    def factor(self, from_year: int, to_year: int, *, name: str = "price year") -> float:
        """Multiplier that turns ``from_year`` prices into ``to_year`` prices."""
        for year in (from_year, to_year):
            if year not in self.values:
                raise PriceYearOutsideIndex(
                    _(
                        "The price index “%(index)s” has no value for %(year)s: it covers "
                        "%(first)s–%(last)s. Add the index level for %(year)s to the price "
                        "index, or give those prices in a year the index covers."
                    )
                    % {
                        "index": self.name,
                        "year": year,
                        "first": min(self.values),
                        "last": max(self.values),
                    },
                    year=year,
                    first=min(self.values),
                    last=max(self.values),
                )
        return float(self.values[to_year]) / float(self.values[from_year])


KPI_FILE = Path(__file__).with_name("data") / "kpi_1980.csv"
KPI_NAME = "KPI, årsmedel (1980=100)"
KPI_SOURCE = (
    "SCB, Konsumentprisindex (KPI) 1980=100, fastställda tal, årsmedeltal "
    "(scb.se, Priser och konsumtion; Statistikdatabasen PR0101)"
)


def read_levels(path: Path) -> dict[int, float]:
    """The ``year -> level`` pairs of a KPI CSV file (columns ``year``, ``level``)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {int(row["year"]): float(row["level"]) for row in csv.DictReader(handle)}


def fetched_kpi_file() -> Path:
    """Where ``jamlik fetch-kpi`` writes the extended series (the data folder)."""
    from django.conf import settings

    return Path(settings.DATA_DIR) / KPI_FILE.name


@cache
def scb_kpi() -> PriceIndex:
    """The KPI annual averages as a :class:`PriceIndex`.

    The shipped series, extended by the later years in the data folder's
    ``kpi_1980.csv`` when ``jamlik fetch-kpi`` has written one (it checks SCB's
    answer before writing).  A data-folder file whose shipped years disagree
    with the shipped series, or that cannot be read, is not used: the error is
    logged with the file, year and both values, and the shipped series is
    returned, so a damaged file never changes a calculation.  The fetch clears
    this cache (``scb_kpi.cache_clear()``).
    """
    values = read_levels(KPI_FILE)
    path = fetched_kpi_file()
    if not path.exists():
        return PriceIndex(name=KPI_NAME, source=KPI_SOURCE, values=values)
    try:
        fetched = read_levels(path)
    except (OSError, KeyError, TypeError, ValueError) as exc:
        logger.error("KPI file %s cannot be read (%s); using the shipped series", path, exc)
        return PriceIndex(name=KPI_NAME, source=KPI_SOURCE, values=values)
    for year, level in values.items():
        if year in fetched and round(fetched[year], 2) != round(level, 2):
            logger.error(
                "KPI file %s gives %s the level %.2f but the shipped series has %.2f; "
                "using the shipped series",
                path,
                year,
                fetched[year],
                level,
            )
            return PriceIndex(name=KPI_NAME, source=KPI_SOURCE, values=values)
    later = {year: level for year, level in fetched.items() if year > max(values)}
    if not later:
        return PriceIndex(name=KPI_NAME, source=KPI_SOURCE, values=values)
    source = f"{KPI_SOURCE}; {min(later)}–{max(later)} fetched from SCB (jamlik fetch-kpi)"
    return PriceIndex(name=KPI_NAME, source=source, values={**values, **later})


def as_lines(index: PriceIndex) -> str:
    """The editor's text form, one ``year;level`` line per year with a decimal comma."""
    return "\n".join(
        f"{year};{level:.2f}".replace(".", ",") for year, level in sorted(index.values.items())
    )

"""Price-year conversion with a user-supplied index series.

Jämlik ships no index values: we could not retrieve an authoritative copy of
Statistics Sweden's consumer price index (KPI, annual averages, 1980=100,
table PR0101 in the Statistical Database) while building it, so a scenario that
mixes price years must carry the index it uses, with its name and source.
Conversion is the usual ratio of index levels: value_to = value_from *
I(to) / I(from) (ASEK 7.0, ch. 5.4, describes the same re-pricing step).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jamlik.economics.validation import fail, require, require_finite, require_int


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
                raise fail(
                    name,
                    f"price index '{self.name}' has no value for this year "
                    f"(it covers {min(self.values)}–{max(self.values)})",
                    year,
                )
        return float(self.values[to_year]) / float(self.values[from_year])

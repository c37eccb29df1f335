"""A population pyramid from the population (N01951) by age × sex.

The cells come as stored: breakdown ``age*sex``, categories such as
``30-39*female`` (:func:`jamlik.sources.observations.compose_breakdown`).  Each
band's women and men are shown as a per cent of the whole population, so a
small kommun and its county can be drawn on the same axis and compared by
shape (the county as an outline).  Pure: plain mappings in, numbers out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from jamlik.sources.observations import split_breakdown

BREAKDOWN = "age*sex"
_LOW = re.compile(r"^(\d{1,3})")


@dataclass(frozen=True)
class Band:
    """One age band: counts and per cent of the population, for the area and its county."""

    age: str
    women: float
    men: float
    women_pct: float
    men_pct: float
    county_women_pct: float | None = None
    county_men_pct: float | None = None


@dataclass(frozen=True)
class Pyramid:
    """The bands from the youngest to the oldest (drawn oldest at the top)."""

    period: str
    total: float
    bands: tuple[Band, ...]
    #: The largest per cent of any bar (area or county), for a common scale.
    largest: float

    @property
    def top_down(self) -> tuple[Band, ...]:
        return tuple(reversed(self.bands))

    def width(self, pct: float | None) -> float:
        """A bar's width in per cent of its half of the chart."""
        if pct is None or self.largest <= 0:
            return 0.0
        return round(100.0 * pct / self.largest, 2)


def _age_key(age: str) -> tuple[int, str]:
    found = _LOW.match(age)
    return (int(found[1]) if found else 999, age)


def _by_band(cells: Mapping[str, float | None]) -> dict[str, dict[str, float]]:
    bands: dict[str, dict[str, float]] = {}
    for category, count in cells.items():
        parts = split_breakdown(BREAKDOWN, category)
        age, sex = parts.get("age"), parts.get("sex")
        if age is None or sex not in ("female", "male"):
            continue
        if count is None or not math.isfinite(float(count)):
            continue
        bands.setdefault(age, {})[sex] = float(count)
    return bands


def build_pyramid(
    cells: Mapping[str, float | None],
    period: str,
    county_cells: Mapping[str, float | None] | None = None,
) -> Pyramid | None:
    """The pyramid of ``cells`` (``age*sex`` category → count) with the county's shape.

    Bands with a missing or hidden count are left out of both halves; ``None``
    when nothing is left.  Shares are of the sum of the cells shown, so the
    bars add up to 100 %.
    """
    own = {a: s for a, s in _by_band(cells).items() if "female" in s and "male" in s}
    total = sum(s["female"] + s["male"] for s in own.values())
    if not own or total <= 0:
        return None
    county = {a: s for a, s in _by_band(county_cells or {}).items() if len(s) == 2}
    county_total = sum(s["female"] + s["male"] for s in county.values())
    bands = []
    for age in sorted(own, key=_age_key):
        counts = own[age]
        other = county.get(age)
        bands.append(
            Band(
                age=age,
                women=counts["female"],
                men=counts["male"],
                women_pct=100.0 * counts["female"] / total,
                men_pct=100.0 * counts["male"] / total,
                county_women_pct=100.0 * other["female"] / county_total
                if other and county_total
                else None,
                county_men_pct=100.0 * other["male"] / county_total
                if other and county_total
                else None,
            )
        )
    largest = max(
        x
        for b in bands
        for x in (b.women_pct, b.men_pct, b.county_women_pct or 0.0, b.county_men_pct or 0.0)
    )
    return Pyramid(period, total, tuple(bands), largest)

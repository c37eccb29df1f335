"""The risk and protective profile: a kommun's survey shares against the county's (pure).

Communities That Care sets priorities from a profile of risk and protective factor
scales: the share of young people "at risk" on each risk scale (above the scale's
cut-point) and "with protection" on each protective scale, set against a reference, so
that the local board picks the factors that stand out (Hawkins & Catalano, *Communities
That Care*, 1992; Arthur et al. 2002, *Evaluation Review* 26:575–601; the Swedish use in
Stockholmsenkäten's reports).  Here the reference is the county's share from the same
survey and year, and a factor stands out only when the kommun's 95 % interval lies
wholly on the worse side of the county's share:

* a risk scale is **elevated** when the kommun's lower limit is above the county's share
  (``lower`` when its upper limit is below it);
* a protective scale has **protection lower** when the kommun's upper limit is below the
  county's share (``protection higher`` when its lower limit is above it);
* otherwise the two are **similar**, and with no interval (a hidden group) **not compared**.

Comparing an interval with a point treats the county's share as fixed; the kommun is part
of the county, which makes the test conservative rather than lax.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ELEVATED = "elevated"
LOWER = "lower"
PROTECTION_LOWER = "protection_lower"
PROTECTION_HIGHER = "protection_higher"
WORSE = "worse"
BETTER = "better"
SIMILAR = "similar"
NOT_COMPARED = "not_compared"

RISK = "risk"
PROTECTIVE = "protective"
INDICATOR = "indicator"

#: The flags that make a factor stand out for priority setting.
STANDS_OUT = frozenset({ELEVATED, PROTECTION_LOWER, WORSE})


@dataclass(frozen=True)
class Estimate:
    """One share with its interval, as the reader may see it."""

    value: float | None
    lower: float | None = None
    upper: float | None = None
    n: float | None = None
    suppressed: bool = False
    published: bool = True

    @property
    def shown(self) -> bool:
        return self.value is not None and not self.suppressed

    @property
    def has_interval(self) -> bool:
        return self.shown and self.lower is not None and self.upper is not None


def _number(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def estimate(
    value: float | None,
    lower: float | None = None,
    upper: float | None = None,
    n: float | None = None,
    *,
    suppressed: bool = False,
    published: bool = True,
) -> Estimate:
    """An :class:`Estimate` from stored numbers (NaN read as missing)."""
    return Estimate(
        _number(value), _number(lower), _number(upper), _number(n), bool(suppressed), published
    )


def flag(kind: str, own: Estimate | None, county: Estimate | None) -> str:
    """The comparison of ``own`` with the county's share (see the module docstring).

    ``kind`` is ``risk``, ``protective``, or for a single question its polarity
    (``low``: a high share is worse, ``high``: a high share is better).
    """
    if own is None or county is None or not own.has_interval or not county.shown:
        return NOT_COMPARED
    assert own.lower is not None and own.upper is not None and county.value is not None
    above = own.lower > county.value
    below = own.upper < county.value
    if kind == RISK:
        return ELEVATED if above else LOWER if below else SIMILAR
    if kind == PROTECTIVE:
        return PROTECTION_LOWER if below else PROTECTION_HIGHER if above else SIMILAR
    if kind == "low":
        return WORSE if above else BETTER if below else SIMILAR
    if kind == "high":
        return WORSE if below else BETTER if above else SIMILAR
    return SIMILAR


@dataclass(frozen=True)
class Measure:
    """What a row of the profile measures."""

    key: str  # the indicator code
    name: str
    kind: str  # RISK, PROTECTIVE or INDICATOR
    polarity: str  # "low" or "high" (or "neutral")
    factors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    measure: Measure
    own: Estimate | None
    county: Estimate | None
    flag: str
    #: Positions on the chart's axis, 0–100 (percent of its width); None when not drawn.
    at: float | None = None
    low: float | None = None
    high: float | None = None
    county_at: float | None = None

    @property
    def stands_out(self) -> bool:
        return self.flag in STANDS_OUT


def axis_top(estimates: Iterable[Estimate | None]) -> float:
    """The chart's right end: the largest upper limit or share, rounded up to 10 %
    (at least 10, at most 100), so small shares are not squeezed to the left."""
    top = 0.0
    for item in estimates:
        if item is None or not item.shown:
            continue
        for number in (item.value, item.upper):
            if number is not None:
                top = max(top, number)
    return float(min(100, max(10, math.ceil(top / 10.0) * 10)))


def _at(value: float | None, top: float) -> float | None:
    return None if value is None else round(max(0.0, min(100.0, value / top * 100.0)), 2)


def build_rows(
    measures: Sequence[Measure],
    own: dict[str, Estimate],
    county: dict[str, Estimate],
    top: float | None = None,
) -> tuple[list[Row], float]:
    """The profile's rows (risk scales, then protective, then single questions, in the
    given order within each) and the axis top used for their positions."""
    order = {RISK: 0, PROTECTIVE: 1, INDICATOR: 2}
    ranked = sorted(enumerate(measures), key=lambda p: (order.get(p[1].kind, 3), p[0]))
    if top is None:
        top = axis_top([*own.values(), *county.values()])
    rows = []
    for _index, measure in ranked:
        mine, theirs = own.get(measure.key), county.get(measure.key)
        kind = measure.kind if measure.kind != INDICATOR else measure.polarity
        drawn = mine is not None and mine.shown
        rows.append(
            Row(
                measure,
                mine,
                theirs,
                flag(kind, mine, theirs),
                at=_at(mine.value, top) if drawn and mine else None,
                low=_at(mine.lower, top) if drawn and mine and mine.has_interval else None,
                high=_at(mine.upper, top) if drawn and mine and mine.has_interval else None,
                county_at=_at(theirs.value, top) if theirs is not None and theirs.shown else None,
            )
        )
    return rows, top


def ticks(top: float) -> list[tuple[float, float]]:
    """Axis ticks ``(value, position %)`` every 10 or 20 percentage points."""
    step = 10 if top <= 50 else 20
    return [(float(v), _at(float(v), top) or 0.0) for v in range(0, int(top) + 1, step)]

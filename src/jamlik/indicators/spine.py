"""The spine chart of a kommun profile: where the kommun stands among its peers.

Fingertips' area profiles (Public Health England, *Fingertips user guide*,
"Spine chart") show every indicator on one row: the area's value, the
comparators' values, and a bar over the range of all peer areas (lowest,
25th percentile, 75th percentile, highest), drawn so that the more favourable
end is always on the right.  This module computes that geometry from plain
numbers, with no database and no Django, so it can be tested on its own:

* :func:`spread` summarises the peers' values (missing and suppressed values
  are left out; the quartiles are NumPy's default linear interpolation between
  order statistics, Hyndman & Fan 1996 type 7, the rule of R's ``quantile`` and
  of Excel's ``PERCENTILE.INC``);
* :func:`spine_bar` places the range, the kommun and the two comparators on a
  0–100 scale, worst on the left and best on the right (for an indicator with
  no polarity, low on the left and high on the right, and says so).

Positions are percentages so the template can draw the bar as plain HTML with
CSS (fast, no script, prints as it shows).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

#: Fewer peers than this give no range (a "range" of one kommun says nothing).
MIN_PEERS = 2


@dataclass(frozen=True)
class Spread:
    """The peers' values summarised: lowest, quartiles, highest and how many had a value."""

    minimum: float
    q25: float
    q75: float
    maximum: float
    count: int


@dataclass(frozen=True)
class SpineBar:
    """One row's bar: positions in per cent of the bar's width (0 = left edge).

    ``worst`` and ``best`` are the ends of the peers' range as positions (for a
    neutral indicator ``worst`` is the lowest value); the box runs from
    ``box_left`` to ``box_right`` (the 25th and 75th percentiles, in drawing
    order); ``own``, ``county`` and ``country`` are ``None`` when that value is
    missing or hidden.
    """

    spread: Spread
    #: True when the more favourable values are drawn on the right (polarity
    #: ``high`` or ``low``); False for a neutral indicator (low left, high right).
    oriented: bool
    #: True when the left end of the bar is the *highest* value (low is good).
    reversed: bool
    range_left: float
    range_right: float
    box_left: float
    box_right: float
    own: float | None
    county: float | None
    country: float | None

    @property
    def left_value(self) -> float:
        """The value at the bar's left end (the worst, or the lowest if neutral)."""
        return self.spread.maximum if self.reversed else self.spread.minimum

    @property
    def right_value(self) -> float:
        """The value at the bar's right end (the best, or the highest if neutral)."""
        return self.spread.minimum if self.reversed else self.spread.maximum


def _known(values: Iterable[float | None]) -> np.ndarray:
    array = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    return array[np.isfinite(array)]


def spread(values: Iterable[float | None]) -> Spread | None:
    """Lowest, 25th and 75th percentile and highest of the known ``values``.

    ``None``, NaN and infinite values (a suppressed or missing kommun) are left
    out; fewer than :data:`MIN_PEERS` known values give ``None``.
    """
    known = _known(values)
    if len(known) < MIN_PEERS:
        return None
    q25, q75 = np.percentile(known, [25, 75])
    return Spread(float(known.min()), float(q25), float(q75), float(known.max()), int(len(known)))


def _clean(x: float | None) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def spine_bar(
    peers: Iterable[float | None],
    *,
    polarity: str,
    own: float | None,
    county: float | None = None,
    country: float | None = None,
) -> SpineBar | None:
    """The bar of one indicator: the peers' range with the kommun and comparators on it.

    ``polarity`` is the indicator's (``"high"``: high is good, ``"low"``: low is
    good, ``"neutral"``).  The scale spans the peers' range and any of the three
    marked values lying outside it (Sweden often lies outside a county's
    range), so every marker is on the bar.  ``None`` when the peers give no
    range (see :func:`spread`).
    """
    found = spread(peers)
    if found is None:
        return None
    own, county, country = _clean(own), _clean(county), _clean(country)
    marked = [v for v in (own, county, country) if v is not None]
    low = min([found.minimum, *marked])
    high = max([found.maximum, *marked])
    reversed_ = polarity == "low"
    width = high - low

    def at(x: float) -> float:
        if width <= 0:
            return 50.0
        share = (x - low) / width
        return round(100.0 * ((1.0 - share) if reversed_ else share), 2)

    ends = sorted((at(found.minimum), at(found.maximum)))
    box = sorted((at(found.q25), at(found.q75)))
    return SpineBar(
        spread=found,
        oriented=polarity in ("high", "low"),
        reversed=reversed_,
        range_left=ends[0],
        range_right=ends[1],
        box_left=box[0],
        box_right=box[1],
        own=None if own is None else at(own),
        county=None if county is None else at(county),
        country=None if country is None else at(country),
    )


def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ink_for(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (WCAG 2.1 contrast
    ratio), for the symbol written on a marker of that colour."""
    try:
        light = _luminance(background)
    except ValueError:
        return "#000"
    on_white = 1.05 / (light + 0.05)
    on_black = (light + 0.05) / 0.05
    return "#fff" if on_white >= on_black else "#000"

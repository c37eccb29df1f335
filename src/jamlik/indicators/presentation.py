"""How comparison and trend results are shown: a CSS class, a text symbol and words.

Colour is never the only cue: every comparison also has a symbol and a label
(WCAG 2.1, 1.4.1), so a printed page or a colour-blind reader loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jamlik.stats.compare import Comparison
from jamlik.stats.trend import TrendDirection


@dataclass(frozen=True)
class Marker:
    """A result as the page shows it."""

    key: str
    css: str
    symbol: str
    label: str | Promise
    colour: str


COMPARISON_MARKERS: dict[Comparison, Marker] = {
    Comparison.MUCH_BETTER: Marker(
        "much_better", "badge-better", "++", _("Much better"), "#0b6e3d"
    ),
    Comparison.BETTER: Marker("better", "badge-better", "+", _("Better"), "#0b6e3d"),
    Comparison.SIMILAR: Marker("similar", "badge-similar", "=", _("Similar"), "#c99400"),
    Comparison.WORSE: Marker("worse", "badge-worse", "−", _("Worse"), "#a4161a"),
    Comparison.MUCH_WORSE: Marker("much_worse", "badge-worse", "−−", _("Much worse"), "#a4161a"),
    Comparison.MUCH_HIGHER: Marker("much_higher", "badge-none", "↑↑", _("Much higher"), "#0072B2"),
    Comparison.HIGHER: Marker("higher", "badge-none", "↑", _("Higher"), "#0072B2"),
    Comparison.LOWER: Marker("lower", "badge-none", "↓", _("Lower"), "#56B4E9"),
    Comparison.MUCH_LOWER: Marker("much_lower", "badge-none", "↓↓", _("Much lower"), "#56B4E9"),
    Comparison.NOT_COMPARED: Marker(
        "not_compared", "badge-none", "·", _("Not compared"), "#8a929c"
    ),
}

#: Quintile rankings for means and indices (no interval, so no significance
#: test): quintile 1 is the least favourable fifth of the county's kommuner.
QUINTILE_MARKERS: dict[str, Marker] = {
    "quintile_1": Marker(
        "quintile_1",
        "badge-quintile",
        "Q1",
        _("Quintile 1 in the county (least favourable)"),
        "#5e3c99",
    ),
    "quintile_2": Marker(
        "quintile_2", "badge-quintile", "Q2", _("Quintile 2 in the county"), "#5e3c99"
    ),
    "quintile_3": Marker(
        "quintile_3", "badge-quintile", "Q3", _("Quintile 3 in the county"), "#5e3c99"
    ),
    "quintile_4": Marker(
        "quintile_4", "badge-quintile", "Q4", _("Quintile 4 in the county"), "#5e3c99"
    ),
    "quintile_5": Marker(
        "quintile_5",
        "badge-quintile",
        "Q5",
        _("Quintile 5 in the county (most favourable)"),
        "#5e3c99",
    ),
    "neutral_quintile_1": Marker(
        "neutral_quintile_1",
        "badge-quintile",
        "Q1",
        _("Quintile 1 in the county (lowest)"),
        "#5e3c99",
    ),
    "neutral_quintile_2": Marker(
        "neutral_quintile_2", "badge-quintile", "Q2", _("Quintile 2 in the county"), "#5e3c99"
    ),
    "neutral_quintile_3": Marker(
        "neutral_quintile_3", "badge-quintile", "Q3", _("Quintile 3 in the county"), "#5e3c99"
    ),
    "neutral_quintile_4": Marker(
        "neutral_quintile_4", "badge-quintile", "Q4", _("Quintile 4 in the county"), "#5e3c99"
    ),
    "neutral_quintile_5": Marker(
        "neutral_quintile_5",
        "badge-quintile",
        "Q5",
        _("Quintile 5 in the county (highest)"),
        "#5e3c99",
    ),
}

TREND_MARKERS: dict[TrendDirection, Marker] = {
    TrendDirection.INCREASING_AND_GETTING_BETTER: Marker(
        "up_better", "badge-better", "↗", _("Increasing, getting better"), "#0b6e3d"
    ),
    TrendDirection.DECREASING_AND_GETTING_BETTER: Marker(
        "down_better", "badge-better", "↘", _("Decreasing, getting better"), "#0b6e3d"
    ),
    TrendDirection.INCREASING_AND_GETTING_WORSE: Marker(
        "up_worse", "badge-worse", "↗", _("Increasing, getting worse"), "#a4161a"
    ),
    TrendDirection.DECREASING_AND_GETTING_WORSE: Marker(
        "down_worse", "badge-worse", "↘", _("Decreasing, getting worse"), "#a4161a"
    ),
    TrendDirection.INCREASING: Marker("up", "badge-none", "↗", _("Increasing"), "#0072B2"),
    TrendDirection.DECREASING: Marker("down", "badge-none", "↘", _("Decreasing"), "#0072B2"),
    TrendDirection.NO_SIGNIFICANT_CHANGE: Marker(
        "flat", "badge-similar", "→", _("No significant change"), "#c99400"
    ),
    TrendDirection.CANNOT_BE_CALCULATED: Marker(
        "none", "badge-none", "·", _("Trend cannot be calculated"), "#8a929c"
    ),
}


def comparison_marker(result: Comparison | str | None) -> Marker:
    """The marker for a comparison result (``None`` = not compared) or a quintile ranking."""
    if result is None:
        return COMPARISON_MARKERS[Comparison.NOT_COMPARED]
    quintile = QUINTILE_MARKERS.get(str(getattr(result, "value", result)))
    if quintile is not None:
        return quintile
    return COMPARISON_MARKERS[Comparison(result)]


def trend_marker(result: TrendDirection | str | None) -> Marker:
    """The marker for a recent-trend result (``None`` = cannot be calculated)."""
    if result is None:
        return TREND_MARKERS[TrendDirection.CANNOT_BE_CALCULATED]
    return TREND_MARKERS[TrendDirection(result)]


def tile_class(result: Comparison | str | None) -> str:
    """CSS class of a tile in the county map for a comparison result."""
    key = comparison_marker(result).css
    return {
        "badge-better": "tile-better",
        "badge-worse": "tile-worse",
        "badge-similar": "tile-similar",
    }.get(key, "")

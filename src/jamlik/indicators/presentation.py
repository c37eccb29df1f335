"""How comparison and trend results are shown: a CSS class, a text symbol and words.

Colour is never the only cue: every comparison also has a symbol and a label
(WCAG 2.1, 1.4.1), so a printed page or a colour-blind reader loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from jamlik.core.templatetags.jamlik_format import MISSING, fmt
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
    # "Lower" alone is also an interval's lower end ("Nedre"); a result is "Lägre".
    Comparison.LOWER: Marker(
        "lower", "badge-none", "↓", pgettext_lazy("comparison result", "Lower"), "#56B4E9"
    ),
    Comparison.MUCH_LOWER: Marker("much_lower", "badge-none", "↓↓", _("Much lower"), "#56B4E9"),
    Comparison.NOT_COMPARED: Marker(
        "not_compared", "badge-none", "·", _("Not compared"), "#8a929c"
    ),
}

#: Quintile rankings for means and indices (no interval, so no significance
#: test): quintile 1 is the least favourable fifth of the county's kommuner.
#: The chart colours run from dark (Q1) to lighter purple (Q5), each at least
#: 4:1 against white (graphics need 3:1, WCAG 2.1 1.4.11).
QUINTILE_MARKERS: dict[str, Marker] = {
    "quintile_1": Marker(
        "quintile_1",
        "badge-quintile",
        "Q1",
        _("Quintile 1 in the county (least favourable)"),
        "#3f007d",
    ),
    "quintile_2": Marker(
        "quintile_2", "badge-quintile", "Q2", _("Quintile 2 in the county"), "#54278f"
    ),
    "quintile_3": Marker(
        "quintile_3", "badge-quintile", "Q3", _("Quintile 3 in the county"), "#6a51a3"
    ),
    "quintile_4": Marker(
        "quintile_4", "badge-quintile", "Q4", _("Quintile 4 in the county"), "#7460ad"
    ),
    "quintile_5": Marker(
        "quintile_5",
        "badge-quintile",
        "Q5",
        _("Quintile 5 in the county (most favourable)"),
        "#8a6fc2",
    ),
    "neutral_quintile_1": Marker(
        "neutral_quintile_1",
        "badge-quintile",
        "Q1",
        _("Quintile 1 in the county (lowest)"),
        "#3f007d",
    ),
    "neutral_quintile_2": Marker(
        "neutral_quintile_2", "badge-quintile", "Q2", _("Quintile 2 in the county"), "#54278f"
    ),
    "neutral_quintile_3": Marker(
        "neutral_quintile_3", "badge-quintile", "Q3", _("Quintile 3 in the county"), "#6a51a3"
    ),
    "neutral_quintile_4": Marker(
        "neutral_quintile_4", "badge-quintile", "Q4", _("Quintile 4 in the county"), "#7460ad"
    ),
    "neutral_quintile_5": Marker(
        "neutral_quintile_5",
        "badge-quintile",
        "Q5",
        _("Quintile 5 in the county (highest)"),
        "#8a6fc2",
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


# ---------------------------------------------------------------- source status symbols
#: How a missing value is shown, by the source's status (see
#: :mod:`jamlik.sources.observations`): SCB's own symbols, each with words for
#: screen readers, so "not available" (``..``), "nothing to report" (``–``) and
#: "withheld by the source" (``.``) differ from each other and from a cell
#: hidden by our own disclosure control (``*``).
STATUS_MARKERS: dict[str, tuple[str, str | Promise]] = {
    "unavailable": ("..", _("not available from the source")),
    "none": ("–", _("nothing to report (zero)")),
    "confidential": (".", _("withheld by the source")),
}


def status_marker(status: str) -> tuple[str, str | Promise] | None:
    """``(symbol, words)`` for a source status, ``None`` for a value or an unknown status."""
    return STATUS_MARKERS.get(status or "")


# ---------------------------------------------------------------- numbers and matrix cells
def number_formatter() -> Callable[[float | None], str]:
    """:func:`~jamlik.core.templatetags.jamlik_format.fmt` for floats in the active language,
    the same text for every number, with the locale's separators looked up once.

    ``fmt`` asks Django for the locale's formats on every call (13 µs a number
    in Swedish); the national overview shows 14 500 numbers.  Numbers whose
    text Python writes with an exponent, and locales with uneven digit
    groups, are left to ``fmt`` itself.
    """
    language = get_language()
    decimal = str(get_format("DECIMAL_SEPARATOR", language, use_l10n=True))
    grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
    thousands = str(get_format("THOUSAND_SEPARATOR", language, use_l10n=True))
    if not isinstance(grouping, int) or grouping < 0:
        return fmt
    always_group = bool(settings.USE_THOUSAND_SEPARATOR) and grouping > 0

    def format_number(x: float | None) -> str:
        if x is None or x != x:
            return MISSING
        size = abs(x)
        decimals = 0 if x.is_integer() else (1 if size >= 10 else 2)
        text = str(round(x, decimals))
        if "e" in text or "n" in text:  # exponent, or infinity: fmt's own path
            return fmt(x)
        sign = ""
        if text[0] == "-":
            sign, text = "-", text[1:]
        whole, _dot, fraction = text.partition(".")
        fraction = fraction[:decimals].ljust(decimals, "0")
        if grouping and (always_group or size >= 10_000) and len(whole) > grouping:
            head = len(whole) % grouping or grouping
            whole = thousands.join(
                [
                    whole[:head],
                    *(whole[i : i + grouping] for i in range(head, len(whole), grouping)),
                ]
            )
        return sign + whole + (decimal + fraction if fraction else "")

    return format_number


class MatrixCells:
    """The ``<td>`` cells of an overview row, built in one pass.

    Escaping is done once per page: every word and symbol a cell can hold is
    escaped when the renderer is made, and numbers are digits, a sign and the
    locale's separators (escaped here too).  A template include or a
    ``format_html`` per cell cost 2 of the national overview's 5 seconds.
    """

    def __init__(self, keys: Sequence[str]) -> None:
        sr = '<span class="ind-sr">{}</span>'
        self.number = number_formatter()
        self.opening = [f'<td class="ind-cell c-{escape(comparison_marker(k).key)}">' for k in keys]
        self.closing = [
            f'<span class="ind-sym" aria-hidden="true">{escape(comparison_marker(k).symbol)}</span>'
            + sr.format(", " + escape(str(comparison_marker(k).label)))
            + "</td>"
            for k in keys
        ]
        self.suppressed = '<span aria-hidden="true">*</span>' + sr.format(
            escape(gettext_now("suppressed: too few cases to publish"))
        )
        self.missing = '<span aria-hidden="true">–</span>' + sr.format(
            escape(gettext_now("no value"))
        )
        self.unpublished = ' <span class="ind-unpublished">{}</span>'.format(
            escape(gettext_now("unpublished"))
        )
        self.statuses = {
            status: f'<span aria-hidden="true">{escape(symbol)}</span>'
            + sr.format(escape(str(words)))
            for status, (symbol, words) in STATUS_MARKERS.items()
        }
        self.safe_number = escape(self.number(-12345.67)) == self.number(-12345.67)

    def row(
        self,
        value: np.ndarray,
        marker: np.ndarray,
        suppressed: np.ndarray,
        published: np.ndarray,
        status: Sequence[str] | None = None,
    ) -> SafeString:
        """One row's cells: ``value`` (NaN = no value), ``marker`` (codes into the renderer's
        keys), ``suppressed`` and ``published`` flags, one per area, and optionally the
        source's ``status`` per area (a missing value then shows the source's symbol)."""
        number = self.number if self.safe_number else (lambda x: escape(self.number(x)))
        statuses = [""] * len(value) if status is None else list(status)
        cells = []
        for x, m, hidden, public, why in zip(
            value.tolist(),
            marker.tolist(),
            suppressed.tolist(),
            published.tolist(),
            statuses,
            strict=True,
        ):
            if hidden:
                cell = self.opening[m] + self.suppressed + "</td>"
            elif x != x:
                cell = self.opening[m] + self.statuses.get(why or "", self.missing) + "</td>"
            else:
                cell = self.opening[m] + number(x) + self.closing[m]
            if not public:
                cell = cell[:-5] + self.unpublished + "</td>"
            cells.append(cell)
        return mark_safe("".join(cells))  # noqa: S308 - every part escaped above

"""Gap blocks for the pages and the PDF: group values, measures and the gap over time.

One function serves the kommun profile, the indicator page, their CSV downloads
and the PDF, so every place shows the same numbers with the same words.

The blocks, and the kommun profile's rendered gap section, are computed once per
publication and kept in Django's cache for readers who see the public table only
(:func:`jamlik.indicators.figure_cache.public_cached`); readers who may see staged
rows of unpublished imports always get them computed afresh.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from jamlik.core.charts import chart_block
from jamlik.core.templatetags.jamlik_format import fmt
from jamlik.geo.models import Area
from jamlik.indicators import charts, gaps
from jamlik.indicators.figure_cache import public_cached
from jamlik.indicators.gap_measures import MEASURES, GroupValues, MeasureResult, Ordering, Scale
from jamlik.indicators.gap_trends import GapChange, GapTrend, gap_trend
from jamlik.indicators.labels import (
    CATEGORY_LABELS,
    MEASURE_EXPLANATIONS,
    MEASURE_LABELS,
    breakdown_label,
    category_label,
    is_composite,
)
from jamlik.indicators.models import Indicator
from jamlik.indicators.pages import clean_number, methods_url
from jamlik.indicators.queries import Visibility


def _group_name(values: GroupValues, index: int) -> str:
    """A group's name inside a sentence: 'kvinnor', but district names as they are."""
    label = values.labels[index]
    return label.lower() if values.categories[index] in CATEGORY_LABELS else label


def between_text(key: str, values: GroupValues, result: MeasureResult) -> str:
    """Which groups a pairwise measure compares, in its direction: 'kvinnor − män'."""
    if result.between is None:
        return ""
    first, second = result.between
    sign = " / " if key == "r" else " − "
    text = _group_name(values, first) + sign + _group_name(values, second)
    if values.ordering is Ordering.UNORDERED:
        return _("%(pair)s (highest and lowest)") % {"pair": text}
    return text


def measure_row(key: str, values: GroupValues, result: MeasureResult) -> dict[str, Any]:
    """One measure as the templates, tables and CSV show it."""
    pair = result.between
    return {
        "measure": key,
        "label": str(MEASURE_LABELS.get(key, key.upper())),
        "explanation": str(MEASURE_EXPLANATIONS.get(key, "")),
        "url": methods_url(key),
        "value": clean_number(result.value),
        "lower": clean_number(result.lower),
        "upper": clean_number(result.upper),
        "between": between_text(key, values, result),
        "between_labels": "|".join(values.labels[i] for i in pair) if pair else "",
        "between_codes": tuple(values.categories[i] for i in pair) if pair else (),
        "reason": result.reason,
        "interval_reason": result.interval_reason,
        "note": result.note,
    }


def _number(x: float | None, log_scale: bool) -> str:
    if x is None:
        return "–"
    if log_scale:
        return fmt(100 * (math.exp(x) - 1), 1) + " %"
    return fmt(x, 2 if abs(x) < 10 else 1)


def trend_sentence(label: str, trend: GapTrend) -> str:
    """A plain sentence on whether the gap narrows, with the test that says so."""
    if trend.change is GapChange.CANNOT_BE_CALCULATED:
        return _(
            "%(measure)s: whether the gap is changing cannot be calculated: it needs at least "
            "three periods with a value and an interval."
        ) % {"measure": label}
    numbers = {
        "measure": label,
        "first": trend.first_year,
        "last": trend.last_year,
        "n": trend.periods,
        "slope": _number(trend.slope, trend.log_scale),
        "lower": _number(trend.lower, trend.log_scale),
        "upper": _number(trend.upper, trend.log_scale),
    }
    change = _("change in the ratio per year") if trend.log_scale else _("change per year")
    test = _(
        "weighted linear trend over %(n)s periods, %(first)s–%(last)s: %(change)s %(slope)s "
        "(95 %% interval %(lower)s to %(upper)s)"
    ) % {**numbers, "change": change}
    verdicts = {
        GapChange.NARROWING: _("%(measure)s: the gap is narrowing"),
        GapChange.WIDENING: _("%(measure)s: the gap is widening"),
        GapChange.UNCHANGED: _("%(measure)s: no clear change in the gap (the interval includes 0)"),
        GapChange.CHANGES_SIGN: _(
            "%(measure)s: the gap changes direction over the periods, so narrowing or widening "
            "is not judged"
        ),
    }
    return verdicts[trend.change] % numbers + "; " + test + "."


def _trend_part(
    gap: gaps.Gap, area: Area, breakdown: str, csv_url: str, measure_keys: Sequence[str]
) -> dict[str, Any] | None:
    """Chart, table and verdicts for the chosen measures over all periods."""
    if len(gap.history) < 2:
        return None
    rows = []
    for point in gap.history:
        for key in measure_keys:
            result = point.results.get(key)
            if result is None or not result.computed:
                continue
            rows.append(
                {
                    "measure": str(MEASURE_LABELS.get(key, key)),
                    "key": key,
                    "period": point.period,
                    "year": point.year,
                    "value": clean_number(result.value),
                    "lower": clean_number(result.lower),
                    "upper": clean_number(result.upper),
                }
            )
    if not rows:
        return None
    sentences = []
    for key in measure_keys:
        mine = [r for r in rows if r["key"] == key]
        trend = gap_trend(
            [r["year"] for r in mine],
            [r["value"] for r in mine],
            [r["lower"] for r in mine],
            [r["upper"] for r in mine],
            log_scale=MEASURES[key].scale is Scale.RELATIVE,
        )
        sentences.append(
            {"measure": key, "change": trend.change.value, "text": trend_sentence(
                str(MEASURE_LABELS.get(key, key)), trend
            )}
        )  # fmt: skip
    # The chart draws the measures in the indicator's own unit (one y axis);
    # ratios and indices are in the table and the sentences.
    absolute = [k for k in measure_keys if MEASURES[k].scale is Scale.ABSOLUTE]
    drawn = [r for r in rows if r["key"] in (absolute or list(measure_keys)[:1])]
    unit = gap.indicator.unit_label if absolute else ""
    return {
        "sentences": sentences,
        "rows": rows,
        "chart": chart_block(
            charts.gap_trend_chart(drawn, unit=unit),
            title=_("%(indicator)s: the gap over time") % {"indicator": gap.indicator.name},
            description=_(
                "Inequality measures by %(breakdown)s in %(area)s per period, with 95 %% "
                "intervals; a line at 0 marks no gap."
            )
            % {
                "breakdown": breakdown_label(breakdown).lower(),
                "area": area.name,
            },
            table_columns=[
                ("measure", _("Measure")),
                ("period", _("Period")),
                ("value", _("Estimate")),
                ("lower", _("Lower 95 %")),
                ("upper", _("Upper 95 %")),
            ],
            table_rows=rows,
            csv_url=csv_url,
            method_url=methods_url("gap_trend"),
        ),
    }


def gap_blocks(
    area: Area,
    breakdown: str,
    indicators: list[Indicator] | None = None,
    *,
    measures: Sequence[str] | None = None,
    with_trend: bool = True,
    visibility: Visibility | None = None,
    version: str | None = None,
) -> list[dict[str, Any]]:
    """Per indicator with the breakdown: group values (chart + table), measures, gap over time
    (cached for public readers, see the module docstring; ``version`` as for
    :func:`~jamlik.indicators.figure_cache.public_cached`)."""
    visibility = visibility or Visibility.public()
    ids = "all" if indicators is None else ",".join(str(i.pk) for i in indicators)
    chosen = "default" if measures is None else ",".join(measures)
    return public_cached(
        "gap-blocks",
        (area.pk, breakdown, ids, chosen, with_trend),
        visibility,
        lambda: _gap_blocks(area, breakdown, indicators, measures, with_trend, visibility),
        version=version,
    )


@dataclass
class GapSection:
    """The gap blocks of a kommun profile for one breakdown, read on first use.

    The page needs only their HTML, which is rendered once per publication
    (``indicators/_gaps.html``, cached like the blocks); the PDF needs the
    blocks themselves.
    """

    area: Area
    breakdown: str
    visibility: Visibility
    #: :func:`~jamlik.indicators.publication.public_version`, if the page has read it.
    version: str | None = None

    @cached_property
    def blocks(self) -> list[dict[str, Any]]:
        return gap_blocks(
            self.area, self.breakdown, visibility=self.visibility, version=self.version
        )

    @cached_property
    def html(self) -> str:
        """The blocks as the page shows them (``indicators/_gaps.html``)."""
        return mark_safe(  # noqa: S308 - the template's own output, escaped when rendered
            public_cached(
                "gap-section-html",
                (self.area.pk, self.breakdown),
                self.visibility,
                lambda: render_to_string(
                    "indicators/_gaps.html", {"gaps": self.blocks, "area": self.area}
                ),
                version=self.version,
            )
        )


def _gap_blocks(
    area: Area,
    breakdown: str,
    indicators: list[Indicator] | None,
    measures: Sequence[str] | None,
    with_trend: bool,
    visibility: Visibility,
) -> list[dict[str, Any]]:
    if is_composite(breakdown):
        # Gap measures compare the groups of one dimension; a cross table is shown
        # whole instead (:mod:`jamlik.indicators.cross_tables`).
        return []
    available = gaps.breakdown_indicator_ids(area, breakdown, visibility=visibility)
    chosen = [i for i in (indicators or Indicator.objects.all()) if i.pk in available]
    blocks = []
    found = gaps.area_gaps(
        area, breakdown, chosen, measures=measures, with_history=with_trend, visibility=visibility
    )
    for gap in found:
        rows = [
            {
                "group": category_label(str(g["category"])),
                "category": str(g["category"]),
                "value": clean_number(g["value"]),
                "lower": clean_number(g["lower"]),
                "upper": clean_number(g["upper"]),
                "suppressed": bool(g.get("suppressed")),
                "published": bool(g.get("published", True)),
            }
            for g in gap.groups
        ]
        csv_base = reverse("indicators:indicator-csv", args=[gap.indicator.code])
        query = f"&area={area.code}&breakdown={breakdown}"
        if measures is not None:
            query += "&measures=" + ",".join(measures)
        measure_rows = [measure_row(m.key, gap.values, m) for m in gap.measures]
        blocks.append(
            {
                "indicator": gap.indicator,
                "period": gap.period,
                "rows": rows,
                "ordering": gap.values.ordering.value,
                "order_note": gap.values.order_note,
                "measures": measure_rows,
                "refused": [
                    {"measure": k, "label": str(MEASURE_LABELS.get(k, k.upper())), "reason": r}
                    for k, r in gap.refused
                ],
                "chart": chart_block(
                    charts.group_bars(rows, unit=gap.indicator.unit_label, overall=None),
                    title=f"{gap.indicator.name}, {gap.period}",
                    description=_(
                        "%(indicator)s by %(breakdown)s in %(area)s, with 95 %% intervals."
                    )
                    % {
                        "indicator": gap.indicator.name,
                        "breakdown": breakdown_label(breakdown).lower(),
                        "area": area.name,
                    },
                    table_columns=[
                        ("group", _("Group")),
                        ("value", _("Value")),
                        ("lower", _("Lower")),
                        ("upper", _("Upper")),
                    ],
                    table_rows=rows,
                    csv_url=csv_base + "?part=groups" + query,
                    method_url=methods_url("directions"),
                ),
                "trend": _trend_part(
                    gap,
                    area,
                    breakdown,
                    csv_base + "?part=gap-trend" + query,
                    [m.key for m in gap.measures],
                )
                if with_trend
                else None,
            }
        )
    return blocks

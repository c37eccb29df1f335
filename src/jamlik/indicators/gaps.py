"""Gaps between population groups (sex, education, district): values and measures per period.

This module reads the disclosure-controlled group values (:func:`group_rows`,
the one place it touches observations), says how the groups of each breakdown
relate (a stated pair, an order, or none) and computes the chosen inequality
measures for the latest period and for every period, for the gap's trend.
Which measure fits which breakdown, and its direction and interval, is
decided in :mod:`jamlik.indicators.gap_measures`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators import gap_measures
from jamlik.indicators.gap_measures import GroupValues, MeasureResult, Ordering
from jamlik.indicators.labels import category_label
from jamlik.indicators.models import Indicator, ValueType
from jamlik.indicators.queries import Visibility, observation_frame

#: Two groups without an order, compared in this stated direction (first − second).
PAIRS = {"sex": ("female", "male")}
#: Breakdowns whose groups have a social order (1 = most disadvantaged).
EDUCATION_ORDER = {"compulsory": 1, "upper_secondary": 2, "post_secondary": 3}
ORDERED_BREAKDOWNS = {"education": EDUCATION_ORDER}
#: Districts are ordered by this indicator (share with low economic standard)
#: for the SII across districts: the highest share is the most deprived.
DEPRIVATION_INDICATOR = "N66080"


def deprivation_ranks(area: Area, *, visibility: Visibility | None = None) -> dict[int, int]:
    """Rank of each district of ``area`` by deprivation (1 = most deprived), or empty."""
    indicator = Indicator.objects.filter(code=DEPRIVATION_INDICATOR).first()
    if indicator is None:
        return {}
    frame = group_frame(indicator, area, "district", visibility=visibility)
    frame = frame[frame["value"].notna()].sort_values("value", ascending=False)
    return {int(a): rank for rank, a in enumerate(frame["area_id"], start=1)}


@dataclass
class PeriodMeasures:
    """The chosen measures for one period (for the gap's trend)."""

    period: str
    year: int
    results: dict[str, MeasureResult]


@dataclass
class Gap:
    """Values for the groups of one breakdown, with the chosen inequality measures.

    ``measures`` are for the latest period, ``history`` for every period;
    ``refused`` lists the chosen measures that do not fit this breakdown,
    with the reason.
    """

    indicator: Indicator
    period: str
    groups: list[dict[str, Any]]
    values: GroupValues
    measures: list[MeasureResult]
    history: list[PeriodMeasures] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def _sorted_groups(
    frame: pd.DataFrame, breakdown: str, ranks: dict[int, int] | None
) -> pd.DataFrame:
    """Groups in reading order: the pair's order, the social order, or by name."""
    if breakdown in PAIRS:
        key = frame["category"].map({c: i for i, c in enumerate(PAIRS[breakdown])})
    elif breakdown in ORDERED_BREAKDOWNS:
        key = frame["category"].map(ORDERED_BREAKDOWNS[breakdown])
    elif breakdown == "district" and ranks:
        key = frame["area_id"].map(ranks)
    else:
        key = frame["category"].astype(str)
    return frame.assign(_key=key).sort_values(["_key", "category"]).drop(columns="_key")


def group_values(
    indicator: Indicator, breakdown: str, frame: pd.DataFrame, ranks: dict[int, int] | None = None
) -> GroupValues:
    """The groups of one period as :class:`GroupValues` (``frame`` from :func:`group_rows`)."""
    frame = _sorted_groups(frame, breakdown, ranks)
    categories = tuple(str(c) for c in frame["category"])
    order = None
    pair = None
    note = ""
    if breakdown in PAIRS and set(PAIRS[breakdown]) <= set(categories) and len(categories) == 2:
        ordering = Ordering.PAIR
        pair = (categories.index(PAIRS[breakdown][0]), categories.index(PAIRS[breakdown][1]))
    elif breakdown in ORDERED_BREAKDOWNS and set(categories) <= set(ORDERED_BREAKDOWNS[breakdown]):
        ordering = Ordering.ORDERED
        order = np.argsort(np.argsort([ORDERED_BREAKDOWNS[breakdown][c] for c in categories])) + 1.0
    elif breakdown == "district" and ranks and frame["area_id"].isin(list(ranks)).all():
        ordering = Ordering.ORDERED
        # rank 1 = most deprived = order 1; renumbered 1..n among these districts
        order = np.argsort(np.argsort([ranks[int(a)] for a in frame["area_id"]])) + 1.0
        note = _("districts ranked by share with low economic standard (%(code)s)") % {
            "code": DEPRIVATION_INDICATOR
        }
    else:
        ordering = Ordering.UNORDERED
    pop = frame["denominator"].to_numpy(dtype=float)
    if np.isnan(pop).any() or (pop <= 0).any():
        pop = np.ones(len(frame))
    return GroupValues(
        categories=categories,
        labels=tuple(category_label(c) for c in categories),
        est=frame["value"].to_numpy(dtype=float),
        lower=frame["lower"].to_numpy(dtype=float),
        upper=frame["upper"].to_numpy(dtype=float),
        pop=pop,
        ordering=ordering,
        favourable=1 if indicator.polarity == "high" else 0,
        percent=indicator.value_type == ValueType.PROPORTION and indicator.multiplier == 100,
        order=order,
        pair=pair,
        order_note=note,
    )


def group_rows(
    indicator: Indicator, area: Area, breakdown: str, *, visibility: Visibility | None = None
) -> pd.DataFrame:
    """Disclosure-controlled values of one indicator for the groups of a breakdown in
    ``area``, over every period: the one place this module reads observations.

    For ``district`` the groups are the districts (Area rows) under the kommun.
    The result has a boolean ``suppressed`` column.
    """
    if breakdown == "district":
        districts = list(Area.objects.districts(area.code))
        frame = observation_frame(
            indicator_ids=[indicator.pk],
            area_ids=[d.pk for d in districts],
            visibility=visibility,
        )
        names = {d.pk: d.name for d in districts}
        frame["category"] = frame["area_id"].map(names)
    else:
        frame = observation_frame(
            indicator_ids=[indicator.pk],
            area_ids=[area.pk],
            breakdown=breakdown,
            category=None,
            visibility=visibility,
        )
    # Rows come from the protected public table: nothing to suppress here.
    return frame


def latest_period(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of the latest period with data in ``frame`` (one indicator).

    A suppressed row counts as data: hiding a small number must not make the
    page fall back to an older period without saying so.
    """
    if frame.empty:
        return frame
    has_data = frame["value"].notna() | frame["numerator"].notna()
    if "suppressed" in frame:
        has_data |= frame["suppressed"].astype(bool)
    pool = frame[has_data]
    if pool.empty:
        return frame.iloc[0:0]
    last = pool.sort_values(["period_end", "period_start"])["period"].iloc[-1]
    return frame[frame["period"] == last]


def group_frame(
    indicator: Indicator, area: Area, breakdown: str, *, visibility: Visibility | None = None
) -> pd.DataFrame:
    """Latest values of one indicator for the groups of a breakdown in ``area``."""
    return latest_period(group_rows(indicator, area, breakdown, visibility=visibility))


def area_gaps(
    area: Area,
    breakdown: str,
    indicators: Sequence[Indicator],
    *,
    measures: Sequence[str] | None = None,
    with_history: bool = True,
    visibility: Visibility | None = None,
) -> list[Gap]:
    """Gaps between groups for every indicator that has the breakdown in ``area``.

    ``measures`` are the keys chosen (``None``: the defaults that fit each
    breakdown); those that do not fit are listed in :attr:`Gap.refused`.
    """
    gaps = []
    ranks = deprivation_ranks(area, visibility=visibility) if breakdown == "district" else None
    for indicator in indicators:
        rows = group_rows(indicator, area, breakdown, visibility=visibility)
        latest = latest_period(rows)
        if latest.empty:
            continue
        latest = _sorted_groups(latest, breakdown, ranks)
        values = group_values(indicator, breakdown, latest, ranks)
        if measures is None:
            keys, refused = gap_measures.default_measures(values), []
        else:
            keys = [k for k in measures if not gap_measures.refusal(k, values.ordering)]
            refused = [
                (k, gap_measures.refusal(k, values.ordering))
                for k in measures
                if gap_measures.refusal(k, values.ordering)
            ]
        history = []
        if with_history:
            for period, part in rows.sort_values(["period_end", "period_start"]).groupby(
                "period", sort=False
            ):
                if part["value"].isna().all():
                    continue
                period_values = group_values(indicator, breakdown, part, ranks)
                history.append(
                    PeriodMeasures(
                        str(period),
                        int(part["period_end"].iloc[0]),
                        {k: gap_measures.compute(k, period_values) for k in keys},
                    )
                )
        gaps.append(
            Gap(
                indicator,
                str(latest["period"].iloc[0]),
                latest.to_dict("records"),
                values,
                [gap_measures.compute(k, values) for k in keys],
                history,
                refused,
            )
        )
    return gaps


def breakdown_indicator_ids(
    area: Area, breakdown: str, *, visibility: Visibility | None = None
) -> set[int]:
    """Indicators with values the reader may see for ``breakdown`` in ``area`` (one query
    on the public table, and one on staged rows for readers who may see them)."""
    from jamlik.indicators.models import Observation, PublicObservation

    visibility = visibility or Visibility.public()
    sources = [PublicObservation.objects.all()]
    if visibility.sees_staged:
        sources.append(Observation.objects.filter(visibility.staged_q()))
    found: set[int] = set()
    for visible in sources:
        if breakdown == "district":
            query = visible.filter(area__parent=area, area__level=AreaLevel.DISTRICT)
        else:
            query = visible.filter(area=area, breakdown=breakdown)
        found |= set(query.values_list("indicator_id", flat=True).distinct())
    return found

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
from typing import Any, cast

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators import gap_measures, gap_series
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


def _group_key(frame: pd.DataFrame, breakdown: str, ranks: dict[int, int] | None) -> pd.Series:
    """Reading order of the groups: the pair's order, the social order, or by name."""
    if breakdown in PAIRS:
        return frame["category"].map({c: i for i, c in enumerate(PAIRS[breakdown])})
    if breakdown in ORDERED_BREAKDOWNS:
        return frame["category"].map(ORDERED_BREAKDOWNS[breakdown])
    if breakdown == "district" and ranks:
        return frame["area_id"].map(ranks)
    return frame["category"].astype(str)


def _sorted_groups(
    frame: pd.DataFrame, breakdown: str, ranks: dict[int, int] | None
) -> pd.DataFrame:
    """Groups in reading order (see :func:`_group_key`)."""
    key = _group_key(frame, breakdown, ranks)
    return frame.assign(_key=key).sort_values(["_key", "category"]).drop(columns="_key")


class _GroupMaker:
    """Builds :class:`GroupValues` for one indicator and breakdown from plain arrays
    (one period's rows in reading order), with the labels and notes looked up once."""

    def __init__(self, indicator: Indicator, breakdown: str, ranks: dict[int, int] | None):
        self.indicator = indicator
        self.breakdown = breakdown
        self.ranks = ranks
        self.favourable = 1 if indicator.polarity == "high" else 0
        self.percent = indicator.value_type == ValueType.PROPORTION and indicator.multiplier == 100
        self._labels: dict[str, str] = {}
        self._note: str | None = None

    def label(self, category: str) -> str:
        if category not in self._labels:
            self._labels[category] = category_label(category)
        return self._labels[category]

    def note(self) -> str:
        if self._note is None:
            self._note = _("districts ranked by share with low economic standard (%(code)s)") % {
                "code": DEPRIVATION_INDICATOR
            }
        return self._note

    def __call__(
        self,
        categories: tuple[str, ...],
        area_ids: Sequence[int],
        est: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
        denominator: np.ndarray,
    ) -> GroupValues:
        breakdown, ranks = self.breakdown, self.ranks
        order = None
        pair = None
        note = ""
        if breakdown in PAIRS and set(PAIRS[breakdown]) <= set(categories) and len(categories) == 2:
            ordering = Ordering.PAIR
            pair = (categories.index(PAIRS[breakdown][0]), categories.index(PAIRS[breakdown][1]))
        elif breakdown in ORDERED_BREAKDOWNS and set(categories) <= set(
            ORDERED_BREAKDOWNS[breakdown]
        ):
            ordering = Ordering.ORDERED
            ranking = [ORDERED_BREAKDOWNS[breakdown][c] for c in categories]
            order = np.argsort(np.argsort(ranking)) + 1.0
        elif breakdown == "district" and ranks and all(int(a) in ranks for a in area_ids):
            ordering = Ordering.ORDERED
            # rank 1 = most deprived = order 1; renumbered 1..n among these districts
            order = np.argsort(np.argsort([ranks[int(a)] for a in area_ids])) + 1.0
            note = self.note()
        else:
            ordering = Ordering.UNORDERED
        pop = np.asarray(denominator, dtype=float)
        if np.isnan(pop).any() or (pop <= 0).any():
            pop = np.ones(len(categories))
        return GroupValues(
            categories=categories,
            labels=tuple(self.label(c) for c in categories),
            est=np.asarray(est, dtype=float),
            lower=np.asarray(lower, dtype=float),
            upper=np.asarray(upper, dtype=float),
            pop=pop,
            ordering=ordering,
            favourable=self.favourable,
            percent=self.percent,
            order=order,
            pair=pair,
            order_note=note,
        )


def group_values(
    indicator: Indicator, breakdown: str, frame: pd.DataFrame, ranks: dict[int, int] | None = None
) -> GroupValues:
    """The groups of one period as :class:`GroupValues` (``frame`` from :func:`group_rows`)."""
    frame = _sorted_groups(frame, breakdown, ranks)
    return _GroupMaker(indicator, breakdown, ranks)(
        tuple(str(c) for c in frame["category"]),
        frame["area_id"].tolist(),
        frame["value"].to_numpy(dtype=float),
        frame["lower"].to_numpy(dtype=float),
        frame["upper"].to_numpy(dtype=float),
        frame["denominator"].to_numpy(dtype=float),
    )


def group_rows(
    indicators: Indicator | Sequence[Indicator],
    area: Area,
    breakdown: str,
    *,
    visibility: Visibility | None = None,
) -> pd.DataFrame:
    """Disclosure-controlled values of the indicators for the groups of a breakdown in
    ``area``, over every period: the one place this module reads observations (one
    query on the public table for all the indicators, whatever their number).

    For ``district`` the groups are the districts (Area rows) under the kommun.
    The result has a boolean ``suppressed`` column.
    """
    if isinstance(indicators, Indicator):
        indicators = [indicators]
    ids = [i.pk for i in indicators]
    if breakdown == "district":
        districts = list(Area.objects.districts(area.code))
        frame = observation_frame(
            indicator_ids=ids, area_ids=[d.pk for d in districts], visibility=visibility
        )
        names = {d.pk: d.name for d in districts}
        frame["category"] = frame["area_id"].map(names)
    else:
        frame = observation_frame(
            indicator_ids=ids,
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
    pool = frame[_has_data(frame)]
    if pool.empty:
        return frame.iloc[0:0]
    last = pool.sort_values(["period_end", "period_start"])["period"].iloc[-1]
    return frame[frame["period"] == last]


def _has_data(frame: pd.DataFrame) -> pd.Series:
    has_data = frame["value"].notna() | frame["numerator"].notna()
    if "suppressed" in frame:
        has_data |= frame["suppressed"].astype(bool)
    return has_data


def group_frame(
    indicator: Indicator, area: Area, breakdown: str, *, visibility: Visibility | None = None
) -> pd.DataFrame:
    """Latest values of one indicator for the groups of a breakdown in ``area``."""
    return latest_period(group_rows([indicator], area, breakdown, visibility=visibility))


@dataclass
class _Periods:
    """One indicator's periods in the rows sorted by :func:`_periods`."""

    indicator: Indicator
    #: (period, year, first row, end row) in time order
    spans: list[tuple[str, int, int, int]]
    latest: int | None  # index in ``spans`` of the latest period with data


def _periods(
    rows: pd.DataFrame,
    indicators: Sequence[Indicator],
    breakdown: str,
    ranks: dict[int, int] | None,
) -> tuple[pd.DataFrame, list[_Periods]]:
    """The rows sorted by indicator, period in time order and groups in reading order,
    and where each indicator's periods are in them."""
    if rows.empty:
        return rows, []
    rows = rows.assign(_key=_group_key(rows, breakdown, ranks)).sort_values(
        ["indicator_id", "period_end", "period_start", "period", "_key", "category"]
    )
    rows = rows.drop(columns="_key").reset_index(drop=True)
    ids = rows["indicator_id"].to_numpy()
    periods = rows["period"].to_numpy()
    ends = rows["period_end"].to_numpy()
    data = _has_data(rows).to_numpy()
    cuts = np.flatnonzero((ids[1:] != ids[:-1]) | (periods[1:] != periods[:-1])) + 1
    starts = np.concatenate([[0], cuts]).tolist()
    stops = np.concatenate([cuts, [len(rows)]]).tolist()
    by_id = {i.pk: i for i in indicators}
    found: dict[int, _Periods] = {}
    for start, stop in zip(starts, stops, strict=True):
        indicator = by_id.get(int(ids[start]))
        if indicator is None:
            continue
        entry = found.get(indicator.pk)
        if entry is None:
            entry = found[indicator.pk] = _Periods(indicator, [], None)
        entry.spans.append((str(periods[start]), int(ends[start]), start, stop))
        if data[start:stop].any():
            entry.latest = len(entry.spans) - 1
    return rows, [found[i.pk] for i in indicators if i.pk in found]


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
    The values of all the indicators are read at once, and each measure is
    computed for every period of every indicator together
    (:func:`jamlik.indicators.gap_series.compute_many`).
    """
    ranks = deprivation_ranks(area, visibility=visibility) if breakdown == "district" else None
    rows = group_rows(list(indicators), area, breakdown, visibility=visibility)
    rows, entries = _periods(rows, indicators, breakdown, ranks)
    columns = _Columns.of(rows)
    planned = []
    wanted: dict[str, list[GroupValues]] = {}
    for entry in entries:
        if entry.latest is None:
            continue
        make = _GroupMaker(entry.indicator, breakdown, ranks)
        period, _year, start, stop = entry.spans[entry.latest]
        values = make(*columns.span(start, stop))
        if measures is None:
            keys, refused = gap_measures.default_measures(values), []
        else:
            keys = [k for k in measures if not gap_measures.refusal(k, values.ordering)]
            refused = [
                (k, gap_measures.refusal(k, values.ordering))
                for k in measures
                if gap_measures.refusal(k, values.ordering)
            ]
        history: list[tuple[str, int, GroupValues]] = []
        if with_history:
            for span_period, year, first, last in entry.spans:
                if np.isnan(columns.est[first:last]).all():
                    continue
                if first == start:  # the latest period: the same groups as ``values``
                    history.append((span_period, year, values))
                else:
                    history.append((span_period, year, make(*columns.span(first, last))))
        for key in keys:
            wanted.setdefault(key, []).append(values)
            wanted[key].extend(g for _p, _y, g in history if g is not values)
        planned.append((entry.indicator, period, (start, stop), values, keys, refused, history))
    results = gap_series.compute_many(wanted)
    by_groups = {
        (key, id(g)): result
        for key, groups in wanted.items()
        for g, result in zip(groups, results[key], strict=True)
    }
    # One conversion for all the rows: per indicator it cost a fifth of the gaps.
    records = cast(list[dict[str, Any]], rows.to_dict("records")) if planned else []
    gaps = []
    for indicator, period, (start, stop), values, keys, refused, history in planned:
        gaps.append(
            Gap(
                indicator,
                period,
                records[start:stop],
                values,
                [by_groups[(k, id(values))] for k in keys],
                [
                    PeriodMeasures(p, year, {k: by_groups[(k, id(g))] for k in keys})
                    for p, year, g in history
                ],
                refused,
            )
        )
    return gaps


@dataclass
class _Columns:
    """The columns :class:`_GroupMaker` needs, as arrays over the sorted rows."""

    categories: list[str]
    area_ids: list[int]
    est: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    denominator: np.ndarray

    @classmethod
    def of(cls, rows: pd.DataFrame) -> _Columns:
        return cls(
            [str(c) for c in rows["category"]],
            rows["area_id"].tolist(),
            rows["value"].to_numpy(dtype=float),
            rows["lower"].to_numpy(dtype=float),
            rows["upper"].to_numpy(dtype=float),
            rows["denominator"].to_numpy(dtype=float),
        )

    def span(
        self, start: int, stop: int
    ) -> tuple[tuple[str, ...], list[int], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return (
            tuple(self.categories[start:stop]),
            self.area_ids[start:stop],
            self.est[start:stop],
            self.lower[start:stop],
            self.upper[start:stop],
            self.denominator[start:stop],
        )


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

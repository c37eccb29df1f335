"""Read-side queries: observations as DataFrames, in as few SQL queries as the pages need.

Each page asks for one block of observations (a set of indicators × areas ×
one population group) with a single query and does the rest in pandas; the
``obs_overview`` and ``obs_area`` indexes serve these queries.

This is also the one place the publication rule is applied: observations of
an unpublished import run are left out of every query unless the
:class:`Visibility` passed in belongs to a user with
``jamlik.view_area_unpublished`` on the observation's area.  Callers that pass
no visibility get what the public may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db.models import Max, Q

from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators.models import ImportRun, Indicator, Observation


@dataclass(frozen=True)
class Visibility:
    """Which unpublished observations a reader may see.

    ``hidden_runs`` are the unpublished import runs; ``allowed_areas`` the
    areas where this reader may see them anyway (``None`` = every area, for
    national administrators).  Unpublished runs are few, so filtering on their
    ids keeps the large observation queries free of a join.
    """

    hidden_runs: frozenset[int]
    allowed_areas: frozenset[int] | None = frozenset()

    @classmethod
    def public(cls) -> Visibility:
        """What anyone may see: published runs only (one small query)."""
        return cls(_unpublished_runs())

    @classmethod
    def for_user(cls, user: Any) -> Visibility:
        """What ``user`` may see: published runs, and unpublished ones on areas where
        they hold ``jamlik.view_area_unpublished`` (see ``jamlik.accounts.rules``)."""
        hidden = _unpublished_runs()
        if not hidden or user is None or not getattr(user, "is_authenticated", False):
            return cls(hidden)
        if user.has_perm("jamlik.admin_national"):
            return cls(hidden, None)
        return cls(hidden, frozenset(_areas_with_unpublished_access(user)))

    @property
    def sees_everything(self) -> bool:
        return not self.hidden_runs or self.allowed_areas is None

    def q(self) -> Q:
        """The filter on :class:`Observation` rows this reader may see."""
        if self.sees_everything:
            return Q()
        visible = ~Q(import_run_id__in=sorted(self.hidden_runs))
        if self.allowed_areas:
            visible |= Q(area_id__in=sorted(self.allowed_areas))
        return visible


def _unpublished_runs() -> frozenset[int]:
    return frozenset(ImportRun.objects.filter(published=False).values_list("pk", flat=True))


def _areas_with_unpublished_access(user: Any) -> set[int]:
    """Ids of the areas where ``user`` has ``jamlik.view_area_unpublished``.

    Candidates are the areas under the user's roles (their kommun and its
    districts; a län, its kommuner and their districts); each is confirmed
    with the permission itself so the rule stays defined in one place.
    """
    roots = set(user.roles.values_list("area_id", flat=True))
    if not roots:
        return set()
    candidates = Area.objects.filter(
        Q(pk__in=roots) | Q(parent_id__in=roots) | Q(parent__parent_id__in=roots)
    ).select_related("parent")
    return {
        a.pk
        for a in candidates
        if a.level != AreaLevel.COUNTRY and user.has_perm("jamlik.view_area_unpublished", a)
    }


def visibility_for(user: Any = None) -> Visibility:
    """The :class:`Visibility` for a request's user (public when ``None`` or anonymous)."""
    return Visibility.for_user(user) if user is not None else Visibility.public()


FIELDS = (
    "id",
    "indicator_id",
    "area_id",
    "period",
    "period_start",
    "period_end",
    "breakdown",
    "category",
    "numerator",
    "denominator",
    "value",
    "lower",
    "upper",
    "note",
    "source",
    "is_demo",
    "import_run_id",
)
NUMBERS = ("numerator", "denominator", "value", "lower", "upper")


def observation_frame(
    *,
    indicator_ids: Iterable[int] | None = None,
    area_ids: Iterable[int] | None = None,
    breakdown: str | None = "total",
    category: str | None = "total",
    period: str | None = None,
    period_ends: dict[int, int] | None = None,
    visibility: Visibility | None = None,
) -> pd.DataFrame:
    """Observations matching the filters as a DataFrame (one SQL query).

    ``period_ends`` (indicator id → last year) keeps only those periods, which
    is how the overviews fetch just the latest values.  Only rows
    ``visibility`` allows are returned (published ones when it is ``None``);
    the ``published`` column says which rows come from a published run, so
    pages can mark the others.
    """
    visibility = visibility or Visibility.public()
    query = Observation.objects.filter(visibility.q())
    if indicator_ids is not None:
        query = query.filter(indicator_id__in=list(indicator_ids))
    if area_ids is not None:
        query = query.filter(area_id__in=list(area_ids))
    if breakdown is not None:
        query = query.filter(breakdown=breakdown)
    if category is not None:
        query = query.filter(category=category)
    if period:
        query = query.filter(period=period)
    if period_ends is not None:
        if not period_ends:
            query = query.none()
        else:
            match = Q()
            for indicator_id, end in period_ends.items():
                match |= Q(indicator_id=indicator_id, period_end=end)
            query = query.filter(match)
    frame = pd.DataFrame.from_records(list(query.values_list(*FIELDS)), columns=list(FIELDS))
    for column in NUMBERS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["published"] = ~frame["import_run_id"].isin(list(visibility.hidden_runs))
    return frame


def latest_period_ends(
    *,
    indicator_ids: Iterable[int],
    area_ids: Iterable[int],
    breakdown: str,
    category: str,
    visibility: Visibility | None = None,
) -> dict[int, int]:
    """The last year with a value, per indicator, among ``area_ids`` (one aggregate query)."""
    visibility = visibility or Visibility.public()
    rows = (
        Observation.objects.filter(visibility.q())
        .filter(
            indicator_id__in=list(indicator_ids),
            area_id__in=list(area_ids),
            breakdown=breakdown,
            category=category,
        )
        .filter(Q(value__isnull=False) | Q(numerator__isnull=False))
        .values("indicator_id")
        .annotate(last=Max("period_end"))
    )
    return {r["indicator_id"]: r["last"] for r in rows}


def add_thresholds(frame: pd.DataFrame, indicators: dict[int, Indicator]) -> pd.DataFrame:
    """Attach each row's disclosure threshold (from its indicator)."""
    frame["threshold"] = frame["indicator_id"].map(
        {i: ind.disclosure_threshold for i, ind in indicators.items()}
    )
    frame["threshold"] = frame["threshold"].fillna(5).astype(int)
    return frame


def latest_rows(frame: pd.DataFrame, among: Iterable[int] | None = None) -> pd.DataFrame:
    """Per indicator, the rows of its latest period that has a value for any area in ``among``."""
    if frame.empty:
        return frame
    pool = frame if among is None else frame[frame["area_id"].isin(list(among))]
    pool = pool[pool["value"].notna() | pool["numerator"].notna()]
    if pool.empty:
        return frame.iloc[0:0]
    ranked = pool.sort_values(["period_end", "period_start"])
    latest = ranked.groupby("indicator_id")["period"].last()
    keep = frame["period"] == frame["indicator_id"].map(latest)
    return frame[keep]

"""Read-side queries: observations as DataFrames, in as few SQL queries as the pages need.

Each page asks for one block of observations (a set of indicators × areas ×
one population group) with a single query and does the rest in pandas; the
``obs_overview`` and ``obs_area`` indexes serve these queries.

This is also the one place the publication rule is applied.  Everyone reads
the protected public table (:class:`PublicObservation`, disclosure control
already applied over the whole published structure, see
:mod:`jamlik.indicators.publication`); filters here only select rows from it.
A reader whose :class:`Visibility` allows it (``jamlik.view_area_unpublished``
on the area) also sees the staged rows of unpublished file imports, laid over
the public ones and marked ``published`` false.  Callers that pass no
visibility get what the public may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db.models import Max, OuterRef, Q, Subquery

from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators.models import (
    OBSERVATION_COLUMNS,
    ImportRun,
    Indicator,
    Observation,
    PublicObservation,
)


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
    def sees_staged(self) -> bool:
        """Whether any staged (unpublished) rows are visible to this reader."""
        return bool(self.hidden_runs) and (self.allowed_areas is None or bool(self.allowed_areas))

    def staged_q(self) -> Q:
        """The filter on :class:`Observation` for the staged rows this reader may see."""
        if not self.sees_staged:
            return Q(pk__in=[])
        q = Q(is_live=False, import_run_id__in=sorted(self.hidden_runs))
        if self.allowed_areas is not None:
            q &= Q(area_id__in=sorted(self.allowed_areas))
        return q


def _unpublished_runs() -> frozenset[int]:
    # An incomplete run (still being written, or a failed load) is seen by nobody.
    runs = ImportRun.objects.filter(published=False, complete=True)
    return frozenset(runs.values_list("pk", flat=True))


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


FIELDS = OBSERVATION_COLUMNS
NUMBERS = ("numerator", "denominator", "value", "lower", "upper")
KEY = ["indicator_id", "area_id", "period", "breakdown", "category"]


def _filtered(
    query: Any,
    *,
    indicator_ids: Iterable[int] | None,
    area_ids: Iterable[int] | None,
    breakdown: str | None,
    category: str | None,
    period: str | None = None,
    period_ends: dict[int, int] | None = None,
    breakdowns: Iterable[str] | None = None,
) -> Any:
    if indicator_ids is not None:
        query = query.filter(indicator_id__in=list(indicator_ids))
    if area_ids is not None:
        query = query.filter(area_id__in=list(area_ids))
    if breakdown is not None:
        query = query.filter(breakdown=breakdown)
    if breakdowns is not None:
        query = query.filter(breakdown__in=sorted(breakdowns))
    if category is not None:
        query = query.filter(category=category)
    if period:
        query = query.filter(period=period)
    if period_ends is not None:
        if not period_ends:
            return query.none()
        match = Q()
        for indicator_id, end in period_ends.items():
            match |= Q(indicator_id=indicator_id, period_end=end)
        query = query.filter(match)
    return query


def observation_frame(
    *,
    indicator_ids: Iterable[int] | None = None,
    area_ids: Iterable[int] | None = None,
    breakdown: str | None = "total",
    category: str | None = "total",
    period: str | None = None,
    period_ends: dict[int, int] | None = None,
    visibility: Visibility | None = None,
    breakdowns: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Rows of the protected public table matching the filters, as a DataFrame.

    ``breakdowns`` selects several breakdowns at once (a cross table with its
    margins; pass ``breakdown=None`` with it).

    ``period_ends`` (indicator id → last year) keeps only those periods, which
    is how the overviews fetch just the latest values.  Hidden numbers are
    missing and ``suppressed`` says so.  When ``visibility`` lets the reader
    see staged rows of unpublished imports, those replace the public row of
    the same cell and come with ``published`` false (and are not suppressed:
    only readers with a role on the area see them).
    """
    visibility = visibility or Visibility.public()
    filters = {
        "indicator_ids": None if indicator_ids is None else list(indicator_ids),
        "area_ids": None if area_ids is None else list(area_ids),
        "breakdown": breakdown,
        "category": category,
        "period": period,
        "period_ends": period_ends,
        "breakdowns": None if breakdowns is None else list(breakdowns),
    }
    public = _filtered(PublicObservation.objects.all(), **filters)
    frame = pd.DataFrame.from_records(
        list(public.values_list(*FIELDS, "suppressed")), columns=[*FIELDS, "suppressed"]
    )
    frame["published"] = True
    if visibility.sees_staged:
        staged_query = _filtered(Observation.objects.filter(visibility.staged_q()), **filters)
        staged = pd.DataFrame.from_records(
            list(staged_query.order_by("import_run_id").values_list(*FIELDS)),
            columns=list(FIELDS),
        )
        if not staged.empty:
            staged["suppressed"] = False
            staged["published"] = False
            frame = pd.concat([frame, staged], ignore_index=True).drop_duplicates(KEY, keep="last")
            frame = frame.reset_index(drop=True)
    for column in NUMBERS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["suppressed"] = frame["suppressed"].astype(bool)
    frame["published"] = frame["published"].astype(bool)
    return frame


def latest_period_ends(
    *,
    indicator_ids: Iterable[int],
    area_ids: Iterable[int],
    breakdown: str,
    category: str,
    visibility: Visibility | None = None,
) -> dict[int, int]:
    """The last year with a value, per indicator, among ``area_ids`` (one query, two when
    the reader sees staged rows).

    The public table is asked per indicator for its newest row with data, a
    correlated subquery that walks the ``pub_overview`` index (breakdown,
    indicator, year) backwards and stops at the first match: a few index steps
    per indicator.  Grouping every year of every area instead took 150–350 ms
    on the national data set (SQLite, with or without ``ANALYZE``).
    """
    visibility = visibility or Visibility.public()
    ids = list(indicator_ids)
    filters = {
        "indicator_ids": None,
        "area_ids": list(area_ids),
        "breakdown": breakdown,
        "category": category,
    }
    newest = (
        _filtered(PublicObservation.objects.filter(indicator_id=OuterRef("pk")), **filters)
        .filter(Q(value__isnull=False) | Q(numerator__isnull=False) | Q(suppressed=True))
        .order_by("-period_end")
        .values("period_end")[:1]
    )
    found: dict[int, int] = {
        pk: last
        for pk, last in Indicator.objects.filter(pk__in=ids)
        .order_by()
        .annotate(last=Subquery(newest))
        .values_list("pk", "last")
        if last is not None
    }
    if visibility.sees_staged:
        staged = _filtered(
            Observation.objects.filter(visibility.staged_q()), **{**filters, "indicator_ids": ids}
        ).filter(Q(value__isnull=False) | Q(numerator__isnull=False))
        for r in staged.values("indicator_id").annotate(last=Max("period_end")):
            found[r["indicator_id"]] = max(found.get(r["indicator_id"], 0), r["last"])
    return found


def latest_rows(frame: pd.DataFrame, among: Iterable[int] | None = None) -> pd.DataFrame:
    """Per indicator, the rows of its latest period that has a value for any area in ``among``."""
    if frame.empty:
        return frame
    pool = frame if among is None else frame[frame["area_id"].isin(list(among))]
    has_data = pool["value"].notna() | pool["numerator"].notna()
    if "suppressed" in pool:  # a hidden number is still the latest period's data
        has_data |= pool["suppressed"].astype(bool)
    pool = pool[has_data]
    if pool.empty:
        return frame.iloc[0:0]
    ranked = pool.sort_values(["period_end", "period_start"])
    latest = ranked.groupby("indicator_id")["period"].last()
    keep = frame["period"] == frame["indicator_id"].map(latest)
    return frame[keep]


def cache_scope(visibility: Visibility) -> str:
    """What a cached list of periods or breakdowns depends on: the newest import run
    (a load adds data, publishing changes what is seen) and what ``visibility`` lets
    the reader see; scanning the observations for them on every request is too slow."""
    import hashlib

    latest_run = ImportRun.objects.order_by("-pk").values_list("pk", flat=True).first()
    seen = (
        sorted(visibility.hidden_runs),
        None if visibility.allowed_areas is None else sorted(visibility.allowed_areas),
    )
    digest = hashlib.sha1(repr(seen).encode()).hexdigest()  # noqa: S324 - a cache key
    return f"{latest_run}:{digest}"


def periods_and_breakdowns(
    indicator_id: int, *, visibility: Visibility | None = None
) -> tuple[list[str], list[str]]:
    """One indicator's period labels (newest first, from its ``total`` rows, as
    :func:`jamlik.indicators.analysis.available_periods` gives them) and its stored
    breakdowns (``total`` left out; single dimensions and cross tables alike).

    One query on the public table (two for readers who see staged rows), cached like
    the periods until the next import run or (un)publication, so the indicator page's
    two selectors cost what its period selector alone did.
    """
    from django.core.cache import cache

    visibility = visibility or Visibility.public()
    key = f"indicators:periods-breakdowns:{cache_scope(visibility)}:{indicator_id}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    sources = [PublicObservation.objects.filter(indicator_id=indicator_id)]
    if visibility.sees_staged:
        sources.append(Observation.objects.filter(visibility.staged_q(), indicator_id=indicator_id))
    rows: set[tuple[str, int, int, str]] = set()
    for source in sources:
        found = source.values_list("period", "period_end", "period_start", "breakdown")
        rows |= set(found.order_by().distinct())
    totals = {(p, e, s) for p, e, s, b in rows if b == "total"}
    periods = [p for p, _e, _s in sorted(totals, key=lambda r: (r[1], r[2]), reverse=True)]
    breakdowns = sorted({b for *_p, b in rows if b != "total"})
    cache.set(key, (periods, breakdowns), 3600)
    return periods, breakdowns

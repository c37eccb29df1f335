"""Observations for the API, read one page at a time in SQL.

The API lists observations sorted by indicator code, area code, period (last
year, then first year), breakdown and category.  Reading every matching row to
sort and slice them in Python costs seconds and hundreds of megabytes at
national scale, so the rows are split into *segments*, one per indicator and
area, in that output order:

1. a :class:`Plan` counts the rows of each segment with one ``GROUP BY`` over
   the covering unique index (``indicator, area, period, breakdown, category``)
   of the protected public table, and orders the segments by code;
2. a page finds the segments overlapping ``[offset, offset + limit)`` from the
   plan's running totals (a binary search) and reads only those, by the same
   index, sorting at most a page plus two segments in Python.

A page therefore costs the same on page 1 and page 1 000.  The plan itself is
counted once per publication for readers who see only public rows (cached on
:func:`jamlik.indicators.publication.public_version`); readers who see staged
rows get a fresh one each time, since unpublished imports are not covered by
that token.

The rules are :func:`jamlik.indicators.queries.observation_frame`'s, applied to
the same tables: the public read :class:`PublicObservation` (disclosure control
done over the whole published table); a :class:`Visibility` that
``sees_staged`` also gets its staged rows of unpublished imports, replacing
the public row of the same cell (the latest run winning), with ``published``
false.  Tests check the two give identical rows.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from operator import itemgetter
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from jamlik.geo.models import Area
from jamlik.indicators.models import Observation, PublicObservation
from jamlik.indicators.publication import public_version
from jamlik.indicators.queries import Visibility
from jamlik.indicators.source_notes import notes_by_run
from jamlik.sources.observations import TOTAL, split_breakdown

#: The columns read for each row (the staged table has no ``suppressed``).
ROW_COLUMNS = (
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
    "status",
    "import_run_id",
)
CELL = ("indicator_id", "area_id", "period", "breakdown", "category")
NUMBERS = ("numerator", "denominator", "value", "lower", "upper")
SUPPRESSED_NOTE = "suppressed (small numbers)"
PLAN_CACHE_SECONDS = 600  # bounds how long a renamed area keeps its old name here

Segment = tuple[int, int]  # (indicator id, area id)


@dataclass(frozen=True)
class ObservationFilter:
    """What an API call asks for: indicators (id → code), areas and one population group.

    ``area_ids`` ``None`` means every area; ``breakdown``, ``category`` and
    ``period`` ``None`` (or an empty period) mean no filter on them.
    """

    indicators: Mapping[int, str]
    area_ids: tuple[int, ...] | None = None
    period: str | None = None
    breakdown: str | None = None
    category: str | None = None
    #: The ``(breakdown, category)`` pairs a ``dimension`` filter leaves (see
    #: :func:`cells_with_dimensions`); ``None`` = no such filter.
    cells: tuple[tuple[str, str], ...] | None = None

    def apply(self, query: QuerySet[Any], *, segments: bool = True) -> QuerySet[Any]:
        """``query`` narrowed to these filters (leaving out indicators and areas when
        ``segments`` is false: the caller names the segments itself)."""
        if segments:
            query = query.filter(indicator_id__in=sorted(self.indicators))
            if self.area_ids is not None:
                query = query.filter(area_id__in=sorted(self.area_ids))
        if self.breakdown is not None:
            query = query.filter(breakdown=self.breakdown)
        if self.category is not None:
            query = query.filter(category=self.category)
        if self.cells is not None:
            by_breakdown: dict[str, list[str]] = {}
            for breakdown, category in self.cells:
                by_breakdown.setdefault(breakdown, []).append(category)
            match = Q(pk__in=[])
            for breakdown, categories in sorted(by_breakdown.items()):
                match |= Q(breakdown=breakdown, category__in=sorted(categories))
            query = query.filter(match)
        if self.period:
            query = query.filter(period=self.period)
        return query

    def cache_key(self, version: str) -> str:
        spec = repr(
            (
                sorted(self.indicators),
                None if self.area_ids is None else sorted(self.area_ids),
                self.period or None,
                self.breakdown,
                self.category,
                self.cells,
            )
        )
        digest = hashlib.sha256(spec.encode()).hexdigest()[:24]
        return f"jamlik:api-observations:{version}:{digest}"


@dataclass(frozen=True)
class Plan:
    """The matching rows as segments in output order, with running totals.

    ``starts[i]`` is the position of segment ``i``'s first row in the full
    list; ``starts[-1]`` is the number of rows.  ``areas`` gives the code and
    name of every area in a segment.
    """

    segments: tuple[Segment, ...]
    starts: tuple[int, ...]
    areas: Mapping[int, tuple[str, str]]
    #: Mandatory source notes by import run (published runs of these indicators).
    notes: Mapping[int, list[str]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return self.starts[-1]

    def window(self, offset: int, limit: int) -> tuple[int, int, int]:
        """``(first, stop, skip)``: segments ``first:stop`` hold rows ``offset`` to
        ``offset + limit``, the first of them ``skip`` rows into segment ``first``."""
        if offset >= self.count or limit <= 0:
            return 0, 0, 0
        first = bisect.bisect_right(self.starts, offset) - 1
        stop = bisect.bisect_left(self.starts, offset + limit, lo=first + 1)
        return first, min(stop, len(self.segments)), offset - self.starts[first]

    def batches(self, rows: int) -> Iterator[tuple[Segment, ...]]:
        """Runs of whole segments, in order, of at most ``rows`` rows each unless one
        segment alone holds more (for exports)."""
        first = 0
        while first < len(self.segments):
            stop = bisect.bisect_right(self.starts, self.starts[first] + rows) - 1
            stop = max(first + 1, min(stop, len(self.segments)))
            yield self.segments[first:stop]
            first = stop


def _segment_counts(wanted: ObservationFilter, visibility: Visibility) -> dict[Segment, int]:
    """Rows per segment: public cells, plus the staged cells the reader sees that have
    no public row (each cell once, however many unpublished runs hold it)."""
    public = wanted.apply(PublicObservation.objects.all())
    counts: dict[Segment, int] = {
        (i, a): n
        for i, a, n in public.values_list("indicator_id", "area_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    if visibility.sees_staged:
        same_cell = {name: OuterRef(name) for name in CELL}
        new_cells = (
            wanted.apply(Observation.objects.filter(visibility.staged_q()))
            .filter(
                ~Exists(_later_staged(visibility)),
                ~Exists(PublicObservation.objects.filter(**same_cell)),
            )
            .values_list("indicator_id", "area_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for i, a, n in new_cells:
            counts[(i, a)] = counts.get((i, a), 0) + n
    return counts


def build_plan(wanted: ObservationFilter, visibility: Visibility) -> Plan:
    """Count the segments (one query, two with staged rows) and order them by code
    (one query for the areas' codes and names)."""
    counts = _segment_counts(wanted, visibility)
    area_ids = {a for _i, a in counts}
    areas = {
        pk: (code, name)
        for pk, code, name in Area.objects.filter(pk__in=sorted(area_ids))
        .order_by()
        .values_list("pk", "code", "name")
    }
    segments = tuple(sorted(counts, key=lambda s: (wanted.indicators[s[0]], areas[s[1]][0])))
    starts = (0, *accumulate(counts[s] for s in segments))
    return Plan(segments, starts, areas, notes_by_run(wanted.indicators))


def plan_for(wanted: ObservationFilter, visibility: Visibility) -> Plan:
    """The :class:`Plan`, counted once per publication for readers of public rows only."""
    if visibility.sees_staged:
        return build_plan(wanted, visibility)
    key = wanted.cache_key(public_version())
    plan = cache.get(key)
    if plan is None:
        plan = build_plan(wanted, visibility)
        cache.set(key, plan, PLAN_CACHE_SECONDS)
    return plan


def _in_segments(segments: Sequence[Segment]) -> Q:
    by_indicator: dict[int, list[int]] = {}
    for indicator_id, area_id in segments:
        by_indicator.setdefault(indicator_id, []).append(area_id)
    match = Q(pk__in=[])
    for indicator_id, area_ids in by_indicator.items():
        match |= Q(indicator_id=indicator_id, area_id__in=sorted(area_ids))
    return match


def _number(x: Any) -> float | None:
    return None if x is None or x != x else float(x)


def _row(
    values: Sequence[Any],
    suppressed: bool,
    published: bool,
    plan: Plan,
    wanted: ObservationFilter,
    notes: Mapping[int, list[str]],
) -> dict[str, Any]:
    """One row as the API gives it (``ObservationOut``'s fields, in its order)."""
    (indicator_id, area_id, period, _start, _end, breakdown, category) = values[:7]
    numerator, denominator, value, lower, upper, note, source, is_demo, status, run = values[7:]
    code, name = plan.areas[area_id]
    return {
        "indicator": wanted.indicators[indicator_id],
        "area": code,
        "area_name": name,
        "period": period,
        "breakdown": breakdown,
        "category": category,
        "numerator": _number(numerator),
        "denominator": _number(denominator),
        "value": _number(value),
        "lower": _number(lower),
        "upper": _number(upper),
        "note": SUPPRESSED_NOTE if suppressed else (note or ""),
        "source": source or "",
        "suppressed": bool(suppressed),
        "is_demo": bool(is_demo),
        "published": published,
        "status": status or "",
        "source_notes": " | ".join(notes.get(run, ())) if run is not None else "",
    }


def _order(values: Sequence[Any], plan: Plan, wanted: ObservationFilter) -> tuple[Any, ...]:
    """The API's order: indicator and area code, last year, breakdown, category, first
    year, period label (unique per cell, so ties never fall back to anything else)."""
    indicator_id, area_id, period, start, end, breakdown, category = values[:7]
    return (
        wanted.indicators[indicator_id],
        plan.areas[area_id][0],
        end,
        breakdown,
        category,
        start,
        period,
    )


def read_segments(
    segments: Sequence[Segment],
    wanted: ObservationFilter,
    visibility: Visibility,
    plan: Plan,
    *,
    skip: int = 0,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """The rows of ``segments`` in API order (from the ``skip``-th, at most ``limit``),
    staged rows laid over public ones (one query, two when the reader sees staged rows)."""
    if not segments:
        return []
    match = _in_segments(segments)
    cells: dict[tuple[Any, ...], tuple[tuple[Any, ...], Sequence[Any], bool, bool]] = {}
    public = wanted.apply(PublicObservation.objects.filter(match), segments=False)
    for *values, suppressed in public.values_list(*ROW_COLUMNS, "suppressed"):
        cell = (values[0], values[1], values[2], values[5], values[6])
        cells[cell] = (_order(values, plan, wanted), values, suppressed, True)
    if visibility.sees_staged:
        staged = wanted.apply(
            Observation.objects.filter(visibility.staged_q()).filter(match), segments=False
        )
        for values in staged.order_by("import_run_id").values_list(*ROW_COLUMNS):
            cell = (values[0], values[1], values[2], values[5], values[6])
            cells[cell] = (_order(values, plan, wanted), values, False, False)
    ordered = sorted(cells.values(), key=itemgetter(0))
    window = ordered[skip:] if limit is None else ordered[skip : skip + limit]
    return [
        _row(values, hidden, published, plan, wanted, plan.notes)
        for _o, values, hidden, published in window
    ]


def read_page(
    wanted: ObservationFilter, visibility: Visibility, plan: Plan, offset: int, limit: int
) -> list[dict[str, Any]]:
    """Rows ``offset`` to ``offset + limit`` in API order, reading only their segments."""
    first, stop, skip = plan.window(offset, limit)
    segments = plan.segments[first:stop]
    return read_segments(segments, wanted, visibility, plan, skip=skip, limit=limit)


def iter_rows(
    wanted: ObservationFilter, visibility: Visibility, plan: Plan, batch: int = 5000
) -> Iterator[dict[str, Any]]:
    """Every row in API order, read about ``batch`` rows at a time (bounded memory)."""
    for segments in plan.batches(batch):
        yield from read_segments(segments, wanted, visibility, plan)


def _later_staged(visibility: Visibility) -> QuerySet[Observation]:
    """Staged rows the reader sees of the outer row's cell from a later run (a subquery)."""
    same_cell = {name: OuterRef(name) for name in CELL}
    return Observation.objects.filter(
        visibility.staged_q(), import_run_id__gt=OuterRef("import_run_id"), **same_cell
    )


def any_demo(wanted: ObservationFilter, visibility: Visibility) -> bool:
    """Whether any row the reader gets is invented demo data (one query, two with staged
    rows), so that a CSV export can label every row before writing the first."""
    public = wanted.apply(PublicObservation.objects.filter(is_demo=True))
    if not visibility.sees_staged:
        return public.exists()
    same_cell = {name: OuterRef(name) for name in CELL}
    staged_over = Observation.objects.filter(visibility.staged_q(), **same_cell)
    if public.filter(~Exists(staged_over)).exists():
        return True
    staged = wanted.apply(Observation.objects.filter(visibility.staged_q(), is_demo=True))
    return staged.filter(~Exists(_later_staged(visibility))).exists()


def stored_cells(
    indicator_ids: Sequence[int], visibility: Visibility
) -> list[tuple[int, str, str]]:
    """Every ``(indicator id, breakdown, category)`` stored for the indicators that the
    reader may see, sorted (one query, two with staged rows; counted once per
    publication for readers of public rows only)."""

    def read() -> list[tuple[int, str, str]]:
        ids = sorted(indicator_ids)
        sources = [PublicObservation.objects.filter(indicator_id__in=ids)]
        if visibility.sees_staged:
            sources.append(Observation.objects.filter(visibility.staged_q(), indicator_id__in=ids))
        found: set[tuple[int, str, str]] = set()
        for query in sources:
            found |= set(
                query.values_list("indicator_id", "breakdown", "category").order_by().distinct()
            )
        return sorted(found)

    if visibility.sees_staged:
        return read()
    digest = hashlib.sha256(repr(sorted(indicator_ids)).encode()).hexdigest()[:24]
    key = f"jamlik:api-cells:{public_version()}:{digest}"
    cells = cache.get(key)
    if cells is None:
        cells = read()
        cache.set(key, cells, PLAN_CACHE_SECONDS)
    return cells


def cells_with_dimensions(
    cells: Sequence[tuple[int, str, str]], dimensions: Mapping[str, str]
) -> tuple[tuple[str, str], ...]:
    """The ``(breakdown, category)`` pairs among ``cells`` whose dimensions include
    every ``name: category`` of ``dimensions`` (a category ``total`` asks for cells
    not split by that dimension: the dimension is at its total there).  Pure."""
    out = set()
    for _indicator, breakdown, category in cells:
        try:
            parts = split_breakdown(breakdown, category)
        except ValueError:
            continue
        if all(parts.get(name, TOTAL) == wanted for name, wanted in dimensions.items()):
            out.add((breakdown, category))
    return tuple(sorted(out))

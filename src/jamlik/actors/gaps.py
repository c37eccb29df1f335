"""Gaps in the actor map: where little or nothing is done, and where that meets high need.

Coverage is judged *relative to the county's own map*, because absolute counts say as much
about how thoroughly an inventory was done as about the work itself: a category has
**no** activities (0), **few** (at most half the median of its comparison set, and at
least "2 or fewer"), or is **covered**. Need comes from the situation picture (the
indicators app): a kommun has **high need** in a målområde when at least a third of its
indicators there compare worse than the benchmark (and at least one does). "High need,
little activity" is the combination the county should look at first — the idea of
proportionate universalism (Marmot 2010, *Fair Society, Healthy Lives*): effort in
proportion to need.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from jamlik.actors import vocab
from jamlik.actors.choices import TagDimension, TargetGroup
from jamlik.actors.models import Activity, ActivityTag
from jamlik.actors.queries import CURRENT, CURRENT_STATUSES, DirectoryFilter, kommun_matrix
from jamlik.geo.models import Area

logger = logging.getLogger(__name__)

FEW_SHARE_OF_MEDIAN = 0.5
FEW_ABSOLUTE = 2
HIGH_NEED_SHARE = 1 / 3


class Coverage(enum.StrEnum):
    NONE = "none"
    FEW = "few"
    COVERED = "covered"


class Need(enum.StrEnum):
    HIGH = "high"
    NOT_HIGH = "not_high"
    UNKNOWN = "unknown"


def classify_coverage(counts: Mapping[str, int]) -> dict[str, Coverage]:
    """Each category's coverage relative to the median of all categories (pure)."""
    if not counts:
        return {}
    median = statistics.median(counts.values())
    few_line = max(FEW_ABSOLUTE, FEW_SHARE_OF_MEDIAN * median)
    result = {}
    for key, count in counts.items():
        if count <= 0:
            result[key] = Coverage.NONE
        elif count <= few_line:
            result[key] = Coverage.FEW
        else:
            result[key] = Coverage.COVERED
    return result


@dataclass(frozen=True)
class NeedSummary:
    worse: int
    compared: int

    @property
    def level(self) -> Need:
        if self.compared == 0:
            return Need.UNKNOWN
        if self.worse >= 1 and self.worse / self.compared >= HIGH_NEED_SHARE:
            return Need.HIGH
        return Need.NOT_HIGH


def _get(item: Any, *names: str) -> Any:
    for name in names:
        value = item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)
        if value is not None:
            return value
    return None


WORSE = frozenset({"worse", "much_worse"})
JUDGED_NOT_WORSE = frozenset({"better", "much_better", "similar"})


def _parts(item: Any) -> tuple[Any, Any]:
    """(indicator, comparison) from ``comparisons_for_area``'s ``(indicator, comparison, period)``."""
    if isinstance(item, tuple | list):
        return item[0], item[1] if len(item) > 1 else None
    return _get(item, "indicator") or item, _get(item, "comparison", "outcome")


def _target_area_numbers(indicator: Any) -> list[int]:
    value = _get(indicator, "target_areas", "malomraden")
    if value is None:
        return []
    numbers = []
    for v in value if isinstance(value, list | tuple | set) else [value]:
        try:
            numbers.append(int(v))
        except (TypeError, ValueError):
            continue
    return numbers


def _is_worse(comparison: Any) -> bool | None:
    """True for worse, False for better/similar, None when not judged (no polarity, no value)."""
    if comparison is None:
        return None
    text = str(getattr(comparison, "value", comparison)).lower()
    if text in WORSE:
        return True
    if text in JUDGED_NOT_WORSE:
        return False
    return None


def summarise_need(comparisons: Iterable[Any]) -> dict[int, NeedSummary]:
    """Count, per målområde, the judged indicators and those comparing worse (pure).

    Indicators without polarity (higher/lower) or without a value are not judged and
    do not count.
    """
    worse: Counter[int] = Counter()
    compared: Counter[int] = Counter()
    for item in comparisons:
        indicator, comparison = _parts(item)
        is_worse = _is_worse(comparison)
        if is_worse is None:
            continue
        for number in _target_area_numbers(indicator):
            compared[number] += 1
            if is_worse:
                worse[number] += 1
    return {n: NeedSummary(worse[n], compared[n]) for n in compared}


def overall_need(comparisons: Iterable[Any]) -> NeedSummary:
    """Worse and judged indicators over all målområden (for districts; pure)."""
    worse = compared = 0
    for item in comparisons:
        is_worse = _is_worse(_parts(item)[1])
        if is_worse is None:
            continue
        compared += 1
        worse += int(is_worse)
    return NeedSummary(worse, compared)


NEED_CACHE_SECONDS = 600


@dataclass(frozen=True)
class CountyNeed:
    """Need from the situation picture for a county's kommuner (by målområde) and districts
    (over all målområden); ``None`` where nothing was judged."""

    kommuner: dict[str, dict[int, NeedSummary] | None]
    districts: dict[str, NeedSummary | None]


def need_available() -> bool:
    """Whether the situation picture (the indicators app) is installed."""
    try:
        from jamlik.actors import need  # noqa: F401 - imports the indicators app
    except ImportError:
        return False
    return True


def county_need(county: Area, kommun_codes: list[str], districts: list[Area]) -> CountyNeed | None:
    """Need for every kommun and district of ``county``, or None if it cannot be computed.

    One read of the public table for all areas (:mod:`jamlik.actors.need`), kept until
    the next publication (the key holds ``public_version``; the timeout bounds how long a
    renamed målområde takes to show). The actor map must work without the indicators app,
    so any failure gives None and is logged.
    """
    from django.core.cache import cache

    try:
        from jamlik.actors.need import county_comparisons
        from jamlik.indicators.analysis import indicator_map
        from jamlik.indicators.publication import public_version

        kommun_ids = dict(Area.objects.filter(code__in=kommun_codes).values_list("code", "pk"))
        district_ids = {d.code: d.pk for d in districts}
        areas = sorted({*kommun_ids.items(), *district_ids.items()})
        key = (
            "jamlik:actors-need:"
            + hashlib.sha256(f"{county.code}|{areas}|{public_version()}".encode()).hexdigest()
        )
        found = cache.get(key)
        if found is not None:
            return found
        indicators = indicator_map()
        comparisons = county_comparisons(county, [pk for _code, pk in areas], indicators)
    except ImportError:
        return None
    except Exception:  # a failing neighbour app must not break the gap view
        logger.exception("the situation picture failed for county %s", county.code)
        return None

    def judged(pk: int) -> list[tuple[Any, str]]:
        return [(indicators[i], text) for i, (text, _period) in comparisons[pk].items()]

    district_need = {code: overall_need(judged(pk)) for code, pk in district_ids.items()}
    found = CountyNeed(
        kommuner={code: summarise_need(judged(pk)) or None for code, pk in kommun_ids.items()},
        districts={code: s if s.compared else None for code, s in district_need.items()},
    )
    cache.set(key, found, NEED_CACHE_SECONDS)
    return found


@dataclass
class GapRow:
    key: str
    label: str
    count: int
    coverage: Coverage
    query: str
    need: NeedSummary | None = None

    @property
    def high_need_little_activity(self) -> bool:
        return (
            self.need is not None
            and self.need.level == Need.HIGH
            and self.coverage in (Coverage.NONE, Coverage.FEW)
        )


@dataclass
class GapReport:
    county: Area
    by_target_area: list[GapRow]
    by_group: list[GapRow]
    by_district: list[GapRow]
    kommun_cells: list[GapRow]  # kommun × målområde cells with none/few, need attached
    need_available: bool
    need_found: bool

    @property
    def flagged(self) -> list[GapRow]:
        return [r for r in self.kommun_cells if r.high_need_little_activity]


def _rows(
    counts: Mapping[str, int], labels: Mapping[str, str], base: DirectoryFilter, param: str
) -> list[GapRow]:
    coverage = classify_coverage(counts)
    rows = [
        GapRow(key, labels[key], counts[key], coverage[key], base.query_string(**{param: key}))
        for key in counts
    ]
    order = {Coverage.NONE: 0, Coverage.FEW: 1, Coverage.COVERED: 2}
    return sorted(rows, key=lambda r: (order[r.coverage], r.count, r.label))


def gap_report(county: Area, *, with_need: bool = True) -> GapReport:
    base = DirectoryFilter(county=county.code, status=CURRENT)
    current = ActivityTag.objects.filter(
        activity__county=county, activity__status__in=CURRENT_STATUSES
    )
    areas = vocab.target_areas(county.code)
    area_counts = {t.key: 0 for t in areas}
    group_counts = {g.value: 0 for g in TargetGroup}
    # Counted in SQL: a county may have tens of thousands of tagged activities.
    for dimension, key, n in (
        current.filter(dimension__in=[TagDimension.TARGET_AREA, TagDimension.TARGET_GROUP])
        .values_list("dimension", "key")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        target = area_counts if dimension == TagDimension.TARGET_AREA else group_counts
        if key in target:
            target[key] += n
    by_target_area = _rows(area_counts, vocab.names(areas), base, "malomrade")
    by_group = _rows(group_counts, {g.value: str(g.label) for g in TargetGroup}, base, "group")
    districts = list(
        Area.objects.districts()
        .filter(parent__parent=county)
        .select_related("parent")
        .defer("boundary", "parent__boundary")
    )
    district_counts = {d.code: 0 for d in districts}
    for code, n in (
        Activity.objects.filter(county=county, status__in=CURRENT_STATUSES, districts__in=districts)
        .values_list("districts__code")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        district_counts[code] = district_counts.get(code, 0) + n
    district_labels = {d.code: f"{d.name} ({d.parent.name})" for d in districts}
    by_district = _rows(district_counts, district_labels, base, "area")
    # Kommun × målområde: each column judged against that målområde's median across kommuner.
    matrix = kommun_matrix(county)
    kommun_rows = [r for r in matrix.rows if r.key != county.code]
    available = with_need and need_available()
    need = county_need(county, [r.key for r in kommun_rows], districts) if available else None
    needs = need.kommuner if need else {}
    if need:
        for row in by_district:
            row.need = need.districts.get(row.key)
        by_district.sort(key=lambda r: not r.high_need_little_activity)  # stable: keeps order
    need_found = any(row.need for row in by_district) or any(needs.values())
    cells: list[GapRow] = []
    for index, term in enumerate(matrix.columns):
        column = {r.key: r.cells[index].count for r in kommun_rows}
        coverage = classify_coverage(column)
        for r in kommun_rows:
            need = (needs.get(r.key) or {}).get(int(term.key))
            cell = GapRow(
                f"{r.key}:{term.key}",
                f"{r.label} · {term.name}",
                column[r.key],
                coverage[r.key],
                r.cells[index].url_query,
                need,
            )
            if cell.coverage != Coverage.COVERED or cell.high_need_little_activity:
                cells.append(cell)
    cells.sort(key=lambda c: (not c.high_need_little_activity, c.count, c.label))
    return GapReport(county, by_target_area, by_group, by_district, cells, available, need_found)

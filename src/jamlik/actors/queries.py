"""Read-only questions of the actor map: the directory, coverage matrices and the national picture.

Everything here reads; nothing writes. Filters arrive as a :class:`DirectoryFilter`
built from the URL, so every view of the directory can be shared as a link.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from jamlik.actors import vocab
from jamlik.actors.choices import (
    ActivityStatus,
    ActorLevel,
    ActorType,
    PreventionLevel,
    Setting,
    TagDimension,
    TargetGroup,
)
from jamlik.actors.models import Activity, ActivityTag, Actor
from jamlik.frameworks.geography import counties as _counties
from jamlik.geo.models import Area, AreaLevel

CURRENT = "current"  # planned or ongoing
CURRENT_STATUSES = (ActivityStatus.PLANNED, ActivityStatus.ONGOING)

COUNTY_CODES: frozenset[str] = frozenset(c.code for c in _counties())


@dataclass(frozen=True)
class DirectoryFilter:
    """The directory's state, read from and written to the URL's query string."""

    q: str = ""
    county: str = ""
    area: str = ""
    malomrade: str = ""
    problem: str = ""
    group: str = ""
    setting: str = ""
    level: str = ""
    sector: str = ""
    prevention: str = ""
    status: str = ""

    @classmethod
    def from_query(cls, params: Mapping[str, Any]) -> DirectoryFilter:
        """Unknown or malformed values are dropped rather than failing the page."""
        county = str(params.get("county", "")).strip()
        if county not in COUNTY_CODES:
            county = ""  # a malformed or unknown län code must not reach the framework loader
        allowed: dict[str, set[str] | None] = {
            "malomrade": {t.key for t in vocab.target_areas(county or None)},
            "problem": {t.key for t in vocab.problem_areas(county or None)},
            "group": set(TargetGroup.values),
            "setting": set(Setting.values),
            "level": set(ActorLevel.values),
            "sector": set(ActorType.values),
            "prevention": set(PreventionLevel.values),
            "status": {*ActivityStatus.values, CURRENT},
            "q": None,
            "county": COUNTY_CODES,
            "area": None,
        }
        values = {}
        for name, options in allowed.items():
            value = str(params.get(name, "")).strip()[:100]
            if options is not None and value not in options:
                value = ""
            if name in {"county", "area"} and value and not value.isalnum():
                value = ""
            values[name] = value
        return cls(**values)

    def query_string(self, **changes: str) -> str:
        state = {k: v for k, v in asdict(replace(self, **changes)).items() if v}
        return urlencode(state)

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


def filter_activities(f: DirectoryFilter) -> QuerySet[Activity]:
    qs = Activity.objects.all()
    if f.county:
        qs = qs.filter(county__code=f.county)
    if f.area:
        qs = qs.filter(Q(area__code=f.area) | Q(districts__code=f.area))
    for dimension, value in (
        (TagDimension.TARGET_AREA, f.malomrade),
        (TagDimension.PROBLEM_AREA, f.problem),
        (TagDimension.TARGET_GROUP, f.group),
        (TagDimension.SETTING, f.setting),
    ):
        if value:
            qs = qs.filter(tags__dimension=dimension, tags__key=value)
    if f.level:
        qs = qs.filter(actors__level=f.level)
    if f.sector:
        qs = qs.filter(actors__actor_type=f.sector)
    if f.prevention:
        qs = qs.filter(prevention_level=f.prevention)
    if f.status == CURRENT:
        qs = qs.filter(status__in=CURRENT_STATUSES)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.q:
        qs = qs.filter(
            Q(title__icontains=f.q)
            | Q(description__icontains=f.q)
            | Q(method__icontains=f.q)
            | Q(actors__name__icontains=f.q)
        )
    ids = qs.values("pk").distinct()
    return (
        Activity.objects.filter(pk__in=ids)
        .select_related("area")
        .prefetch_related(
            Prefetch("actors", queryset=Actor.objects.only("pk", "name", "actor_type", "level")),
            "tags",
            "districts",
        )
        .order_by("title", "pk")
    )


def filter_actors(f: DirectoryFilter) -> QuerySet[Actor]:
    """Actors behind the filtered activities, plus actors matching the text and actor filters."""
    qs = Actor.objects.all()
    if f.county:
        qs = qs.filter(county__code=f.county)
    if f.level:
        qs = qs.filter(level=f.level)
    if f.sector:
        qs = qs.filter(actor_type=f.sector)
    if f.area:
        qs = qs.filter(Q(area__code=f.area) | Q(areas_served__code=f.area))
    if f.q:
        qs = qs.filter(name__icontains=f.q)
    activity_filters = replace(f, q="", level="", sector="", area="", county=f.county)
    if any((f.malomrade, f.problem, f.group, f.setting, f.prevention, f.status)):
        qs = qs.filter(activities__in=filter_activities(activity_filters).values("pk"))
    return (
        Actor.objects.filter(pk__in=qs.values("pk").distinct())
        .select_related("area")
        .annotate(n_activities=Count("activities", distinct=True))
        .order_by("name", "pk")
    )


# ---- coverage matrices ----------------------------------------------------------


@dataclass
class MatrixCell:
    count: int
    url_query: str


@dataclass
class MatrixRow:
    key: str
    label: str
    cells: list[MatrixCell]
    total: int
    total_query: str


@dataclass
class Matrix:
    columns: list[vocab.Term]
    rows: list[MatrixRow]
    column_totals: list[int]


def _tag_pairs(county: str, dimension: TagDimension) -> list[tuple[int, str]]:
    return list(
        ActivityTag.objects.filter(
            dimension=dimension,
            activity__county__code=county,
            activity__status__in=CURRENT_STATUSES,
        ).values_list("activity_id", "key")
    )


def _matrix_row(
    key: str,
    label: str,
    columns: list[vocab.Term],
    counts: Mapping[tuple[str, str], int],
    totals: Mapping[str, int],
    base: DirectoryFilter,
    **row_filter: str,
) -> MatrixRow:
    """One row: a cell per målområde linking to the directory narrowed to it, and the row total."""
    cells = [
        MatrixCell(counts.get((key, c.key), 0), base.query_string(**row_filter, malomrade=c.key))
        for c in columns
    ]
    return MatrixRow(key, label, cells, totals.get(key, 0), base.query_string(**row_filter))


def _matrix(columns: list[vocab.Term], rows: list[MatrixRow]) -> Matrix:
    """The matrix with each column's total over its rows."""
    return Matrix(columns, rows, [sum(r.cells[i].count for r in rows) for i in range(len(columns))])


def kommun_matrix(county: Area) -> Matrix:
    """Current activities per kommun (rows) and målområde (columns); a row for county-wide work."""
    columns = vocab.target_areas(county.code)
    base = DirectoryFilter(county=county.code, status=CURRENT)
    counts = {
        (area, key): n
        for area, key, n in ActivityTag.objects.filter(
            dimension=TagDimension.TARGET_AREA,
            activity__county=county,
            activity__status__in=CURRENT_STATUSES,
        )
        .values_list("activity__area__code", "key")
        .annotate(n=Count("pk"))
        .order_by()
    }
    totals = dict(
        Activity.objects.filter(county=county, status__in=CURRENT_STATUSES)
        .values_list("area__code")
        .annotate(n=Count("pk"))
    )
    areas = [*Area.objects.municipalities(county.code), county]
    rows = [
        _matrix_row(
            area.code,
            area.name
            if area.level == AreaLevel.MUNICIPALITY
            else f"{area.name} (länsövergripande)",
            columns,
            counts,
            totals,
            base,
            area=area.code,
        )
        for area in areas
    ]
    return _matrix(columns, rows)


def group_matrix(county: Area) -> Matrix:
    """Current activities per target group (rows) and målområde (columns)."""
    columns = vocab.target_areas(county.code)
    base = DirectoryFilter(county=county.code, status=CURRENT)
    areas_by_activity: dict[int, set[str]] = defaultdict(set)
    for activity_id, key in _tag_pairs(county.code, TagDimension.TARGET_AREA):
        areas_by_activity[activity_id].add(key)
    groups_by_activity: dict[int, set[str]] = defaultdict(set)
    for activity_id, key in _tag_pairs(county.code, TagDimension.TARGET_GROUP):
        groups_by_activity[activity_id].add(key)
    counts: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    for activity_id, groups in groups_by_activity.items():
        for group in groups:
            totals[group] += 1
            for area_key in areas_by_activity.get(activity_id, ()):
                counts[(group, area_key)] += 1
    rows = [
        _matrix_row(group.value, str(group.label), columns, counts, totals, base, group=group.value)
        for group in TargetGroup
    ]
    return _matrix(columns, rows)


# ---- national picture -------------------------------------------------------------


def national_matrix() -> Matrix:
    """Activities per län (rows) and målområde (columns), local and imported records alike."""
    columns = vocab.target_areas()
    counts = Counter(
        (row["activity__county__code"], row["key"])
        for row in ActivityTag.objects.filter(dimension=TagDimension.TARGET_AREA).values(
            "activity__county__code", "key", "activity_id"
        )
    )
    totals = dict(Activity.objects.values_list("county__code").annotate(n=Count("pk")))
    rows = [
        _matrix_row(
            county.code, county.name, columns, counts, totals, DirectoryFilter(county=county.code)
        )
        for county in Area.objects.counties()
    ]
    return _matrix(columns, rows)


@dataclass
class CrossCountyActor:
    name: str
    org_number: str
    counties: list[str]
    records: int


def actors_across_counties(limit: int = 200) -> list[CrossCountyActor]:
    """Organisations (merged actors) that appear in the maps of two or more counties."""
    grouped = (
        Actor.objects.annotate(group=Coalesce(F("canonical_id"), F("id")))
        .values("group")
        .annotate(n_counties=Count("county", distinct=True), n=Count("pk"))
        .filter(n_counties__gte=2)
        .order_by("-n_counties", "group")[:limit]
    )
    groups = {row["group"]: row for row in grouped}
    if not groups:
        return []
    members: dict[int, list[Actor]] = defaultdict(list)
    for actor in Actor.objects.filter(Q(pk__in=groups) | Q(canonical_id__in=groups)).select_related(
        "county"
    ):
        members[actor.canonical_id or actor.pk].append(actor)
    result = []
    for group_id, row in groups.items():
        actors = members[group_id]
        head = next((a for a in actors if a.pk == group_id), actors[0])
        result.append(
            CrossCountyActor(
                head.name,
                head.org_number,
                sorted({a.county.name for a in actors}),
                row["n"],
            )
        )
    return result

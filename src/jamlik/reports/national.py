"""The national picture's tables: all 21 counties side by side, from their releases only.

One function per domain turns the latest release per county
(:func:`jamlik.reports.releases.latest_releases`) into a :class:`NationalTable`: a row
per county (in code order, "not published" where the county has released nothing), and
a national total row. The national pages and the national report read the same tables,
so a figure on a page and the same figure in the PDF cannot differ.

Totals are sums of counts; medians (prerequisite index) are taken over all kommuner of
the released counties pooled, not as a median of county medians, since each kommun is
one observation of the same instrument scale.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jamlik.geo.models import Area
from jamlik.prerequisites.scoring import median
from jamlik.reports import document, releases
from jamlik.reports.models import CountyRelease, ReleaseDomain

Cell = document.Cell


@dataclass
class CountyRow:
    code: str
    name: str
    released_at: datetime | None
    released_by: str
    cells: list[Cell]

    @property
    def released(self) -> bool:
        return self.released_at is not None


@dataclass
class NationalTable:
    domain: str
    key: str
    title: str
    columns: list[str]
    rows: list[CountyRow]
    total: list[Cell]
    notes: list[str] = field(default_factory=list)
    is_demo: bool = False

    @property
    def released_count(self) -> int:
        return sum(r.released for r in self.rows)

    def total_of(self, column: str) -> Cell:
        """The national total of the column labelled ``column``."""
        return self.total[self.columns.index(column)]

    def as_table(self) -> document.Table:
        """The same table for a report: county, release date, the figures; total last."""
        not_published = pgettext("national picture", "not published")
        body: list[list[Cell]] = [
            [
                r.name,
                r.released_at.date().isoformat() if r.released_at else not_published,
                *r.cells,
            ]
            for r in self.rows
        ]
        body.append([_("All counties"), f"{self.released_count}/{len(self.rows)}", *self.total])
        return document.Table(
            key=self.key,
            title=self.title,
            columns=[_("County"), _("Released"), *self.columns],
            rows=body,
            source=_("The counties' releases to the national picture in Jämlik."),
            notes=self.notes,
        )


@dataclass
class ListTable:
    """A national list that is not per county (interventions, prerequisites)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    source: str = ""

    def as_table(self) -> document.Table:
        return document.Table(
            key=self.key,
            title=self.title,
            columns=self.columns,
            rows=self.rows,
            source=self.source or _("The counties' releases to the national picture in Jämlik."),
            notes=self.notes,
        )


def _lang_name(names: dict[str, str] | str, lang: str) -> str:
    if isinstance(names, str):
        return names
    return names.get("en" if lang.startswith("en") else "sv") or names.get("sv", "")


def _rows(
    counties: Sequence[Area],
    found: dict[str, CountyRelease],
    width: int,
    cells: Callable[[dict[str, Any]], list[Cell]],
) -> list[CountyRow]:
    rows = []
    for county in counties:
        r = found.get(county.code)
        if r is None:
            rows.append(CountyRow(county.code, county.name, None, "", [None] * width))
        else:
            who = (
                r.released_by.get_full_name() or r.released_by.get_username()
                if r.released_by
                else ""
            )
            rows.append(CountyRow(county.code, county.name, r.released_at, who, cells(r.payload)))
    return rows


def _sum(rows: list[CountyRow], i: int) -> int:
    return sum(int(r.cells[i]) for r in rows if r.released and isinstance(r.cells[i], int | float))


def _demo(found: dict[str, CountyRelease]) -> bool:
    return any(r.payload.get("is_demo") for r in found.values())


def _counties() -> list[Area]:
    return list(Area.objects.counties())


def _county_table(
    domain: str,
    key: str,
    title: str,
    columns: list[str],
    found: dict[str, CountyRelease],
    cells: Callable[[dict[str, Any]], list[Cell]],
    note: str,
    total: Callable[[list[CountyRow]], list[Cell]] | None = None,
) -> NationalTable:
    """A row per county from ``cells`` of its release; the total row sums the counts
    unless the domain gives its own ``total`` (pooled medians, distinct interventions)."""
    rows = _rows(_counties(), found, len(columns), cells)
    return NationalTable(
        domain,
        key,
        title,
        columns,
        rows,
        total(rows) if total is not None else [_sum(rows, i) for i in range(len(columns))],
        notes=[note],
        is_demo=_demo(found),
    )


# ---- prerequisites ------------------------------------------------------------------------


def prerequisites_table(found: dict[str, CountyRelease] | None = None) -> NationalTable:
    found = releases.latest_releases(ReleaseDomain.PREREQUISITES) if found is None else found
    columns = [
        _("Survey year"),
        _("Previous year"),
        _("Municipalities with scores"),
        _("Median index"),
        _("Median change in index"),
    ]

    def cells(p: dict[str, Any]) -> list[Cell]:
        return [
            p.get("year"),
            p.get("previous_year"),
            len(p.get("kommuner", [])),
            p.get("median_index"),
            p.get("median_change"),
        ]

    def total(rows: list[CountyRow]) -> list[Cell]:
        kommuner = [k for r in found.values() for k in r.payload.get("kommuner", [])]
        return [
            None,
            None,
            len(kommuner),
            median(k.get("index") for k in kommuner),
            median(k.get("index_change") for k in kommuner),
        ]

    return _county_table(
        ReleaseDomain.PREREQUISITES,
        "national-prerequisites",
        _("Prerequisites: the latest published survey round per county"),
        columns,
        found,
        cells,
        _(
            "Index 0–100 from the county's prerequisites survey; the change is from the "
            "county's previous published round. The national medians pool all municipalities."
        ),
        total,
    )


def prerequisite_medians(found: dict[str, CountyRelease], lang: str = "sv") -> ListTable:
    """Median score per prerequisite over all kommuner of the released counties."""
    names: dict[str, str] = {}
    values: dict[str, list[float | None]] = defaultdict(list)
    changes: dict[str, list[float | None]] = defaultdict(list)
    for r in found.values():
        for p in r.payload.get("prerequisites", []):
            names.setdefault(p["key"], _lang_name(p["name"], lang))
        for k in r.payload.get("kommuner", []):
            for key, v in k.get("scores", {}).items():
                values[key].append(v)
                changes[key].append(k.get("changes", {}).get(key))
    rows: list[list[Cell]] = [
        [
            names.get(key, key),
            sum(v is not None for v in values[key]),
            median(values[key]),
            median(changes[key]),
        ]
        for key in names
    ]
    return ListTable(
        "national-prerequisite-medians",
        _("Median score per prerequisite, all municipalities of the released counties"),
        [_("Prerequisite"), _("Municipalities"), _("Median score"), _("Median change")],
        rows,
    )


# ---- support ---------------------------------------------------------------------------------


def support_table(found: dict[str, CountyRelease] | None = None) -> NationalTable:
    found = releases.latest_releases(ReleaseDomain.SUPPORT) if found is None else found
    steps = max((len(r.payload.get("steps", [])) for r in found.values()), default=4) or 4
    columns = [
        _("Municipalities"),
        _("No support on record"),
        *[_("Step %(n)s") % {"n": n} for n in range(1, steps + 1)],
        _("Support activities"),
        _("of which joint"),
        _("Agreements in force"),
        _("Agreements, all"),
        _("Commitments done"),
        _("Commitments"),
    ]

    def cells(p: dict[str, Any]) -> list[Cell]:
        counts = p.get("step_counts", {})
        acts = p.get("activities", {})
        agreements = p.get("agreements", {})
        commitments = p.get("commitments", {})
        return [
            len(p.get("kommuner", [])),
            counts.get("0", 0),
            *[counts.get(str(n), 0) for n in range(1, steps + 1)],
            sum(a.get("total", 0) for a in acts.values()),
            sum(a.get("joint", 0) for a in acts.values()),
            agreements.get("active", 0),
            sum(agreements.values()),
            commitments.get("done", 0),
            commitments.get("total", 0),
        ]

    return _county_table(
        ReleaseDomain.SUPPORT,
        "national-support",
        _("Support ladder and agreements per county"),
        columns,
        found,
        cells,
        _(
            "Municipalities by the highest step of the support ladder reached at the "
            "release; joint activities had several municipalities taking part. "
            "Commitments count those not cancelled."
        ),
    )


# ---- plans ------------------------------------------------------------------------------------


PLAN_STATUSES = ("draft", "active", "completed", "paused")


def plans_table(found: dict[str, CountyRelease] | None = None) -> NationalTable:
    from jamlik.prevention.models import PlanStatus

    found = releases.latest_releases(ReleaseDomain.PLANS) if found is None else found
    labels = dict(PlanStatus.choices)
    columns = [
        _("Municipalities"),
        _("Municipalities with a plan"),
        _("Plans"),
        *[str(labels[s]) for s in PLAN_STATUSES],
        _("Plans with all steps done"),
        _("Chosen registry interventions"),
    ]

    def cells(p: dict[str, Any]) -> list[Cell]:
        kommuner = p.get("kommuner", [])
        by_status = p.get("by_status", {})
        total_steps = str(p.get("steps_total", 8))
        return [
            len(kommuner),
            sum(1 for k in kommuner if k.get("plans")),
            p.get("plans", 0),
            *[by_status.get(s, 0) for s in PLAN_STATUSES],
            p.get("by_steps_done", {}).get(total_steps, 0),
            sum(i.get("plans", 0) for i in p.get("interventions", [])),
        ]

    return _county_table(
        ReleaseDomain.PLANS,
        "national-plans",
        _("Plans per county by status"),
        columns,
        found,
        cells,
        _(
            "Plans through the eight steps of the quality model; a step counts when the "
            "municipality has marked it done. Chosen interventions count plan choices."
        ),
    )


def plans_by_steps(found: dict[str, CountyRelease]) -> ListTable:
    """Plans by the number of quality-model steps done, per county and nationally."""
    steps = max((int(r.payload.get("steps_total", 8)) for r in found.values()), default=8)
    total: Counter[str] = Counter()
    rows: list[list[Cell]] = []
    for county in _counties():
        r = found.get(county.code)
        if r is None:
            continue
        counts = r.payload.get("by_steps_done", {})
        total.update({k: int(v) for k, v in counts.items()})
        rows.append([county.name, *[int(counts.get(str(n), 0)) for n in range(steps + 1)]])
    rows.append([_("All counties"), *[total.get(str(n), 0) for n in range(steps + 1)]])
    return ListTable(
        "national-plan-steps",
        _("Plans by the number of quality-model steps done"),
        [_("County"), *[str(n) for n in range(steps + 1)]],
        rows,
    )


# ---- interventions ----------------------------------------------------------------------


def interventions_table(found: dict[str, CountyRelease] | None = None) -> NationalTable:
    found = releases.latest_releases(ReleaseDomain.INTERVENTIONS) if found is None else found
    columns = [
        _("Registry interventions in use"),
        _("Plans choosing them"),
        _("Activities delivering them"),
        _("Actor-map activities"),
    ]

    def cells(p: dict[str, Any]) -> list[Cell]:
        rows = p.get("interventions", [])
        return [
            len(rows),
            sum(i.get("plans", 0) for i in rows),
            sum(i.get("activities", 0) for i in rows),
            p.get("activities_total", 0),
        ]

    def total(rows: list[CountyRow]) -> list[Cell]:
        in_use = {i["key"] for r in found.values() for i in r.payload.get("interventions", [])}
        return [len(in_use), _sum(rows, 1), _sum(rows, 2), _sum(rows, 3)]

    return _county_table(
        ReleaseDomain.INTERVENTIONS,
        "national-interventions",
        _("Interventions in use per county"),
        columns,
        found,
        cells,
        _(
            "Interventions from the registry that a plan chooses or an actor-map activity "
            "delivers; the national total counts each intervention once."
        ),
        total,
    )


def interventions_nationally(found: dict[str, CountyRelease]) -> ListTable:
    """Each registry intervention in use: in how many counties, plans and activities."""
    names: dict[str, str] = {}
    counties: Counter[str] = Counter()
    plans: Counter[str] = Counter()
    activities: Counter[str] = Counter()
    for r in found.values():
        for i in r.payload.get("interventions", []):
            names.setdefault(i["key"], i.get("name") or i["key"])
            counties[i["key"]] += 1
            plans[i["key"]] += int(i.get("plans", 0))
            activities[i["key"]] += int(i.get("activities", 0))
    order = sorted(names, key=lambda k: (-counties[k], -plans[k] - activities[k], names[k]))
    return ListTable(
        "national-intervention-list",
        _("Registry interventions in use, all counties"),
        [_("Intervention"), _("Counties"), _("Plans"), _("Actor-map activities")],
        [[names[k], counties[k], plans[k], activities[k]] for k in order],
    )


TABLES: dict[str, Callable[..., NationalTable]] = {
    ReleaseDomain.PREREQUISITES: prerequisites_table,
    ReleaseDomain.SUPPORT: support_table,
    ReleaseDomain.PLANS: plans_table,
    ReleaseDomain.INTERVENTIONS: interventions_table,
}


def extra_tables(domain: str, found: dict[str, CountyRelease], lang: str = "sv") -> list[ListTable]:
    """The national lists shown under a domain's county table."""
    if domain == ReleaseDomain.PREREQUISITES:
        return [prerequisite_medians(found, lang)]
    if domain == ReleaseDomain.PLANS:
        return [plans_by_steps(found)]
    if domain == ReleaseDomain.INTERVENTIONS:
        return [interventions_nationally(found)]
    return []


# ---- the situation picture ---------------------------------------------------------------------


def situation_rows(limit: int | None = None) -> ListTable:
    """Sweden's latest published value per indicator, with the range over the counties
    for the same period (from the protected public table only)."""
    from jamlik.indicators.models import PublicObservation

    country = Area.objects.country()
    latest: dict[int, Any] = {}
    for obs in (
        PublicObservation.objects.filter(
            area=country, breakdown="total", category="total", suppressed=False
        )
        .exclude(value=None)
        .select_related("indicator")
        .order_by("indicator__code", "-period_end", "-period")
    ):
        latest.setdefault(obs.indicator_id, obs)
    chosen = sorted(latest.values(), key=lambda o: o.indicator.code)
    if limit is not None:
        chosen = chosen[:limit]
    ranges: dict[tuple[int, str], list[float]] = defaultdict(list)
    for ind, period, value in (
        PublicObservation.objects.filter(
            area__level="county",
            breakdown="total",
            category="total",
            suppressed=False,
            indicator_id__in=[o.indicator_id for o in chosen],
        )
        .exclude(value=None)
        .values_list("indicator_id", "period", "value")
    ):
        ranges[(ind, period)].append(value)
    rows: list[list[Cell]] = []
    for o in chosen:
        values = ranges.get((o.indicator_id, o.period), [])
        rows.append(
            [
                o.indicator.name,
                o.period,
                round(o.value, 1),
                round(min(values), 1) if values else None,
                round(max(values), 1) if values else None,
            ]
        )
    return ListTable(
        "national-situation",
        _("The situation picture: Sweden's latest published value per indicator"),
        [_("Indicator"), _("Period"), _("Sweden"), _("Lowest county"), _("Highest county")],
        rows,
        notes=[_("Published figures only, as on the national situation picture.")],
        source=_("The published situation picture in Jämlik."),
    )

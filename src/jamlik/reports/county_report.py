"""The county report (*länsrapport*): one document per county and year, built from Jämlik.

The figures are read when the report is built, never stored: the situation picture from
the *published* indicator values only (the county overview and the gap blocks read
``PublicObservation`` through the public visibility), the actor map's coverage, the
prerequisite rounds the county has published, the support ladder and agreements, the
kommuner's plans and chosen interventions, and the published economic scenarios, whose
results are recomputed by :func:`jamlik.economics.services.analyse`. What people write
is the only stored part: one :class:`~jamlik.reports.models.ReportNarrative` per
county, year and section (:data:`NARRATIVE_KEYS`).

Every table has a stable key (:data:`TABLE_KEYS`): the XLSX names its sheet by it and the
reporting-upward templates name the tables they want by it, so a key, once used, stays.
The builder returns a :class:`~jamlik.reports.document.Document`; the renderers
(:mod:`jamlik.reports.renderers`) lay it out as PDF, XLSX and DOCX.

Query cost: each section reads its app with a fixed number of queries for the whole
county (no query per kommun); the economics recomputes each published scenario once
(cached by its inputs in :func:`~jamlik.economics.services.analyse`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from jamlik.geo.models import Area, AreaLevel
from jamlik.reports.document import (
    Block,
    Document,
    Narrative,
    Paragraph,
    Section,
    Table,
)

#: Every table of the county report: stable key -> title (English msgid, translated
#: when read). Keys name XLSX sheets (at most 31 characters) and reporting templates.
TABLE_KEYS: dict[str, str] = {
    "situation_overview": gettext_lazy("Published indicators: the county and its municipalities"),
    "situation_map": gettext_lazy("The map's indicator per municipality"),
    "situation_gaps": gettext_lazy("Gaps between groups in the county"),
    "situation_gap_trends": gettext_lazy("Gaps over time"),
    "actors_matrix": gettext_lazy("Current activities per municipality and target area"),
    "actors_coverage": gettext_lazy("Coverage per target area and target group"),
    "actors_gaps": gettext_lazy("High need, little activity"),
    "prerequisites_scores": gettext_lazy("Prerequisite index per municipality and its change"),
    "prerequisites_themes": gettext_lazy("Prerequisites: county medians per prerequisite"),
    "support_ladder": gettext_lazy("The support ladder per municipality"),
    "support_activities": gettext_lazy("Support activities during the year"),
    "support_agreements": gettext_lazy("Agreements and their commitments"),
    "plans": gettext_lazy("Plans and their progress through the steps"),
    "plan_interventions": gettext_lazy("Interventions chosen in the plans"),
    "economics_scenarios": gettext_lazy("Published economic scenarios"),
    "economics_payers": gettext_lazy("Net present value per payer"),
}

#: The narrative sections the county writes, in reading order: key -> title.
NARRATIVE_KEYS: dict[str, str] = {
    "introduction": gettext_lazy("Introduction"),
    "situation": gettext_lazy("The situation picture and its gaps"),
    "actors": gettext_lazy("The actor map: coverage and gaps"),
    "prerequisites": gettext_lazy("Prerequisites and their change"),
    "support": gettext_lazy("The support ladder and agreements"),
    "plans": gettext_lazy("Plans and their progress"),
    "economics": gettext_lazy("Economic estimates"),
    "summary": pgettext_lazy("county report", "Summary"),
}

#: Guidance shown beside each narrative (what the county is asked to write).
NARRATIVE_GUIDANCE: dict[str, str] = {
    "introduction": gettext_lazy("The purpose of the report and the year's main work."),
    "situation": gettext_lazy("What the figures and gaps say, and which gaps the county acts on."),
    "actors": gettext_lazy("Where little is done where the need is high, and what follows."),
    "prerequisites": gettext_lazy("How the municipalities' prerequisites have changed."),
    "support": gettext_lazy("The support given, the agreements and how commitments are kept."),
    "plans": gettext_lazy("How the municipalities' plans progress and what they choose."),
    "economics": gettext_lazy("What the estimates say, and how certain they are."),
    "summary": gettext_lazy("Conclusions and next year's priorities."),
}

#: Section keys in reading order (the introduction and summary are narrative-only).
SECTION_KEYS: tuple[str, ...] = tuple(NARRATIVE_KEYS)


def table_title(key: str) -> str:
    return str(TABLE_KEYS[key])


def _table(key: str, columns: list[str], rows: list[list[Any]], **extra: Any) -> Table:
    return Table(key=key, title=table_title(key), columns=columns, rows=rows, **extra)


def narrative_texts(county: Area, year: int) -> dict[str, str]:
    """This year's written texts per section key (one query)."""
    from jamlik.reports.models import ReportNarrative

    return dict(
        ReportNarrative.objects.filter(area=county, year=year).values_list("section_key", "text")
    )


def _narrative(key: str, texts: dict[str, str]) -> Narrative:
    return Narrative(
        key=key,
        title=str(NARRATIVE_KEYS[key]),
        text=texts.get(key, ""),
        guidance=str(NARRATIVE_GUIDANCE[key]),
    )


def year_end(year: int) -> date:
    """The last day the report looks at: 31 December, or today in the current year."""
    today = timezone.localdate()
    return min(date(year, 12, 31), today)


# ---------------------------------------------------------------- (a) situation
def situation_blocks(county: Area, year: int) -> list[Block]:
    """The county overview's published values, its map, and the gaps over time.

    Public data only, so the blocks (tables, the map and the charts drawn to SVG) are
    computed once per publication and language and then read from the cache
    (:func:`~jamlik.indicators.figure_cache.public_cached`): the report's page, its three
    downloads and the next county administrator share them.
    """
    from jamlik.indicators.figure_cache import public_cached

    return public_cached(
        "county-report-situation", (county.pk,), None, lambda: _situation_blocks(county)
    )


def _situation_blocks(county: Area) -> list[Block]:
    from jamlik.indicators import analysis
    from jamlik.indicators.pages import overview_page
    from jamlik.indicators.viewstate import ViewState
    from jamlik.reports import figures

    page = overview_page(county, ViewState())
    f = page.figures
    blocks: list[Block] = []
    if page.is_demo:
        blocks.append(Paragraph(_("Invented demonstration data — not real figures.")))
    rows: list[list[Any]] = []
    for group_name, group_rows in page.groups:
        for row in group_rows:
            i = row.index
            markers = Counter(
                analysis.MARKER_KEYS[f.marker[i, j]]
                for j in range(len(page.areas))
                if f.present[i, j] and not f.suppressed[i, j]
            )
            rows.append(
                [
                    row.indicator.name,
                    f.periods[i] or None,
                    _number(row.benchmark),
                    markers.get("better", 0),
                    markers.get("similar", 0),
                    markers.get("worse", 0),
                    len(page.areas) - sum(markers.values()),
                    str(group_name),
                ]
            )
    blocks.append(
        _table(
            "situation_overview",
            [
                _("Indicator"),
                _("Period"),
                county.name,
                _("Municipalities better"),
                _("Similar"),
                _("Worse"),
                _("No published value"),
                _("Target area"),
            ],
            rows,
            source=_("Jämlik, published values (the county overview); compared with the county."),
            notes=(
                _(
                    "Better or worse: the municipality's 95 % interval does not include the "
                    "county's value."
                ),
            ),
        )
    )
    if page.choropleth is not None and page.map_indicator is not None:
        blocks.append(figures.county_map_figure(page))
    blocks.extend(figures.gap_figures(county))
    return blocks


def _number(x: Any) -> float | None:
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return None if value != value else value  # NaN -> None


# ---------------------------------------------------------------- (b) actors
def actor_blocks(county: Area, year: int) -> list[Block]:
    """The actor map's matrix (kommun × målområde), coverage and the flagged gaps."""
    from jamlik.actors.gaps import gap_report
    from jamlik.actors.queries import kommun_matrix

    matrix = kommun_matrix(county)
    columns = [_("Municipality"), *(t.name for t in matrix.columns), _("Total")]
    rows: list[list[Any]] = [[r.label, *(c.count for c in r.cells), r.total] for r in matrix.rows]
    rows.append([_("Total"), *matrix.column_totals, sum(r.total for r in matrix.rows)])
    report = gap_report(county)
    coverage_label = {
        "none": _("none"),
        "few": _("few"),
        "covered": _("covered"),
    }
    coverage_rows: list[list[Any]] = [
        [_("Target area"), r.label, r.count, coverage_label[r.coverage.value]]
        for r in report.by_target_area
    ] + [
        [_("Target group"), r.label, r.count, coverage_label[r.coverage.value]]
        for r in report.by_group
    ]
    flagged = [[r.label, r.count, coverage_label[r.coverage.value]] for r in report.flagged]
    source = _("Jämlik, the county's actor map: current activities (planned and ongoing).")
    return [
        _table(
            "actors_matrix",
            columns,
            rows,
            source=source,
            notes=(_("An activity may address several target areas; the totals count it once."),),
        ),
        _table(
            "actors_coverage",
            [_("Dimension"), _("Category"), _("Activities"), _("Coverage")],
            coverage_rows,
            source=source,
            notes=(
                _("Few: at most half the median of the categories, and at least two or fewer."),
            ),
        ),
        _table(
            "actors_gaps",
            [_("Municipality · target area"), _("Activities"), _("Coverage")],
            flagged,
            source=source,
            notes=(
                _(
                    "High need: at least a third of the municipality's indicators in the target "
                    "area compare worse than the benchmark (published values)."
                )
                if report.need_available
                else _("Need cannot be judged: no published indicator values."),
            ),
        ),
    ]


# ---------------------------------------------------------------- (c) prerequisites
def prerequisite_blocks(county: Area, year: int) -> list[Block]:
    """Published rounds up to the year: index per kommun in the latest, the change since
    the one before, and the county's median per prerequisite."""
    from jamlik.prerequisites import results
    from jamlik.prerequisites.models import Round
    from jamlik.prerequisites.specs import framework

    rounds = list(
        Round.objects.filter(county=county, published=True, year__lte=year)
        .select_related("instrument")
        .order_by("-year")[:2]
    )
    if not rounds:
        return [Paragraph(_("No published prerequisite round up to this year."))]
    latest = rounds[0]
    previous = rounds[1] if len(rounds) > 1 else None
    now = results.round_scores(latest)
    before = {s.municipality.pk: s for s in results.round_scores(previous)} if previous else {}
    rows: list[list[Any]] = []
    for s in now:
        old = before.get(s.municipality.pk)
        old_value = old.index.value if old else None
        change = (
            s.index.value - old_value
            if s.index.value is not None and old_value is not None
            else None
        )
        rows.append([s.municipality.name, s.index.value, _level(s.index.level), old_value, change])
    years = f"{previous.year}–{latest.year}" if previous else str(latest.year)
    lang = translation.get_language() or "sv"
    fw = framework(county)
    med_now = results.medians(now)
    med_before = results.medians(list(before.values())) if previous else None
    theme_rows: list[list[Any]] = []
    for p in fw.prerequisites:
        value = med_now.prerequisites.get(p.key)
        old = med_before.prerequisites.get(p.key) if med_before else None
        theme_rows.append(
            [
                p.name(lang),
                value,
                old,
                value - old if value is not None and old is not None else None,
            ]
        )
    theme_rows.append(
        [
            _("Overall index"),
            med_now.index,
            med_before.index if med_before else None,
            med_now.index - med_before.index
            if med_before and med_now.index is not None and med_before.index is not None
            else None,
        ]
    )
    source = _("Jämlik, the prerequisites survey: published rounds %(years)s.") % {"years": years}
    previous_label = str(previous.year) if previous else _("Previous round")
    return [
        _table(
            "prerequisites_scores",
            [
                _("Municipality"),
                _("Index %(year)s") % {"year": latest.year},
                _("Level"),
                _("Index %(year)s") % {"year": previous_label},
                pgettext("difference between two rounds", "Change"),
            ],
            rows,
            source=source,
            notes=(
                _("Index 0–100, computed from the submitted answers with the current weights."),
            ),
        ),
        _table(
            "prerequisites_themes",
            [
                _("Prerequisite"),
                _("Median %(year)s") % {"year": latest.year},
                _("Median %(year)s") % {"year": previous_label},
                pgettext("difference between two rounds", "Change"),
            ],
            theme_rows,
            source=source,
        ),
    ]


def _level(level: Any) -> str:
    """A prerequisite level in words (the prerequisites pages' own words)."""
    words = {
        "strong": _("Strong"),
        "developing": _("Developing"),
        "weak": _("Weak"),
    }
    return words.get(str(level), _("Not computed"))


# ---------------------------------------------------------------- (d) support
def support_blocks(county: Area, year: int) -> list[Block]:
    """The ladder per kommun at the year's end, the year's activities, the agreements."""
    from jamlik.support import commitments as commitment_rules
    from jamlik.support import services
    from jamlik.support.models import ActivityKind, AgreementStatus, SupportActivity

    lang = translation.get_language() or "sv"
    end = year_end(year)
    ladder = services.ladder_for_county(county, end, lang)
    ladder_rows: list[list[Any]] = [
        [
            r.municipality.name,
            r.status.step or None,
            r.step_name or _("No support on record"),
            r.status.years.get(year),
            r.status.since.isoformat() if r.status.since else None,
            r.activity_count,
            r.last_activity.isoformat() if r.last_activity else None,
        ]
        for r in ladder
    ]
    activities = list(
        SupportActivity.objects.filter(county=county, date__year=year)
        .prefetch_related("participations__municipality")
        .order_by("date", "title")
    )
    kinds = dict(ActivityKind.choices)
    activity_rows: list[list[Any]] = [
        [
            a.date.isoformat(),
            a.title,
            str(kinds.get(a.kind, a.kind)),
            ", ".join(sorted({p.municipality.name for p in a.participations.all()})),
            sum(p.count for p in a.participations.all()),
        ]
        for a in activities
    ]
    statuses = dict(AgreementStatus.choices)
    agreement_rows: list[list[Any]] = []
    first = date(year, 1, 1)
    for agreement in services.agreements_for_county(county).order_by("municipality__code", "start"):
        if agreement.start > end or (agreement.end is not None and agreement.end < first):
            continue
        # the prefetched commitments, judged as on the agreement's page (no query each)
        summary = commitment_rules.summarise(
            commitment_rules.state(commitment_rules.CommitmentStatus(c.status), c.due, end)
            for c in agreement.commitments.all()
        )
        agreement_rows.append(
            [
                agreement.municipality.name,
                agreement.title,
                agreement.start.isoformat(),
                agreement.end.isoformat() if agreement.end else None,
                str(statuses.get(agreement.status, agreement.status)),
                summary.total,
                summary.done,
                summary.late,
            ]
        )
    source = _("Jämlik, the county's support records (support ladder and agreements).")
    return [
        _table(
            "support_ladder",
            [
                _("Municipality"),
                _("Step"),
                _("Step name"),
                _("Highest step %(year)s") % {"year": year},
                _("Since"),
                _("Support events"),
                _("Last support"),
            ],
            ladder_rows,
            source=source,
            notes=(
                _("The step on %(date)s, derived from the support given and the agreements.")
                % {"date": end.isoformat()},
            ),
        ),
        _table(
            "support_activities",
            [_("Date"), _("Activity"), _("Kind"), _("Municipalities"), _("Participants")],
            activity_rows,
            source=source,
        ),
        _table(
            "support_agreements",
            [
                _("Municipality"),
                _("Agreement"),
                _("Start"),
                _("End"),
                _("Status"),
                _("Commitments"),
                _("Done"),
                _("Late"),
            ],
            agreement_rows,
            source=source,
            notes=(
                _(
                    "Agreements in force some time during the year; cancelled commitments are not counted."
                ),
            ),
        ),
    ]


# ---------------------------------------------------------------- (e) plans
def plan_blocks(county: Area, year: int) -> list[Block]:
    """The kommuner's plans running during the year, their steps and chosen interventions."""
    from jamlik.prevention.models import Intervention, PlanIntervention, PlanStatus, StepStatus
    from jamlik.prevention.services import plans_for_county, star_for

    first, end = date(year, 1, 1), year_end(year)
    lang = translation.get_language() or "sv"
    star = star_for(county)

    def factor_name(key: str) -> str:
        """The factor as the county's prevention star names it (its key if unknown)."""
        return star.factors.get(key).name(lang) if key in star.factors else key

    plans = [
        p
        for p in plans_for_county(county).order_by("municipality__code", "start", "pk")
        if p.start <= end and (p.end is None or p.end >= first)
    ]
    statuses = dict(PlanStatus.choices)
    plan_rows: list[list[Any]] = []
    for plan in plans:
        steps = list(plan.steps.all())
        done = sum(s.status == StepStatus.DONE for s in steps)
        current = next(
            (
                s.number
                for s in sorted(steps, key=lambda s: s.number)
                if s.status != StepStatus.DONE
            ),
            None,
        )
        plan_rows.append(
            [
                plan.municipality.name,
                plan.title,
                str(statuses.get(plan.status, plan.status)),
                plan.start.isoformat(),
                plan.end.isoformat() if plan.end else None,
                done,
                len(steps),
                current,
            ]
        )
    chosen = list(
        PlanIntervention.objects.filter(plan__in=plans)
        .select_related("plan__municipality")
        .order_by("plan__municipality__code", "plan_id", "pk")
    )
    names = _intervention_names(
        county, {c.intervention_key for c in chosen if c.intervention_key}, Intervention
    )
    intervention_rows: list[list[Any]] = [
        [
            c.plan.municipality.name,
            c.plan.title,
            names.get(c.intervention_key, c.intervention_key)
            if c.intervention_key
            else c.local_name,
            _("registry") if c.intervention_key else _("local"),
            c.target_group or None,
            c.participants_per_year,
            "; ".join(factor_name(str(f)) for f in c.factors) or None,
        ]
        for c in chosen
    ]
    source = _("Jämlik, the municipalities' plans (the quality model's eight steps).")
    return [
        _table(
            "plans",
            [
                _("Municipality"),
                _("Plan"),
                _("Status"),
                _("Start"),
                _("End"),
                _("Steps done"),
                _("Steps"),
                _("Current step"),
            ],
            plan_rows,
            source=source,
            notes=(_("Plans running some time during the year."),),
        ),
        _table(
            "plan_interventions",
            [
                _("Municipality"),
                _("Plan"),
                _("Intervention"),
                _("From"),
                _("Target group"),
                _("Participants per year"),
                _("Factors addressed"),
            ],
            intervention_rows,
            source=source,
        ),
    ]


def _intervention_names(county: Area, keys: set[str], model: Any) -> dict[str, str]:
    """Registry names by key, the county's own edited entry before the shipped one."""
    names: dict[str, str] = {}
    for key, name, owner in model.objects.filter(key__in=keys).values_list(
        "key", "name", "county_id"
    ):
        if owner == county.pk or key not in names:
            names[key] = name
    return names


# ---------------------------------------------------------------- (f) economics
def economics_blocks(county: Area, year: int) -> list[Block]:
    """The county's kommuner's published scenarios, recomputed (never stored)."""
    from jamlik.economics.models import Scenario
    from jamlik.economics.presentation import key_figures, payer_rows
    from jamlik.economics.services import analyse

    scenarios = list(
        Scenario.objects.filter(
            area__parent=county, area__level=AreaLevel.MUNICIPALITY, published=True
        )
        .select_related("area")
        .order_by("area__code", "name", "pk")
    )
    rows: list[list[Any]] = []
    payer_table: list[list[Any]] = []
    notes: list[str] = []
    for scenario in scenarios:
        try:
            analysis = analyse(scenario)
        except Exception as exc:  # noqa: BLE001 - one bad scenario must not stop the report
            notes.append(
                _("%(name)s (%(area)s) cannot be computed: %(error)s")
                % {"name": scenario.name, "area": scenario.area.name, "error": exc}
            )
            continue
        k = key_figures(analysis)
        rows.append(
            [
                scenario.area.name,
                scenario.name,
                k["npv"],
                k["npv_p05"],
                k["npv_p95"],
                k["bcr"],
                k["probability_percent"],
                k["horizon"],
                k["price_year"],
            ]
        )
        for p in payer_rows(analysis):
            payer_table.append(
                [
                    scenario.area.name,
                    scenario.name,
                    str(p["payer"]),
                    p["pv_savings"],
                    p["pv_costs"],
                    p["npv"],
                    p["probability_percent"],
                ]
            )
    source = _(
        "Jämlik, the municipalities' published scenarios, recomputed when the report was made "
        "(Monte Carlo with each scenario's own draws and seed)."
    )
    if not scenarios:
        return [Paragraph(_("No published economic scenario in the county's municipalities."))]
    return [
        _table(
            "economics_scenarios",
            [
                _("Municipality"),
                _("Scenario"),
                _("Net present value (SEK)"),
                _("5th percentile"),
                _("95th percentile"),
                _("Benefit-cost ratio"),
                _("P(NPV > 0), %"),
                _("Horizon (years)"),
                _("Price year"),
            ],
            rows,
            source=source,
            notes=tuple(notes),
        ),
        _table(
            "economics_payers",
            [
                _("Municipality"),
                _("Scenario"),
                _("Payer"),
                _("Savings, present value (SEK)"),
                _("Costs, present value (SEK)"),
                _("Net present value (SEK)"),
                _("P(NPV > 0), %"),
            ],
            payer_table,
            source=source,
        ),
    ]


#: Section key -> the builder of its data blocks.
SECTION_BUILDERS: dict[str, Callable[[Area, int], list[Block]]] = {
    "situation": situation_blocks,
    "actors": actor_blocks,
    "prerequisites": prerequisite_blocks,
    "support": support_blocks,
    "plans": plan_blocks,
    "economics": economics_blocks,
}


def build_county_report(county: Area, year: int, *, lang: str = "sv") -> Document:
    """The county's report for ``year`` as a :class:`Document` (see the module docstring)."""
    if county.level != AreaLevel.COUNTY:
        raise ValueError(f"{county.code} is not a county")
    with translation.override(lang):
        texts = narrative_texts(county, year)
        sections: list[Section] = []
        for key in SECTION_KEYS:
            blocks: list[Block] = [_narrative(key, texts)]
            builder = SECTION_BUILDERS.get(key)
            if builder is not None:
                blocks.extend(builder(county, year))
            sections.append(Section(key=key, title=str(NARRATIVE_KEYS[key]), blocks=blocks))
        return Document(
            title=_("County report %(year)s: %(county)s") % {"year": year, "county": county.name},
            area_code=county.code,
            area_name=county.name,
            year=year,
            generated=timezone.localdate(),
            sections=sections,
            subtitle=_("The situation picture, the work and its estimates, produced by Jämlik"),
            notes=(
                _(
                    "Figures are read from Jämlik when the report is made; the situation picture "
                    "shows published values only."
                ),
            ),
        )


def report_years(county: Area) -> list[int]:
    """Years to offer, newest first: this year, last year, and every year the county has
    records for (texts, published prerequisite rounds, support, plans)."""
    from jamlik.prerequisites.models import Round
    from jamlik.prevention.models import Plan
    from jamlik.reports.models import ReportNarrative
    from jamlik.support.models import SupportActivity

    this_year = timezone.localdate().year
    years = {this_year, this_year - 1}
    years.update(
        ReportNarrative.objects.filter(area=county).values_list("year", flat=True).distinct()
    )
    years.update(Round.objects.filter(county=county, published=True).values_list("year", flat=True))
    years.update(
        d.year for d in SupportActivity.objects.filter(county=county).dates("date", "year")
    )
    years.update(
        d.year for d in Plan.objects.filter(municipality__parent=county).dates("start", "year")
    )
    return sorted((y for y in years if 2000 <= y <= this_year + 1), reverse=True)

"""Queries and changes for plans, the interventions registry and the prevention star.

The only module in this app that writes to the database. Framework content (steps,
checklists, perspectives, factors) always comes from the county's frameworks via
:func:`jamlik.frameworks.load`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.text import slugify

from jamlik import frameworks
from jamlik.core.versioning import claim
from jamlik.geo.models import Area, AreaLevel
from jamlik.prevention.models import (
    ChecklistTick,
    IndicatorTarget,
    Intervention,
    PerspectiveNote,
    Plan,
    PlanStatus,
    PlanStep,
    StepStatus,
)
from jamlik.prevention.ranking import (
    Candidate,
    EvidenceRating,
    RankedIntervention,
    problem_areas_of,
    rank_interventions,
)

SHIPPED_INTERVENTIONS = Path(__file__).resolve().parent / "data" / "interventions.toml"


def county_code(area: Area) -> str | None:
    county = area.county
    return county.code if county is not None else None


def star_for(area: Area | None) -> frameworks.Preventionsstjarna:
    return frameworks.load("preventionsstjarna", county=county_code(area) if area else None)


def quality_model_for(area: Area) -> frameworks.Kvalitetsmodell:
    return frameworks.load("kvalitetsmodell", county=county_code(area))


# ---- interventions -----------------------------------------------------------


class InterventionDataError(ValueError):
    """The shipped interventions file does not match the knowledge base."""


def read_shipped_interventions(path: Path = SHIPPED_INTERVENTIONS) -> list[dict[str, Any]]:
    """Read and check the starting set against the default prevention-star framework."""
    star = frameworks.load("preventionsstjarna")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rows = data.get("interventions", [])
    seen: set[str] = set()
    ratings = {e.value for e in EvidenceRating}
    for index, row in enumerate(rows):
        where = f"{path.name}: interventions[{index}]"
        if row["key"] in seen:
            raise InterventionDataError(f"{where}.key: duplicate key {row['key']!r}")
        seen.add(row["key"])
        for factor in row.get("factors", []):
            if factor not in star.factors:
                raise InterventionDataError(f"{where}.factors: unknown factor {factor!r}")
        for area in row.get("problem_areas", []):
            if area not in star.problem_areas:
                raise InterventionDataError(f"{where}.problem_areas: unknown problem area {area!r}")
        if row["evidence"] not in ratings:
            raise InterventionDataError(f"{where}.evidence: expected one of {sorted(ratings)}")
    return rows


def install_shipped_interventions() -> int:
    """Create or refresh the shipped starting set (county-less rows). Idempotent."""
    rows = read_shipped_interventions()
    with transaction.atomic():
        for row in rows:
            values = {k: v for k, v in row.items() if k != "key"}
            Intervention.objects.update_or_create(county=None, key=row["key"], defaults=values)
    return len(rows)


def interventions_for(county: Area | None) -> list[Intervention]:
    """The county's registry: its own entries plus shipped ones it has not replaced."""
    if county is None:
        return list(Intervention.objects.filter(county__isnull=True))
    own = list(Intervention.objects.filter(county=county))
    own_keys = {i.key for i in own}
    shipped = [i for i in Intervention.objects.filter(county__isnull=True) if i.key not in own_keys]
    return sorted(own + shipped, key=lambda i: i.name.lower())


def intervention_for(county: Area | None, key: str) -> Intervention:
    """One intervention as the county sees it (its own copy first)."""
    if county is not None:
        own = Intervention.objects.filter(county=county, key=key).first()
        if own is not None:
            return own
    return Intervention.objects.get(county__isnull=True, key=key)


def free_intervention_key(county: Area, name: str) -> str:
    """A key for a new intervention of the county, from its name, taken by no entry it sees."""
    base = slugify(name)[:56] or "insats"
    taken = {i.key for i in interventions_for(county)}
    return next(k for k in (base, *(f"{base}-{n}" for n in range(2, 1000))) if k not in taken)


def save_intervention(
    county: Area, key: str | None, values: dict[str, Any], *, version: int | None = None
) -> Intervention:
    """Save a county's version: editing a shipped entry creates the county's own copy.

    ``key=None`` adds a new entry under a free key. ``version`` is the
    :attr:`~Intervention.county_version` the editor loaded (None: no check): if the
    county's copy is no longer at it, :class:`VersionConflict` is raised and nothing is
    written. Version 0 (a shipped entry opened) is therefore refused once another admin
    of the county has made the copy. A copy deleted meanwhile is made again.
    """
    with transaction.atomic():
        if key is None:
            # Chosen inside the write transaction, so two admins adding the same name at
            # once get different keys instead of one of them a unique-constraint error.
            key = free_intervention_key(county, values["name"])
        existing = Intervention.objects.filter(county=county, key=key).first()
        if existing is None:
            return Intervention.objects.create(county=county, **{**values, "key": key})
        for field, value in values.items():
            setattr(existing, field, value)
        claim(existing, version)
        existing.save()
        return existing


def candidates(interventions: Iterable[Intervention]) -> list[Candidate]:
    return [
        Candidate(
            key=i.key,
            name=i.name,
            factors=tuple(i.factors),
            problem_areas=tuple(i.problem_areas),
            evidence=EvidenceRating(i.evidence),
        )
        for i in interventions
    ]


@dataclass(frozen=True)
class Selection:
    factors: list[str]
    problem_areas: list[str]
    ranked: list[RankedIntervention]
    by_key: dict[str, Intervention]


def select_interventions(
    county: Area | None, factors: Sequence[str], problem_areas: Sequence[str] = ()
) -> Selection:
    """Rank the county's registry for the prioritised factors (see ``ranking``)."""
    star = star_for(county)
    known = [f for f in factors if f in star.factors]
    areas = [a for a in problem_areas if a in star.problem_areas] or problem_areas_of(
        {f.key: f.problem_areas for f in star.factors}, known
    )
    registry = interventions_for(county)
    ranked = rank_interventions(candidates(registry), known, areas)
    return Selection(known, areas, ranked, {i.key: i for i in registry})


# ---- plans --------------------------------------------------------------------


def plans_for_municipality(area: Area) -> QuerySet[Plan]:
    return Plan.objects.filter(municipality=area).prefetch_related("steps")


def plans_for_county(county: Area) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(municipality__parent=county)
        .select_related("municipality")
        .prefetch_related("steps")
    )


def prioritised_factors(area: Area) -> list[str]:
    """Union of the factors prioritised in the kommun's active and draft plans."""
    result: list[str] = []
    plans = Plan.objects.filter(municipality=area).exclude(
        status__in=[PlanStatus.COMPLETED, PlanStatus.PAUSED]
    )
    for plan in plans:
        for key in plan.prioritised_factors:
            if key not in result:
                result.append(key)
    return result


def validate_factors(area: Area, keys: Iterable[str]) -> list[str]:
    star = star_for(area)
    unknown = [k for k in keys if k not in star.factors]
    if unknown:
        raise ValueError(f"unknown factor(s): {', '.join(unknown)}")
    return list(dict.fromkeys(keys))


@transaction.atomic
def create_plan(
    municipality: Area,
    *,
    title: str,
    start: date,
    end: date | None = None,
    summary: str = "",
    prioritised: Sequence[str] = (),
    status: str = PlanStatus.DRAFT,
    user: Any = None,
    is_demo: bool = False,
) -> Plan:
    """A new plan with all eight steps, their checklist items and the four perspectives."""
    if municipality.level != AreaLevel.MUNICIPALITY:
        raise ValueError("a plan belongs to a municipality")
    if end is not None and end < start:
        raise ValueError("the plan cannot end before it starts")
    plan = Plan.objects.create(
        municipality=municipality,
        title=title,
        summary=summary,
        start=start,
        end=end,
        status=status,
        prioritised_factors=validate_factors(municipality, prioritised),
        created_by=user if getattr(user, "is_authenticated", False) else None,
        is_demo=is_demo,
    )
    model = quality_model_for(municipality)
    for step in model.steps:
        plan_step = PlanStep.objects.create(plan=plan, number=step.number, key=step.key)
        ChecklistTick.objects.bulk_create(
            ChecklistTick(step=plan_step, item_key=item.key) for item in step.checklist
        )
        PerspectiveNote.objects.bulk_create(
            PerspectiveNote(step=plan_step, perspective_key=p.key) for p in model.perspectives
        )
    return plan


@transaction.atomic
def update_plan(plan: Plan, *, version: int | None = None, **values: Any) -> Plan:
    """Change a plan's fields; refused with ``VersionConflict`` if it is no longer at
    ``version`` (the one the editor loaded; None: no check)."""
    if "prioritised_factors" in values:
        values["prioritised_factors"] = validate_factors(
            plan.municipality, values["prioritised_factors"]
        )
    for field, value in values.items():
        setattr(plan, field, value)
    if plan.end is not None and plan.end < plan.start:
        raise ValueError("the plan cannot end before it starts")
    claim(plan, version)
    plan.save()
    return plan


@transaction.atomic
def update_step(
    step: PlanStep,
    *,
    status: str,
    start: date | None,
    due: date | None,
    notes: str,
    evidence: str,
    ticked: Iterable[str],
    perspective_notes: dict[str, tuple[bool, str]],
    version: int | None = None,
) -> PlanStep:
    """Save a step: its fields, which checklist items are done and the perspective notes.

    Refused with ``VersionConflict`` if the step is no longer at ``version`` (the one the
    editor loaded; None: no check); the ticks and notes are part of the step's version."""
    if status not in StepStatus.values:
        raise ValueError(f"unknown step status {status!r}")
    claim(step, version)
    step.status, step.start, step.due, step.notes, step.evidence = (
        status,
        start,
        due,
        notes,
        evidence,
    )
    step.save()
    done = set(ticked)
    for tick in step.ticks.all():
        tick.done = tick.item_key in done
        tick.save(update_fields=["done"])
    for note in step.perspectives.all():
        considered, text = perspective_notes.get(note.perspective_key, (False, ""))
        note.considered, note.note = considered, text
        note.save(update_fields=["considered", "note"])
    return step


@dataclass(frozen=True)
class StepView:
    step: PlanStep
    framework: Any  # frameworks QualityStep
    ticks: list[tuple[Any, ChecklistTick]]  # (framework checklist item or None, tick)
    perspectives: list[tuple[Any, PerspectiveNote]]

    @property
    def done_count(self) -> int:
        return sum(t.done for _item, t in self.ticks)


def plan_steps(plan: Plan) -> list[StepView]:
    """Each stored step joined with its framework text (the county's wording)."""
    model = quality_model_for(plan.municipality)
    steps = plan.steps.prefetch_related("ticks", "perspectives").order_by("number")
    result = []
    for step in steps:
        fw_step = next((s for s in model.steps if s.key == step.key), None)
        items = {i.key: i for i in fw_step.checklist} if fw_step else {}
        perspectives = {p.key: p for p in model.perspectives}
        result.append(
            StepView(
                step=step,
                framework=fw_step,
                ticks=[(items.get(t.item_key), t) for t in step.ticks.all()],
                perspectives=[
                    (perspectives.get(n.perspective_key), n) for n in step.perspectives.all()
                ],
            )
        )
    return result


def plan_progress(plan: Plan) -> dict[str, int]:
    steps = list(plan.steps.all())
    return {
        "done": sum(s.status == StepStatus.DONE for s in steps),
        "in_progress": sum(s.status == StepStatus.IN_PROGRESS for s in steps),
        "total": len(steps),
        "current": next((s.number for s in steps if s.status != StepStatus.DONE), 0),
    }


# ---- indicator targets ---------------------------------------------------------


@dataclass(frozen=True)
class TargetProgress:
    latest: float | None
    latest_period: str
    from_catalogue: bool
    share_of_way: float | None  # 0 = at baseline, 1 = target reached


def latest_observation(indicator_code: str, area: Area) -> tuple[float, str] | None:
    """Latest total value of an indicator for an area, if the indicators app holds one."""
    try:
        # The protected public table: published, disclosure-controlled values only.
        observation_model = apps.get_model("indicators", "PublicObservation")
    except LookupError:
        return None
    row = (
        observation_model.objects.filter(
            indicator__code=indicator_code,
            area=area,
            breakdown="total",
            category="total",
            value__isnull=False,
        )
        .order_by("-period_end", "-period")
        .values_list("value", "period")
        .first()
    )
    return (float(row[0]), str(row[1])) if row else None


def progress_towards(baseline: float, target: float, latest: float | None) -> float | None:
    """Share of the way from baseline to target (may be < 0 or > 1); None if undefined."""
    if latest is None or target == baseline:
        return None
    return round((latest - baseline) / (target - baseline), 3)


def target_progress(target: Any) -> TargetProgress:
    found = latest_observation(target.indicator_code, target.plan.municipality)
    if found is not None:
        value, period = found
        return TargetProgress(
            value, period, True, progress_towards(target.baseline_value, target.target_value, value)
        )
    value = target.current_value
    return TargetProgress(
        value,
        target.current_period,
        False,
        progress_towards(target.baseline_value, target.target_value, value),
    )


def indicator_choices() -> list[tuple[str, str]]:
    """(code, name) from the indicators catalogue, empty when the app has none."""
    try:
        indicator_model = apps.get_model("indicators", "Indicator")
    except LookupError:
        return []
    return [(i.code, f"{i.code} {i.name}") for i in indicator_model.objects.all()]


def indicator_names() -> dict[str, str]:
    """Indicator names by code in the active language, empty when the app has none."""
    try:
        indicator_model = apps.get_model("indicators", "Indicator")
    except LookupError:
        return {}
    return {i.code: i.name for i in indicator_model.objects.all()}


def target_name(target: IndicatorTarget, names: dict[str, str]) -> str:
    """What a plan's target is called: its own label, else the indicator's name.

    Targets saved before the label defaulted to the name carry the bare code as label.
    """
    if target.label and target.label != target.indicator_code:
        return target.label
    return names.get(target.indicator_code, target.label or target.indicator_code)


def plan_search(county: Area, q: str = "") -> QuerySet[Plan]:
    plans = plans_for_county(county)
    if q:
        plans = plans.filter(Q(title__icontains=q) | Q(municipality__name__icontains=q))
    return plans


# ---- factor suggestions from the situation picture ---------------------------------------

FACTOR_LINKS = Path(__file__).resolve().parent / "data" / "factor_indicators.toml"


def factor_links(path: Path = FACTOR_LINKS) -> list[Any]:
    """The indicator→factor proxies, checked against the default knowledge base."""
    from jamlik.prevention.suggest import FactorLink

    star = frameworks.load("preventionsstjarna")
    rows = tomllib.loads(path.read_text(encoding="utf-8")).get("links", [])
    links = []
    for index, row in enumerate(rows):
        if row["factor"] not in star.factors:
            raise InterventionDataError(
                f"{path.name}: links[{index}].factor: unknown factor {row['factor']!r}"
            )
        links.append(FactorLink(row["indicator"], row["factor"], row["why_sv"], row["why_en"]))
    return links


@dataclass(frozen=True)
class FactorSuggestions:
    suggestions: list[Any]
    links: dict[tuple[str, str], Any]
    indicator_names: dict[str, str]
    periods: dict[str, str]
    #: From the kommun's own youth survey (:func:`jamlik.prevention.suggest.suggest_from_survey`).
    survey: Sequence[Any] = ()
    #: Factors the survey's scales measure for the kommun: no proxy is used for them.
    covered: frozenset[str] = frozenset()


def _survey_suggestions(kommun: Area, star: Any) -> tuple[list[Any], frozenset[str]]:
    """The survey's suggestions and covered factors; none when the app is absent or the
    kommun has no published survey data (then the proxies work as before)."""
    from jamlik.prevention.suggest import suggest_from_survey

    if not apps.is_installed("jamlik.surveys"):
        return [], frozenset()
    from jamlik.surveys.services import scale_evidence

    evidence = [e for e in scale_evidence(kommun) if e.factor in star.factors]
    found, covered = suggest_from_survey(evidence)
    return found, frozenset(covered)


def factor_suggestions(kommun: Area) -> FactorSuggestions:
    """Factors the kommun's youth survey and situation picture point to (see :mod:`suggest`).

    A factor a survey scale measures for the kommun is suggested from the survey only;
    population-level proxies remain for the factors no scale covers.
    """
    from jamlik.prevention.suggest import suggest_factors
    from jamlik.support.services import indicator_values

    links = factor_links()
    county = kommun.parent
    star = star_for(kommun)
    survey, covered = _survey_suggestions(kommun, star)
    links = [link for link in links if link.factor in star.factors and link.factor not in covered]
    try:
        indicator_model = apps.get_model("indicators", "Indicator")
    except LookupError:
        return FactorSuggestions([], {}, {}, {}, survey, covered)
    codes = {link.indicator for link in links}
    indicators = {i.code: i for i in indicator_model.objects.filter(code__in=codes)}
    polarity = {
        c: i.polarity == "low" for c, i in indicators.items() if i.polarity in ("low", "high")
    }
    values = {code: indicator_values(code, county) for code in polarity}
    found = suggest_factors(links, values, polarity, kommun.code)
    periods = {}
    for code in {s.indicator for s in found}:
        latest = latest_observation(code, kommun)
        periods[code] = latest[1] if latest else ""
    return FactorSuggestions(
        suggestions=found,
        links={(link.indicator, link.factor): link for link in links},
        indicator_names={c: i.name for c, i in indicators.items()},
        periods=periods,
        survey=survey,
        covered=covered,
    )

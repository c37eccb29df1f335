"""Queries and changes for the support ladder, agreements and need against support.

The only module in this app that writes to the database. The computations themselves
are pure functions in :mod:`ladder`, :mod:`commitments` and :mod:`need`; this module
feeds them rows from the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.module_loading import import_string

from jamlik import frameworks
from jamlik.actors.choices import ActorType
from jamlik.core.versioning import claim
from jamlik.geo.models import Area, AreaLevel
from jamlik.support import commitments as commitment_rules
from jamlik.support import ladder, need
from jamlik.support.models import (
    ActivityOrganiser,
    Agreement,
    Commitment,
    CommitmentStatus,
    Expert,
    NeedComponentSetting,
    NeedComponentSource,
    OrganiserRole,
    Participation,
    SupportActivity,
)

#: The prerequisites app may offer ``need_scores(county) -> {kommun code: score 0-100}``
#: (higher = better prerequisites). It is used when present; otherwise the component
#: reports that no prerequisite scores exist.
PREREQUISITE_SCORES_HOOK = "jamlik.prerequisites.services.scores_for_need"


def county_of(area: Area) -> Area:
    county = area.county
    if county is None:
        raise ValueError(f"{area} is not in a county")
    return county


def ladder_framework(county: Area) -> frameworks.Stodtrappa:
    return frameworks.load("stodtrappa", county=county.code)


# ---- activities --------------------------------------------------------------------


#: Actor types that are the county board itself; any other organiser makes an activity
#: joint support ("möter kommunen tillsammans"): the region, the kommunförbund, a
#: university, an NGO.
COUNTY_BOARD_TYPES = (ActorType.COUNTY_BOARD, ActorType.COUNTY_BOARD_UNIT)


def with_organisers(activities: QuerySet[SupportActivity]) -> QuerySet[SupportActivity]:
    """``activities`` with their organisers loaded and two counts for lists and filters:
    ``organiser_count`` and ``partner_count`` (organisers other than the county board)."""
    return activities.prefetch_related("organisers__actor").annotate(
        organiser_count=Count("organisers", distinct=True),
        partner_count=Count(
            "organisers",
            filter=~Q(organisers__actor__actor_type__in=COUNTY_BOARD_TYPES),
            distinct=True,
        ),
    )


def joint_activities(
    activities: QuerySet[SupportActivity], joint: bool = True
) -> QuerySet[SupportActivity]:
    """The joint ones among ``activities`` (at least one organiser is not the county
    board), or with ``joint=False`` the others."""
    ids = ActivityOrganiser.objects.exclude(actor__actor_type__in=COUNTY_BOARD_TYPES).values(
        "activity_id"
    )
    return activities.filter(pk__in=ids) if joint else activities.exclude(pk__in=ids)


def is_joint(organisers: Iterable[ActivityOrganiser]) -> bool:
    """Whether an activity with these organisers is joint support (see COUNTY_BOARD_TYPES)."""
    return any(o.actor.actor_type not in COUNTY_BOARD_TYPES for o in organisers)


def ordered_organisers(activity: SupportActivity) -> list[ActivityOrganiser]:
    """The activity's organisers, the lead first (roles in OrganiserRole's order), then by name."""
    rank = {role: i for i, role in enumerate(OrganiserRole.values)}
    return sorted(
        activity.organisers.select_related("actor"),
        key=lambda o: (rank.get(o.role, len(rank)), o.actor.name),
    )


def partner_actor_names(user: Any) -> list[str]:
    """The organisations ``user`` acts for as a partner, by name (for "you see … only")."""
    from jamlik.accounts.rules import partner_actor_ids
    from jamlik.actors.models import Actor

    return list(
        Actor.objects.filter(pk__in=partner_actor_ids(user))
        .order_by("name")
        .values_list("name", flat=True)
    )


def activities_for_county(county: Area) -> QuerySet[SupportActivity]:
    return with_organisers(
        SupportActivity.objects.filter(county=county)
        .prefetch_related("participations__municipality")
        .order_by("-date", "title")
    )


def county_actors(county: Area) -> QuerySet[Any]:
    """The county's actor map, county-board organisations first, then by name: the
    organisations that can organise support in the county."""
    from django.db.models import Case, IntegerField, Value, When

    from jamlik.actors.models import Actor

    return (
        Actor.objects.filter(county=county)
        .annotate(
            board_first=Case(
                When(actor_type__in=COUNTY_BOARD_TYPES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("board_first", "name", "pk")
    )


def county_board_actor(county: Area) -> Any | None:
    """The county board on the county's actor map, the lead a new activity starts with.

    Of the county board and its units, the one the county has named as lead most often
    (usually the unit that runs the support); with no history the board itself before its
    units, then by name; None when the actor map has no county board.
    """
    return (
        county_actors(county)
        .filter(actor_type__in=COUNTY_BOARD_TYPES)
        .annotate(
            leads=Count("support_organised", filter=Q(support_organised__role=OrganiserRole.LEAD))
        )
        .order_by("-leads", "actor_type", "name", "pk")  # county_board < county_board_unit
        .first()
    )


def activities_for_municipality(area: Area) -> QuerySet[SupportActivity]:
    return with_organisers(
        SupportActivity.objects.filter(participations__municipality=area)
        .distinct()
        .prefetch_related("participations__municipality")
        .order_by("-date")
    )


def _check_keys(county: Area, subject_areas: Iterable[str], target_areas: Iterable[int]) -> None:
    subjects = ladder_framework(county).subject_areas
    unknown = [s for s in subject_areas if s not in subjects]
    if unknown:
        raise ValueError(f"unknown subject area(s): {', '.join(unknown)}")
    numbers = {a.number for a in frameworks.load("malomraden", county=county.code).areas}
    bad = [n for n in target_areas if n not in numbers]
    if bad:
        raise ValueError(f"unknown målområde number(s): {', '.join(map(str, bad))}")


@dataclass
class ParticipationInput:
    municipality: Area
    role: str
    count: int


@dataclass
class OrganiserInput:
    """One organiser of an activity as the form or API gives it."""

    actor: Any  # jamlik.actors.models.Actor
    role: str
    hours: Decimal | None = None
    note: str = ""


def _check_organisers(county: Area, organisers: Sequence[OrganiserInput]) -> None:
    seen: set[int] = set()
    for o in organisers:
        if o.actor.county_id != county.pk:
            raise ValueError(f"{o.actor} is not on the actor map of {county.name}")
        if o.actor.pk in seen:
            raise ValueError(f"{o.actor} is named more than once as organiser")
        seen.add(o.actor.pk)
        if o.role not in OrganiserRole.values:
            raise ValueError(f"unknown organiser role {o.role!r}")
        if o.hours is not None and o.hours < 0:
            raise ValueError("organiser hours cannot be negative")


def _check_experts(county: Area, experts: Sequence[Expert]) -> None:
    foreign = [e.name for e in experts if e.county_id != county.pk]
    if foreign:
        raise ValueError(f"not experts in {county.name}: {', '.join(foreign)}")


@transaction.atomic
def save_activity(
    county: Area,
    values: dict[str, Any],
    participations: Sequence[ParticipationInput],
    *,
    activity: SupportActivity | None = None,
    user: Any = None,
    version: int | None = None,
    organisers: Sequence[OrganiserInput] | None = None,
    experts: Sequence[Expert] | None = None,
) -> SupportActivity:
    """Create or update an activity with its participants, organisers and experts, all or
    nothing. ``organisers``/``experts`` None keeps those stored (a caller that does not
    edit them); a list replaces them. A changed activity must still be at ``version``
    (the one the editor loaded; None: no check), else ``VersionConflict``."""
    _check_keys(county, values.get("subject_areas", []), values.get("target_areas", []))
    if organisers is not None:
        _check_organisers(county, organisers)
    if experts is not None:
        _check_experts(county, experts)
    for p in participations:
        if p.municipality.level != AreaLevel.MUNICIPALITY or p.municipality.parent_id != county.pk:
            raise ValueError(f"{p.municipality} is not a municipality in {county.name}")
        if p.count < 0:
            raise ValueError("participant counts cannot be negative")
    if not participations:
        raise ValueError("name at least one participating municipality")
    end = values.get("end_date")
    if end is not None and end < values["date"]:
        raise ValueError("the end date is before the start date")
    if activity is None:
        activity = SupportActivity(county=county)
        if getattr(user, "is_authenticated", False):
            activity.created_by = user
    for key, value in values.items():
        setattr(activity, key, value)
    if activity.pk is not None:
        claim(activity, version)
    activity.save()
    activity.participations.all().delete()
    merged: dict[tuple[int, str], int] = defaultdict(int)
    for p in participations:
        merged[(p.municipality.pk, p.role)] += p.count
    Participation.objects.bulk_create(
        Participation(activity=activity, municipality_id=m, role=role, count=count)
        for (m, role), count in merged.items()
    )
    if organisers is not None:
        activity.organisers.all().delete()
        ActivityOrganiser.objects.bulk_create(
            ActivityOrganiser(
                activity=activity, actor=o.actor, role=o.role, hours=o.hours, note=o.note
            )
            for o in organisers
        )
    if experts is not None:
        activity.experts.set(experts)
    return activity


def delete_activity(activity: SupportActivity) -> None:
    """Remove a wrongly recorded activity; the ladder is derived, so it follows at once."""
    activity.delete()


# ---- the ladder --------------------------------------------------------------------


def _events_by_kommun(
    county: Area, until: date | None = None
) -> dict[int, list[ladder.SupportEvent]]:
    rows = Participation.objects.filter(activity__county=county).values_list(
        "municipality_id", "activity__date", "activity__kind"
    )
    if until is not None:
        rows = rows.filter(activity__date__lte=until)
    result: dict[int, list[ladder.SupportEvent]] = defaultdict(list)
    seen: set[tuple[int, date, str]] = set()
    for kommun, on, kind in rows:
        if (kommun, on, kind) not in seen:  # several roles of one kommun = one event
            seen.add((kommun, on, kind))
            result[kommun].append(ladder.SupportEvent(on, ladder.ActivityKind(kind)))
    return result


def _agreements_by_kommun(county: Area) -> dict[int, list[ladder.AgreementPeriod]]:
    result: dict[int, list[ladder.AgreementPeriod]] = defaultdict(list)
    for agreement in Agreement.objects.filter(county=county):
        if agreement.counts_for_ladder:
            result[agreement.municipality_id].append(
                ladder.AgreementPeriod(agreement.start, agreement.end)
            )
    return result


def joint_by_kommun(
    county: Area, first: date | None = None, last: date | None = None
) -> dict[int, int]:
    """Joint activities (an organiser besides the county board) per kommun that took part,
    dated ``first``..``last`` (either end open when None). A joint activity counts on the
    ladder like any other; this is the count shown beside it."""
    activities = joint_activities(SupportActivity.objects.filter(county=county))
    if first is not None:
        activities = activities.filter(date__gte=first)
    if last is not None:
        activities = activities.filter(date__lte=last)
    rows = (
        Participation.objects.filter(activity__in=activities)
        .values("municipality_id")
        .annotate(n=Count("activity", distinct=True))
    )
    return {r["municipality_id"]: r["n"] for r in rows}


@dataclass
class LadderRow:
    municipality: Area
    status: ladder.LadderStatus
    step_name: str
    last_activity: date | None
    activity_count: int
    is_demo: bool = False
    joint_count: int = 0  # joint activities (see joint_by_kommun) up to today


def ladder_for_county(county: Area, today: date, lang: str = "sv") -> list[LadderRow]:
    """Every kommun in the county with its derived step and history."""
    steps = ladder_framework(county).steps
    events = _events_by_kommun(county, until=today)
    agreements = _agreements_by_kommun(county)
    demo = SupportActivity.objects.filter(county=county, is_demo=True).exists()
    joint = joint_by_kommun(county, last=today)
    rows = []
    for kommun in Area.objects.municipalities(county.code):
        mine = events.get(kommun.pk, [])
        status = ladder.derive(mine, agreements.get(kommun.pk, []), today=today)
        rows.append(
            LadderRow(
                municipality=kommun,
                status=status,
                step_name=steps[status.step - 1].name(lang) if status.step else "",
                last_activity=max((e.on for e in mine), default=None),
                activity_count=len(mine),
                is_demo=demo,
                joint_count=joint.get(kommun.pk, 0),
            )
        )
    return rows


def ladder_for_municipality(area: Area, today: date, lang: str = "sv") -> LadderRow:
    county = county_of(area)
    events = _events_by_kommun(county, until=today).get(area.pk, [])
    periods = _agreements_by_kommun(county).get(area.pk, [])
    status = ladder.derive(events, periods, today=today)
    steps = ladder_framework(county).steps
    return LadderRow(
        municipality=area,
        status=status,
        step_name=steps[status.step - 1].name(lang) if status.step else "",
        last_activity=max((e.on for e in events), default=None),
        activity_count=len(events),
        is_demo=SupportActivity.objects.filter(
            participations__municipality=area, is_demo=True
        ).exists(),
        joint_count=joint_by_kommun(county, last=today).get(area.pk, 0),
    )


def participants_by_year_and_role(area: Area) -> list[tuple[int, dict[str, int]]]:
    """People from the kommun who took part, per calendar year and role."""
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for year_date, role, count in Participation.objects.filter(municipality=area).values_list(
        "activity__date", "role", "count"
    ):
        totals[year_date.year][role] += count
    return [(year, dict(roles)) for year, roles in sorted(totals.items())]


def year_span(rows: Sequence[LadderRow], today: date) -> list[int]:
    years = {y for row in rows for y in row.status.years}
    if not years:
        return [today.year]
    return list(range(min(years), max(max(years), today.year) + 1))


# ---- agreements --------------------------------------------------------------------


@dataclass
class CommitmentView:
    commitment: Commitment
    state: commitment_rules.CommitmentState
    days_late: int


@dataclass
class AgreementView:
    agreement: Agreement
    by_phase: dict[str, list[CommitmentView]]
    summary: commitment_rules.AgreementSummary
    due: list[CommitmentView] = field(default_factory=list)
    late: list[CommitmentView] = field(default_factory=list)


def agreement_view(agreement: Agreement, today: date) -> AgreementView:
    views = []
    for c in agreement.commitments.all().order_by("due", "pk"):
        status = commitment_rules.CommitmentStatus(c.status)
        views.append(
            CommitmentView(
                c,
                commitment_rules.state(status, c.due, today),
                commitment_rules.days_late(status, c.due, today),
            )
        )
    by_phase: dict[str, list[CommitmentView]] = {"before": [], "during": [], "after": []}
    for v in views:
        by_phase[v.commitment.phase].append(v)
    return AgreementView(
        agreement=agreement,
        by_phase=by_phase,
        summary=commitment_rules.summarise(v.state for v in views),
        due=[v for v in views if v.state == commitment_rules.CommitmentState.DUE_SOON],
        late=sorted(
            (v for v in views if v.state == commitment_rules.CommitmentState.LATE),
            key=lambda v: -v.days_late,
        ),
    )


def agreements_for_county(county: Area) -> QuerySet[Agreement]:
    return (
        Agreement.objects.filter(county=county)
        .select_related("municipality")
        .prefetch_related("commitments")
    )


@transaction.atomic
def save_agreement(
    county: Area,
    values: dict[str, Any],
    *,
    agreement: Agreement | None = None,
    version: int | None = None,
) -> Agreement:
    """Create or update an agreement; a changed one must still be at ``version``."""
    municipality = values["municipality"]
    if municipality.level != AreaLevel.MUNICIPALITY or municipality.parent_id != county.pk:
        raise ValueError(f"{municipality} is not a municipality in {county.name}")
    if values.get("end") is not None and values["end"] < values["start"]:
        raise ValueError("the agreement cannot end before it starts")
    agreement = agreement or Agreement(county=county)
    for key, value in values.items():
        setattr(agreement, key, value)
    if agreement.pk is not None:
        claim(agreement, version)
    agreement.save()
    return agreement


def add_commitment(agreement: Agreement, **values: Any) -> Commitment:
    return Commitment.objects.create(agreement=agreement, **values)


def set_commitment_status(
    commitment: Commitment, status: str, today: date, note: str | None = None
) -> Commitment:
    """Mark a commitment open, done (dated today unless already dated) or cancelled."""
    if status not in CommitmentStatus.values:
        raise ValueError(f"unknown commitment status {status!r}")
    commitment.status = status
    if status == CommitmentStatus.DONE:
        commitment.done_on = commitment.done_on or today
    else:
        commitment.done_on = None
    if note is not None:
        commitment.note = note
    commitment.save()
    return commitment


# ---- need against support ------------------------------------------------------------


def add_prerequisite_component(county: Area) -> NeedComponentSetting:
    """The component every composition starts from: the prerequisite score (a high score is less need)."""
    return NeedComponentSetting.objects.create(
        county=county,
        source=NeedComponentSource.PREREQUISITES,
        label="Förutsättningar (poäng)",
        weight=1.0,
        higher_is_worse=False,
    )


def need_components(county: Area) -> list[NeedComponentSetting]:
    """The county's composition; a new county starts with the prerequisite score only."""
    settings = list(NeedComponentSetting.objects.filter(county=county))
    if not settings:
        settings = [add_prerequisite_component(county)]
    return settings


def indicator_values(indicator_code: str, county: Area) -> dict[str, float]:
    """Latest total value per kommun for an indicator; empty if there is none."""
    from django.apps import apps

    try:
        # The protected public table: published, disclosure-controlled values only.
        observation_model = apps.get_model("indicators", "PublicObservation")
    except LookupError:
        return {}
    rows = (
        observation_model.objects.filter(
            indicator__code=indicator_code,
            area__parent=county,
            area__level=AreaLevel.MUNICIPALITY,
            breakdown="total",
            category="total",
            value__isnull=False,
        )
        .order_by("area__code", "-period_end", "-period")
        .values_list("area__code", "value")
    )
    latest: dict[str, float] = {}
    for code, value in rows:
        latest.setdefault(code, float(value))
    return latest


def prerequisite_values(county: Area) -> dict[str, float]:
    """Overall prerequisite index per kommun from the latest closed survey round.

    Uses the prerequisites app when it is installed (its ``results.round_scores``); a
    hook named by ``PREREQUISITE_SCORES_HOOK`` takes precedence if the app provides one.
    Returns an empty mapping when there are no scores, so the need page says so.
    """
    try:
        hook = import_string(PREREQUISITE_SCORES_HOOK)
    except ImportError:
        hook = None
    if hook is not None:
        return {str(k): float(v) for k, v in hook(county).items() if v is not None}
    try:
        from jamlik.prerequisites import results
        from jamlik.prerequisites.models import Round
    except ImportError:
        return {}
    latest = Round.objects.filter(county=county, is_open=False).order_by("-year").first()
    if latest is None:
        return {}
    values: dict[str, float] = {}
    for scores in results.round_scores(latest):
        if scores.index.value is not None:
            values[scores.municipality.code] = float(scores.index.value)
    return values


@dataclass
class NeedSupportResult:
    components: list[NeedComponentSetting]
    available: dict[int, int]  # setting pk -> kommuner with data
    rows: list[need.NeedSupportRow]
    names: dict[str, str]
    first: date
    last: date
    no_need_data: list[str]
    joint: dict[str, int] = field(default_factory=dict)  # kommun code -> joint activities


def need_against_support(county: Area, first: date, last: date) -> NeedSupportResult:
    settings = need_components(county)
    kommuner = list(Area.objects.municipalities(county.code))
    codes = [k.code for k in kommuner]
    values: dict[str, dict[str, float | None]] = {}
    components = []
    available: dict[int, int] = {}
    for setting in settings:
        key = f"c{setting.pk}"
        if setting.source == NeedComponentSource.INDICATOR:
            data = indicator_values(setting.reference, county)
        else:
            data = prerequisite_values(county)
        values[key] = dict(data)
        available[setting.pk] = sum(1 for c in codes if c in data)
        polarity = (
            need.Polarity.HIGHER_IS_WORSE
            if setting.higher_is_worse
            else need.Polarity.HIGHER_IS_BETTER
        )
        components.append(need.NeedComponent(key, setting.label, setting.weight, polarity))
    scores = need.need_scores(components, values, codes)
    events = _events_by_kommun(county, until=last)
    agreements = _agreements_by_kommun(county)
    support = {}
    for kommun in kommuner:
        records = [need.SupportRecord(e.on, e.kind) for e in events.get(kommun.pk, [])]
        support[kommun.code] = need.support_score(
            records, agreements.get(kommun.pk, []), first, last
        )
    rows = need.rank_need_against_support(scores, support)
    names = {k.code: k.name for k in kommuner}
    joint = joint_by_kommun(county, first, last)
    return NeedSupportResult(
        components=settings,
        available=available,
        rows=rows,
        names=names,
        first=first,
        last=last,
        no_need_data=[names[r.code] for r in rows if r.need is None],
        joint={k.code: joint.get(k.pk, 0) for k in kommuner},
    )


def save_need_component(
    county: Area, values: dict[str, Any], *, setting: NeedComponentSetting | None = None
) -> NeedComponentSetting:
    if values.get("weight", 0) < 0:
        raise ValueError("weights cannot be negative")
    if values.get("source") == NeedComponentSource.INDICATOR and not values.get("reference"):
        raise ValueError("name the indicator code for an indicator component")
    setting = setting or NeedComponentSetting(county=county)
    for key, value in values.items():
        setattr(setting, key, value)
    setting.save()
    return setting


# ---- experts -----------------------------------------------------------------------


@transaction.atomic
def save_expert(
    county: Area,
    values: dict[str, Any],
    *,
    expert: Expert | None = None,
    version: int | None = None,
) -> Expert:
    """Create or update an expert of ``county``; a changed one must still be at ``version``.

    Subject areas are keys of the county's ``stodtrappa`` framework, like an activity's.
    """
    _check_keys(county, values.get("subject_areas", []), [])
    organisation = values.get("organisation")
    if organisation is not None and organisation.county_id != county.pk:
        raise ValueError(f"{organisation} is not on the actor map of {county.name}")
    expert = expert or Expert(county=county)
    for key, value in values.items():
        setattr(expert, key, value)
    if expert.pk is not None:
        claim(expert, version)
    expert.save()
    return expert

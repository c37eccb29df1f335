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
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.module_loading import import_string

from jamlik import frameworks
from jamlik.core.versioning import claim
from jamlik.geo.models import Area, AreaLevel
from jamlik.support import commitments as commitment_rules
from jamlik.support import ladder, need
from jamlik.support.models import (
    Agreement,
    Commitment,
    CommitmentStatus,
    NeedComponentSetting,
    NeedComponentSource,
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


def activities_for_county(county: Area) -> QuerySet[SupportActivity]:
    return (
        SupportActivity.objects.filter(county=county)
        .prefetch_related("participations__municipality")
        .order_by("-date", "title")
    )


def activities_for_municipality(area: Area) -> QuerySet[SupportActivity]:
    return (
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


@transaction.atomic
def save_activity(
    county: Area,
    values: dict[str, Any],
    participations: Sequence[ParticipationInput],
    *,
    activity: SupportActivity | None = None,
    user: Any = None,
    version: int | None = None,
) -> SupportActivity:
    """Create or update an activity with its participants, all or nothing. A changed
    activity must still be at ``version`` (the one the editor loaded; None: no check),
    else ``VersionConflict``."""
    _check_keys(county, values.get("subject_areas", []), values.get("target_areas", []))
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


@dataclass
class LadderRow:
    municipality: Area
    status: ladder.LadderStatus
    step_name: str
    last_activity: date | None
    activity_count: int
    is_demo: bool = False


def ladder_for_county(county: Area, today: date, lang: str = "sv") -> list[LadderRow]:
    """Every kommun in the county with its derived step and history."""
    steps = ladder_framework(county).steps
    events = _events_by_kommun(county, until=today)
    agreements = _agreements_by_kommun(county)
    demo = SupportActivity.objects.filter(county=county, is_demo=True).exists()
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
    return NeedSupportResult(
        components=settings,
        available=available,
        rows=rows,
        names=names,
        first=first,
        last=last,
        no_need_data=[names[r.code] for r in rows if r.need is None],
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

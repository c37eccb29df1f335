"""What a county publishes to the national picture, and reading it back.

The national pages must never read a county's working records: a county works on its
rounds, ladder, plans and actor map at its own pace and decides when a state of them is
fit to be shown beside the other 20 counties (as the county publishes an import run
before the public sees it). So a county administrator *releases* a snapshot per domain
(:class:`~jamlik.reports.models.ReleaseDomain`) and the national pages read only the
latest snapshot per county and domain (:func:`latest_releases`).

The payload builders below are read-only functions of one county's records; they return
plain JSON (numbers, strings, ISO dates) so that a snapshot keeps its meaning when the
records, the frameworks or the registry change later. Names are stored in both
languages where they come from a framework or the registry, for the same reason.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import translation

from jamlik.geo.models import Area, AreaLevel
from jamlik.reports.models import CountyRelease, ReleaseDomain

Payload = dict[str, Any]

#: The order of the domains on every page.
DOMAINS: tuple[ReleaseDomain, ...] = (
    ReleaseDomain.PREREQUISITES,
    ReleaseDomain.SUPPORT,
    ReleaseDomain.PLANS,
    ReleaseDomain.INTERVENTIONS,
)


class ReleaseError(ValueError):
    """A release that cannot be made (not a county, an unknown domain)."""


def _both(name: Callable[[str], str]) -> dict[str, str]:
    return {"sv": name("sv"), "en": name("en")}


def _delta(now: float | None, before: float | None) -> float | None:
    if now is None or before is None:
        return None
    return round(now - before, 1)


# ---- prerequisites -------------------------------------------------------------------


def prerequisites_payload(county: Area) -> Payload:
    """The latest *published* round's scores per kommun and prerequisite, with the change
    from the previous published round (scores as on the county's own pages:
    :func:`jamlik.prerequisites.results.round_scores`). Unpublished rounds never enter."""
    from jamlik.prerequisites import results
    from jamlik.prerequisites.models import Round
    from jamlik.prerequisites.scoring import median
    from jamlik.prerequisites.specs import framework

    rounds = list(
        Round.objects.filter(county=county, published=True)
        .select_related("instrument", "county")
        .order_by("-year")[:2]
    )
    fw = framework(county)
    payload: Payload = {
        "prerequisites": [{"key": p.key, "name": _both(p.name)} for p in fw.prerequisites],
        "year": None,
        "previous_year": None,
        "kommuner": [],
        "kommuner_in_county": Area.objects.municipalities(county.code).count(),
        "median_index": None,
        "median_change": None,
        "is_demo": False,
    }
    if not rounds:
        return payload
    latest = rounds[0]
    previous = rounds[1] if len(rounds) > 1 else None
    with translation.override("sv"):
        now = results.round_scores(latest)
        before = (
            {s.municipality.code: s for s in results.round_scores(previous)} if previous else {}
        )
    rows = []
    for s in now:
        old = before.get(s.municipality.code)
        scores = {k: v.value for k, v in s.prerequisites.items()}
        rows.append(
            {
                "code": s.municipality.code,
                "name": s.municipality.name,
                "index": s.index.value,
                "index_change": _delta(s.index.value, old.index.value if old else None),
                "scores": scores,
                "changes": {
                    k: _delta(
                        v, old.prerequisites[k].value if old and k in old.prerequisites else None
                    )
                    for k, v in scores.items()
                },
            }
        )
    changes = [r["index_change"] for r in rows if r["index_change"] is not None]

    payload.update(
        year=latest.year,
        previous_year=previous.year if previous else None,
        kommuner=rows,
        median_index=median(r["index"] for r in rows),
        median_change=median(changes),
        is_demo=latest.is_demo,
    )
    return payload


# ---- support ladder and agreements -------------------------------------------------


def support_payload(county: Area, today: date | None = None) -> Payload:
    """Ladder step per kommun (derived as on the ladder page, :mod:`jamlik.support.ladder`),
    activities by kind — joint (several kommuner took part) or for one kommun — agreements
    by status and their commitments done of those not cancelled."""
    from jamlik.support import services
    from jamlik.support.models import (
        Agreement,
        Commitment,
        CommitmentStatus,
        SupportActivity,
    )

    today = today or date.today()
    steps = services.ladder_framework(county).steps
    ladder_rows = services.ladder_for_county(county, today, "sv")
    kommuner = [
        {
            "code": r.municipality.code,
            "name": r.municipality.name,
            "step": r.status.step,
            "activities": r.activity_count,
            "last_activity": r.last_activity.isoformat() if r.last_activity else None,
        }
        for r in ladder_rows
    ]
    step_counts = Counter(str(k["step"]) for k in kommuner)
    activities: dict[str, dict[str, int]] = defaultdict(lambda: {"total": 0, "joint": 0})
    for kind, n_kommuner in (
        SupportActivity.objects.filter(county=county, date__lte=today)
        .annotate(n=Count("participations__municipality", distinct=True))
        .values_list("kind", "n")
    ):
        activities[kind]["total"] += 1
        activities[kind]["joint"] += int(n_kommuner > 1)
    agreements = Counter(Agreement.objects.filter(county=county).values_list("status", flat=True))
    commitments = Commitment.objects.filter(agreement__county=county).exclude(
        status=CommitmentStatus.CANCELLED
    )
    return {
        "as_of": today.isoformat(),
        "steps": [{"number": s.number, "name": _both(s.name)} for s in steps],
        "kommuner": kommuner,
        "step_counts": {str(n): step_counts.get(str(n), 0) for n in range(len(steps) + 1)},
        "activities": {k: dict(v) for k, v in sorted(activities.items())},
        "agreements": dict(sorted(agreements.items())),
        "commitments": {
            "done": commitments.filter(status=CommitmentStatus.DONE).count(),
            "total": commitments.count(),
        },
        "is_demo": any(r.is_demo for r in ladder_rows),
    }


# ---- plans ----------------------------------------------------------------------------


def _registry_names(county: Area) -> dict[str, dict[str, str]]:
    from jamlik.prevention.services import interventions_for

    return {i.key: {"name": i.name, "evidence": i.evidence} for i in interventions_for(county)}


def plans_payload(county: Area) -> Payload:
    """Plans per kommun by status and by how many of the quality model's steps are done,
    and the interventions the plans chose (registry keys; local ones counted apart)."""
    from jamlik.prevention import services
    from jamlik.prevention.models import PlanIntervention, PlanStatus

    model = services.quality_model_for(county)
    plans = list(services.plans_for_county(county).order_by("municipality__code", "pk"))
    per_kommun: dict[str, dict[str, Any]] = {}
    for kommun in Area.objects.municipalities(county.code):
        per_kommun[kommun.code] = {
            "code": kommun.code,
            "name": kommun.name,
            "plans": 0,
            "by_status": {},
            "steps_done": None,
        }
    by_status: Counter[str] = Counter()
    by_steps: Counter[str] = Counter()
    for plan in plans:
        done = services.plan_progress(plan)["done"]
        row = per_kommun.get(plan.municipality.code)
        if row is None:  # a kommun no longer in the county
            continue
        row["plans"] += 1
        row["by_status"][plan.status] = row["by_status"].get(plan.status, 0) + 1
        row["steps_done"] = max(done, row["steps_done"] or 0)
        by_status[plan.status] += 1
        by_steps[str(done)] += 1
    chosen = PlanIntervention.objects.filter(plan__municipality__parent=county)
    registry = _registry_names(county)
    interventions = []
    for key, n_plans, n_kommuner in (
        chosen.exclude(intervention_key="")
        .values_list("intervention_key")
        .annotate(
            plans=Count("plan", distinct=True),
            kommuner=Count("plan__municipality", distinct=True),
        )
        .order_by("intervention_key")
    ):
        info = registry.get(key, {})
        interventions.append(
            {
                "key": key,
                "name": info.get("name", key),
                "plans": n_plans,
                "kommuner": n_kommuner,
            }
        )
    return {
        "steps_total": len(model.steps),
        "statuses": [s.value for s in PlanStatus],
        "kommuner": list(per_kommun.values()),
        "plans": len(plans),
        "by_status": dict(by_status),
        "by_steps_done": {str(n): by_steps.get(str(n), 0) for n in range(len(model.steps) + 1)},
        "interventions": interventions,
        "local_interventions": chosen.filter(intervention_key="").count(),
        "is_demo": any(p.is_demo for p in plans),
    }


# ---- interventions in use -----------------------------------------------------------------


def interventions_payload(county: Area) -> Payload:
    """Registry interventions in use in the county: how many plans choose each and how
    many actor-map activities deliver it (``Activity.intervention_key``)."""
    from jamlik.actors.models import Activity
    from jamlik.prevention.models import PlanIntervention

    plans = dict(
        PlanIntervention.objects.filter(plan__municipality__parent=county)
        .exclude(intervention_key="")
        .values_list("intervention_key")
        .annotate(n=Count("plan", distinct=True))
    )
    activities = Activity.objects.filter(county=county)
    delivering = dict(
        activities.exclude(intervention_key="")
        .values_list("intervention_key")
        .annotate(n=Count("pk"))
    )
    registry = _registry_names(county)
    rows = [
        {
            "key": key,
            "name": registry.get(key, {}).get("name", key),
            "evidence": registry.get(key, {}).get("evidence", ""),
            "plans": plans.get(key, 0),
            "activities": delivering.get(key, 0),
        }
        for key in sorted(set(plans) | set(delivering))
    ]
    return {
        "interventions": rows,
        "activities_total": activities.count(),
        "activities_with_registry": sum(delivering.values()),
        "is_demo": activities.filter(is_demo=True).exists(),
    }


BUILDERS: dict[str, Callable[[Area], Payload]] = {
    ReleaseDomain.PREREQUISITES: prerequisites_payload,
    ReleaseDomain.SUPPORT: support_payload,
    ReleaseDomain.PLANS: plans_payload,
    ReleaseDomain.INTERVENTIONS: interventions_payload,
}


# ---- releasing and reading back ------------------------------------------------------------


def _check_county(county: Area) -> None:
    if county.level != AreaLevel.COUNTY:
        raise ReleaseError(f"{county.code} is not a county; only counties release.")


def build_payload(county: Area, domain: str) -> Payload:
    """What a release of ``domain`` would hold now (the preview shows exactly this)."""
    _check_county(county)
    try:
        builder = BUILDERS[domain]
    except KeyError:
        raise ReleaseError(
            f"Unknown domain {domain!r}; expected one of {', '.join(BUILDERS)}."
        ) from None
    return builder(county)


def release(county: Area, domain: str, user: Any = None) -> CountyRelease:
    """Store a snapshot of ``domain`` for ``county`` (in one transaction)."""
    with transaction.atomic():
        payload = build_payload(county, domain)
        return CountyRelease.objects.create(
            county=county,
            domain=domain,
            payload=payload,
            released_by=user if getattr(user, "is_authenticated", False) else None,
        )


def release_all(county: Area, user: Any = None) -> list[CountyRelease]:
    """Every domain at once, all or nothing."""
    with transaction.atomic():
        return [release(county, domain, user) for domain in DOMAINS]


def latest_releases(domain: str, *, until: datetime | None = None) -> dict[str, CountyRelease]:
    """The newest release of ``domain`` per county code (one query); with ``until``,
    the newest made before that moment (a report for a past year)."""
    scope = CountyRelease.objects.filter(domain=domain)
    if until is not None:
        scope = scope.filter(released_at__lt=until)
    newest = (
        scope.filter(county=OuterRef("county")).order_by("-released_at", "-pk").values("pk")[:1]
    )
    rows = scope.filter(pk=Subquery(newest)).select_related("county", "released_by")
    return {r.county.code: r for r in rows}


def latest_for_county(county: Area) -> dict[str, CountyRelease]:
    """The newest release per domain of one county."""
    found: dict[str, CountyRelease] = {}
    for r in (
        CountyRelease.objects.filter(county=county)
        .select_related("released_by")
        .order_by("domain", "-released_at", "-pk")
    ):
        found.setdefault(r.domain, r)
    return found

"""Exchange of experience: a kommun shares its plan, or parts of it, as an example (issue 18).

The seeds ask that kommuner learn from each other's development work ("erfarenhetsutbyte"):
a kommun may show its plan to the county board and the board's partners, or to every
county, choosing which parts (:class:`~jamlik.prevention.models.SharedPart`) others see.
The title, the kommun and the county are always shown; nothing else is unless its part is
shared. That rule is kept here, in one place: the list, the search and the example page
only ever read a plan through :func:`shared_view`, which leaves out every part that is not
shared (so a search cannot match on an unshared summary either).

Who may read a shared plan (a plan is internal work, so an anonymous visitor reads none):

* shared with the county: whoever may see the county's unpublished work
  (``jamlik.view_area_unpublished`` on the county: its county-level roles and national
  administrators) and the county's partner organisations (``is_partner_in``);
* shared with all counties: every logged-in user with any role anywhere, partners and
  national administrators included;
* in both cases the kommun's own people, who read the whole plan anyway.

Who may share: whoever may edit the kommun's records (``jamlik.edit_area`` on the kommun:
its editors, the county administrator, national administrators).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jamlik.accounts.rules import is_national, is_partner_in
from jamlik.core.versioning import claim, unchanged
from jamlik.prevention import services
from jamlik.prevention.models import IndicatorTarget, Plan, SharedPart, Sharing, StepStatus

EDIT = "jamlik.edit_area"
VIEW = "jamlik.view_area_unpublished"
PART_ORDER = [p.value for p in SharedPart]
SAVED_FIELDS = ["sharing", "shared_parts", "shared_at"]


class SharingError(ValueError):
    """A share request names a sharing level or a part that does not exist."""


# ---- sharing a plan ----------------------------------------------------------------------


def can_share(user: Any, plan: Plan) -> bool:
    """Whether ``user`` may change how ``plan`` is shared (an editor of its kommun)."""
    return bool(user.is_authenticated and user.has_perm(EDIT, plan.municipality))


def clean_parts(parts: Iterable[str]) -> list[str]:
    """The shared parts in their fixed order, each once; unknown keys are refused."""
    given = [str(p) for p in parts]
    unknown = sorted({p for p in given if p not in PART_ORDER})
    if unknown:
        raise SharingError(
            f"Unknown shared part(s): {', '.join(unknown)}; expected some of "
            f"{', '.join(PART_ORDER)}."
        )
    return [p for p in PART_ORDER if p in given]


def share_plan(
    plan: Plan,
    sharing: str,
    parts: Iterable[str],
    user: Any,
    *,
    version: int | None = None,
) -> Plan:
    """Set who may read ``plan`` as an example and which parts they see.

    ``shared_at`` is set when the plan goes from private to shared and kept when only the
    audience or the parts change ("shared since"); making the plan private clears it. The
    chosen parts are kept while private, so sharing again offers the same parts. A shared
    plan needs at least one part: sharing only the title would show nothing to learn from.

    The save is versioned like every edit of the plan (``version`` is the one the sharer's
    page showed; None: no check), so it also stops a plan-edit form opened before it.
    Raises ``PermissionDenied`` for someone who may not edit the kommun, ``SharingError``
    for bad input and ``VersionConflict`` for a stale version.
    """
    if not can_share(user, plan):
        raise PermissionDenied
    if sharing not in Sharing.values:
        raise SharingError(
            f"Unknown sharing {sharing!r}; expected one of {', '.join(Sharing.values)}."
        )
    cleaned = clean_parts(parts)
    if sharing != Sharing.PRIVATE and not cleaned:
        raise SharingError("Choose at least one part of the plan to share.")
    was_private = plan.sharing == Sharing.PRIVATE
    plan.sharing = sharing
    plan.shared_parts = cleaned
    if sharing == Sharing.PRIVATE:
        plan.shared_at = None
    elif was_private or plan.shared_at is None:
        plan.shared_at = timezone.now()
    if unchanged(plan, SAVED_FIELDS):
        return plan
    with transaction.atomic():
        claim(plan, version)
        plan.save(update_fields=[*SAVED_FIELDS, "version", "updated_at"])
    return plan


# ---- who reads which shared plan -----------------------------------------------------------


def _has_any_role(user: Any) -> bool:
    return bool(is_national(user) or user.roles.exists())


def may_read_shared(user: Any, plan: Plan) -> bool:
    """Whether ``user`` may read ``plan`` as a shared example (see the module docstring)."""
    if not user.is_authenticated or plan.sharing == Sharing.PRIVATE:
        return False
    if user.has_perm(VIEW, plan.municipality):  # the kommun's own people, county, national
        return True
    if plan.sharing == Sharing.ALL:
        return _has_any_role(user)
    county = plan.municipality.parent
    return bool(user.has_perm(VIEW, county) or is_partner_in(user, county))


@dataclass(frozen=True)
class TargetResult:
    """One indicator target of a shared plan: baseline, target and what happened since."""

    target: IndicatorTarget
    name: str
    progress: services.TargetProgress

    @property
    def manual_also(self) -> bool:
        """A hand-entered value besides a published one (both are shown)."""
        return self.progress.from_catalogue and self.target.current_value is not None

    @property
    def met(self) -> bool:
        share = self.progress.share_of_way
        return share is not None and share >= 1


@dataclass
class SharedView:
    """A plan as a reader of the example sees it: only the shared parts are filled."""

    plan: Plan
    parts: frozenset[str]
    factor_keys: list[str] = field(default_factory=list)
    factor_names: list[str] = field(default_factory=list)
    summary: str = ""
    progress: dict[str, int] | None = None
    steps: list[services.StepView] | None = None
    interventions: list[Any] | None = None
    results: list[TargetResult] | None = None

    @property
    def targets_met(self) -> int:
        return sum(r.met for r in self.results or [])

    @property
    def has_results(self) -> bool:
        return bool(self.results)

    def shares(self, part: str) -> bool:
        return part in self.parts


def _progress(plan: Plan) -> dict[str, int]:
    steps = list(plan.steps.all())
    return {
        "done": sum(s.status == StepStatus.DONE for s in steps),
        "total": len(steps),
    }


def shared_view(plan: Plan, lang: str = "sv", *, detail: bool = False) -> SharedView:
    """What a reader may see of ``plan``: the shared parts only (see the module docstring).

    ``detail`` adds the steps with their notes and the chosen interventions, which the list
    does not show.
    """
    parts = frozenset(p for p in plan.shared_parts or [] if p in PART_ORDER)
    view = SharedView(plan=plan, parts=parts)
    star = services.star_for(plan.municipality)
    if SharedPart.SUMMARY in parts:
        view.summary = plan.summary
        view.factor_keys = [f for f in plan.prioritised_factors if f in star.factors]
        view.factor_names = [star.factors.get(f).name(lang) for f in view.factor_keys]
    if SharedPart.STEPS in parts:
        view.progress = _progress(plan)
        if detail:
            view.steps = services.plan_steps(plan)
    if SharedPart.INTERVENTIONS in parts and detail:
        from jamlik.prevention.chain_pages import chosen_rows

        view.interventions = chosen_rows(plan, star, lang)
    if SharedPart.RESULTS in parts:
        names = services.indicator_names()
        view.results = [
            TargetResult(t, services.target_name(t, names), services.target_progress(t))
            for t in plan.targets.all()
        ]
    return view


def _searchable(view: SharedView) -> str:
    """The shared text a search looks in (both languages' factor names)."""
    star = services.star_for(view.plan.municipality)
    names = []
    for key in view.factor_keys:
        factor = star.factors.get(key)
        names += [factor.name("sv"), factor.name("en")]
    plan = view.plan
    return " ".join(
        [plan.title, plan.municipality.name, plan.municipality.parent.name, view.summary, *names]
    ).casefold()


def visible_shared_plans(
    user: Any,
    q: str | None = None,
    *,
    county: str | None = None,
    factor: str | None = None,
    status: str | None = None,
    has_results: bool = False,
    lang: str = "sv",
) -> list[SharedView]:
    """The shared plans ``user`` may read as examples, searched and filtered, newest first.

    ``q`` matches every word (case-insensitive) in the title, the kommun and county
    names, and, when the summary part is shared, the summary and the prioritised factors'
    names. ``county`` is a county code; ``factor`` a prioritised factor's key (only seen
    where the summary part is shared); ``status`` a ``PlanStatus``; ``has_results`` keeps
    plans whose shared results hold at least one indicator target. Anonymous: nothing.

    The rights are checked per plan through the permission rules (the one place that
    decides who holds which role), after the database has narrowed the rows to shared
    plans; there are at most a few hundred such plans in the country.
    """
    if not user.is_authenticated:
        return []
    plans: QuerySet[Plan] = (
        Plan.objects.exclude(sharing=Sharing.PRIVATE)
        .select_related("municipality__parent")
        .prefetch_related("steps", "targets")
        .order_by("-shared_at", "municipality__code", "pk")
    )
    if county:
        plans = plans.filter(municipality__parent__code=county)
    if status:
        plans = plans.filter(status=status)
    if has_results:
        plans = plans.filter(targets__isnull=False).distinct()
    words = (q or "").casefold().split()
    found = []
    for plan in plans:
        if not may_read_shared(user, plan):
            continue
        view = shared_view(plan, lang)
        if factor and factor not in view.factor_keys:
            continue
        if has_results and not view.has_results:
            continue
        if words:
            text = _searchable(view)
            if not all(w in text for w in words):
                continue
        found.append(view)
    return found


def shared_plan_for(user: Any, pk: int) -> Plan | None:
    """The plan ``pk`` if ``user`` may read it as a shared example, else None (the page
    answers 404 then, so a plan's existence does not show to those it is not shared with)."""
    plan = Plan.objects.select_related("municipality__parent").filter(pk=pk).first()
    if plan is None or not may_read_shared(user, plan):
        return None
    return plan

"""Queries and changes for saved scenarios, and the analysis behind every page.

Views and the API call these functions; they never query or compute on their
own. Permission rules: a scenario is visible to everyone when published, and
otherwise to users with ``jamlik.view_area_unpublished`` on its kommun; it can
be created, changed or deleted by users with ``jamlik.edit_area`` on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jamlik.accounts.services import areas_user_can_edit
from jamlik.core.versioning import claim, unchanged
from jamlik.economics.inputs import Scenario as ScenarioInputs
from jamlik.economics.model import Result, evaluate
from jamlik.economics.models import Scenario
from jamlik.economics.montecarlo import MAX_DRAWS, MonteCarloResult, simulate
from jamlik.economics.sensitivity import Tornado, tornado
from jamlik.economics.serialization import (
    intervention_links,
    scenario_from_dict,
    scenario_to_dict,
)
from jamlik.geo.models import Area, AreaLevel


@dataclass(frozen=True)
class Analysis:
    """Everything the results page, the exports and the API show."""

    inputs: ScenarioInputs
    result: Result
    tornado: Tornado
    montecarlo: MonteCarloResult


def visible_scenarios(user: Any, area: Area | None = None) -> QuerySet[Scenario]:
    """Scenarios ``user`` may see: published ones, plus unpublished ones of areas they work in."""
    qs = Scenario.objects.select_related("area")
    if area is not None:
        qs = qs.filter(area=area)
    if not user.is_authenticated:
        return qs.filter(published=True)
    if user.is_superuser:
        return qs
    area_ids = {
        a.pk
        for a in Area.objects.filter(pk__in=qs.values("area_id").distinct())
        if user.has_perm("jamlik.view_area_unpublished", a)
    }
    return qs.filter(Q(published=True) | Q(area_id__in=area_ids))


def can_view(user: Any, scenario: Scenario) -> bool:
    return scenario.published or (
        user.is_authenticated and user.has_perm("jamlik.view_area_unpublished", scenario.area)
    )


def can_edit(user: Any, area: Area) -> bool:
    return bool(user.is_authenticated and user.has_perm("jamlik.edit_area", area))


def visible_plan(user: Any, scenario: Scenario) -> Any:
    """The plan the scenario was made from, when ``user`` may see it (else ``None``).

    Plans are shown to those who may see the kommun's unpublished work, as on the
    plan pages; a published scenario does not make its plan public.
    """
    plan = scenario.plan
    if plan is None:
        return None
    if user.is_authenticated and user.has_perm("jamlik.view_area_unpublished", plan.municipality):
        return plan
    return None


def editable_areas(user: Any) -> list[Area]:
    """Kommuner where ``user`` may create scenarios."""
    return areas_user_can_edit(user)


def _require_edit(user: Any, area: Area) -> None:
    if area.level != AreaLevel.MUNICIPALITY:
        raise ValueError(f"area: scenarios belong to a municipality (got {area.code!r})")
    if not can_edit(user, area):
        raise PermissionDenied("You may not change scenarios for this municipality.")


SCENARIO_FIELDS = ("area", "name", "inputs", "published", "draws", "seed", "plan")


@transaction.atomic
def save_scenario(
    user: Any,
    area: Area,
    inputs: dict[str, Any],
    *,
    published: bool = False,
    instance: Scenario | None = None,
    draws: int | None = None,
    seed: int | None = None,
    version: int | None = None,
    plan: Any = None,
) -> Scenario:
    """Create or update a scenario after validating its inputs with the pure model.

    Raises ``PermissionDenied`` when ``user`` may not edit ``area`` (or the
    scenario's current kommun), ``ValueError`` naming the bad input, and
    ``VersionConflict`` when a changed scenario is no longer at ``version`` (the one
    the editor loaded; None: no check). ``plan`` (a ``prevention.Plan`` of the same
    kommun) records the plan a new scenario was made from; None leaves it as it is.

    Each intervention's links (``registry_key``, ``plan_intervention``) in ``inputs``
    are validated and kept in the stored form.
    """
    _require_edit(user, area)
    if instance is not None and instance.pk:
        _require_edit(user, instance.area)
    model = scenario_from_dict(inputs)  # validates, raises ValueError
    links = intervention_links(inputs)
    if plan is not None and plan.municipality_id != area.pk:
        raise ValueError(f"plan: belongs to another municipality ({plan.municipality_id!r})")
    name_taken = Scenario.objects.filter(area=area, name=model.name)
    if instance is not None and instance.pk:
        name_taken = name_taken.exclude(pk=instance.pk)
    if name_taken.exists():
        # shown on the editor as it is: in the reader's language, naming no internal key
        raise ValueError(
            _("%(area)s already has a scenario called “%(name)s”: choose another name.")
            % {"area": area.name, "name": model.name}
        )
    scenario = instance or Scenario(created_by=user if user.is_authenticated else None)
    scenario.area = area
    scenario.name = model.name
    scenario.inputs = scenario_to_dict(model, links)
    if plan is not None:
        scenario.plan = plan
    scenario.published = published
    if draws is not None:
        if not 100 <= draws <= MAX_DRAWS:
            raise ValueError(f"draws: must be between 100 and {MAX_DRAWS} (got {draws})")
        scenario.draws = draws
    if seed is not None:
        if seed < 0:
            raise ValueError(f"seed: must not be negative (got {seed})")
        scenario.seed = seed
    if scenario.pk is not None:
        if unchanged(scenario, SCENARIO_FIELDS):
            return scenario  # nothing to write, so nobody's change can be lost
        claim(scenario, version)
    scenario.save()
    return scenario


@transaction.atomic
def delete_scenario(user: Any, scenario: Scenario) -> None:
    _require_edit(user, scenario.area)
    scenario.delete()


def analyse_inputs(inputs: ScenarioInputs, draws: int, seed: int) -> Analysis:
    """Deterministic result, tornado and Monte Carlo for one scenario."""
    return Analysis(
        inputs=inputs,
        result=evaluate(inputs),
        tornado=tornado(inputs),
        montecarlo=simulate(inputs, draws=draws, seed=seed),
    )


@lru_cache(maxsize=64)
def _analyse_cached(inputs_json: str, draws: int, seed: int) -> Analysis:
    return analyse_inputs(scenario_from_dict(json.loads(inputs_json)), draws, seed)


def analyse(scenario: Scenario) -> Analysis:
    """The analysis of a saved scenario (cached by its exact inputs, draws and seed)."""
    key = json.dumps(scenario.inputs, sort_keys=True)
    return _analyse_cached(key, scenario.draws, scenario.seed)

"""What the plan page, the step pages and the selection page show of the linked chain.

Context builders only (reads, no writes); the rules live in :mod:`jamlik.prevention.chain`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.http import HttpRequest

from jamlik import frameworks
from jamlik.geo.models import Area
from jamlik.prevention import chain, services
from jamlik.prevention.models import Intervention, Plan, PlanIntervention

#: The quality model's step where the plan's interventions are chosen ("välja insatser").
CHOOSING_STEP = "intervention_design"
#: The step before it, where the goals, the setting and the target group are set.
PROGRAMME_STEP = "programme_formulation"


@dataclass(frozen=True)
class ChosenRow:
    chosen: PlanIntervention
    #: The registry entry as the plan's county sees it; None for a local intervention
    #: or a key the registry no longer holds.
    intervention: Intervention | None
    factor_names: list[str]
    setting: str
    #: Actor-map activities delivering it in the kommun (its own and county-wide ones).
    deliverers: list[Any] = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.intervention is not None:
            return self.intervention.name
        return self.chosen.local_name or self.chosen.intervention_key


def chosen_rows(plan: Plan, framework: frameworks.Preventionsstjarna, lang: str) -> list[ChosenRow]:
    """The plan's chosen interventions with their registry entries and deliverers."""
    from jamlik.prevention.forms import SETTING_LABELS

    items = list(plan.interventions.all())
    registry = {i.key: i for i in services.interventions_for(plan.municipality.parent)}
    keys = [c.intervention_key for c in items if c.intervention_key]
    deliverers = chain.deliverers_by_key(plan.municipality, keys) if keys else {}
    return [
        ChosenRow(
            chosen=c,
            intervention=registry.get(c.intervention_key) if c.intervention_key else None,
            factor_names=[
                framework.factors.get(f).name(lang) for f in c.factors if f in framework.factors
            ],
            setting=str(SETTING_LABELS.get(c.setting, c.setting)),
            deliverers=deliverers.get(c.intervention_key, []) if c.intervention_key else [],
        )
        for c in items
    ]


def plan_scenarios(request: HttpRequest, plan: Plan) -> list[Any]:
    """The plan's economic scenarios the user may see (the economics app's rules)."""
    if not apps.is_installed("jamlik.economics"):
        return []
    from jamlik.economics.services import visible_scenarios

    return list(visible_scenarios(request.user, plan.municipality).filter(plan=plan))


def step_numbers(plan: Plan) -> dict[str, int]:
    model = services.quality_model_for(plan.municipality)
    return {s.key: s.number for s in model.steps}


def chosen_section(
    request: HttpRequest, plan: Plan, framework: frameworks.Preventionsstjarna, lang: str
) -> dict[str, Any]:
    """Context of the plan page's "chosen interventions" section."""
    numbers = step_numbers(plan)
    return {
        "chosen": chosen_rows(plan, framework, lang),
        "scenarios": plan_scenarios(request, plan),
        "choosing_step": numbers.get(CHOOSING_STEP),
        "programme_step": numbers.get(PROGRAMME_STEP),
    }


def plans_to_choose_for(request: HttpRequest, kommuner: list[Area]) -> list[Plan]:
    """The plans of ``kommuner`` the user may add an intervention to."""
    return chain.editable_plans(request.user, kommuner)


def factor_interventions(
    factor_keys: list[str], county: Area | None, lang: str
) -> list[tuple[str, str, list[Intervention]]]:
    """(key, name, interventions addressing it) for each factor, strongest evidence first
    (each factor once, in the order given)."""
    factor_keys = list(dict.fromkeys(factor_keys))
    from jamlik.prevention.ranking import EvidenceRating

    star = services.star_for(county)
    order = {e.value: n for n, e in enumerate(EvidenceRating)}
    registry = services.interventions_for(county)
    rows = []
    for key in factor_keys:
        if key not in star.factors:
            continue
        found = sorted(
            (i for i in registry if key in i.factors),
            key=lambda i: (order.get(i.evidence, 99), i.name.lower()),
        )
        rows.append((key, star.factors.get(key).name(lang), found))
    return rows


def selection_chain(
    request: HttpRequest,
    county: Area,
    kommun: Area | None,
    factor_keys: list[str],
    lang: str,
    suggested: list[str] | None = None,
) -> dict[str, Any]:
    """The selection page's chain: each factor → the interventions addressing it → the
    plans the user may add one to (the kommun's, else those of every kommun of the county
    the user may edit); and, when the page was opened from a gap on a profile
    (``?indikator=``), the indicator it came from. The chosen factors come first, then
    the factors suggested for the kommun (``suggested``) that were not chosen."""
    kommuner = [kommun] if kommun is not None else list(Area.objects.municipalities(county.code))
    code = request.GET.get("indikator", "")[:64]
    indicator_name = ""
    if code and apps.is_installed("jamlik.indicators"):
        indicator_model = apps.get_model("indicators", "Indicator")
        found = indicator_model.objects.filter(code=code).first()
        indicator_name = found.name if found is not None else ""
    return {
        "factor_interventions": factor_interventions(
            [*factor_keys, *(suggested or [])], county, lang
        ),
        "suggested_factor_keys": set(suggested or []),
        "chosen_factor_keys": set(factor_keys),
        "plans_to_choose": plans_to_choose_for(request, kommuner),
        "from_indicator": (code, indicator_name or code) if code else None,
    }

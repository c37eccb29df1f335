"""Following the chain from an intervention both ways: indicator → factor → intervention →
plan → scenario → who delivers it.

The seeds describe one cycle (the situation picture's gaps point to risk and protective
factors, interventions address the factors, plans choose interventions, scenarios price
them, actors deliver them). The links are stored where they are made — a plan's chosen
interventions (:class:`~jamlik.prevention.models.PlanIntervention`), an actor-map
activity's ``intervention_key``, a scenario's inputs (``interventions[i].registry_key``),
the factor↔indicator proxies (``data/factor_indicators.toml``) and a county's own
indicators (``Indicator.factors``) — and this module reads them back. The registry is
keyed, not linked by row, so every link is by intervention key.

The pure functions (:func:`registry_keys_in_inputs`, :func:`factors_to_indicators`,
:func:`prefill_factors`, :func:`indicator_factor_map`) hold the rules; the query
functions only fetch rows and apply the callers' visibility (a plan is shown to those who
may see the kommun's unpublished work, a scenario by the economics app's rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.db.models import Q

from jamlik.geo.models import Area, AreaLevel
from jamlik.prevention import services
from jamlik.prevention.models import Intervention, PlanIntervention

VIEW = "jamlik.view_area_unpublished"
EDIT = "jamlik.edit_area"


# ---- pure rules ----------------------------------------------------------------------------


def registry_keys_in_inputs(inputs: Any) -> list[str]:
    """The registry keys a scenario's inputs name, in order, each once.

    Scenarios made from a plan carry ``interventions[i].registry_key``. Older rows hold
    one ``intervention`` object, or interventions without a key (typed by hand): they
    name no registry intervention and give nothing, never an error.
    """
    if not isinstance(inputs, Mapping):
        return []
    items: list[Any] = []
    many = inputs.get("interventions")
    if isinstance(many, list):
        items.extend(many)
    one = inputs.get("intervention")
    if isinstance(one, Mapping):
        items.append(one)
    keys = [
        item["registry_key"].strip()
        for item in items
        if isinstance(item, Mapping)
        and isinstance(item.get("registry_key"), str)
        and item["registry_key"].strip()
    ]
    return list(dict.fromkeys(keys))


def prefill_factors(registry_factors: Iterable[str], star_keys: Iterable[str]) -> list[str]:
    """The registry intervention's factors that the county's star knows, in the registry's
    order (a county's own star may lack a shipped factor; an unknown key would not save)."""
    known = set(star_keys)
    return [f for f in dict.fromkeys(registry_factors) if f in known]


def indicator_factor_map(links: Iterable[Any]) -> dict[str, tuple[str, ...]]:
    """Indicator code → the factors it stands in for, from factor↔indicator links."""
    result: dict[str, list[str]] = {}
    for link in links:
        factors = result.setdefault(link.indicator, [])
        if link.factor not in factors:
            factors.append(link.factor)
    return {code: tuple(factors) for code, factors in result.items()}


def factors_to_indicators(
    factors: Sequence[str],
    shipped: Mapping[str, Sequence[str]],
    own: Iterable[tuple[str, Sequence[str]]] = (),
) -> dict[str, list[str]]:
    """Factor → indicator codes linked to it: the shipped proxies (``shipped`` is indicator
    → factors) and then the county's own indicators (``own``: (code, factors) pairs), each
    code once per factor, factors in the order given."""
    result: dict[str, list[str]] = {f: [] for f in factors}
    pairs = [*shipped.items(), *own]
    for code, linked in pairs:
        for factor in linked:
            if factor in result and code not in result[factor]:
                result[factor].append(code)
    return result


# ---- the shipped factor↔indicator proxies, read once ---------------------------------------


@lru_cache(maxsize=1)
def shipped_indicator_factors() -> dict[str, tuple[str, ...]]:
    """Indicator code → factors from ``factor_indicators.toml`` (read once per process:
    the kommun profile asks for every gap block and must not query or read per block)."""
    return indicator_factor_map(services.factor_links())


# ---- queries ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainFactor:
    key: str
    name: str
    #: (code, name) of the indicators linked to the factor.
    indicators: list[tuple[str, str]]


@dataclass(frozen=True)
class InterventionChain:
    """Everything that points to one registry intervention, as the user may see it."""

    key: str
    plans: list[PlanIntervention] = field(default_factory=list)
    scenarios: list[Any] = field(default_factory=list)
    activities: list[Any] = field(default_factory=list)
    factors: list[ChainFactor] = field(default_factory=list)


def _place(model_area: str, county: Area | None, kommun: Area | None) -> Q:
    """Rows of ``kommun``, else of the county's kommuner, else everywhere."""
    if kommun is not None:
        return Q(**{model_area: kommun})
    if county is not None:
        return Q(**{f"{model_area}__parent": county})
    return Q()


def _user_may(user: Any, perm: str, areas: Iterable[Area]) -> set[int]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return {a.pk for a in areas if user.has_perm(perm, a)}


def plans_choosing(
    key: str, *, county: Area | None = None, kommun: Area | None = None, user: Any = None
) -> list[PlanIntervention]:
    """The plans' choices of ``key`` the user may see (plans are the kommun's unpublished
    work: shown with ``view_area_unpublished`` on the kommun only)."""
    rows = list(
        PlanIntervention.objects.filter(
            _place("plan__municipality", county, kommun), intervention_key=key
        )
        .select_related("plan__municipality")
        .order_by("plan__municipality__code", "plan__title", "pk")
    )
    allowed = _user_may(user, VIEW, {r.plan.municipality for r in rows})
    return [r for r in rows if r.plan.municipality_id in allowed]


def scenarios_including(
    key: str, *, county: Area | None = None, kommun: Area | None = None, user: Any = None
) -> list[Any]:
    """Economic scenarios whose inputs name ``key``, by the scenario visibility rules
    (published, or the user may see the kommun's unpublished work)."""
    if not apps.is_installed("jamlik.economics"):
        return []
    from django.contrib.auth.models import AnonymousUser

    from jamlik.economics.services import visible_scenarios

    found = visible_scenarios(user or AnonymousUser()).filter(_place("area", county, kommun))
    return [
        s for s in found.order_by("area__code", "name") if key in registry_keys_in_inputs(s.inputs)
    ]


def activities_delivering(
    keys: Iterable[str], *, county: Area | None = None, kommun: Area | None = None
) -> list[Any]:
    """Actor-map activities that deliver any of ``keys``, with their actors. For a kommun:
    its own activities and the county-wide ones of its county (they reach it too)."""
    from jamlik.actors.models import Activity

    keys = [k for k in keys if k]
    if not keys:
        return []
    rows = Activity.objects.filter(intervention_key__in=keys)
    if kommun is not None:
        rows = rows.filter(Q(area=kommun) | Q(area=kommun.parent))
    elif county is not None:
        rows = rows.filter(county=county)
    return list(
        rows.select_related("area").prefetch_related("actors").order_by("area__code", "title")
    )


def deliverers_by_key(kommun: Area, keys: Iterable[str]) -> dict[str, list[Any]]:
    """Key → the activities delivering it in ``kommun`` (one query for all keys)."""
    result: dict[str, list[Any]] = {}
    for activity in activities_delivering(keys, kommun=kommun):
        result.setdefault(activity.intervention_key, []).append(activity)
    return result


def own_indicator_factors(county: Area | None) -> list[tuple[str, list[str]]]:
    """(code, factors) of the county's own indicators that name factors."""
    if county is None or not apps.is_installed("jamlik.indicators"):
        return []
    indicator_model = apps.get_model("indicators", "Indicator")
    return [
        (code, list(factors or []))
        for code, factors in indicator_model.objects.filter(owner=county).values_list(
            "code", "factors"
        )
        if factors
    ]


def factor_chain(
    factor_keys: Sequence[str], county: Area | None, lang: str = "sv"
) -> list[ChainFactor]:
    """Each factor (known to the county's star) with the indicators linked to it."""
    star = services.star_for(county)
    known = [f for f in factor_keys if f in star.factors]
    linked = factors_to_indicators(
        known, shipped_indicator_factors(), own_indicator_factors(county)
    )
    names = services.indicator_names()
    return [
        ChainFactor(
            key=f,
            name=star.factors.get(f).name(lang),
            indicators=[(code, names.get(code, code)) for code in linked[f]],
        )
        for f in known
    ]


def intervention_chain(
    intervention: Intervention,
    *,
    county: Area | None = None,
    kommun: Area | None = None,
    user: Any = None,
    lang: str = "sv",
) -> InterventionChain:
    """The whole chain through one registry intervention (as ``county`` sees it)."""
    county = kommun.parent if kommun is not None else county
    key = intervention.key
    return InterventionChain(
        key=key,
        plans=plans_choosing(key, county=county, kommun=kommun, user=user),
        scenarios=scenarios_including(key, county=county, kommun=kommun, user=user),
        activities=activities_delivering([key], county=county, kommun=kommun),
        factors=factor_chain(list(intervention.factors), county, lang),
    )


def factors_for_indicator(code: str, county: Area | None = None) -> list[str]:
    """The factors an indicator is linked to: the shipped proxies, or for a county's own
    indicator its ``factors`` (one query, only when asked for one indicator)."""
    shipped = list(shipped_indicator_factors().get(code, ()))
    if shipped or county is None:
        return shipped
    return next((f for c, f in own_indicator_factors(county) if c == code), [])


def editable_plans(user: Any, kommuner: Iterable[Area]) -> list[Any]:
    """Plans of ``kommuner`` the user may edit (choices for "choose for a plan")."""
    from jamlik.prevention.models import Plan

    areas = [k for k in kommuner if k.level == AreaLevel.MUNICIPALITY]
    allowed = _user_may(user, EDIT, areas)
    if not allowed:
        return []
    return list(
        Plan.objects.filter(municipality_id__in=allowed)
        .select_related("municipality")
        .order_by("municipality__code", "-start")
    )

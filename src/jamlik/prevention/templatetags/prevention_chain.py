"""Template tags for the linked chain on pages other apps' views render.

``intervention_chain`` fills the registry intervention page's chain section without the
page's view knowing of it; ``factor_selection_url`` links a kommun profile's gap to the
selection page with the factors linked to the indicator, from one mapping read once per
process (no query per indicator: the profile has query-count bounds).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from jamlik.geo.models import Area, AreaLevel
from jamlik.prevention import chain

register = template.Library()


@register.simple_tag(takes_context=True)
def intervention_chain(
    context: Any, intervention: Any, county: Area | None
) -> chain.InterventionChain:
    request = context.get("request")
    lang = context.get("lang") or getattr(request, "LANGUAGE_CODE", "sv") or "sv"
    return chain.intervention_chain(
        intervention, county=county, user=getattr(request, "user", None), lang=lang
    )


@register.simple_tag
def factor_selection_url(code: str, area: Any) -> str:
    """The selection page for the kommun with the indicator's factors; "" when the
    indicator stands in for no factor or the area is not a kommun in a county."""
    if not isinstance(area, Area) or area.level != AreaLevel.MUNICIPALITY or not area.parent_id:
        return ""
    factors = chain.shipped_indicator_factors().get(code, ())
    if not factors:
        return ""
    # A kommun code starts with its county's code (SCB's codes); the parent row is used
    # only when already loaded, so the tag never queries.
    cached = area._state.fields_cache.get("parent")
    query = [
        ("lan", cached.code if cached is not None else area.code[:2]),
        ("suggest", area.code),
        ("indikator", code),
        *(("factor", f) for f in factors),
    ]
    return f"{reverse('prevention:selection')}?{urlencode(query)}#factor-interventions"


@register.simple_tag
def registry_intervention(key: str, county: Area | None) -> Any:
    """The registry entry for ``key`` as ``county`` sees it, or None."""
    from jamlik.prevention.models import Intervention
    from jamlik.prevention.services import intervention_for

    try:
        return intervention_for(county, key) if key else None
    except Intervention.DoesNotExist:
        return None


@register.simple_tag(takes_context=True)
def choosable_plans(context: Any, county: Area | None) -> list[Any]:
    """The plans of the county's kommuner the user may add an intervention to."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if county is None or user is None or not user.is_authenticated:
        return []
    return chain.editable_plans(user, Area.objects.municipalities(county.code))

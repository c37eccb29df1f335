"""Template tag ``{% toolbox_for_step plan step %}``: the toolbox's offer on a plan step.

Shows up to :data:`SHOWN` items tagged with the step, ranked by the factors they share
with the plan (:func:`jamlik.support.toolbox.items_for_step`), each with the shared
factors named in the reader's language; when none fits, only a link to the library.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from jamlik.support import toolbox

register = template.Library()

SHOWN = 5


@register.inclusion_tag("support/_toolbox_for_step.html")
def toolbox_for_step(plan: Any, step: Any) -> dict[str, Any]:
    county = toolbox.plan_county(plan)
    if county is None:
        return {"matches": [], "county_code": "", "step_key": step.key}
    lang = get_language() or "sv"
    factor_names = {f.key: f.name(lang) for f in toolbox.vocabulary(county).factors}
    matches = [
        {"item": m.item, "shared_names": [factor_names.get(k, k) for k in m.shared]}
        for m in toolbox.items_for_step(plan, step, limit=SHOWN)
    ]
    return {"matches": matches, "county_code": county.code, "step_key": step.key}

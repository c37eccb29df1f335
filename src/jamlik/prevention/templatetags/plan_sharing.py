"""Template tag ``{% plan_sharing plan %}``: how a plan is shared, at the end of its page.

Whoever may share the plan (an editor of its kommun, see :func:`sharing.can_share`) gets
the small form; everyone else reading the plan gets one line saying whether and how it is
shared.
"""

from __future__ import annotations

from typing import Any

from django import template

from jamlik.prevention import sharing
from jamlik.prevention.models import SharedPart
from jamlik.prevention.sharing_forms import sharing_form_for

register = template.Library()


@register.inclusion_tag("prevention/_sharing_panel.html", takes_context=True)
def plan_sharing(context: Any, plan: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    may_share = user is not None and sharing.can_share(user, plan)
    labels = dict(SharedPart.choices)
    return {
        "plan": plan,
        "may_share": may_share,
        "form": sharing_form_for(plan) if may_share else None,
        "part_labels": [labels[p] for p in plan.shared_parts or [] if p in labels],
        "is_shared": plan.sharing != "private",
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }

"""Template tag ``step_dialogue`` (on the step edit page) and filter ``messages_on``
(the step rows of the plan page): the dialogue's size and latest agreement with a link,
for those who may read it (issue 18)."""

from __future__ import annotations

from typing import Any

from django import template

from jamlik.prevention import dialogue

register = template.Library()


@register.inclusion_tag("prevention/_dialogue_panel.html", takes_context=True)
def step_dialogue(context: Any, plan: Any, step: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not dialogue.can_read_dialogue(user, plan):
        return {"show": False}
    found = dialogue.agreements(step)
    return {
        "show": True,
        "count": step.comments.count(),
        "latest": found[-1] if found else None,
        "url": dialogue.dialogue_path(step),
        "number": step.number,
    }


@register.filter
def messages_on(counts: dict[int, int] | None, step: Any) -> int:
    """The number of messages on ``step`` from ``dialogue.message_counts`` (0 when none)."""
    return (counts or {}).get(getattr(step, "pk", None), 0)

"""Template tag ``step_dialogue``: placeholder until its helper lands (issue 18)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def step_dialogue(context: Any, plan: Any, step: Any) -> str:
    return ""

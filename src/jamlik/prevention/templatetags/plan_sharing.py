"""Template tag ``plan_sharing``: placeholder until its helper lands (issue 18)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_sharing(context: Any, plan: Any) -> str:
    return ""

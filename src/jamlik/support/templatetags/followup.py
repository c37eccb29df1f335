"""Template tag ``followup_panel``: placeholder until its helper lands (issue 18)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def followup_panel(context: Any, activity: Any) -> str:
    return ""

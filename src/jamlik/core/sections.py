"""Sections that apps contribute to the kommun and county pages.

An app names a function in ``AppConfig.area_sections`` (dotted path). The function takes
``(area, request)`` and returns a list of :class:`Section`; the geo pages render them in
app order. This keeps the geo app ignorant of what later apps show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.utils.module_loading import import_string


@dataclass
class Section:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    anchor: str = ""


def sections_for(area: Any, request: HttpRequest) -> list[Section]:
    """Every installed app's sections for ``area``, in INSTALLED_APPS order."""
    result: list[Section] = []
    for config in apps.get_app_configs():
        path = getattr(config, "area_sections", None)
        if path:
            result.extend(import_string(path)(area, request))
    return result


@dataclass
class RenderedSection:
    title: str
    anchor: str
    html: str


def render_sections(area: Any, request: HttpRequest) -> list[RenderedSection]:
    """Sections for ``area`` rendered to HTML with their own context."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    rendered = []
    for index, section in enumerate(sections_for(area, request), start=1):
        html = render_to_string(section.template, {"area": area, **section.context}, request)
        rendered.append(
            RenderedSection(section.title, section.anchor or f"section-{index}", mark_safe(html))
        )
    return rendered

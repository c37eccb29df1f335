"""Template context shared by every page: navigation and the demo-data flag."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import DatabaseError
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from jamlik.core.models import SiteState


def nav_items() -> list[dict[str, str]]:
    items = []
    for config in apps.get_app_configs():
        for label, url_name in getattr(config, "nav_items", []):
            try:
                items.append({"label": str(label), "url": reverse(url_name)})
            except NoReverseMatch:
                continue
    return items


def site(request: HttpRequest) -> dict[str, Any]:
    try:
        state = SiteState.get()
        demo = state.demo_loaded
    except DatabaseError:  # before migrations: pages still render
        demo = False
    return {"nav_items": nav_items(), "demo_loaded": demo}

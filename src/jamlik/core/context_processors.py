"""Template context shared by every page: navigation and the demo-data flag."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.apps import apps
from django.db import DatabaseError
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

from jamlik.core.models import SiteState

NavRule = Callable[[Any, str], "str | None"]


@cache
def _rule(path: str) -> NavRule:
    return import_string(path)


def nav_items(user: Any = None) -> list[dict[str, str]]:
    """The main menu for ``user``: each app's ``nav_items``, without what the role is refused.

    An entry is ``(label, url_name)`` or ``(label, url_name, "dotted.path.to.rule")``;
    the rule (see ``jamlik.accounts.navigation``) gets the user and the default URL and
    returns the URL to link, or None to leave the item out. Without a user (outside a
    request) only items without a rule are listed.
    """
    items = []
    for config in apps.get_app_configs():
        for entry in getattr(config, "nav_items", []):
            label, url_name, *rest = entry
            try:
                url: str | None = reverse(url_name)
            except NoReverseMatch:
                continue
            if rest:
                url = _rule(rest[0])(user, url) if user is not None else None
            if url is not None:
                items.append({"label": str(label), "url": url})
    return items


def site(request: HttpRequest) -> dict[str, Any]:
    try:
        state = SiteState.get()
        demo = state.demo_loaded
    except DatabaseError:  # before migrations: pages still render
        demo = False
    user = getattr(request, "user", None)
    return {"nav_items": nav_items(user), "demo_loaded": demo}

"""Template filters that hide links a user's role would be refused (see accounts.navigation)."""

from __future__ import annotations

from typing import Any

from django import template

from jamlik.accounts import navigation

register = template.Library()


@register.filter
def edits_in(user: Any, county: Any = None) -> bool:
    """``{% if user|edits_in:county %}``: the user may change records in the county."""
    return navigation.edits_in(user, county or None)


@register.filter
def sees_unpublished(user: Any, area: Any = None) -> bool:
    """``{% if user|sees_unpublished:area %}``: drafts and county records of the area."""
    return navigation.sees_unpublished(user, area or None)


@register.filter
def works_in(user: Any, county: Any = None) -> bool:
    """``{% if user|works_in:county %}``: a role in the county or one of its kommuner."""
    return navigation.works_in(user, county or None)


@register.simple_tag(takes_context=True)
def county_rights(context: Any) -> dict[str, bool]:
    """``{% county_rights as may %}``: what the user may do in the page's ``county``.

    A tag rather than filters because a filter's argument must exist in the context,
    and shared partials (the actor map's tabs) are included with and without a county.
    """
    user, county = context.get("user"), context.get("county") or None
    if user is None:
        return {"edit": False, "work": False}
    return {"edit": navigation.edits_in(user, county), "work": navigation.works_in(user, county)}

"""Queries for the county's experts: who can help with which subject area.

Experts are people with contact details, so every query here is for logged-in users
with a role in the county (``jamlik.view_area_unpublished``); the views check that, and
nothing here is offered to the public API.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jamlik import frameworks
from jamlik.geo.models import Area
from jamlik.support.access import visible_activities
from jamlik.support.models import Expert, SupportActivity


def subject_choices(county: Area, lang: str) -> list[tuple[str, str]]:
    """The county's ``stodtrappa`` subject areas as (key, name): the one list experts and
    activities are tagged from."""
    ladder = frameworks.load("stodtrappa", county=county.code)
    return [(s.key, s.name(lang)) for s in ladder.subject_areas]


def experts_for_county(county: Area, subject: str = "") -> QuerySet[Expert]:
    """The county's experts by name, only those tagged with ``subject`` when given.

    Subject areas are a JSON list, and SQLite (tests, small installs) has no JSON
    containment lookup, so the county's short list is filtered in memory and returned
    as a queryset of the matching keys.
    """
    experts = Expert.objects.filter(county=county).select_related("organisation")
    if subject:
        keys = [e.pk for e in experts if subject in (e.subject_areas or [])]
        experts = experts.filter(pk__in=keys)
    return experts.order_by("name", "pk")


def subject_names(expert: Expert, lang: str) -> list[str]:
    names = dict(subject_choices(expert.county, lang))
    return [names.get(k, k) for k in expert.subject_areas or []]


def expert_activities(expert: Expert, user: Any) -> QuerySet[SupportActivity]:
    """The activities the expert took part in that ``user`` may see, newest first."""
    return visible_activities(user, expert.county).filter(experts=expert).order_by("-date", "title")

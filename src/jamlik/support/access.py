"""Who sees which support activity: the county's own roles, and partners for their activities.

A partner organisation (the region, the kommunförbund, a university…) holds a partner role
on a län for one actor-map organisation. It sees the activities that organisation helps to
organise, and nothing else of the county's support records: not other activities, not the
agreements, not the need-vs-support comparison. Everyone else is checked with
``jamlik.view_area_unpublished`` on the county, as before.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jamlik.accounts.rules import partner_actor_ids
from jamlik.geo.models import Area
from jamlik.support.models import SupportActivity

VIEW = "jamlik.view_area_unpublished"


def sees_all_support(user: Any, county: Area) -> bool:
    """Whether ``user`` sees every support record of ``county`` (not only a partner's)."""
    return bool(user.has_perm(VIEW, county))


def visible_activities(user: Any, county: Area) -> QuerySet[SupportActivity]:
    """The county's activities ``user`` may see; empty for a user with no role there."""
    activities = SupportActivity.objects.filter(county=county)
    if sees_all_support(user, county):
        return activities
    actors = partner_actor_ids(user)
    if not actors or not user.has_perm("jamlik.partner_county", county):
        return activities.none()
    return activities.filter(organisers__actor_id__in=actors).distinct()


def can_view_activity(user: Any, activity: SupportActivity) -> bool:
    """Whether ``user`` may open ``activity`` (its page, its follow-up results)."""
    if sees_all_support(user, activity.county):
        return True
    actors = partner_actor_ids(user)
    return bool(
        actors
        and user.has_perm("jamlik.partner_county", activity.county)
        and activity.organisers.filter(actor_id__in=actors).exists()
    )

"""Storing the follow-up: opening and closing an activity's link, saving one answer,
and reading answers back as rows for :mod:`jamlik.support.followup`'s summaries."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.db import transaction
from django.db.models import QuerySet

from jamlik.core.versioning import claim
from jamlik.geo.models import Area
from jamlik.support import followup
from jamlik.support.models import FollowUpAnswer, ParticipantRole, SupportActivity

TOKEN_BYTES = 32
"""secrets.token_urlsafe(32) gives 43 characters, the column's width."""


def activity_kommuner(activity: SupportActivity) -> list[Area]:
    """The kommuner that took part in ``activity``, by code: the answer form's choices."""
    ids = activity.participations.values_list("municipality_id", flat=True)
    return list(Area.objects.filter(pk__in=ids).order_by("code"))


def _write_link(activity: SupportActivity, token: str | None, closes: date | None) -> None:
    """Save the link fields only, bumping the version so an edit form loaded before
    (which would write its own copy of the fields back) is refused as stale."""
    with transaction.atomic():
        claim(activity, None)
        activity.follow_up_token = token
        activity.follow_up_closes = closes
        SupportActivity.objects.filter(pk=activity.pk).update(
            follow_up_token=token, follow_up_closes=closes
        )


def open_link(activity: SupportActivity, closes: date) -> SupportActivity:
    """Open (or reopen, or extend) the follow-up until ``closes``; an existing link keeps
    its key, so a link already sent out works again."""
    _write_link(activity, activity.follow_up_token or secrets.token_urlsafe(TOKEN_BYTES), closes)
    return activity


def close_link(activity: SupportActivity, today: date) -> SupportActivity:
    """Stop taking answers from today; the link then answers with a "closed" page."""
    if activity.follow_up_token:
        _write_link(activity, activity.follow_up_token, today - timedelta(days=1))
    return activity


def record_answer(
    activity: SupportActivity,
    *,
    kommun: str,
    role: str,
    answers: dict,
    today: date,
    is_demo: bool = False,
) -> FollowUpAnswer:
    """Store one participant's answer, or ``ValueError`` saying what was wrong.

    ``kommun`` is the code of one of the activity's kommuner or ``"other"``; ``role`` a
    :class:`ParticipantRole`; ``answers`` is checked by :func:`followup.clean_answers`.
    """
    if not followup.is_open(activity.follow_up_token, activity.follow_up_closes, today):
        raise ValueError("the follow-up of this activity is closed")
    if role not in ParticipantRole.values:
        raise ValueError(f"role: expected one of {', '.join(ParticipantRole.values)}, got {role!r}")
    municipality = None
    if kommun != followup.OTHER_KOMMUN:
        municipality = next((k for k in activity_kommuner(activity) if k.code == kommun), None)
        if municipality is None:
            raise ValueError(f"kommun: {kommun!r} did not take part in this activity")
    return FollowUpAnswer.objects.create(
        activity=activity,
        municipality=municipality,
        role=role,
        answers=followup.clean_answers(answers),
        is_demo=is_demo,
    )


def rows(answers: QuerySet[FollowUpAnswer]) -> list[followup.Row]:
    """Answers as summary rows; the year is the activity's (support given that year)."""
    return [
        followup.Row(answers=a, role=r, kommun=k or "", year=d.year)
        for a, r, k, d in answers.values_list(
            "answers", "role", "municipality__code", "activity__date"
        ).order_by("submitted_at", "pk")
    ]


def county_answers(activities: QuerySet[SupportActivity]) -> QuerySet[FollowUpAnswer]:
    """Every answer to ``activities`` (already narrowed to what the reader may see)."""
    return FollowUpAnswer.objects.filter(activity__in=activities)


def county_rows(county: Area) -> list[followup.Row]:
    """Every answer to the county's activities, for those who see all its support."""
    return rows(FollowUpAnswer.objects.filter(activity__county=county))

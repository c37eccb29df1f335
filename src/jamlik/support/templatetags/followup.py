"""Template tag ``followup_panel``: the follow-up of an activity on its page (issue 18).

County administrators see the link's state and controls; everyone who may see the
activity sees the number of answers and the results, with the suppression rule of
:mod:`jamlik.support.followup`.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from jamlik.support import followup, followup_services
from jamlik.support.followup_forms import OpenFollowUpForm
from jamlik.support.followup_views import today
from jamlik.support.models import FollowUpAnswer

register = template.Library()


@register.inclusion_tag("support/_followup_panel.html", takes_context=True)
def followup_panel(context: Any, activity: Any) -> dict[str, Any]:
    request = context["request"]
    is_admin = request.user.has_perm("jamlik.admin_county", activity.county)
    now = today()
    is_open = followup.is_open(activity.follow_up_token, activity.follow_up_closes, now)
    link = ""
    if is_admin and activity.follow_up_token:
        link = request.build_absolute_uri(
            reverse("support:followup-answer", args=[activity.follow_up_token])
        )
    closes = followup.default_closes(activity.end_date or activity.date, now)
    if is_open and activity.follow_up_closes:
        closes = activity.follow_up_closes
    summary = followup.summary(
        followup_services.rows(FollowUpAnswer.objects.filter(activity=activity))
    )
    return {
        "activity": activity,
        "is_admin": is_admin,
        "is_open": is_open,
        "link": link,
        "open_form": OpenFollowUpForm(initial={"closes": closes}, today=now),
        "summary": summary,
        "results": followup.labelled(summary.overall, getattr(request, "LANGUAGE_CODE", "sv")),
        "min_answers": followup.MIN_ANSWERS,
        "csrf_token": context.get("csrf_token"),
    }

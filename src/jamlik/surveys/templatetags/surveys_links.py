"""``{% survey_profile_link page %}``: on the kommun profile, a link to the kommun's
youth-survey profile when the page already holds survey values the reader may see.

The kommun profile lists the county's own indicators, survey ones included, so the
test costs no query (the profile's query bounds stay as they are) and the link shows
exactly when the reader sees survey figures.
"""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


def shows_survey(page: Any) -> bool:
    """Whether the profile page holds a survey indicator's value (or a hidden one)."""
    for _name, rows in getattr(page, "groups", None) or ():
        for row in rows:
            indicator = getattr(row, "indicator", None)
            survey = getattr(indicator, "is_survey", False) and getattr(indicator, "owner_id", None)
            shown = getattr(row, "value", None) is not None or getattr(row, "suppressed", False)
            if survey and shown:
                return True
    return False


@register.inclusion_tag("surveys/_profile_link.html")
def survey_profile_link(page: Any) -> dict[str, Any]:
    return {"area": getattr(page, "area", None), "shown": shows_survey(page)}

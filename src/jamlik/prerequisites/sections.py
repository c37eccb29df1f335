"""The prerequisites section on the geo kommun and county pages (a few queries)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from jamlik.core.sections import Section
from jamlik.geo.models import Area, AreaLevel
from jamlik.prerequisites import results
from jamlik.prerequisites.models import Response, ResponseStatus, Round


def area_sections(area: Area, request: HttpRequest) -> list[Section]:
    if area.level == AreaLevel.COUNTY:
        county = area
    elif area.level == AreaLevel.MUNICIPALITY:
        county = area.parent
    else:
        return []
    rounds = [r for r in results.visible_rounds(request.user, county) if not r.is_open]
    if not rounds:
        return []
    round_ = rounds[0]
    title = _("Prerequisites for promotion and prevention")
    if area.level == AreaLevel.COUNTY:
        sentences, ranking = results.summary_sentences(round_)
        return [
            Section(
                title,
                "prerequisites/_section_county.html",
                {
                    "round": round_,
                    "sentences": sentences[:4],
                    "ranking": ranking[:3],
                    "county": county,
                    "demo": round_.is_demo,
                },
                anchor="prerequisites",
            )
        ]
    response = Response.objects.filter(
        round=round_,
        municipality=area,
        status__in=[ResponseStatus.SUBMITTED, ResponseStatus.LOCKED],
    ).first()
    scores = results.score_response(round_, response) if response else None
    return [
        Section(
            title,
            "prerequisites/_section_kommun.html",
            {
                "round": round_,
                "scores": scores,
                "demo": round_.is_demo,
                "open_round": Round.objects.filter(county=county, is_open=True).first(),
                "can_edit": request.user.has_perm("jamlik.edit_area", area),
            },
            anchor="prerequisites",
        )
    ]

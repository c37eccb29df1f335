"""The youth-survey section on kommun and county pages: a link where it leads somewhere."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from jamlik.core.sections import Section
from jamlik.geo.models import Area, AreaLevel
from jamlik.surveys import services


def area_sections(area: Area, request: HttpRequest) -> list[Section]:
    """A kommun with survey figures the reader may see links to its profile; a county
    links its administrators to the import page."""
    if area.level == AreaLevel.MUNICIPALITY and services.has_survey_data(area, request.user):
        return [
            Section(
                title=_("Youth survey"),
                template="surveys/section.html",
                context={"area": area, "kommun": True},
                anchor="ungdomsenkat",
            )
        ]
    if area.level == AreaLevel.COUNTY and request.user.has_perm("jamlik.admin_county", area):
        return [
            Section(
                title=_("Youth survey"),
                template="surveys/section.html",
                context={"area": area, "kommun": False},
                anchor="ungdomsenkat",
            )
        ]
    return []

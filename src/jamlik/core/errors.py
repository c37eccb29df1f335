"""Friendly refusal and error pages (403, 404, 500), in the visitor's language.

Django's default handlers print bare English ("403 Forbidden"); these render the site's
own templates with a way onward: the start page, the visitor's own län and kommun pages
(from their roles), the lists to search from, and for an anonymous visitor the login
page. An htmx request (``HX-Request``) gets a short fragment for the part of the page it
was swapping, with the same status code. ``500.html`` is rendered without a request
context or database query: the error may be the database itself.
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from jamlik.accounts.navigation import role_areas
from jamlik.geo.models import AreaLevel


def _places(user: Any) -> list[dict[str, str]]:
    """Links to the pages of the län and kommuner the user holds a role for."""
    from django.urls import reverse

    places = []
    try:
        areas = role_areas(user)
    except DatabaseError:
        return []
    for area in areas[:6]:
        if area.level == AreaLevel.COUNTY:
            url = reverse("indicators:overview", args=[area.code])
        else:
            url = reverse("indicators:profile", args=[area.code])
        places.append({"name": area.name, "url": url})
    return places


def _render(request: HttpRequest, status: int, context: dict[str, Any]) -> HttpResponse:
    fragment = request.headers.get("HX-Request") == "true"
    name = "errors/_fragment.html" if fragment else f"{status}.html"
    user = getattr(request, "user", None)
    context = {
        "status": status,
        "places": _places(user) if user is not None and user.is_authenticated else [],
        **context,
    }
    body = loader.render_to_string(name, context, request)
    return HttpResponse(body, status=status)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(
        request,
        403,
        {
            "heading": _("You do not have access to this page"),
            "explanation": _(
                "The page belongs to a role you do not hold here, for example a county "
                "administrator's or another kommun's editor's. Ask your county administrator "
                "if you need access."
            ),
        },
    )


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(
        request,
        404,
        {
            "heading": _("The page was not found"),
            "explanation": _(
                "The address may be mistyped, or the page may have been moved or removed."
            ),
        },
    )


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """No context processors, no database: a plain page that always renders."""
    name = "errors/_fragment.html" if request.headers.get("HX-Request") == "true" else "500.html"
    context = {
        "status": 500,
        "heading": _("Something went wrong on our side"),
        "explanation": _(
            "The error has been logged. Try again in a while; if it happens again, tell the "
            "site's administrator what you were doing."
        ),
    }
    return HttpResponse(loader.get_template(name).render(context), status=500)

"""Content-Security-Policy header from ``settings.CONTENT_SECURITY_POLICY``.

Django 5.2 has no built-in CSP; this small middleware sets one header from a dict so
the policy lives in settings and a test can pin it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def build_policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = build_policy(settings.CONTENT_SECURITY_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class SwedishByDefaultMiddleware:
    """Serve Swedish unless the visitor has chosen another language with the switch.

    Django's LocaleMiddleware would otherwise follow the browser's Accept-Language;
    a Swedish public-sector service speaks Swedish first and offers English on request
    (the choice is kept in the language cookie).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)

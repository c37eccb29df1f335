"""Request and response middleware of the whole site.

- ``ContentSecurityPolicyMiddleware``: Django 5.2 has no built-in CSP; one header from
  ``settings.CONTENT_SECURITY_POLICY`` so the policy lives in settings and a test can pin it.
- ``SwedishByDefaultMiddleware``: Swedish first, English on request.
- ``RejectNulBytesMiddleware``: NUL characters are refused before they reach the database.
- ``ApiTokenMiddleware``: ``Authorization: Bearer …`` on ``/api/`` acts as the token's user.
- ``SessionTimeoutMiddleware``: idle and absolute session timeouts (``jamlik.accounts.sessions``).
- ``PrivateCacheMiddleware``: ``Cache-Control: private, no-store`` on what a logged-in user gets.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.cache import patch_cache_control


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


class RejectNulBytesMiddleware:
    """Answer 400 to any request whose path, query or JSON body holds a NUL character.

    PostgreSQL text cannot store or compare U+0000, so such a value would reach the
    database as an error (a 500) rather than a plain "no match". No legitimate Jämlik
    request contains one; refusing it at the door keeps every view and API endpoint
    from having to know. Form fields are checked; uploaded files (XLSX is a zip) are
    not: their bytes are parsed, not passed to the database as text.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request):
            message = "The request contains a NUL character, which is not allowed."
            if request.path.startswith("/api/"):
                return JsonResponse({"message": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _holds_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    if any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
    ):
        return True
    if request.content_type == "application/json":
        body = request.body
        return b"\x00" in body or b"\\u0000" in body
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return any(
            "\x00" in key or any("\x00" in v for v in values)
            for key, values in request.POST.lists()
        )
    return False


class ApiTokenMiddleware:
    """Let machine clients use the API with ``Authorization: Bearer <token>``.

    Only under ``/api/``. A valid token makes the request act as the token's user (so every
    endpoint's own permission checks apply unchanged) and skips the CSRF check, which
    protects cookies, not a header a browser never sends by itself. A wrong or revoked
    token is refused with 401 at once; it never falls back to the session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if request.path.startswith("/api/") and header[:7].lower() == "bearer ":
            from jamlik.accounts.tokens import user_for

            found = user_for(header[7:].strip())
            if found is None:
                response = JsonResponse(
                    {"message": "The API token is not valid: it is wrong or has been revoked."},
                    status=401,
                )
                response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
                return response
            request.user, request.api_token = found  # type: ignore[attr-defined]
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
            request._ninja_csrf_exempt = True  # type: ignore[attr-defined]
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Log out sessions idle longer than ``SESSION_IDLE_TIMEOUT`` (or older than the maximum)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, "api_token", None) is None:
            from jamlik.accounts.sessions import expire_if_stale

            expire_if_stale(request)
        return self.get_response(request)


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every response to a logged-in user.

    Pages and downloads (CSV, XLSX, PDF) for a logged-in user may hold unpublished answers
    or contact details; neither a shared proxy nor the browser's disk cache should keep
    them. Attachments count however they were produced. Anonymous public pages keep their
    own caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            mark_private(response)
        return response


def mark_private(response: HttpResponse) -> None:
    """Replace any caching directive with ``private, no-store``."""
    if "Cache-Control" in response:
        del response["Cache-Control"]
    patch_cache_control(response, private=True, no_store=True)

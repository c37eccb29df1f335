"""The JSON API at /api/v1 (django-ninja). One router per app; one error shape.

Every error is ``{"message": "..."}`` (plus ``"detail"`` for validation errors), from the
handlers below, so clients never have to parse HTML error pages.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

api = NinjaAPI(
    title="Jämlik API",
    version="1",
    urls_namespace="api-v1",
    description="Open data and services for regional work on good and equitable health.",
)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"message": str(exc.message)}, status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"message": str(exc) or "Not found."}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"message": "The request is not valid.", "detail": exc.errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"message": "Log in first."}, status=401)


# (prefix, dotted path of a Router). Each app owns its router module.
ROUTERS = [
    ("/areas", "jamlik.geo.api.router"),
    ("/frameworks", "jamlik.api.frameworks.router"),
    ("/", "jamlik.indicators.api.router"),
    ("/", "jamlik.actors.api.router"),
    ("/prerequisites", "jamlik.prerequisites.api.router"),
    ("/support", "jamlik.support.api.router"),
    ("/plans", "jamlik.prevention.api.plans_router"),
    ("/prevention", "jamlik.prevention.api.router"),
    ("/economics", "jamlik.economics.api.router"),
]


def _mount() -> None:
    from django.utils.module_loading import import_string

    for prefix, dotted in ROUTERS:
        module = dotted.rsplit(".", 1)[0]
        try:
            router = import_string(dotted)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue  # an optional router that is not installed
        api.add_router(prefix, router)


_mount()

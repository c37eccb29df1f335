"""The JSON API at /api/v1 (django-ninja). One router per app; one error shape.

Every error is ``{"message": "..."}`` (plus ``"detail"`` for validation errors), from the
handlers below, so clients never have to parse HTML error pages: an unexpected error too
(500, logged with its traceback, the message says nothing of the internals). The OpenAPI
document declares these refusals on every operation (:class:`JamlikAPI`).

Writing needs a logged-in session and its CSRF token, or an API token from the account
page sent as ``Authorization: Bearer <token>`` (``jamlik.core.middleware.ApiTokenMiddleware``);
either way the user's own roles decide.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger("jamlik.api")


class ErrorOut(Schema):
    """Every error the API answers: a message for people, ``detail`` for invalid input."""

    message: str
    detail: list[dict[str, Any]] | None = None


#: What each refusal means, declared on the operations it can happen to.
REFUSALS = {
    "401": "Not logged in, or the API token is wrong or revoked.",
    "403": "Logged in, but the user's roles do not allow this (or the CSRF token is missing).",
    "404": "No such record.",
    "409": "The record was changed by someone else since it was read.",
    "422": "The request is not valid: the message names the field and the rule.",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


class JamlikAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):  # noqa: ANN001, ANN201
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        declare_refusals(schema)
        return schema


def declare_refusals(schema: dict[str, Any]) -> None:
    """Add the error responses each operation can give, all with the ``ErrorOut`` shape.

    Every operation can refuse invalid input (422); one with a path parameter can find
    nothing (404); one that writes can refuse the anonymous (401), the unauthorised (403)
    and a stale copy (409, when it changes an existing record).
    """
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    )
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            codes = ["422"]
            if "{" in path:
                codes.append("404")
            if method in WRITE_METHODS:
                codes += ["401", "403"]
            if method in WRITE_METHODS - {"post"}:
                codes.append("409")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(code, {"description": REFUSALS[code], "content": content})


api = JamlikAPI(
    title="Jämlik API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "Open data and services for regional work on good and equitable health. "
        "Reading is open. Writing needs a logged-in session with its CSRF token, or an API "
        "token from your account page (/konto/) sent as `Authorization: Bearer <token>`; "
        'the token acts as you, with your roles. Every error is `{"message": …}`.'
    ),
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


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unexpected error in %s %s", request.method, request.path)
    return api.create_response(
        request,
        {"message": "Something went wrong on the server. It has been logged; please try again."},
        status=500,
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

"""Read-only API for the reference frameworks: ``/api/v1/frameworks/...``.

``GET /`` lists the frameworks with their versions; ``GET /{name}`` returns one
framework as JSON, the county's own version when ``?county=01`` names a county
that has published an override.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from jamlik import frameworks
from jamlik.frameworks import FrameworkError, UnknownFrameworkError

router = Router(tags=["frameworks"])


class FrameworkSummary(Schema):
    name: str
    version: str
    schema_version: int
    title_sv: str
    title_en: str
    county: str | None


def _load(name: str, county: str | None) -> frameworks.Framework:
    try:
        return frameworks.load(name, county=county)
    except UnknownFrameworkError as exc:
        raise HttpError(
            404, f"Unknown framework {name!r}. Known: {', '.join(frameworks.FRAMEWORK_NAMES)}."
        ) from exc
    except FrameworkError as exc:
        if exc.key == "county":
            raise HttpError(422, exc.expected) from exc
        # A county's override file is broken: say which and why, but not where on disk.
        where = exc.path.name if exc.path else name
        raise HttpError(
            500, f"The framework file {where} is malformed: {exc.key}: {exc.expected}"
        ) from exc


@router.get("/", response=list[FrameworkSummary], summary="List the reference frameworks")
def list_frameworks(request: HttpRequest, county: str | None = None) -> list[dict[str, Any]]:
    result = []
    for name in frameworks.FRAMEWORK_NAMES:
        meta = _load(name, county).meta
        result.append(
            {
                "name": name,
                "version": meta.version,
                "schema_version": meta.schema_version,
                "title_sv": meta.title_sv,
                "title_en": meta.title_en,
                "county": meta.county,
            }
        )
    return result


@router.get("/{name}", summary="One reference framework as JSON")
def get_framework(request: HttpRequest, name: str, county: str | None = None) -> dict[str, Any]:
    data = _load(name, county).to_dict()
    data["meta"].pop("source_path", None)  # a server path is no business of API clients
    return data

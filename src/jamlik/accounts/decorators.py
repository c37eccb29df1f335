"""View decorators that refuse clearly: anonymous users go to login, others get 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from jamlik.geo.models import Area

View = Callable[..., HttpResponse]


def area_permission_required(perm: str, code_kwarg: str = "code") -> Callable[[View], View]:
    """Require ``perm`` on the Area whose code is in the URL keyword ``code_kwarg``."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            area = get_object_or_404(Area, code=kwargs[code_kwarg])
            if not request.user.has_perm(perm, area):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def check_area_permission(request: HttpRequest, perm: str, area: Area) -> HttpResponse | None:
    """For views that find the area from an object: a refusal response, or None if allowed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm, area):
        raise PermissionDenied
    return None

"""Request handling shared by the support and prevention pages.

Both apps pick the county from ``?lan=`` (or a posted ``lan``), refuse anonymous
visitors with a login redirect and logged-in users without the permission with
403, and save edit forms through a service whose ``ValueError`` is shown on the
form. Keeping these steps in one place keeps the refusals the same on every page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from jamlik.geo.models import Area, AreaLevel

Saved = TypeVar("Saved")
View = TypeVar("View", bound=Callable[..., HttpResponse])


def county_from(request: HttpRequest) -> Area:
    """The county named by ``lan`` in the query or the form (Stockholms län when none)."""
    code = request.GET.get("lan") or request.POST.get("lan") or "01"
    return get_object_or_404(Area, code=code, level=AreaLevel.COUNTY)


def login_redirect(request: HttpRequest) -> HttpResponse | None:
    """A redirect to the login page for anonymous visitors, else None."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def login_first(view: View) -> View:
    """Send anonymous visitors to the login page before the view looks anything up."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return login_redirect(request) or view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def require(request: HttpRequest, perm: str, area: Area) -> None:
    """Raise a 403 refusal unless the user holds ``perm`` on ``area``."""
    if not request.user.has_perm(perm, area):
        raise PermissionDenied


def refusal_for(request: HttpRequest, perm: str, area: Area) -> HttpResponse | None:
    """Login redirect for anonymous visitors, 403 without ``perm`` on ``area``, else None."""
    if (redirect := login_redirect(request)) is not None:
        return redirect
    require(request, perm, area)
    return None


def save_posted_form(
    request: HttpRequest, form: forms.BaseForm, save: Callable[[], Saved], message: str
) -> Saved | None:
    """On a valid POST, save through the service and confirm with ``message``.

    Returns what ``save`` returned, or None when the form is to be shown (again):
    not posted, invalid, or refused by the service with a ``ValueError``, which is
    then shown as a form error.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save()
    except ValueError as exc:
        form.add_error(None, str(exc))
        return None
    messages.success(request, message)
    return saved


def apply_posted_form(
    request: HttpRequest,
    form: forms.BaseForm,
    apply: Callable[[], object],
    success: str,
    failure: str,
) -> None:
    """Apply a small posted form (add a row, set a status) and report the outcome as a message.

    ``failure`` may hold ``%(errors)s`` for the form's errors as text.
    """
    if form.is_valid():
        apply()
        messages.success(request, success)
    else:
        messages.error(request, failure % {"errors": form.errors.as_text()})

"""The password backend: Django's ModelBackend behind the login throttle.

Every password check in the site goes through ``authenticate()``, the login page's and
the admin's alike, so the throttle sits here rather than in one view. A refused or failed
attempt raises ``PermissionDenied``, which makes Django stop at this backend (the plain
``ModelBackend`` later in ``AUTHENTICATION_BACKENDS`` only restores sessions and never
checks a password a second time). The refusal is left on the request as
``request.login_refusal`` so the login page can answer 429 with a Retry-After.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jamlik.accounts import throttle


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None or password is None:
            return None  # not a password login: leave it to other backends
        try:
            attempt = throttle.reserve(username)
        except throttle.LoginRefused as exc:
            _note(request, exc.refusal)
            raise PermissionDenied from exc
        try:
            with throttle.hashing_slot():
                user = super().authenticate(request, username, password, **kwargs)
        except throttle.LoginRefused as exc:
            throttle.cancel(username, attempt)
            _note(request, exc.refusal)
            raise PermissionDenied from exc
        if user is None:
            throttle.record_failure(username, attempt)
            raise PermissionDenied
        throttle.record_success(username)
        return user


def _note(request: HttpRequest | None, refusal: throttle.LoginRefusal) -> None:
    if request is not None:
        request.login_refusal = refusal  # type: ignore[attr-defined]

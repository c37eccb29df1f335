"""API tokens: created on the user's account page, shown once, stored as a digest.

A token acts as its user, with that user's roles: the API's permission checks see the
user, so a token cannot do more than its owner could in the browser. Clients send
``Authorization: Bearer <token>``; :class:`jamlik.core.middleware.ApiTokenMiddleware`
resolves it (only under ``/api/``, and without the session's CSRF check: a browser never
adds this header by itself).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.utils import timezone

from jamlik.accounts.models import ApiToken

#: Every token starts with this, so a leaked one is easy to recognise (secret scanners).
TOKEN_PREFIX = "jamlik_"
PREFIX_SHOWN = len(TOKEN_PREFIX) + 5


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and its secret, which is never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "API", prefix=secret[:PREFIX_SHOWN], digest=_digest(secret)
    )
    return token, secret


def user_for(secret: str) -> tuple[Any, ApiToken] | None:
    """The active user a secret belongs to (and its token), or None if wrong or revoked."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])

"""Session lifetimes: an idle timeout besides the absolute one.

Django's session age alone is either absolute (never refreshed) or idle (refreshed on
every save), not both. The login time and the last activity are kept in the session;
``SESSION_IDLE_TIMEOUT`` (seconds, ``JAMLIK_SESSION_IDLE_HOURS``, default 8 h) and
``SESSION_ABSOLUTE_TIMEOUT`` (seconds, default ``SESSION_COOKIE_AGE``) are checked on each
request by :class:`jamlik.core.middleware.SessionTimeoutMiddleware`. The last activity is
written at most once a minute, so reading pages does not write the session each time.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest

LOGIN_AT = "jamlik_login_at"
SEEN_AT = "jamlik_seen_at"
TOUCH_EVERY = 60  # seconds


def mark_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: the absolute timeout counts from here."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now


def expire_if_stale(request: HttpRequest) -> bool:
    """Log the user out if idle or logged in too long; True if that happened."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return False
    session = request.session
    now = int(time.time())
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        session[LOGIN_AT] = login_at or now  # a session from before this check existed
        session[SEEN_AT] = now
        return False
    idle = int(getattr(settings, "SESSION_IDLE_TIMEOUT", 8 * 3600))
    absolute = int(getattr(settings, "SESSION_ABSOLUTE_TIMEOUT", settings.SESSION_COOKIE_AGE))
    if now - seen_at > idle or now - login_at > absolute:
        logout(request)
        return True
    if now - seen_at >= TOUCH_EVERY:
        session[SEEN_AT] = now
    return False

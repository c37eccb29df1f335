"""Login throttling: a delay per user name that grows with failures, and a cap on hashing.

Why not a lock per (user name, address) as django-axes did: behind a proxy every visitor
has the proxy's address, so five wrong passwords locked anyone's account for an hour, and
the check ran before the attempt was counted, so twenty simultaneous guesses were all
checked against a limit of five. Here:

* **Per user name, growing delay.** The first ``LOGIN_FREE_FAILURES`` failures cost
  nothing. After that the next attempt must wait ``LOGIN_DELAY_SECONDS`` × 2^(extra
  failures), at most ``LOGIN_MAX_DELAY_SECONDS``. A correct password during the wait is
  refused too (otherwise the wait would not slow a guesser), but no other user is touched.
* **Counted before checking.** An attempt first *reserves* its place with one conditional
  UPDATE (``failures + 1`` where the user name is not waiting); only a reserved attempt is
  checked. The database serialises the UPDATE, so concurrent guesses are all counted and
  no more than the free ones run at once; past them, a reservation also sets a short hold
  so that one attempt at a time is checked.
* **Bounded hashing.** An Argon2 check takes ~100 MiB; at most ``LOGIN_MAX_CONCURRENT_HASHES``
  run at once per process. An attempt that cannot start within ``LOGIN_HASH_WAIT_SECONDS``
  is answered "busy, try again" and is not counted as a failure.

``unlock(username)`` clears a user name (``jamlik manage unlock USERNAME``, or the admin's
"Unlock" action).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, When
from django.utils import timezone

from jamlik.accounts.models import LoginThrottle

#: How long a reservation past the free failures holds the user name while its password
#: is checked; released when the check ends (it only matters if the process dies).
HOLD_SECONDS = 60


@dataclass(frozen=True)
class LoginRefusal:
    """Why an attempt was not checked, and when to try again (seconds, rounded up)."""

    reason: str  # "delay" (the user name must wait) or "busy" (too many checks at once)
    retry_after: int


class LoginRefused(Exception):
    def __init__(self, refusal: LoginRefusal) -> None:
        super().__init__(refusal.reason)
        self.refusal = refusal


def _key(username: str) -> str:
    return username.strip().casefold()[:150]


def _free() -> int:
    return int(getattr(settings, "LOGIN_FREE_FAILURES", 5))


def delay_after(failures: int) -> timedelta:
    """The wait after ``failures`` failed attempts: none, then doubling, then the cap."""
    free = _free()
    if failures < free:
        return timedelta(0)
    base = float(getattr(settings, "LOGIN_DELAY_SECONDS", 30))
    cap = float(getattr(settings, "LOGIN_MAX_DELAY_SECONDS", 900))
    return timedelta(seconds=min(cap, base * 2 ** min(failures - free, 30)))


def _seconds_until(moment: datetime | None, now: datetime) -> int:
    if moment is None:
        return 1
    return max(1, math.ceil((moment - now).total_seconds()))


def reserve(username: str) -> int:
    """Count one attempt for ``username`` before its password is checked.

    Returns the attempt's number (failures so far, this one included); raises
    :class:`LoginRefused` if the user name must wait. One UPDATE decides, so concurrent
    attempts cannot all slip under the limit.
    """
    key = _key(username)
    now = timezone.now()
    if not LoginThrottle.objects.filter(username=key).exists():
        try:
            with transaction.atomic():
                LoginThrottle.objects.create(username=key)
        except IntegrityError:
            pass  # a concurrent attempt created it
    free = _free()
    waiting_over = Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    reserved = LoginThrottle.objects.filter(
        Q(username=key) & (Q(failures__lt=free - 1) | waiting_over)
    ).update(
        failures=F("failures") + 1,
        last_attempt_at=now,
        # The attempt that reaches the free limit, and each one after it, holds the name
        # so that the next one waits for its outcome.
        locked_until=Case(
            When(failures__gte=free - 1, then=now + timedelta(seconds=HOLD_SECONDS)),
            default=F("locked_until"),
        ),
    )
    row = LoginThrottle.objects.get(username=key)
    if not reserved:
        raise LoginRefused(LoginRefusal("delay", _seconds_until(row.locked_until, now)))
    return row.failures


def record_failure(username: str, attempt: int) -> None:
    """The reserved attempt number ``attempt`` failed: start the wait it earned."""
    wait = delay_after(attempt)
    if wait:
        LoginThrottle.objects.filter(username=_key(username)).update(
            locked_until=timezone.now() + wait
        )


def record_success(username: str) -> None:
    LoginThrottle.objects.filter(username=_key(username)).update(failures=0, locked_until=None)


def cancel(username: str, attempt: int) -> None:
    """Give back a reservation whose password was never checked (the server was busy)."""
    fields: dict = {"failures": Case(When(failures__gt=0, then=F("failures") - 1), default=0)}
    if attempt >= _free():
        fields["locked_until"] = None  # the hold was ours alone
    LoginThrottle.objects.filter(username=_key(username)).update(**fields)


def unlock(username: str) -> bool:
    """Clear a user name's failures and wait (admin unlock). True if it had any."""
    return bool(
        LoginThrottle.objects.filter(username=_key(username))
        .exclude(failures=0, locked_until__isnull=True)
        .update(failures=0, locked_until=None)
    )


def status(username: str) -> LoginThrottle | None:
    return LoginThrottle.objects.filter(username=_key(username)).first()


# ---- the cap on concurrent password checks -----------------------------------------

_hash_lock = threading.Lock()
_hash_slots: threading.BoundedSemaphore | None = None
_hash_slots_size = 0


def _slots() -> threading.BoundedSemaphore:
    """The process's semaphore, rebuilt if the setting changed (tests change it)."""
    global _hash_slots, _hash_slots_size
    size = max(1, int(getattr(settings, "LOGIN_MAX_CONCURRENT_HASHES", 2)))
    with _hash_lock:
        if _hash_slots is None or size != _hash_slots_size:
            _hash_slots, _hash_slots_size = threading.BoundedSemaphore(size), size
        return _hash_slots


@contextmanager
def hashing_slot() -> Iterator[None]:
    """Wait (briefly) for a free password-checking slot, or refuse as "busy"."""
    slots = _slots()
    wait = float(getattr(settings, "LOGIN_HASH_WAIT_SECONDS", 5))
    if not slots.acquire(timeout=wait):
        raise LoginRefused(LoginRefusal("busy", max(1, math.ceil(wait))))
    try:
        yield
    finally:
        slots.release()

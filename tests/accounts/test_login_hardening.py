"""Login hardening: per-user-name growing delay, counted before checking, bounded hashing,
admin unlock, and idle/absolute session timeouts."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from jamlik.accounts import throttle
from jamlik.accounts.models import LoginThrottle

LOGIN = "/konto/logga-in/"


@pytest.fixture
def fast_hash(settings):
    """The throttle's settings as documented (tests below change some)."""
    settings.LOGIN_FREE_FAILURES = 5
    settings.LOGIN_DELAY_SECONDS = 30
    settings.LOGIN_MAX_DELAY_SECONDS = 900
    return settings


def _fail(client: Client, username: str = "botkyrka", **extra: str):
    return client.post(LOGIN, {"username": username, "password": "wrong"}, **extra)


def _wait_over(username: str) -> None:
    LoginThrottle.objects.filter(username=username).update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )


def test_delay_starts_after_the_free_failures_and_doubles_to_a_cap(fast_hash):
    assert [throttle.delay_after(n).total_seconds() for n in range(3, 10)] == [
        0,  # 3 failures: free
        0,  # 4: free
        30,  # 5 failures: the first delay
        60,
        120,
        240,
        480,
    ]
    assert throttle.delay_after(40).total_seconds() == 900  # the cap


def test_correct_password_during_the_delay_is_refused_with_429_and_retry_after(
    client, users, fast_hash
):
    for _ in range(5):
        assert _fail(client).status_code == 200
    refused = client.post(LOGIN, {"username": "botkyrka", "password": "jamlik-demo"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 30
    assert "Too many failed attempts" in refused.content.decode() or "misslyckade" in (
        refused.content.decode()
    )
    assert "_auth_user_id" not in client.session
    # Once the delay has passed, the correct password works and clears the count.
    _wait_over("botkyrka")
    assert (
        client.post(LOGIN, {"username": "botkyrka", "password": "jamlik-demo"}).status_code == 302
    )
    assert LoginThrottle.objects.get(username="botkyrka").failures == 0


def test_each_further_failure_doubles_the_delay(client, users, fast_hash):
    for _ in range(5):
        _fail(client)
    row = LoginThrottle.objects.get(username="botkyrka")
    first = (row.locked_until - timezone.now()).total_seconds()
    _wait_over("botkyrka")
    assert _fail(client).status_code == 200  # checked (and wrong) after the wait
    row.refresh_from_db()
    assert row.failures == 6
    second = (row.locked_until - timezone.now()).total_seconds()
    assert 25 < first <= 30 and 55 < second <= 60


def test_one_locked_user_name_never_affects_another_from_the_same_address(client, users, fast_hash):
    """Behind a proxy everyone shares one address: locking botkyrka must not touch lidingo."""
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(8):
        _fail(client, **proxy)
    other = Client()
    ok = other.post(LOGIN, {"username": "lidingo", "password": "jamlik-demo"}, **proxy)
    assert ok.status_code == 302


def test_the_lock_is_not_a_one_hour_hard_lock(client, users, fast_hash):
    for _ in range(5):
        _fail(client)
    wait = LoginThrottle.objects.get(username="botkyrka").locked_until - timezone.now()
    assert wait <= timedelta(seconds=30)


def test_concurrent_guesses_are_all_counted_and_only_the_free_ones_checked(users, fast_hash):
    """20 attempts in flight at once (none finished yet): only 5 get a reservation."""
    granted, refused = [], []
    for _ in range(20):
        try:
            granted.append(throttle.reserve("botkyrka"))
        except throttle.LoginRefused as exc:
            refused.append(exc.refusal)
    assert granted == [1, 2, 3, 4, 5]
    assert len(refused) == 15 and {r.reason for r in refused} == {"delay"}
    # the fifth holds the name until its outcome is known
    assert LoginThrottle.objects.get(username="botkyrka").locked_until > timezone.now()


def test_user_name_case_and_spaces_share_one_counter(users, fast_hash):
    for name in ("botkyrka", "Botkyrka", " BOTKYRKA ", "botkyrka", "botkyrka"):
        throttle.reserve(name)
    with pytest.raises(throttle.LoginRefused):
        throttle.reserve("BotKyrka")


def test_password_checks_beyond_the_cap_wait_then_get_busy(client, users, fast_hash):
    """At most LOGIN_MAX_CONCURRENT_HASHES checks run at once; others wait, then 429 busy."""
    fast_hash.LOGIN_MAX_CONCURRENT_HASHES = 1
    fast_hash.LOGIN_HASH_WAIT_SECONDS = 0.2
    slots = throttle._slots()
    assert slots.acquire(timeout=1)  # a long check is running
    try:
        started = time.monotonic()
        busy = client.post(LOGIN, {"username": "lidingo", "password": "jamlik-demo"})
        assert time.monotonic() - started >= 0.2
    finally:
        slots.release()
    assert busy.status_code == 429 and busy["Retry-After"] == "1"
    assert "busy" in busy.content.decode() or "upptagen" in busy.content.decode()
    # A busy refusal is not a failure: the count was given back.
    assert LoginThrottle.objects.get(username="lidingo").failures == 0
    assert client.post(LOGIN, {"username": "lidingo", "password": "jamlik-demo"}).status_code == 302


def test_concurrent_checks_never_exceed_the_cap(fast_hash):
    fast_hash.LOGIN_MAX_CONCURRENT_HASHES = 2
    fast_hash.LOGIN_HASH_WAIT_SECONDS = 5
    running, peak, lock = [0], [0], threading.Lock()

    def check() -> None:
        with throttle.hashing_slot():
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            time.sleep(0.02)
            with lock:
                running[0] -= 1

    threads = [threading.Thread(target=check) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 2


def test_admin_unlock_command_lets_the_user_in_at_once(client, users, fast_hash):
    for _ in range(5):
        _fail(client)
    out = StringIO()
    call_command("unlock", "botkyrka", stdout=out)
    assert "botkyrka: unlocked" in out.getvalue()
    assert (
        client.post(LOGIN, {"username": "botkyrka", "password": "jamlik-demo"}).status_code == 302
    )


def test_admin_unlock_action(client_for, users, fast_hash):
    for _ in range(5):
        _fail(Client())
    row = LoginThrottle.objects.get(username="botkyrka")
    admin = client_for("admin")
    response = admin.post(
        "/admin/accounts/loginthrottle/",
        {"action": "unlock", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.failures == 0 and row.locked_until is None


def test_admin_login_page_is_throttled_too(client, users, fast_hash):
    for _ in range(5):
        client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    client.post("/admin/login/", {"username": "admin", "password": "jamlik-demo"})
    assert "_auth_user_id" not in client.session


# ---- sessions ---------------------------------------------------------------------


def _age_session(client: Client, *, seen: int = 0, login: int = 0) -> None:
    from jamlik.accounts.sessions import LOGIN_AT, SEEN_AT

    session = client.session
    session[SEEN_AT] -= seen
    session[LOGIN_AT] -= login
    session.save()


def test_idle_session_is_logged_out(client, users, fast_hash):
    fast_hash.SESSION_IDLE_TIMEOUT = 8 * 3600
    assert (
        client.post(LOGIN, {"username": "botkyrka", "password": "jamlik-demo"}).status_code == 302
    )
    _age_session(client, seen=7 * 3600)
    client.get("/")
    assert "_auth_user_id" in client.session  # 7 h idle: still in
    _age_session(client, seen=8 * 3600 + 60)
    client.get("/")
    assert "_auth_user_id" not in client.session


def test_active_session_ends_at_the_absolute_timeout(client, users, fast_hash):
    fast_hash.SESSION_ABSOLUTE_TIMEOUT = 24 * 3600
    assert (
        client.post(LOGIN, {"username": "botkyrka", "password": "jamlik-demo"}).status_code == 302
    )
    _age_session(client, login=24 * 3600 + 1)  # active a moment ago, but logged in a day ago
    client.get("/")
    assert "_auth_user_id" not in client.session


def test_idle_timeout_is_configured_from_the_environment(monkeypatch):
    import importlib

    import jamlik.settings as module

    monkeypatch.setenv("JAMLIK_SESSION_IDLE_HOURS", "2")
    try:
        assert importlib.reload(module).SESSION_IDLE_TIMEOUT == 2 * 3600
        monkeypatch.delenv("JAMLIK_SESSION_IDLE_HOURS")
        assert importlib.reload(module).SESSION_IDLE_TIMEOUT == 8 * 3600
    finally:
        importlib.reload(module)

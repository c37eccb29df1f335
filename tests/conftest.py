"""Shared fixtures: the reference folder, geography and demo users loaded once per session."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the shared reference folder beside the repository ({SHARED})")
        pytest.skip(f"the shared reference folder is not beside the repository ({SHARED})")
    return SHARED


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # noqa: ANN001 - pytest-django fixture
    """The test database with Sweden's geography and the demo users, created once."""
    from jamlik.accounts.demo import seed as seed_users
    from jamlik.geo.services import load_geography

    with django_db_blocker.unblock():
        load_geography()
        seed_users(lambda _m: None)
    yield


def _ensure_base_data() -> None:
    """Reload geography and users if a transactional test flushed them."""
    from jamlik.accounts.demo import seed as seed_users
    from jamlik.geo.models import Area
    from jamlik.geo.services import load_geography

    if not Area.objects.filter(code="0127").exists():
        load_geography()
        seed_users(lambda _m: None)


def reset_database() -> None:
    """Empty every table and reload the base data (what a fresh test database holds).

    For fixtures that seed demo data once for many tests (outside the per-test
    transaction): they call this when done, so later tests start from the base again.
    ``flush`` sends post_migrate, so data that apps load after migrations comes back.
    """
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    _ensure_base_data()


def seeded_once(django_db_blocker, seed: Callable[..., Any]) -> Iterator[None]:  # noqa: ANN001
    """For a module- or package-scoped fixture: run ``seed`` (a demo seeder taking a
    progress callback) once outside the per-test transactions, and reset the database
    when the scope ends (``yield from seeded_once(django_db_blocker, seed)``)."""
    with django_db_blocker.unblock():
        seed(lambda _m: None)
    yield
    with django_db_blocker.unblock():
        reset_database()


@pytest.fixture
def geography(db):  # noqa: ANN001
    from jamlik.geo.models import Area

    _ensure_base_data()
    return Area.objects


@pytest.fixture
def county(geography):  # noqa: ANN001
    return geography.get(code="01")


@pytest.fixture
def botkyrka(geography):  # noqa: ANN001
    return geography.get(code="0127")


@pytest.fixture
def users(db) -> dict:  # noqa: ANN001
    from django.contrib.auth import get_user_model

    from jamlik.accounts.demo import DEMO_USERS

    _ensure_base_data()
    User = get_user_model()
    return {u.username: u for u in User.objects.filter(username__in=[d[0] for d in DEMO_USERS])}


@pytest.fixture
def client_for(users) -> Callable[[str], Client]:  # noqa: ANN001
    def make(username: str) -> Client:
        client = Client()
        client.force_login(users[username], backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make

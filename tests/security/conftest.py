"""Security suite fixtures: the whole demo installation, seeded once for this package.

Seeding every app's demo data takes tens of seconds, so it happens once (outside the
per-test transaction) and every test here is a plain ``db`` test that rolls back its own
changes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client


@pytest.fixture(scope="package")
def demo_db(django_db_setup, django_db_blocker):  # noqa: ANN001 - pytest-django fixtures
    """The test database with every app's demo data (seeded once for this package, and
    reset afterwards so other apps' tests start from the base data)."""
    from tests.conftest import reset_database

    from jamlik.setup import seed_demo

    with django_db_blocker.unblock():
        seed_demo(lambda _m: None)
    yield
    with django_db_blocker.unblock():
        reset_database()


@pytest.fixture(scope="package")
def crawled(demo_db, django_db_blocker):  # noqa: ANN001
    """Every page fetched by every kind of user (see ``crawl.py``), once per package run."""
    from .crawl import crawl

    with django_db_blocker.unblock():
        return crawl()


@pytest.fixture
def demo(demo_db, db) -> None:  # noqa: ANN001
    """A test on the seeded demo database (its own changes roll back)."""
    return None


@pytest.fixture
def as_user(demo) -> Callable[[str | None], Client]:  # noqa: ANN001
    """A Django test Client, logged in as the named demo user (None = anonymous)."""
    from django.contrib.auth import get_user_model

    def make(username: str | None) -> Client:
        client = Client()
        if username:
            user = get_user_model().objects.get(username=username)
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make

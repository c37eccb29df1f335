"""Demo data seeded once per test session for the page, API and service tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="package")
def _demo_db(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN202
    """Seeded once for this package; the database is reset afterwards for other apps' tests."""
    from tests.conftest import reset_database

    from jamlik.indicators.demo import seed

    with django_db_blocker.unblock():
        seed(lambda _m: None)
    yield
    with django_db_blocker.unblock():
        reset_database()


@pytest.fixture
def demo(_demo_db, db, geography):  # noqa: ANN001, ANN201
    """The invented demo observations (seeded once; tests run in transactions)."""
    from jamlik.indicators.models import Observation

    return Observation.objects

"""Demo data seeded once per test session for the page, API and service tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="package")
def _demo_db(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN202
    """Seeded once for this package; the database is reset afterwards for other apps' tests."""
    from tests.conftest import seeded_once

    from jamlik.indicators.demo import seed

    yield from seeded_once(django_db_blocker, seed)


@pytest.fixture
def demo(_demo_db, db, geography):  # noqa: ANN001, ANN201
    """The invented demo observations (seeded once; tests run in transactions)."""
    from jamlik.indicators.models import Observation

    return Observation.objects

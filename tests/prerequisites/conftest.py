from __future__ import annotations

import pytest


@pytest.fixture
def demo(geography):  # noqa: ANN001
    """The prerequisites demo for Stockholms län (invented data), seeded in this test's
    transaction."""
    from jamlik.prerequisites.demo import seed

    seed(lambda _m: None)
    return geography.get(code="01")


@pytest.fixture
def open_round(demo):  # noqa: ANN001
    from jamlik.prerequisites.models import Round

    return Round.objects.get(county=demo, year=2023)

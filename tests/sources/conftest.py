"""Fixtures for the connector tests: hand-made responses in the APIs' exact shapes."""

from __future__ import annotations

import pytest

from jamlik.sources.http import JsonHttp, RetryPolicy


@pytest.fixture
def sleeps() -> list[float]:
    """Records the pauses a client asked for instead of sleeping."""
    return []


@pytest.fixture
def http(sleeps: list[float]) -> JsonHttp:
    """A JsonHttp whose sleep only records the delay, so retries cost no time."""
    return JsonHttp("Test service", retry=RetryPolicy(attempts=4, backoff=0.5), sleep=sleeps.append)


# The local replay server (tests/sources/replay.py), for tests in this folder.
from .replay import replay  # noqa: E402, F401

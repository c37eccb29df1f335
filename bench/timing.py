"""Timers and counters the page and API benchmarks share, so that every figure they compare
is taken the same way: a request through Django's test client, a median of repeats, the SQL
statements a piece of work sends.

Django is imported inside the functions: a benchmark sets Django up on its own database
after importing this.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

#: The host the test client says it asks: the one demo mode allows besides ``testserver``.
HOST = {"HTTP_HOST": "127.0.0.1"}


def get(client: Any, url: str) -> bytes:
    """``GET url`` through a test client, asserted to answer 200, and its body.

    A streamed answer (the API's CSV) is read to the end here, so that its timing covers
    the rows it writes; for any other answer the body is already there and costs nothing.
    """
    response = client.get(url, **HOST)
    assert response.status_code == 200, (url, response.status_code)
    return b"".join(response.streaming_content) if response.streaming else response.content


def seconds(work: Callable[[], Any]) -> float:
    """Wall-clock seconds of one call of ``work``."""
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def median_seconds(
    work: Callable[[], Any], repeats: int, *, before: Callable[[], Any] | None = None
) -> float:
    """Median wall-clock seconds of ``repeats`` calls of ``work`` (the median, as other
    processes on a shared machine stretch a few runs).

    ``before`` runs untimed ahead of every call: ``cache.clear`` gives cold timings.
    """
    times = []
    for _ in range(repeats):
        if before:
            before()
        times.append(seconds(work))
    return statistics.median(times)


def median_ms(
    work: Callable[[], Any], repeats: int, *, before: Callable[[], Any] | None = None
) -> float:
    """:func:`median_seconds` in milliseconds."""
    return median_seconds(work, repeats, before=before) * 1000


def count_queries(work: Callable[[], T]) -> tuple[int, T]:
    """How many SQL statements ``work()`` sends on the default connection, and its result.

    Counted at the cursor: in demo mode ``DEBUG`` is on and Django empties its query log
    at every request, so counting the log can miss what a request sent.
    """
    from django.db import connection

    count = 0

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        result = work()
    return count, result

"""Statistics of a load test: requests per second, errors and latency percentiles.

Kept apart from ``bench_load.py`` (and free of locust, gevent and Django) so that a
test can check the arithmetic on hand-made samples, and so that the figures come from
every recorded request rather than from a load tool's rounded histogram.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

#: The name under which the figures over every URL are reported.
OVERALL = "all"


@dataclass(frozen=True)
class Sample:
    """One request: which URL (``name``), how long it took, and whether it succeeded
    (an answer below 400; a refused connection, timeout or server error is not)."""

    name: str
    seconds: float
    ok: bool


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0 < q ≤ 100) by the nearest-rank method: the smallest value
    with at least ``q`` % of the values at or below it (always an observed value, so a
    p99 over a few requests is the slowest one, not an interpolation). NaN when empty."""
    if not 0 < q <= 100:
        raise ValueError(f"q must be in (0, 100]; got {q}")
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = math.ceil(q / 100 * len(ordered))
    return ordered[max(rank, 1) - 1]


@dataclass(frozen=True)
class Summary:
    """The figures of one URL (or of all): latencies in milliseconds."""

    requests: int
    errors: int
    per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def summarise(samples: Iterable[Sample], seconds: float) -> dict[str, Summary]:
    """Per URL and over all (``OVERALL``), for samples recorded over ``seconds``.

    Latency percentiles count every request, failed ones too (a timeout is a slow answer
    as far as a user is concerned); ``errors`` counts the failed ones.
    """
    if seconds <= 0:
        raise ValueError("seconds must be positive")
    by_name: dict[str, list[Sample]] = {}
    everything: list[Sample] = []
    for sample in samples:
        by_name.setdefault(sample.name, []).append(sample)
        everything.append(sample)
    result = {name: _summary(group, seconds) for name, group in sorted(by_name.items())}
    result[OVERALL] = _summary(everything, seconds)
    return result


def _summary(samples: Sequence[Sample], seconds: float) -> Summary:
    times = [s.seconds * 1000 for s in samples]
    return Summary(
        requests=len(samples),
        errors=sum(not s.ok for s in samples),
        per_second=len(samples) / seconds,
        p50_ms=percentile(times, 50),
        p95_ms=percentile(times, 95),
        p99_ms=percentile(times, 99),
        mean_ms=sum(times) / len(times) if times else math.nan,
        max_ms=max(times) if times else math.nan,
    )


def table(summaries: dict[str, Summary]) -> list[str]:
    """The figures as aligned text lines, one per URL, the overall line last."""
    width = max((len(name) for name in summaries), default=10)
    lines = [
        f"{'url':<{width}}  {'req':>6} {'err':>4} {'req/s':>7} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    ]
    for name, s in summaries.items():
        lines.append(
            f"{name:<{width}}  {s.requests:>6} {s.errors:>4} {s.per_second:>7.1f} "
            f"{s.p50_ms:>8.0f} {s.p95_ms:>8.0f} {s.p99_ms:>8.0f} {s.max_ms:>8.0f}"
        )
    return lines

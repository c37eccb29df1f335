"""The load test's statistics (``bench/load_stats.py``): percentiles and error counts on
hand-made samples. The load test itself is a benchmark and does not run here."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "load_stats", Path(__file__).resolve().parents[2] / "bench" / "load_stats.py"
)
assert _spec and _spec.loader
stats = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("load_stats", stats)  # dataclasses look their module up there
_spec.loader.exec_module(stats)


def test_percentiles_are_nearest_rank_observed_values() -> None:
    hundred = [float(v) for v in range(100, 0, -1)]  # 1..100, unsorted
    assert stats.percentile(hundred, 50) == 50
    assert stats.percentile(hundred, 95) == 95
    assert stats.percentile(hundred, 99) == 99
    assert stats.percentile(hundred, 100) == 100
    assert stats.percentile([7.0], 1) == stats.percentile([7.0], 99) == 7
    assert stats.percentile([1.0, 2.0, 3.0], 50) == 2  # ceil(1.5) = 2nd
    assert stats.percentile([1.0, 2.0, 3.0, 4.0], 50) == 2  # 2nd of 4, not 2.5
    assert math.isnan(stats.percentile([], 95))
    with pytest.raises(ValueError):
        stats.percentile([1.0], 0)


def test_summary_counts_errors_per_url_and_overall() -> None:
    Sample = stats.Sample
    samples = [Sample("/a", t / 1000, True) for t in range(1, 21)]  # 1..20 ms
    samples += [Sample("/b", 2.0, False), Sample("/b", 0.5, True), Sample("/b", 30.0, False)]
    summary = stats.summarise(samples, seconds=10)
    a, b, everything = summary["/a"], summary["/b"], summary[stats.OVERALL]
    assert (a.requests, a.errors, a.per_second) == (20, 0, 2.0)
    assert (a.p50_ms, a.p95_ms, a.p99_ms, a.max_ms) == pytest.approx((10, 19, 20, 20))
    assert (b.requests, b.errors) == (3, 2)
    assert (b.p50_ms, b.p99_ms) == pytest.approx((2000, 30000))  # failures count as slow
    assert (everything.requests, everything.errors, everything.per_second) == (23, 2, 2.3)
    assert everything.max_ms == pytest.approx(30000)
    assert list(summary)[-1] == stats.OVERALL
    assert len(stats.table(summary)) == 4

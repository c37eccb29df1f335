"""Benchmark of jamlik.stats: each statistic on one million rows, against naive Python.

Run with ``python bench/bench_stats.py`` (or call :func:`main`). For every
statistic the vectorised library call is timed on 1 000 000 rows (SII on
10 000 groups of 10 quantiles), and a naive implementation that loops over rows
(or groups) in plain Python is timed on a smaller sample in the same run and
scaled linearly to one million rows; the table says which sample size was used.
Library timings are the best of three runs after a warm-up call.
Results are printed and written as JSON to ``bench/results/bench_stats.json``.
"""

from __future__ import annotations

import math
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from jamlik import stats
from jamlik.stats import inequality

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import write_results  # noqa: E402 - beside this file

MILLION = 1_000_000
SEED = 20_240_601
SII_GROUPS = 10_000
SII_REPETITIONS = 1_000


@dataclass
class Row:
    statistic: str
    rows: int
    seconds: float
    seconds_per_million: float
    naive_rows: int
    naive_seconds: float
    naive_seconds_per_million: float
    speed_up: float
    note: str


def _time(function: Callable[[], Any], repeats: int = 1) -> float:
    """Best of ``repeats`` wall-clock timings (the machine is shared)."""
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def _measure(
    name: str,
    rows: int,
    fast: Callable[[], Any],
    naive_rows: int,
    naive: Callable[[], Any],
    note: str = "",
) -> Row:
    seconds = _time(fast, repeats=3)
    naive_seconds = _time(naive)
    per_million = seconds * MILLION / rows
    naive_per_million = naive_seconds * MILLION / naive_rows
    return Row(
        name, rows, seconds, per_million, naive_rows, naive_seconds, naive_per_million,
        naive_per_million / per_million, note,
    )  # fmt: skip


# --- naive per-row implementations (the same formulas, one row at a time) -------------

Z95 = statistics.NormalDist().inv_cdf(0.975)


def _naive_wilson(xs: np.ndarray, ns: np.ndarray) -> list[tuple[float, float, float]]:
    out = []
    for x, n in zip(xs.tolist(), ns.tolist(), strict=True):
        p = x / n
        spread = Z95 * math.sqrt(Z95**2 + 4 * x * (1 - p))
        denominator = 2 * (n + Z95**2)
        out.append(
            (p, (2 * x + Z95**2 - spread) / denominator, (2 * x + Z95**2 + spread) / denominator)
        )
    return out


def _naive_rate(xs: np.ndarray, ns: np.ndarray) -> list[tuple[float, float, float]]:
    out = []
    for x, n in zip(xs.tolist(), ns.tolist(), strict=True):
        if x < 10:
            low = sps.chi2.ppf(0.025, 2 * x) / 2 if x > 0 else 0.0
            high = sps.chi2.ppf(0.975, 2 * x + 2) / 2
        else:
            low = x * (1 - 1 / (9 * x) - Z95 / (3 * math.sqrt(x))) ** 3
            x1 = x + 1
            high = x1 * (1 - 1 / (9 * x1) + Z95 / (3 * math.sqrt(x1))) ** 3
        out.append((x / n * 1e5, low / n * 1e5, high / n * 1e5))
    return out


def _naive_mean(values: np.ndarray, groups: np.ndarray) -> dict[int, tuple[float, float, float]]:
    buckets: dict[int, list[float]] = {}
    for value, group in zip(values.tolist(), groups.tolist(), strict=True):
        buckets.setdefault(group, []).append(value)
    out = {}
    for group, items in buckets.items():
        m = statistics.fmean(items)
        half = sps.t.ppf(0.975, len(items) - 1) * statistics.stdev(items) / math.sqrt(len(items))
        out[group] = (m, m - half, m + half)
    return out


def _naive_dsr(counts: np.ndarray, pops: np.ndarray, weights: np.ndarray) -> list[float]:
    out = []
    bands = len(weights)
    total_w = float(sum(weights))
    for start in range(0, len(counts), bands):
        value = variance = observed = 0.0
        for j in range(bands):
            x, n, w = float(counts[start + j]), float(pops[start + j]), float(weights[j])
            value += w * x / n
            variance += (w / n) ** 2 * x
            observed += x
        value /= total_w
        variance /= total_w**2
        low = observed * (1 - 1 / (9 * observed) - Z95 / (3 * math.sqrt(observed))) ** 3
        out.append(value + math.sqrt(variance / observed) * (low - observed))
    return out


def _naive_isr(counts: np.ndarray, pops: np.ndarray, ref_rates: np.ndarray) -> list[float]:
    out = []
    bands = len(ref_rates)
    for start in range(0, len(counts), bands):
        observed = expected = 0.0
        for j in range(bands):
            observed += float(counts[start + j])
            expected += float(pops[start + j]) * float(ref_rates[j])
        out.append(observed / expected)
    return out


def _naive_life_expectancy(deaths: np.ndarray, pops: np.ndarray, ages: list[int]) -> list[float]:
    out = []
    k = len(ages)
    for start in range(0, len(deaths), k):
        survivors, total = 100_000.0, 0.0
        for j in range(k - 1):
            n = ages[j + 1] - ages[j]
            a = 0.1 if ages[j] == 0 else 0.5
            m = deaths[start + j] / pops[start + j]
            q = n * m / (1 + (1 - a) * n * m)
            dying = survivors * q
            total += n * (survivors - dying + a * dying)
            survivors -= dying
        total += survivors / (deaths[start + k - 1] / pops[start + k - 1])
        out.append(total / 100_000.0)
    return out


def _naive_sii(
    values: np.ndarray, ses: np.ndarray, pops: np.ndarray, reps: int
) -> list[tuple[float, float, float]]:
    rng = np.random.default_rng(SEED)
    out = []
    k = values.shape[1]
    for g in range(values.shape[0]):
        share = [float(p) / float(pops[g].sum()) for p in pops[g]]
        rank, cumulative = [], 0.0
        for s in share:
            rank.append(cumulative + s / 2)
            cumulative += s
        rank_mean = sum(s * r for s, r in zip(share, rank, strict=True))
        sxx = sum(s * (r - rank_mean) ** 2 for s, r in zip(share, rank, strict=True))

        def slope(y: list[float], share=share, rank=rank, rank_mean=rank_mean, sxx=sxx) -> float:
            return (
                sum(s * (r - rank_mean) * v for s, r, v in zip(share, rank, y, strict=True)) / sxx
            )

        estimate = slope(values[g].tolist())
        simulated = sorted(
            slope([float(values[g, j] + ses[g, j] * rng.standard_normal()) for j in range(k)])
            for _ in range(reps)
        )
        out.append((estimate, simulated[int(0.025 * reps)], simulated[int(0.975 * reps)]))
    return out


def _naive_quantiles(values: np.ndarray, groups: np.ndarray, q: int) -> list[float]:
    buckets: dict[int, list[tuple[float, int]]] = {}
    for i, (value, group) in enumerate(zip(values.tolist(), groups.tolist(), strict=True)):
        buckets.setdefault(group, []).append((value, i))
    out = [0.0] * len(values)
    for items in buckets.values():
        items.sort()
        size = len(items)
        for position, (_, i) in enumerate(items):
            out[i] = math.floor(q + 1 - math.ceil((size - position) * q / size))
    return out


def _naive_compare(value: np.ndarray, low: np.ndarray, high: np.ndarray, bench: float) -> list[str]:
    out = []
    for _v, lo, hi in zip(value.tolist(), low.tolist(), high.tolist(), strict=True):
        if hi < bench:
            out.append("worse")
        elif lo > bench:
            out.append("better")
        else:
            out.append("similar")
    return out


def _naive_trend(years: list[int], values: np.ndarray, se: np.ndarray) -> list[bool]:
    out = []
    critical = sps.chi2.ppf(0.998, 1)
    for s in range(values.shape[0]):
        w = [1 / float(e) ** 2 for e in se[s]]
        y = values[s].tolist()
        sw = sum(w)
        xm = sum(wi * xi for wi, xi in zip(w, years, strict=True)) / sw
        ym = sum(wi * yi for wi, yi in zip(w, y, strict=True)) / sw
        sxx = sum(wi * (xi - xm) ** 2 for wi, xi in zip(w, years, strict=True))
        slope = (
            sum(wi * (xi - xm) * (yi - ym) for wi, xi, yi in zip(w, years, y, strict=True)) / sxx
        )
        out.append(slope**2 * sxx > critical)
    return out


def _naive_funnel(xs: np.ndarray, ns: np.ndarray) -> list[str]:
    average = float(xs.sum() / ns.sum())
    z2 = Z95**2
    out = []
    for x, n in zip(xs.tolist(), ns.tolist(), strict=True):
        first = average * (n / z2 + 1)
        root = math.sqrt(
            (-8 * average * (n / z2 + 1)) ** 2
            - 64
            * (1 / z2 + 1 / n)
            * average
            * (n * (average * (n / z2 + 2) - 1) + z2 * (average - 1))
        )
        last = 1 / z2 + 1 / n
        low, high = (first - root / 8) / last / n, (first + root / 8) / last / n
        p = x / n
        out.append("High" if p > high else "Low" if p < low else "Not significant")
    return out


def _naive_suppress(a: np.ndarray, b: np.ndarray, threshold: int = 5) -> list[tuple[float, float]]:
    out = []
    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        hide_x, hide_y = 0 < x < threshold, 0 < y < threshold
        if hide_x != hide_y:
            hide_x = hide_y = True
        out.append((math.nan if hide_x else x, math.nan if hide_y else y))
    return out


def _naive_bgv(est: np.ndarray, pop: np.ndarray) -> float:
    total = sum(pop.tolist())
    mu = sum(p / total * e for p, e in zip(pop.tolist(), est.tolist(), strict=True))
    return sum(p / total * (e - mu) ** 2 for p, e in zip(pop.tolist(), est.tolist(), strict=True))


def _naive_theil(est: np.ndarray, pop: np.ndarray) -> float:
    total = sum(pop.tolist())
    mu = sum(p / total * e for p, e in zip(pop.tolist(), est.tolist(), strict=True))
    return 1000 * sum(
        p / total * (e / mu) * math.log(e / mu)
        for p, e in zip(pop.tolist(), est.tolist(), strict=True)
    )


# --- the benchmark ------------------------------------------------------------------------


def _warm_up() -> None:
    """First calls pay for imports and SciPy set-up; keep that out of the timings."""
    stats.proportion([1], [2])
    stats.rate([1, 20], [100, 100])
    stats.mean([1.0, 2.0])


def run() -> list[Row]:
    _warm_up()
    rng = np.random.default_rng(SEED)
    results: list[Row] = []
    n = MILLION
    small = 20_000

    denominators = rng.integers(50, 100_000, n).astype(float)
    numerators = rng.binomial(denominators.astype(np.int64), 0.2).astype(float)
    results.append(_measure(
        "proportion (Wilson)", n, lambda: stats.proportion(numerators, denominators),
        small * 5, lambda: _naive_wilson(numerators[: small * 5], denominators[: small * 5]),
    ))  # fmt: skip

    events = rng.poisson(30, n).astype(float)
    results.append(_measure(
        "rate (exact/Byar's)", n, lambda: stats.rate(events, denominators),
        small, lambda: _naive_rate(events[:small], denominators[:small]),
    ))  # fmt: skip

    values = rng.normal(50, 10, n)
    mean_groups = np.repeat(np.arange(n // 10), 10)
    results.append(_measure(
        "mean (Student's t), 100 000 groups", n, lambda: stats.mean(values, by=mean_groups),
        small, lambda: _naive_mean(values[:small], mean_groups[:small]),
    ))  # fmt: skip

    bands = len(stats.ESP2013)
    groups = n // bands
    rows = groups * bands
    band_pops = rng.integers(500, 5000, rows).astype(float)
    band_deaths = rng.poisson(band_pops * 0.01).astype(float)
    frame = pd.DataFrame(
        {"g": np.repeat(np.arange(groups), bands), "count": band_deaths, "pop": band_pops}
    )
    weights = np.array(stats.ESP2013, dtype=float)
    naive_rows = bands * 1000
    results.append(_measure(
        "dsr (Dobson), 52 631 groups x 19 bands", rows,
        lambda: stats.dsr(frame, count="count", pop="pop", standard_pop=stats.ESP2013, by="g"),
        naive_rows, lambda: _naive_dsr(band_deaths[:naive_rows], band_pops[:naive_rows], weights),
    ))  # fmt: skip

    ref_rates = np.linspace(0.001, 0.1, bands)
    results.append(_measure(
        "isr (indirect), 52 631 groups x 19 bands", rows,
        lambda: stats.isr(
            frame, count="count", pop="pop", ref_count=ref_rates * 1e6, ref_pop=[1e6] * bands, by="g"
        ),
        naive_rows, lambda: _naive_isr(band_deaths[:naive_rows], band_pops[:naive_rows], ref_rates),
    ))  # fmt: skip

    ages = [0, 1, *range(5, 95, 5)]
    k = len(ages)
    le_groups = n // k
    mortality = np.array([0.004, 0.0002] + list(np.geomspace(0.0001, 0.2, k - 2)))
    le_pop = rng.integers(2000, 20000, le_groups * k).astype(float)
    le_deaths = rng.poisson(le_pop * np.tile(mortality, le_groups)).astype(float) + np.tile(
        np.eye(k)[-1], le_groups
    )
    le_frame = pd.DataFrame(
        {
            "g": np.repeat(np.arange(le_groups), k),
            "age": np.tile(ages, le_groups),
            "d": le_deaths,
            "p": le_pop,
        }
    )
    results.append(_measure(
        "life_expectancy (Chiang II), 50 000 groups x 20 bands", le_groups * k,
        lambda: stats.life_expectancy(le_frame, deaths="d", pop="p", age="age", by="g"),
        k * 1000, lambda: _naive_life_expectancy(le_deaths[: k * 1000], le_pop[: k * 1000], ages),
    ))  # fmt: skip

    q = 10
    sii_values = 80 + rng.normal(0, 1, (SII_GROUPS, q)) + np.linspace(-3, 3, q)
    sii_se = rng.uniform(0.2, 1.5, (SII_GROUPS, q))
    sii_pop = rng.integers(5000, 20000, (SII_GROUPS, q)).astype(float)
    sii_frame = pd.DataFrame(
        {
            "g": np.repeat(np.arange(SII_GROUPS), q),
            "q": np.tile(np.arange(1, q + 1), SII_GROUPS),
            "v": sii_values.ravel(),
            "se": sii_se.ravel(),
            "pop": sii_pop.ravel(),
        }
    )
    naive_groups = 20
    results.append(_measure(
        f"sii (Low & Low), {SII_GROUPS} groups x 10, {SII_REPETITIONS} draws", SII_GROUPS * q,
        lambda: stats.sii(
            sii_frame, quantile="q", population="pop", value="v", se="se", by="g",
            repetitions=SII_REPETITIONS, seed=1,
        ),
        naive_groups * q,
        lambda: _naive_sii(sii_values[:naive_groups], sii_se[:naive_groups], sii_pop[:naive_groups], SII_REPETITIONS),
        note="per million rows = per 100 000 groups of 10",
    ))  # fmt: skip

    q_groups = np.repeat(np.arange(1000), n // 1000)
    results.append(_measure(
        "quantiles (deciles), 1 000 groups", n,
        lambda: stats.quantiles(values, n_quantiles=10, by=q_groups),
        small * 5, lambda: _naive_quantiles(values[: small * 5], q_groups[: small * 5], 10),
    ))  # fmt: skip

    results.append(_measure(
        "funnel_significance (proportion)", n,
        lambda: stats.funnel_significance(numerators, denominators, statistic="proportion"),
        small * 5, lambda: _naive_funnel(numerators[: small * 5], denominators[: small * 5]),
    ))  # fmt: skip

    low, high = values - 5, values + 5
    results.append(_measure(
        "compare (95 % overlap)", n,
        lambda: stats.compare(values, low, high, 50.0, polarity="high_is_good"),
        small * 5, lambda: _naive_compare(values[: small * 5], low[: small * 5], high[: small * 5], 50.0),
    ))  # fmt: skip

    series = n // 5
    years = [2019, 2020, 2021, 2022, 2023]
    trend_values = 50 + rng.normal(0, 1, (series, 5)) + np.arange(5) * rng.normal(0, 1, (series, 1))
    trend_se = rng.uniform(0.2, 1.0, (series, 5))
    trend_periods = np.tile(years, series)
    trend_groups = np.repeat(np.arange(series), 5)
    flat_values, flat_se = trend_values.ravel(), trend_se.ravel()
    results.append(_measure(
        "trend (5-point, 99.8 %), 200 000 series", n,
        lambda: stats.trend(
            trend_periods, flat_values, flat_values - 1.96 * flat_se, flat_values + 1.96 * flat_se,
            by=trend_groups,
        ),
        small, lambda: _naive_trend(years, trend_values[: small // 5], trend_se[: small // 5]),
        note="naive version skips the 6-fit robustness check",
    ))  # fmt: skip

    cells_a = rng.integers(0, 60, n).astype(float)
    cells_b = rng.integers(0, 60, n).astype(float)
    table = pd.DataFrame({"a": cells_a, "b": cells_b})
    results.append(_measure(
        "suppress (rows and columns)", n,
        lambda: stats.suppress(table, count_columns=["a", "b"]),
        small * 5, lambda: _naive_suppress(cells_a[: small * 5], cells_b[: small * 5]),
        note="naive version protects row totals only",
    ))  # fmt: skip

    est = rng.uniform(20, 80, n)
    pop = rng.integers(100, 10_000, n).astype(float)
    se = rng.uniform(0.5, 3, n)
    results.append(_measure(
        "inequality.bgv, 1 000 000 subgroups", n, lambda: inequality.bgv(est, se, pop),
        small * 5, lambda: _naive_bgv(est[: small * 5], pop[: small * 5]),
    ))  # fmt: skip
    results.append(_measure(
        "inequality.ti, 1 000 000 subgroups", n, lambda: inequality.ti(est, se, pop),
        small * 5, lambda: _naive_theil(est[: small * 5], pop[: small * 5]),
    ))  # fmt: skip
    return results


def _print(results: list[Row]) -> None:
    header = f"{'statistic':<58} {'rows':>9} {'s/million':>10} {'naive rows':>10} {'naive s/million':>16} {'speed-up':>9}"
    print(header)
    print("-" * len(header))
    for row in results:
        print(
            f"{row.statistic:<58} {row.rows:>9,} {row.seconds_per_million:>10.3f} "
            f"{row.naive_rows:>10,} {row.naive_seconds_per_million:>16.2f} {row.speed_up:>8.0f}x"
        )
        if row.note:
            print(f"{'':<4}note: {row.note}")
    print(
        "\nNaive implementations loop over rows (or groups) in plain Python on the "
        "'naive rows' sample; their time is scaled linearly to one million rows."
    )


def main() -> int:
    """Run the benchmark, print the table and write JSON to bench/results/."""
    results = run()
    _print(results)
    payload = {
        "benchmark": "jamlik.stats",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "machine": platform.machine(),
        "results": [asdict(row) for row in results],
    }
    written = write_results("bench_stats", payload)
    print(f"\nwritten: {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

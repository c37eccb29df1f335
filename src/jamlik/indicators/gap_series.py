"""The chosen gap measures for many sets of groups at once (every period, every indicator).

A gap's trend needs each measure for every period of every indicator on a page:
hundreds of small computations, each of which, one at a time, spends most of
its time building pandas tables. Here the common measures are computed for all
of them together with numpy, with the same formulas, the same directions and
the same random draws as one at a time, so the numbers are identical:

* D and R (:func:`jamlik.stats.inequality.d` / ``r``): D = y₁ − y₂ with
  se = √(se₁² + se₂²); R = y₁ / y₂ with its interval on the log scale by the
  delta method, exp(log R ± z·√((se₁/y₁)² + (se₂/y₂)²)) (Ahn et al. 2018); the
  pair (y₁, y₂) is chosen by :func:`jamlik.indicators.gap_measures.comparison_pair`.
* PHE's SII and RII (:func:`jamlik.stats.sii`, Low & Low 2004): one call per
  period draws its 10 000 repetitions from a generator seeded afresh with the
  same seed, so every period with the same number of groups gets the same
  standard normal draws; here they are drawn once per number of groups and
  applied to all periods at once (one array of periods × repetitions × groups),
  and the SII and RII come from the same draws, as they do one call apart.
* WHO's regression-based SII and RII (:func:`jamlik.stats.inequality.sii` /
  ``rii``): both from one logistic fit per set of groups instead of one each.

A set with a group that has no interval gets the value alone, as the stats
functions give it. Anything else out of the ordinary (a missing value, a zero,
a value the method refuses, a step that would overflow) is handed to
:func:`jamlik.indicators.gap_measures.compute` one set at a time, so its reason
is the one a reader would see anyway. ``tests/indicators/test_gap_speed.py``
checks that both paths give the same numbers on the demo data.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
from scipy import stats as sps

from jamlik.indicators import gap_measures
from jamlik.indicators.gap_measures import (
    PHE_MIN_GROUPS,
    PHE_REPETITIONS,
    CannotCompute,
    GroupValues,
    MeasureResult,
    Ordering,
    comparison_pair,
)
from jamlik.stats import inequality
from jamlik.stats.sii import INPUT_LIMITS_Z, MAX_QUANTILES, _fit, _from_scale, _to_scale

#: z of a 95 % interval, computed as :mod:`jamlik.stats.inequality` does.
Z = float(sps.norm.ppf(0.5 + 0.95 / 2))
#: Seed of PHE's simulation as :mod:`jamlik.indicators.gap_measures` calls it.
PHE_SEED = 1
#: Simulated values held at once (periods × repetitions × groups).
CHUNK_CELLS = 4_000_000


def compute_many(
    wanted: Mapping[str, Sequence[GroupValues]],
) -> dict[str, list[MeasureResult]]:
    """Each measure for each of its sets of groups: ``{key: [result per set]}``.

    The same results as ``gap_measures.compute(key, g)`` for every ``g`` in
    ``wanted[key]``. PHE's SII and RII of the same sets share one simulation.
    """
    out: dict[str, list[MeasureResult]] = {}
    sii, rii = list(wanted.get("sii", ())), list(wanted.get("rii", ()))
    if sii and _same(sii, rii):
        out.update(phe_many(sii))
    who_sii, who_rii = list(wanted.get("who_sii", ())), list(wanted.get("who_rii", ()))
    if who_sii and _same(who_sii, who_rii):
        out.update(who_many(who_sii))
    for key, groups in wanted.items():
        if key in out:
            continue
        if key in ("d", "r"):
            out[key] = pairwise_many(key, groups)
        elif key in ("sii", "rii"):
            out[key] = phe_many(groups)[key]
        elif key in ("who_sii", "who_rii"):
            out[key] = who_many(groups)[key]
        else:
            out[key] = [gap_measures.compute(key, g) for g in groups]
    return {key: out[key] for key in wanted}


def _same(first: Sequence[GroupValues], second: Sequence[GroupValues]) -> bool:
    return len(first) == len(second) and all(a is b for a, b in zip(first, second, strict=True))


def pairwise_many(key: str, groups: Sequence[GroupValues]) -> list[MeasureResult]:
    """D (``key`` "d") or R ("r") for every set of groups, vectorised."""
    results: list[MeasureResult | None] = [None] * len(groups)
    fast, firsts, seconds = [], [], []
    for index, g in enumerate(groups):
        try:
            first, second = comparison_pair(g)
        except CannotCompute:
            continue  # the reason comes from the one-at-a-time path below
        fast.append(index)
        firsts.append(first)
        seconds.append(second)
    if fast:
        e1 = np.array([groups[i].est[f] for i, f in zip(fast, firsts, strict=True)])
        e2 = np.array([groups[i].est[s] for i, s in zip(fast, seconds, strict=True)])
        s1 = np.array([(groups[i].upper[f] - groups[i].lower[f]) / gap_measures.Z95
                       for i, f in zip(fast, firsts, strict=True)])  # fmt: skip
        s2 = np.array([(groups[i].upper[s] - groups[i].lower[s]) / gap_measures.Z95
                       for i, s in zip(fast, seconds, strict=True)])  # fmt: skip
        with np.errstate(all="ignore"):
            if key == "d":
                value = e1 - e2
                se = np.hypot(s1, s2)
                lower, upper = value - Z * se, value + Z * se
                usable = np.isfinite(value)
            else:
                value = e1 / e2
                ratio_se = np.sqrt((s1**2 + value**2 * s2**2) / e2**2)
                log_se = ratio_se / value
                log_value = np.log(value)
                lower = np.exp(log_value - Z * log_se)
                upper = np.exp(log_value + Z * log_se)
                usable = (e2 != 0) & np.isfinite(value) & (value > 0)
                usable &= np.isfinite(ratio_se) & np.isfinite(log_se) & np.isfinite(log_value)
            # With an interval, the interval must be an ordinary one too.
            usable &= (s1 >= 0) & (s2 >= 0)
            usable &= np.isfinite(lower) & np.isfinite(upper)
            # A group without an interval: the value alone (ready values published
            # without limits), as the stats functions give it when se is missing.
            bare = (np.isnan(s1) | np.isnan(s2)) & np.isfinite(e1) & np.isfinite(e2)
            bare &= np.isfinite(value) & ((e2 != 0) if key == "r" else True)
        for n, index in enumerate(fast):
            if usable[n]:
                results[index] = MeasureResult(
                    key,
                    float(value[n]),
                    float(lower[n]),
                    float(upper[n]),
                    between=(firsts[n], seconds[n]),
                )
            elif bare[n]:
                results[index] = MeasureResult(
                    key,
                    float(value[n]),
                    between=(firsts[n], seconds[n]),
                    interval_reason=gap_measures.no_interval_reason(),
                )
    return [
        r if r is not None else gap_measures.compute(key, groups[i]) for i, r in enumerate(results)
    ]


@lru_cache(maxsize=8)
def _phe_noise(k: int) -> np.ndarray:
    """The standard normal draws one PHE SII call makes for ``k`` groups (read-only)."""
    noise = np.random.default_rng(PHE_SEED).standard_normal((1, PHE_REPETITIONS, k))
    noise.setflags(write=False)
    return noise


def _phe_ready(g: GroupValues) -> bool:
    """Whether PHE's SII for ``g`` runs without a refusal, a warning or a missing value."""
    n = len(g.est)
    if g.ordering is not Ordering.ORDERED or g.order is None or n < PHE_MIN_GROUPS:
        return False
    if n > MAX_QUANTILES or len(np.unique(g.order)) != n:
        return False
    arrays = np.concatenate([g.est, g.lower, g.upper, g.pop])
    if not np.isfinite(arrays).all() or (g.pop <= 0).any():
        return False
    if g.percent:
        scaled = np.concatenate([g.est, g.lower, g.upper]) / 100.0
        return bool(((scaled > 0) & (scaled < 1)).all())
    return True


def phe_many(groups: Sequence[GroupValues]) -> dict[str, list[MeasureResult]]:
    """PHE's SII and RII for every set of groups, from one simulation per number of groups."""
    found: dict[int, tuple[MeasureResult, MeasureResult]] = {}
    batches: dict[tuple[bool, int], list[int]] = {}
    for index, g in enumerate(groups):
        if _phe_ready(g):
            batches.setdefault((g.percent, len(g.est)), []).append(index)
    for (percent, k), members in batches.items():
        per_chunk = max(1, CHUNK_CELLS // (PHE_REPETITIONS * k))
        for start in range(0, len(members), per_chunk):
            chunk = members[start : start + per_chunk]
            found.update(_phe_batch([groups[i] for i in chunk], chunk, percent, k))
    sii, rii = [], []
    for index, g in enumerate(groups):
        if index in found:
            sii.append(found[index][0])
            rii.append(found[index][1])
        else:
            sii.append(gap_measures.compute("sii", g))
            rii.append(gap_measures.compute("rii", g))
    return {"sii": sii, "rii": rii}


def _phe_batch(
    groups: Sequence[GroupValues], indices: Sequence[int], percent: bool, k: int
) -> dict[int, tuple[MeasureResult, MeasureResult]]:
    """SII and RII of sets with ``k`` groups each, as :func:`jamlik.stats.sii` computes them
    (quantiles in order, the input scale, the same draws and percentiles)."""
    scale = 100.0 if percent else 1.0
    value_type = "proportion" if percent else "normal"
    by_rank = [np.argsort(np.asarray(g.order), kind="stable") for g in groups]
    pops = np.array([g.pop[o] for g, o in zip(groups, by_rank, strict=True)])
    ys = np.array([g.est[o] / scale for g, o in zip(groups, by_rank, strict=True)])
    lows = np.array([g.lower[o] / scale for g, o in zip(groups, by_rank, strict=True)])
    highs = np.array([g.upper[o] / scale for g, o in zip(groups, by_rank, strict=True)])
    tail = (1 - 0.95) / 2
    with np.errstate(all="ignore"):
        ses = (_to_scale(highs, value_type) - _to_scale(lows, value_type)) / (2 * INPUT_LIMITS_Z)
        share = pops / pops.sum(axis=1, keepdims=True)
        rank = np.cumsum(share, axis=1) - share / 2
        y_scaled = _to_scale(ys, value_type)
        bottom, top = _fit(_from_scale(y_scaled, value_type), share, rank)
        sii_value = (top - bottom) * scale
        rii_value = top / bottom
        draws = _phe_noise(k) * ses[:, None, :]
        draws += y_scaled[:, None, :]
        # A logit this far out would overflow in exp(): leave it to the one-at-a-time path.
        safe = np.abs(draws).max(axis=(1, 2)) < 700 if percent else np.ones(len(groups), bool)
        if percent:  # the inverse logit of _from_scale, in place: 1 / (1 + exp(-x))
            np.negative(draws, out=draws)
            np.exp(draws, out=draws)
            draws += 1
            np.divide(1, draws, out=draws)
        sim_bottom, sim_top = _fit(draws, share[:, None, :], rank[:, None, :])
        sim_sii = (sim_top - sim_bottom) * scale
        sim_rii = sim_top / sim_bottom
        sii_limits = np.quantile(sim_sii, [tail, 1 - tail], axis=1).T
        rii_limits = np.quantile(sim_rii, [tail, 1 - tail], axis=1).T
        safe &= np.isfinite(sim_sii).all(axis=1) & np.isfinite(sim_rii).all(axis=1)
    safe &= np.isfinite(ses).all(axis=1) & np.isfinite(sii_value) & np.isfinite(rii_value)
    out = {}
    for n, (index, g) in enumerate(zip(indices, groups, strict=True)):
        if not safe[n]:
            continue
        out[index] = (
            MeasureResult(
                "sii",
                float(sii_value[n]),
                float(sii_limits[n, 0]),
                float(sii_limits[n, 1]),
                note=g.order_note,
            ),
            MeasureResult(
                "rii",
                float(rii_value[n]),
                float(rii_limits[n, 0]),
                float(rii_limits[n, 1]),
                note=g.order_note,
            ),
        )
    return out


def who_many(groups: Sequence[GroupValues]) -> dict[str, list[MeasureResult]]:
    """WHO's regression-based SII and RII (:func:`jamlik.stats.inequality.sii` / ``rii``)
    for every set of groups, from one logistic fit per set instead of one per measure.

    The ends of the fitted line and their delta-method intervals are computed as
    those two functions compute them; anything else goes one set at a time.
    """
    sii, rii = [], []
    for g in groups:
        fitted = _who_fit(g)
        sii.append(_who_sii(g, fitted) if fitted else gap_measures.compute("who_sii", g))
        rii.append(_who_rii(g, fitted) if fitted else gap_measures.compute("who_rii", g))
    return {"who_sii": sii, "who_rii": rii}


def _who_fit(g: GroupValues) -> tuple[float, float, np.ndarray, float] | None:
    if not g.percent or g.order is None or len(g.est) < 3 or np.isnan(g.est).any():
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            return inequality._fitted_ends(g.est, g.order, g.pop, 100)
    except (ValueError, ZeroDivisionError, np.linalg.LinAlgError, RuntimeWarning):
        return None


def _who_sii(g: GroupValues, fitted: tuple[float, float, np.ndarray, float]) -> MeasureResult:
    p0, p1, covariance, scale = fitted
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            se = inequality._delta_se([p1 * (1 - p1) - p0 * (1 - p0), p1 * (1 - p1)], covariance)
            difference = p1 - p0
            ends = [
                difference * scale,
                (difference - Z * se) * scale,
                (difference + Z * se) * scale,
            ]
    except RuntimeWarning:
        return gap_measures.compute("who_sii", g)
    return _regression_result("who_sii", g, ends)


def _who_rii(g: GroupValues, fitted: tuple[float, float, np.ndarray, float]) -> MeasureResult:
    p0, p1, covariance, _scale = fitted
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            log_ratio = np.log(p1 / p0)
            se = inequality._delta_se([(1 - p1) - (1 - p0), 1 - p1], covariance)
            ends = [np.exp(log_ratio), np.exp(log_ratio - Z * se), np.exp(log_ratio + Z * se)]
    except RuntimeWarning:
        return gap_measures.compute("who_rii", g)
    return _regression_result("who_rii", g, ends)


def _regression_result(key: str, g: GroupValues, ends: list[float]) -> MeasureResult:
    value, lower, upper = (float(x) for x in ends)
    if not np.isfinite([value, lower, upper]).all():
        return gap_measures.compute(key, g)
    return MeasureResult(key, value, lower, upper, note=g.order_note)

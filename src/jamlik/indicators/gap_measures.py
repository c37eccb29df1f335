"""Which inequality measure fits which breakdown, in which direction, with which interval.

The measures themselves are computed by :mod:`jamlik.stats.inequality` (WHO's
HEAT summary measures, Schlotheuber & Hosseinpoor 2022, as in ``healthequal``)
and :func:`jamlik.stats.sii` (PHE's slope index, Low & Low 2004). This module
only states, per kind of breakdown, which groups a measure compares and why a
measure cannot be computed, so that a page never shows a silent 0 or 1.

Directions (HEAT technical notes, 2021 edition, section "Summary measures"):

* two groups without an order (sex): a stated direction, women − men and
  women / men, whichever group fares worse;
* ordered groups (education, income, districts ranked by deprivation): the
  most against the least advantaged group — advantaged minus disadvantaged for
  a favourable indicator, the reverse for an adverse one — so a positive D
  (and an R above 1) always means the disadvantaged group fares worse;
  plus the slope and concentration indices over all groups;
* groups without an order (districts without a ranking, country of birth):
  spread measures over all groups and the range, highest − lowest.

Intervals: a difference gets √(se₁² + se₂²); a ratio gets its interval on the
log scale from the two estimates' standard errors (delta method); measures
without a closed form get seeded Monte Carlo limits, so a page shows the same
numbers every time. Standard errors of the groups come from their 95 % limits,
se = (upper − lower) / 3.92.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from jamlik.stats import inequality
from jamlik.stats import sii as phe_sii

#: Monte Carlo draws for the simulated limits, and their fixed seed.
SIMULATIONS = 2000
SEED = 20240611
PHE_REPETITIONS = 10_000
PHE_MIN_GROUPS = 5
Z95 = 3.92  # width of a 95 % interval in standard errors (2 × 1.96)


class Ordering(StrEnum):
    """How the groups of a breakdown relate to each other."""

    PAIR = "pair"  # two groups, no order, a stated direction (sex)
    ORDERED = "ordered"  # a social order, 1 = most disadvantaged
    UNORDERED = "unordered"  # three or more groups without an order


class Scale(StrEnum):
    """What a measure's number is, for charts and for judging a trend."""

    ABSOLUTE = "absolute"  # in the indicator's unit, 0 = no gap (D, SII, ACI, BGSD …)
    RELATIVE = "relative"  # a ratio, 1 = no gap (R, RII); trends on the log scale
    INDEX = "index"  # other units (BGV, IDIS, COV, RCI, MLD, TI, PAF), 0 = no gap


@dataclass(frozen=True)
class GroupValues:
    """The groups of one breakdown in one area and period, ready for the measures.

    ``est`` is NaN for a group without a (published) value, ``lower``/``upper``
    NaN for one without an interval; ``order`` numbers ordered groups from 1 = most
    disadvantaged; ``pair`` names the (first, second) group of a pair.
    """

    categories: tuple[str, ...]
    labels: tuple[str, ...]
    est: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    pop: np.ndarray
    ordering: Ordering
    favourable: int
    percent: bool
    order: np.ndarray | None = None
    pair: tuple[int, int] | None = None
    order_note: str = ""

    @property
    def se(self) -> np.ndarray:
        """Standard errors from the 95 % limits (NaN where a group has no interval)."""
        return (self.upper - self.lower) / Z95

    @property
    def available(self) -> np.ndarray:
        return np.flatnonzero(~np.isnan(self.est))

    @property
    def scaleval(self) -> float:
        """The scale healthequal needs: 100 bounds percentages to 0..100, 1 only at 0."""
        return 100.0 if self.percent else 1.0


@dataclass(frozen=True)
class MeasureResult:
    """One measure for one set of groups; ``reason`` says why it could not be computed."""

    key: str
    value: float | None = None
    lower: float | None = None
    upper: float | None = None
    #: Indices of the (first, second) group for pairwise measures: first − second.
    between: tuple[int, int] | None = None
    reason: str = ""
    interval_reason: str = ""
    note: str = ""

    @property
    def computed(self) -> bool:
        return self.value is not None


class CannotCompute(Exception):
    """Raised inside a measure with the plain reason to show."""


@dataclass(frozen=True)
class MeasureSpec:
    key: str
    orderings: frozenset[Ordering]
    compute: Callable[[GroupValues], MeasureResult]
    scale: Scale
    #: Shown by default when the breakdown has this ordering.
    default_for: frozenset[Ordering] = field(default_factory=frozenset)


def _clean(x: Any) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def no_interval_reason() -> str:
    """Why a measure has a value but no interval (also said by the batched path)."""
    return _("a group has no interval")


def _from_table(key: str, table: pd.DataFrame, **extra: Any) -> MeasureResult:
    row = table.iloc[0]
    value = _clean(row.get("value"))
    if value is None or not np.isfinite(value):
        raise CannotCompute(_("the method gives no value for these groups"))
    lower, upper = _clean(row.get("lower")), _clean(row.get("upper"))
    return MeasureResult(
        key,
        value,
        lower,
        upper,
        interval_reason="" if lower is not None else no_interval_reason(),
        **extra,
    )


def _missing(groups: GroupValues, indices: Any) -> list[str]:
    return [groups.labels[i] for i in indices if np.isnan(groups.est[i])]


def _require(groups: GroupValues, indices: Any) -> None:
    missing = _missing(groups, indices)
    if missing:
        raise CannotCompute(_("no published value for %(groups)s") % {"groups": ", ".join(missing)})


def _se_or_none(se: np.ndarray) -> np.ndarray | None:
    return None if np.isnan(se).any() else se


def comparison_pair(groups: GroupValues) -> tuple[int, int]:
    """The (first, second) groups of D and R for this breakdown (see the module docstring)."""
    if groups.ordering is Ordering.PAIR:
        if groups.pair is None:
            raise CannotCompute(_("the breakdown states no direction"))
        _require(groups, groups.pair)
        return groups.pair
    if groups.ordering is Ordering.ORDERED:
        assert groups.order is not None
        advantaged, disadvantaged = int(np.argmax(groups.order)), int(np.argmin(groups.order))
        _require(groups, (advantaged, disadvantaged))
        return (advantaged, disadvantaged) if groups.favourable else (disadvantaged, advantaged)
    present = groups.available
    if len(present) < 2:
        raise CannotCompute(_("fewer than two groups have a value"))
    values = groups.est[present]
    return int(present[np.argmax(values)]), int(present[np.argmin(values)])


def _pairwise(fn: Callable[..., pd.DataFrame], key: str, groups: GroupValues) -> MeasureResult:
    first, second = comparison_pair(groups)
    if key == "r" and groups.est[second] == 0:
        raise CannotCompute(
            _("the value for %(group)s is zero, so there is no ratio")
            % {"group": groups.labels[second]}
        )
    est = groups.est[[first, second]]
    se = _se_or_none(groups.se[[first, second]])
    # subgroup_order [2, 1] with a favourable flag makes the stats function take
    # exactly first − second (first / second): the direction chosen above.
    table = fn(est, se, favourable_indicator=1, ordered_dimension=1, subgroup_order=[2, 1])
    return _from_table(key, table, between=(first, second))


def _all_ordered(groups: GroupValues, minimum: int = 3) -> None:
    n = len(groups.est)
    if n < minimum:
        raise CannotCompute(
            _("needs at least %(n)s ordered groups; this breakdown has %(have)s")
            % {"n": minimum, "have": n}
        )
    _require(groups, range(n))


def _phe(groups: GroupValues, rii: bool) -> MeasureResult:
    _all_ordered(groups, PHE_MIN_GROUPS)
    if np.isnan(groups.se).any():
        raise CannotCompute(_("a group has no interval, which the simulation needs"))
    scale = 100.0 if groups.percent else 1.0
    frame = pd.DataFrame(
        {
            "q": groups.order,
            "pop": groups.pop,
            "value": groups.est / scale,
            "lower": groups.lower / scale,
            "upper": groups.upper / scale,
        }
    )
    table = phe_sii(
        frame,
        quantile="q",
        population="pop",
        value="value",
        lower="lower",
        upper="upper",
        value_type="proportion" if groups.percent else "normal",
        repetitions=PHE_REPETITIONS,
        seed=1,
        multiplier=scale,
        rii=rii,
    )
    if rii:
        table = table.assign(value=table["rii"], lower=table["rii_lower"], upper=table["rii_upper"])
    return _from_table("rii" if rii else "sii", table, note=groups.order_note)


def _who_regression(
    groups: GroupValues, fn: Callable[..., pd.DataFrame], key: str
) -> MeasureResult:
    if not groups.percent:
        raise CannotCompute(_("the logistic model needs a percentage"))
    _all_ordered(groups)
    table = fn(groups.est, subgroup_order=groups.order, pop=groups.pop, scaleval=100)
    return _from_table(key, table, note=groups.order_note)


def _concentration(groups: GroupValues, fn: Callable[..., pd.DataFrame], key: str) -> MeasureResult:
    _all_ordered(groups)
    table = fn(groups.est, subgroup_order=groups.order, pop=groups.pop)
    return _from_table(key, table, note=groups.order_note)


def _attributable(groups: GroupValues, fn: Callable[..., pd.DataFrame], key: str) -> MeasureResult:
    if not groups.percent:
        raise CannotCompute(_("Walter's interval needs a percentage"))
    if groups.ordering is Ordering.ORDERED:
        _all_ordered(groups)
        table = fn(
            groups.est,
            pop=groups.pop,
            favourable_indicator=groups.favourable,
            ordered_dimension=1,
            subgroup_order=groups.order,
            scaleval=100,
        )
        return _from_table(key, table, note=groups.order_note)
    present, note = _present(groups)
    table = fn(
        groups.est[present],
        pop=groups.pop[present],
        favourable_indicator=groups.favourable,
        ordered_dimension=0,
        scaleval=100,
    )
    return _from_table(key, table, note=note)


def _present(groups: GroupValues) -> tuple[np.ndarray, str]:
    present = groups.available
    if len(present) < 3:
        raise CannotCompute(
            _("needs at least three groups with values; %(have)s have one") % {"have": len(present)}
        )
    note = ""
    if len(present) < len(groups.est):
        note = _("computed on %(n)s of %(total)s groups; the others have no published value") % {
            "n": len(present),
            "total": len(groups.est),
        }
    return present, note


def _spread(
    groups: GroupValues, fn: Callable[..., pd.DataFrame], key: str, **kwargs: Any
) -> MeasureResult:
    present, note = _present(groups)
    table = fn(
        groups.est[present], se=_se_or_none(groups.se[present]), pop=groups.pop[present], **kwargs
    )
    return _from_table(key, table, note=note)


def _simulated(
    fn: Callable[..., pd.DataFrame], key: str, **extra: Any
) -> Callable[[GroupValues], MeasureResult]:
    def compute(groups: GroupValues) -> MeasureResult:
        return _spread(
            groups, fn, key, scaleval=groups.scaleval, sim=SIMULATIONS, seed=SEED, **extra
        )

    return compute


def _best_referenced(
    fn: Callable[..., pd.DataFrame], key: str
) -> Callable[[GroupValues], MeasureResult]:
    def compute(groups: GroupValues) -> MeasureResult:
        return _spread(
            groups, fn, key, favourable_indicator=groups.favourable,
            scaleval=groups.scaleval, sim=SIMULATIONS, seed=SEED,
        )  # fmt: skip

    return compute


PAIR, ORDERED, UNORDERED = Ordering.PAIR, Ordering.ORDERED, Ordering.UNORDERED
ALL = frozenset(Ordering)

MEASURES: dict[str, MeasureSpec] = {
    spec.key: spec
    for spec in [
        MeasureSpec("d", ALL, lambda g: _pairwise(inequality.d, "d", g), Scale.ABSOLUTE, ALL),
        MeasureSpec("r", ALL, lambda g: _pairwise(inequality.r, "r", g), Scale.RELATIVE, ALL),
        MeasureSpec("sii", frozenset({ORDERED}), lambda g: _phe(g, False), Scale.ABSOLUTE, frozenset({ORDERED})),
        MeasureSpec("rii", frozenset({ORDERED}), lambda g: _phe(g, True), Scale.RELATIVE, frozenset({ORDERED})),
        MeasureSpec("who_sii", frozenset({ORDERED}), lambda g: _who_regression(g, inequality.sii, "who_sii"), Scale.ABSOLUTE, frozenset({ORDERED})),
        MeasureSpec("who_rii", frozenset({ORDERED}), lambda g: _who_regression(g, inequality.rii, "who_rii"), Scale.RELATIVE, frozenset({ORDERED})),
        MeasureSpec("aci", frozenset({ORDERED}), lambda g: _concentration(g, inequality.aci, "aci"), Scale.ABSOLUTE),
        MeasureSpec("rci", frozenset({ORDERED}), lambda g: _concentration(g, inequality.rci, "rci"), Scale.INDEX),
        MeasureSpec("paf", frozenset({ORDERED, UNORDERED}), lambda g: _attributable(g, inequality.paf, "paf"), Scale.INDEX),
        MeasureSpec("par", frozenset({ORDERED, UNORDERED}), lambda g: _attributable(g, inequality.parisk, "par"), Scale.ABSOLUTE),
        MeasureSpec("bgv", frozenset({UNORDERED}), lambda g: _spread(g, inequality.bgv, "bgv"), Scale.INDEX, frozenset({UNORDERED})),
        MeasureSpec("bgsd", frozenset({UNORDERED}), _simulated(inequality.bgsd, "bgsd"), Scale.ABSOLUTE, frozenset({UNORDERED})),
        *(
            [MeasureSpec("cov", frozenset({UNORDERED}), _simulated(inequality.cov, "cov"), Scale.INDEX, frozenset({UNORDERED}))]
            if hasattr(inequality, "cov")
            else []
        ),
        MeasureSpec("idisu", frozenset({UNORDERED}), _simulated(inequality.idisu, "idisu"), Scale.INDEX),
        MeasureSpec("idisw", frozenset({UNORDERED}), _simulated(inequality.idisw, "idisw"), Scale.INDEX, frozenset({UNORDERED})),
        MeasureSpec("mdbu", frozenset({UNORDERED}), _best_referenced(inequality.mdbu, "mdbu"), Scale.ABSOLUTE),
        MeasureSpec("mdbw", frozenset({UNORDERED}), _best_referenced(inequality.mdbw, "mdbw"), Scale.ABSOLUTE),
        MeasureSpec("mdmu", frozenset({UNORDERED}), _simulated(inequality.mdmu, "mdmu"), Scale.ABSOLUTE),
        MeasureSpec("mdmw", frozenset({UNORDERED}), _simulated(inequality.mdmw, "mdmw"), Scale.ABSOLUTE, frozenset({UNORDERED})),
        MeasureSpec("mld", frozenset({UNORDERED}), lambda g: _spread(g, inequality.mld, "mld"), Scale.INDEX),
        MeasureSpec("ti", frozenset({UNORDERED}), lambda g: _spread(g, inequality.ti, "ti"), Scale.INDEX),
    ]
}  # fmt: skip
#: healthequal's measures against a chosen reference group: Jämlik names no
#: reference group for any breakdown, so these are always refused.
REFERENCE_MEASURES = ("mdru", "mdrw")


def refusal(key: str, ordering: Ordering) -> str:
    """Why ``key`` does not fit a breakdown with ``ordering`` ('' when it fits)."""
    if key in REFERENCE_MEASURES:
        return _("it compares with a reference group, and this breakdown has none")
    spec = MEASURES.get(key)
    if spec is None:
        return _("it is not a measure Jämlik knows")
    if ordering in spec.orderings:
        return ""
    if spec.orderings == {ORDERED}:
        return _("it needs groups in a social order, such as education")
    if ordering is PAIR:
        return _("it needs at least three groups, and this breakdown has two")
    return _("it is for groups without an order; use the slope or concentration indices")


def default_measures(groups: GroupValues) -> list[str]:
    """The measures shown without a choice: those that fit and apply to these groups."""
    keys = [k for k, s in MEASURES.items() if groups.ordering in s.default_for]
    if groups.ordering is ORDERED and len(groups.est) < PHE_MIN_GROUPS:
        keys = [k for k in keys if k not in ("sii", "rii")]
    if not groups.percent:
        keys = [k for k in keys if k not in ("who_sii", "who_rii")]
    return keys


def compute(key: str, groups: GroupValues) -> MeasureResult:
    """One measure, or a result with the reason it cannot be computed."""
    spec = MEASURES[key]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            return spec.compute(groups)
    except CannotCompute as exc:
        return MeasureResult(key, reason=str(exc))
    except (ValueError, ZeroDivisionError, np.linalg.LinAlgError, RuntimeWarning):
        return MeasureResult(key, reason=_("the method fails for these values"))

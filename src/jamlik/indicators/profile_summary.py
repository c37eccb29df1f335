"""The overview at the top of a kommun profile: counts of comparisons and the largest gaps.

Pure functions over what the profile already computed (its rows' comparison
markers and its gap blocks, :mod:`jamlik.indicators.gap_blocks`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Marker keys (:mod:`jamlik.indicators.presentation`) counted as better or worse.
BETTER = frozenset({"better", "much_better"})
WORSE = frozenset({"worse", "much_worse"})
SIMILAR = frozenset({"similar"})


@dataclass(frozen=True)
class Counts:
    """How many indicators are significantly better, similar or worse than the benchmark."""

    better: int
    similar: int
    worse: int
    #: Indicators with a value but no significance test (counts, means, neutral ones).
    other: int


def comparison_counts(marker_keys: Iterable[str]) -> Counts:
    """Count the comparison results by their marker key (``better``, ``much_worse`` …)."""
    better = similar = worse = other = 0
    for key in marker_keys:
        if key in BETTER:
            better += 1
        elif key in WORSE:
            worse += 1
        elif key in SIMILAR:
            similar += 1
        else:
            other += 1
    return Counts(better, similar, worse, other)


@dataclass(frozen=True)
class GapSummary:
    """One gap block in brief: the difference between the groups and its relative size."""

    code: str
    name: str
    period: str
    between: str
    difference: float
    lower: float | None
    upper: float | None
    #: |D| divided by the mean of the groups' values: the gap relative to the
    #: indicator's own scale, so a 3-point gap in a 5 % share outranks a
    #: 3-point gap in an 80 % share.
    relative: float

    @property
    def significant(self) -> bool:
        """Whether the 95 % interval of D leaves out 0 (no gap)."""
        if self.lower is None or self.upper is None:
            return False
        return self.lower > 0 or self.upper < 0


def _number(x: Any) -> float | None:
    if x is None:
        return None
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def gap_summary(block: Mapping[str, Any]) -> GapSummary | None:
    """The brief of one gap block, from its difference (D) measure; ``None`` without one."""
    measure = next(
        (m for m in block.get("measures", []) if m.get("measure") == "d"),
        None,
    )
    if measure is None:
        return None
    value = _number(measure.get("value"))
    if value is None:
        return None
    groups = [_number(r.get("value")) for r in block.get("rows", [])]
    known = [abs(v) for v in groups if v is not None]
    scale = sum(known) / len(known) if known else 0.0
    indicator = block["indicator"]
    return GapSummary(
        code=indicator.code,
        name=indicator.name,
        period=str(block.get("period", "")),
        between=str(measure.get("between", "")),
        difference=value,
        lower=_number(measure.get("lower")),
        upper=_number(measure.get("upper")),
        relative=abs(value) / scale if scale > 0 else 0.0,
    )


def largest_gaps(blocks: Sequence[Mapping[str, Any]], count: int = 5) -> list[GapSummary]:
    """The ``count`` gap blocks whose difference is largest relative to the indicator's
    scale (:attr:`GapSummary.relative`), significant gaps first."""
    found = [s for s in (gap_summary(b) for b in blocks) if s is not None]
    found.sort(key=lambda s: (not s.significant, -s.relative, s.code))
    return found[:count]

"""Need against support: who has high need and has received little support?

"Nå fram till fler" — the county board should give most to those who need it most
(proportionate universalism: Marmot et al. 2010, *Fair Society, Healthy Lives*). This
module holds the arithmetic, with no database:

* **Need score** (0–100, higher = more need): each component (a situation-picture
  indicator or a prerequisite score) is turned into a percent rank across the county's
  kommuner, oriented so that 100 is the most need, then combined as a weighted mean of the
  components a kommun has data for. Ranks rather than raw values keep components on
  different scales comparable and stop one extreme kommun from squeezing the others. The
  share of the total weight that had data is reported as ``coverage``; a kommun with no
  data on any component gets no score (never a guessed one).
* **Support score**: activities in the period weighted by kind (deeper forms of support
  weigh more), plus an agreement in force weighted per year. The weights are Jämlik's
  defaults and are shown next to the result.
* **Gap** = need rank − support rank; a kommun is flagged when its need is in the top third
  and its support in the bottom third of the county. Support ranks give ties their lowest
  rank, so kommuner that received nothing count as the least supported.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from jamlik.support.ladder import ActivityKind, AgreementPeriod

HIGH = 200 / 3  # top third
LOW = 100 / 3  # bottom third

DEFAULT_SUPPORT_WEIGHTS: dict[ActivityKind, float] = {
    ActivityKind.NETWORK_MEETING: 1.0,
    ActivityKind.SEMINAR: 1.0,
    ActivityKind.CONFERENCE: 1.0,
    ActivityKind.TRAINING: 1.5,
    ActivityKind.DIALOGUE: 2.0,
    ActivityKind.FOLLOW_UP_MEETING: 2.0,
    ActivityKind.DEVELOPMENT_PROJECT: 3.0,
    ActivityKind.LEADERSHIP_VISIT: 3.0,
}
AGREEMENT_WEIGHT_PER_YEAR = 6.0


class Polarity(enum.StrEnum):
    HIGHER_IS_WORSE = "higher_is_worse"
    HIGHER_IS_BETTER = "higher_is_better"


@dataclass(frozen=True)
class NeedComponent:
    key: str
    label: str
    weight: float
    polarity: Polarity


@dataclass(frozen=True)
class NeedScore:
    score: float | None
    coverage: float  # share of total weight with data, 0..1
    parts: dict[str, float] = field(default_factory=dict)  # component key -> oriented rank


def percent_ranks(values: Mapping[str, float], *, ties: str = "mean") -> dict[str, float]:
    """Percent rank 0–100 of each value among all.

    ``ties="mean"`` gives tied values their mean rank; ``ties="min"`` their lowest, so that
    many kommuner with no support at all share rank 0 ("less than everyone else") instead
    of a middle rank that would hide them.
    """
    if ties not in ("mean", "min"):
        raise ValueError(f"ties must be 'mean' or 'min', got {ties!r}")
    if not values:
        return {}
    if len(values) == 1:
        return {key: 50.0 for key in values}
    ordered = sorted(values.items(), key=lambda kv: kv[1])
    ranks: dict[str, float] = {}
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1][1] == ordered[i][1]:
            j += 1
        mean_rank = (i + j) / 2 if ties == "mean" else i
        for k in range(i, j + 1):
            ranks[ordered[k][0]] = 100.0 * mean_rank / (len(ordered) - 1)
        i = j + 1
    return ranks


def need_scores(
    components: Sequence[NeedComponent],
    values: Mapping[str, Mapping[str, float | None]],
    kommuner: Sequence[str],
) -> dict[str, NeedScore]:
    """Need per kommun from ``values[component_key][kommun_code]``."""
    for component in components:
        if component.weight < 0:
            raise ValueError(
                f"need component {component.key!r}: weight must be >= 0, got {component.weight}"
            )
    total_weight = sum(c.weight for c in components)
    oriented: dict[str, dict[str, float]] = {}
    for component in components:
        available = {
            code: float(v)
            for code, v in values.get(component.key, {}).items()
            if v is not None and code in kommuner
        }
        ranks = percent_ranks(available)
        if component.polarity == Polarity.HIGHER_IS_BETTER:
            ranks = {code: 100.0 - r for code, r in ranks.items()}
        oriented[component.key] = ranks
    result: dict[str, NeedScore] = {}
    for code in kommuner:
        parts = {c.key: oriented[c.key][code] for c in components if code in oriented[c.key]}
        weight = sum(c.weight for c in components if c.key in parts)
        if not parts or weight == 0:
            result[code] = NeedScore(None, 0.0, parts)
            continue
        score = sum(c.weight * parts[c.key] for c in components if c.key in parts) / weight
        result[code] = NeedScore(score, weight / total_weight if total_weight else 0.0, parts)
    return result


@dataclass(frozen=True)
class SupportRecord:
    on: date
    kind: ActivityKind


def support_score(
    records: Sequence[SupportRecord],
    agreements: Sequence[AgreementPeriod],
    first: date,
    last: date,
    *,
    weights: Mapping[ActivityKind, float] = DEFAULT_SUPPORT_WEIGHTS,
    agreement_weight_per_year: float = AGREEMENT_WEIGHT_PER_YEAR,
) -> float:
    """Weighted support received between ``first`` and ``last`` (inclusive)."""
    total = sum(weights[r.kind] for r in records if first <= r.on <= last)
    for period in agreements:
        start = max(period.start, first)
        end = min(period.end or last, last)
        if start <= end:
            total += agreement_weight_per_year * ((end - start).days + 1) / 365.25
    return round(total, 2)


@dataclass(frozen=True)
class NeedSupportRow:
    code: str
    need: float | None
    coverage: float
    support: float
    need_rank: float | None
    support_rank: float
    gap: float | None
    flagged: bool


def rank_need_against_support(
    needs: Mapping[str, NeedScore], support: Mapping[str, float]
) -> list[NeedSupportRow]:
    """Rows ordered with flagged kommuner first, then by gap (largest first); no-data last."""
    need_ranks = percent_ranks({code: n.score for code, n in needs.items() if n.score is not None})
    support_ranks = percent_ranks(dict(support), ties="min")
    rows = []
    for code, need in needs.items():
        nr = need_ranks.get(code)
        sr = support_ranks.get(code, 0.0)
        gap = None if nr is None else nr - sr
        flagged = nr is not None and nr >= HIGH - 1e-9 and sr <= LOW + 1e-9
        rows.append(
            NeedSupportRow(
                code, need.score, need.coverage, support.get(code, 0.0), nr, sr, gap, flagged
            )
        )
    rows.sort(key=lambda r: (r.gap is None, not r.flagged, -(r.gap or 0.0), r.code))
    return rows

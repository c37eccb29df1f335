"""Deciding whether an actor from one county's package is an organisation already known (pure).

Rules, in order:

1. Same organisation number → the same organisation (automatic).
2. Both have organisation numbers and they differ → different organisations.
3. Otherwise the normalised-name similarity (:mod:`jamlik.actors.names`) decides:
   at or above ``AUTO_THRESHOLD`` automatic, from ``REVIEW_THRESHOLD`` to a person's
   review queue, below that a new organisation.

Quality is measured as pairwise precision and recall against a hand-made set of known
duplicates (Christen 2012, *Data Matching*, ch. 7: pair-based measures).
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from jamlik.actors.names import (
    AUTO_THRESHOLD,
    REVIEW_THRESHOLD,
    normalise_name,
    normalised_similarity,
)


class Decision(enum.StrEnum):
    MERGE = "merge"
    REVIEW = "review"
    NEW = "new"


@dataclass(frozen=True)
class ActorKey:
    """What matching needs to know about an actor."""

    key: Hashable
    name: str
    org_number: str = ""
    group: Hashable = None  # actors of the same group (package, county) are never matched
    normalised: str = field(default="", compare=False)

    def with_normalised(self) -> ActorKey:
        return ActorKey(self.key, self.name, self.org_number, self.group, normalise_name(self.name))


@dataclass(frozen=True)
class Match:
    decision: Decision
    other: Hashable | None
    score: float
    by_org_number: bool = False


class Matcher:
    """Matches incoming actors against a pool that grows as new organisations are added."""

    def __init__(
        self,
        pool: Iterable[ActorKey] = (),
        *,
        places: Iterable[str] = (),
        auto: float = AUTO_THRESHOLD,
        review: float = REVIEW_THRESHOLD,
    ) -> None:
        self.auto, self.review = auto, review
        self.places = frozenset(places)
        self._pool: list[ActorKey] = []
        self._by_org: dict[str, list[ActorKey]] = {}
        for item in pool:
            self.add(item)

    def add(self, item: ActorKey) -> None:
        item = item.with_normalised() if not item.normalised else item
        self._pool.append(item)
        if item.org_number:
            self._by_org.setdefault(item.org_number, []).append(item)

    def match(self, incoming: ActorKey) -> Match:
        incoming = incoming.with_normalised()
        if incoming.org_number:
            same = [
                a for a in self._by_org.get(incoming.org_number, []) if a.group != incoming.group
            ]
            if same:
                best = max(
                    same, key=lambda a: normalised_similarity(incoming.normalised, a.normalised)
                )
                return Match(Decision.MERGE, best.key, 1.0, by_org_number=True)
        plain = SequenceMatcher(None, autojunk=False)
        plain.set_seq2(incoming.normalised)
        tokens = SequenceMatcher(None, autojunk=False)
        tokens.set_seq2(_token_sorted(incoming.normalised))
        best_score, best_key = 0.0, None
        for candidate in self._pool:
            if candidate.group == incoming.group:
                continue
            if incoming.org_number and candidate.org_number:
                continue  # both numbered and the numbers differ: different organisations
            # Cheap upper bounds first: skip when neither ratio can reach the review line.
            plain.set_seq1(candidate.normalised)
            tokens.set_seq1(_token_sorted(candidate.normalised))
            if _bound(plain) < self.review and _bound(tokens) < self.review:
                continue
            score = normalised_similarity(incoming.normalised, candidate.normalised, self.places)
            if score > best_score:
                best_score, best_key = score, candidate.key
        if best_score >= self.auto:
            return Match(Decision.MERGE, best_key, best_score)
        if best_score >= self.review:
            return Match(Decision.REVIEW, best_key, best_score)
        return Match(Decision.NEW, None, best_score)


def _token_sorted(text: str) -> str:
    return " ".join(sorted(text.split()))


def _bound(matcher: SequenceMatcher) -> float:
    """An upper bound of ``ratio()`` (difflib's real_quick_ratio then quick_ratio)."""
    bound = matcher.real_quick_ratio()
    return bound if bound == 0 else min(bound, matcher.quick_ratio())


@dataclass(frozen=True)
class PairScores:
    precision: float
    recall: float
    true_positives: int
    false_positives: int
    false_negatives: int


def pairs_from_clusters(clusters: Iterable[Sequence[Hashable]]) -> set[frozenset]:
    """Every unordered pair of items that share a cluster."""
    pairs: set[frozenset] = set()
    for cluster in clusters:
        items = list(cluster)
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                pairs.add(frozenset((a, b)))
    return pairs


def pair_scores(predicted: set[frozenset], truth: set[frozenset]) -> PairScores:
    """Pairwise precision and recall; an empty prediction has precision 1 by convention."""
    tp = len(predicted & truth)
    fp = len(predicted - truth)
    fn = len(truth - predicted)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return PairScores(precision, recall, tp, fp, fn)

"""The toolbox: a library of materials tagged by målområde, quality-model step and factor.

Tags are framework keys (``malomraden`` area keys, ``kvalitetsmodell`` step keys,
``preventionsstjarna`` factor keys), checked against the frameworks of the item's county
(the shipped defaults for shared items), so a county that overrides a framework tags
with its own keys. This module holds the queries, the one save path and the pure
functions that filter and rank; the pages and the step tag only call it.

Ranking on a plan step (:func:`rank_for_step`): an item is offered on a step only when
it is tagged with that step's key; the offered items are ordered by how many of the
plan's factors they share (the prioritised factors of the plan and the factors its
chosen interventions address), then by title and id, so the order is total and does
not depend on the order the database returned them in. Sharing factors with the plan
is the same relevance signal the interventions registry uses (Hawkins, Catalano &
Miller 1992: work on the risk and protective factors that are raised locally).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q, QuerySet

from jamlik import frameworks
from jamlik.core.versioning import claim
from jamlik.frameworks.types import ItemList
from jamlik.geo.models import Area
from jamlik.support.models import ToolboxItem

# ---- the county's tag vocabularies --------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """The three tag vocabularies of one county (None: the shipped defaults)."""

    areas: ItemList[Any]
    steps: ItemList[Any]
    factors: ItemList[Any]


def vocabulary(county: Area | None) -> Vocabulary:
    """Tags for ``county``'s items, or for shared items when ``county`` is None."""
    code = county.code if county is not None else None
    return Vocabulary(
        areas=frameworks.load("malomraden", county=code).areas,
        steps=frameworks.load("kvalitetsmodell", county=code).steps,
        factors=frameworks.load("preventionsstjarna", county=code).factors,
    )


def unknown_tags(
    vocab: Vocabulary,
    target_areas: Iterable[str],
    quality_steps: Iterable[str],
    factors: Iterable[str],
) -> list[str]:
    """Messages naming every tag the vocabulary does not know (empty: all known)."""
    problems = []
    for label, keys, known in (
        ("målområde", target_areas, vocab.areas),
        ("quality-model step", quality_steps, vocab.steps),
        ("factor", factors, vocab.factors),
    ):
        bad = [k for k in keys if k not in known]
        if bad:
            problems.append(f"unknown {label} key(s): {', '.join(map(str, bad))}")
    return problems


def is_web_link(url: str) -> bool:
    """Only http(s) links: a material opens in a browser (no file:, ftp:, javascript:)."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# ---- saving -------------------------------------------------------------------------


@transaction.atomic
def save_item(
    county: Area | None,
    values: dict[str, Any],
    *,
    item: ToolboxItem | None = None,
    user: Any = None,
    version: int | None = None,
) -> ToolboxItem:
    """Create or update an item (``county`` None: shared by all counties).

    Refuses unknown tags and non-web links with a ``ValueError`` naming them; a film
    must have its link (films are kept as links, never uploaded). A changed item must
    still be at ``version`` (the one the editor loaded; None: no check).
    """
    problems = unknown_tags(
        vocabulary(county),
        values.get("target_areas", []),
        values.get("quality_steps", []),
        values.get("factors", []),
    )
    url = values.get("url", "")
    if url and not is_web_link(url):
        problems.append(f"the link must start with http:// or https://, got {url!r}")
    if values.get("kind") == "film" and not url:
        problems.append("a film is kept as a link: give its address")
    if problems:
        raise ValueError("; ".join(problems))
    if item is None:
        item = ToolboxItem(county=county)
        if getattr(user, "is_authenticated", False):
            item.created_by = user
    for key, value in values.items():
        setattr(item, key, value)
    if item.pk is not None:
        claim(item, version)
    item.save()
    return item


def delete_item(item: ToolboxItem) -> None:
    item.delete()


# ---- queries ------------------------------------------------------------------------


def library(county: Area) -> QuerySet[ToolboxItem]:
    """The county's own items and the shared ones."""
    return ToolboxItem.objects.filter(Q(county=county) | Q(county__isnull=True)).select_related(
        "county"
    )


def plan_factors(plan: Any) -> list[str]:
    """The plan's factors: its prioritised ones, then those of its chosen interventions,
    each once, in that order."""
    keys: list[str] = list(plan.prioritised_factors or [])
    for factors in plan.interventions.values_list("factors", flat=True):
        keys.extend(factors or [])
    return list(dict.fromkeys(keys))


def plan_county(plan: Any) -> Area | None:
    municipality = plan.municipality
    return municipality.county if municipality.level != "county" else municipality


def items_for_step(plan: Any, step: Any, limit: int | None = None) -> list[Match[ToolboxItem]]:
    """Items of the plan's county or shared, tagged with ``step``'s key, best first."""
    county = plan_county(plan)
    items = list(library(county)) if county is not None else []
    ranked = rank_for_step(items, step.key, plan_factors(plan))
    return ranked[:limit] if limit is not None else ranked


# ---- pure matching -------------------------------------------------------------------


class Taggable(Protocol):
    pk: Any
    title: str
    quality_steps: Any
    factors: Any


T = TypeVar("T", bound=Taggable)


@dataclass(frozen=True)
class Match(Generic[T]):
    """An item offered on a step and the plan's factors it shares (in the plan's order)."""

    item: T
    shared: tuple[str, ...]


def _order(match: Match[Any]) -> tuple[int, str, str, Any]:
    item = match.item
    return (-len(match.shared), item.title.casefold(), item.title, item.pk)


def rank_for_step(items: Iterable[T], step_key: str, factors: Sequence[str]) -> list[Match[T]]:
    """Items tagged with ``step_key``, most shared factors first, then by title and id.

    Items without the step never appear, even when they share every factor: an item
    with no step at all stays in the library but is offered on no step.
    """
    matches = []
    for item in items:
        if step_key not in (item.quality_steps or []):
            continue
        tags = set(item.factors or [])
        shared = tuple(f for f in dict.fromkeys(factors) if f in tags)
        matches.append(Match(item, shared))
    return sorted(matches, key=_order)


# ---- library search and facets -----------------------------------------------------


@dataclass(frozen=True)
class Query:
    """What the library page was asked for; empty fields do not filter."""

    text: str = ""
    kind: str = ""
    area: str = ""
    step: str = ""
    factor: str = ""

    @property
    def filtered(self) -> bool:
        return any((self.text, self.kind, self.area, self.step, self.factor))


FACETS: dict[str, Callable[[Any], Collection[str]]] = {
    "kind": lambda item: (item.kind,),
    "area": lambda item: item.target_areas or (),
    "step": lambda item: item.quality_steps or (),
    "factor": lambda item: item.factors or (),
}


def _text_matches(item: Any, text: str) -> bool:
    """Every word of ``text`` occurs in the title, description or publisher.

    Compared case-folded in Python, not with SQL ``icontains``: SQLite folds only ASCII,
    so "Ö" would not find "ö".
    """
    haystack = " ".join((item.title, item.description, item.publisher)).casefold()
    return all(word in haystack for word in text.casefold().split())


def matches(item: Any, query: Query, *, ignore: str = "") -> bool:
    """Whether ``item`` passes every filter of ``query`` except facet ``ignore``."""
    if query.text and not _text_matches(item, query.text):
        return False
    for facet, tags in FACETS.items():
        wanted = getattr(query, facet)
        if facet != ignore and wanted and wanted not in tags(item):
            return False
    return True


@dataclass
class Result:
    items: list[Any]
    total: int  # items in the library before filtering
    counts: dict[str, Counter[str]] = field(default_factory=dict)


def search(items: Sequence[Any], query: Query) -> Result:
    """Filter ``items`` and count each facet's values among the items that pass the
    other filters (the usual faceted-search count: choosing a value shows how many
    it would give)."""
    found = [i for i in items if matches(i, query)]
    counts = {
        facet: Counter(v for i in items if matches(i, query, ignore=facet) for v in tags(i))
        for facet, tags in FACETS.items()
    }
    return Result(found, len(items), counts)

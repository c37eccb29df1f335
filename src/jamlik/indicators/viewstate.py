"""View state in the URL, so that every view of a page can be shared as a link.

Each page's state is a small frozen dataclass read from the query string with
forgiving parsing (an unknown value falls back to the default instead of an
error page) and written back with only the non-default keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from jamlik.indicators.labels import BREAKDOWN_LABELS, MEASURE_LABELS
from jamlik.sources.observations import DIMENSION_SEPARATOR


class Benchmark(StrEnum):
    """What an area is compared with: an area (the county, Sweden) or a peer group
    (:mod:`jamlik.geo.peers`), whose benchmark is the mean of its kommuner."""

    COUNTY = "lan"
    COUNTRY = "riket"
    #: SKR's kommungrupp of the kommun (the other members' mean).
    GROUP = "grupp"
    #: The kommun's nearest neighbours, "liknande kommuner" (their mean).
    PEERS = "liknande"

    @property
    def is_peer_group(self) -> bool:
        return self in (Benchmark.GROUP, Benchmark.PEERS)


#: Breakdowns a user may choose for gaps between groups.
BREAKDOWNS = ("sex", "education", "district")
#: Other single dimensions a user may choose: those with a name to show (``age``).
NAMED_BREAKDOWNS = tuple(BREAKDOWN_LABELS)
#: A cross table of several dimensions (``age*sex``, see
#: :mod:`jamlik.sources.observations`); its dimensions are plain names a county
#: may choose, so any is accepted and the page says when there are no values.
_CROSS = re.compile(r"^[A-Za-z0-9_.-]{1,40}(\*[A-Za-z0-9_.-]{1,40}){1,3}$")
#: Population groups a user may choose on the overview.
SEXES = ("total", "female", "male")


def _choice(raw: str | None, allowed: tuple[str, ...], default: str) -> str:
    return raw if raw in allowed else default


def _breakdown(raw: str | None) -> str:
    if raw in BREAKDOWNS or (raw in NAMED_BREAKDOWNS and raw != "total"):
        return raw
    if raw and len(raw) <= 96 and _CROSS.match(raw):
        # stored with the dimensions in name order, whichever order a link gives
        dims = sorted(set(raw.split(DIMENSION_SEPARATOR)) - {"total"})
        if len(dims) > 1:
            return DIMENSION_SEPARATOR.join(dims)
    return "sex"


def _keys(raw: str | None, allowed: Iterable[str]) -> tuple[str, ...]:
    """Known keys from a comma-separated list, in the given order, without repeats."""
    known = set(allowed)
    return tuple(dict.fromkeys(k.strip() for k in (raw or "").split(",") if k.strip() in known))


def _codes(raw: str | None, limit: int = 40) -> tuple[str, ...]:
    if not raw:
        return ()
    codes = [c.strip() for c in raw.split(",") if c.strip().replace("-", "").isalnum()]
    return tuple(dict.fromkeys(codes))[:limit]


@dataclass(frozen=True)
class ViewState:
    """State shared by the indicator pages.

    ``indicator``  indicator shown on the map of the county overview
    ``bench``      benchmark: the county (``lan``), Sweden (``riket``), the kommungrupp
                   (``grupp``) or similar kommuner (``liknande``)
    ``sex``        population group of the overview (``total``, ``female``, ``male``)
    ``breakdown``  breakdown for gaps between groups (``sex``, ``education``, ``district``,
                   another stored dimension such as ``age``), or a cross table of
                   several (``age*sex``), shown whole on the indicator page
    ``area``       area in focus on the indicator page (trend, inequality)
    ``areas``      areas in the compare-areas chart (empty = the county's kommuner)
    ``period``     a period label, empty = the latest
    ``measures``   inequality measures chosen on the indicator page (empty = the
                   defaults that fit the breakdown); repeated keys or a comma list
    """

    indicator: str = ""
    bench: str = Benchmark.COUNTY.value
    sex: str = "total"
    breakdown: str = "sex"
    area: str = ""
    areas: tuple[str, ...] = ()
    period: str = ""
    measures: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> ViewState:
        """Read the state from ``request.GET`` (or any mapping of strings)."""

        def get(key: str) -> str | None:
            value = query.get(key)
            return None if value is None else str(value).strip()

        period = get("period") or ""
        # Checkboxes send ``measures`` once per ticked box; shared links use a comma list.
        getlist = getattr(query, "getlist", None)
        chosen = ",".join(getlist("measures")) if getlist else (get("measures") or "")
        return cls(
            indicator=(_codes(get("indicator"), 1) or ("",))[0],
            bench=_choice(get("bench"), tuple(b.value for b in Benchmark), Benchmark.COUNTY.value),
            sex=_choice(get("sex"), SEXES, "total"),
            breakdown=_breakdown(get("breakdown")),
            area=(_codes(get("area"), 1) or ("",))[0],
            areas=_codes(get("areas")),
            period=period
            if len(period) <= 16 and all(c.isalnum() or c in "-/" for c in period)
            else "",
            measures=_keys(chosen, MEASURE_LABELS),
        )

    def to_query(self, **changes: Any) -> str:
        """The query string (with ``?``) for this state with ``changes`` applied."""
        state = replace(self, **changes)
        default = ViewState()
        pairs = []
        for f in fields(self):
            value = getattr(state, f.name)
            if value == getattr(default, f.name):
                continue
            pairs.append((f.name, ",".join(value) if isinstance(value, tuple) else value))
        return "?" + urlencode(pairs) if pairs else ""

    @property
    def benchmark(self) -> Benchmark:
        return Benchmark(self.bench)

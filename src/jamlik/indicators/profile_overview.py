"""The first screen of a kommun profile: key facts, spine chart, pyramid and changes.

Computed with the profile's figures (:func:`jamlik.indicators.profile.profile_figures`)
and cached with them, so a warm page costs nothing more.  A cold page costs
the population by age × sex (one query) and, once per publication for all
profiles, every kommun's latest values with its county (two queries,
:func:`kommun_values`): the county's ranges and Sweden's are cut from them.
Visibility is the profile's: a reader who may see the kommun's unpublished
imports sees them here too; everyone else sees published values only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.utils.translation import get_language

from jamlik.geo import peers as kommungrupper
from jamlik.geo.models import Area
from jamlik.indicators.changes import Change, changes_since_previous, largest_first
from jamlik.indicators.figure_cache import public_cached
from jamlik.indicators.models import Indicator
from jamlik.indicators.presentation import COMPARISON_MARKERS, QUINTILE_MARKERS, Marker
from jamlik.indicators.profile_summary import Counts, comparison_counts
from jamlik.indicators.pyramid import BREAKDOWN, Pyramid, build_pyramid
from jamlik.indicators.queries import Visibility, observation_frame
from jamlik.indicators.spine import SpineBar, spine_bar

#: The population indicator (SCB via Kolada: residents on 31 December).
POPULATION = "N01951"
#: The ranges the spine chart can show: the county's kommuner or Sweden's.
SCOPES = ("lan", "riket")


@dataclass
class ProfileOverview:
    """What the top of the profile shows (plain numbers; names are added by the page)."""

    #: Scope (``lan``/``riket``) → indicator id → the spine bar (``None``: no range).
    spine: dict[str, dict[int, SpineBar | None]] = field(default_factory=dict)
    #: How many kommuner gave each scope's ranges (at most; per indicator it may be fewer).
    scope_sizes: dict[str, int] = field(default_factory=dict)
    #: Significant changes since the previous period, largest (relative) first.
    changes: list[tuple[Indicator, Change]] = field(default_factory=list)
    population: float | None = None
    population_period: str = ""
    pyramid: Pyramid | None = None
    counts: Counts | None = None
    #: The comparison markers the rows use, in the legend's order.
    legend: list[Marker] = field(default_factory=list)
    #: SKR's kommungrupp (:mod:`jamlik.geo.peers`), named in the active language.
    kommungrupp: str = ""

    @property
    def improvements(self) -> list[tuple[Indicator, Change]]:
        return [(i, c) for i, c in self.changes if c.direction == "better"]

    @property
    def deteriorations(self) -> list[tuple[Indicator, Change]]:
        return [(i, c) for i, c in self.changes if c.direction == "worse"]

    @property
    def other_changes(self) -> list[tuple[Indicator, Change]]:
        """Significant changes of indicators without a better or worse direction."""
        return [(i, c) for i, c in self.changes if c.direction in ("up", "down")]


def _latest_values(
    frame: pd.DataFrame, periods: dict[int, str]
) -> dict[int, list[tuple[int, float]]]:
    """Per indicator, ``(area id, value)`` of ``frame``'s rows in that indicator's period."""
    if frame.empty:
        return {}
    wanted = frame["period"].astype(str) == frame["indicator_id"].map(periods).astype(str)
    rows = frame[wanted & frame["value"].notna()]
    return {
        int(i): list(zip(g["area_id"].astype(int).tolist(), g["value"].tolist(), strict=True))
        for i, g in rows.groupby("indicator_id")
    }


@dataclass(frozen=True)
class KommunValues:
    """Every kommun's value per indicator in the given periods, and each kommun's county."""

    values: dict[int, list[tuple[int, float]]]
    county_of: dict[int, int | None]

    def of_county(self, county_id: int) -> dict[int, list[float]]:
        return {
            i: [v for a, v in pairs if self.county_of.get(a) == county_id]
            for i, pairs in self.values.items()
        }

    def of_sweden(self) -> dict[int, list[float]]:
        return {i: [v for _a, v in pairs] for i, pairs in self.values.items()}


def kommun_values(
    ends: dict[int, int], periods: dict[int, str], visibility: Visibility
) -> KommunValues:
    """Every kommun's value in the given periods: two queries (the kommuner with their
    county, their values), cached once per publication and set of periods for every
    profile, so the county's ranges and Sweden's come from the same read."""
    key = tuple(sorted((i, e, periods[i]) for i, e in ends.items()))

    def compute() -> KommunValues:
        kommuner = dict(Area.objects.municipalities().values_list("pk", "parent_id"))
        frame = observation_frame(
            indicator_ids=list(ends), area_ids=kommuner, period_ends=ends, visibility=visibility
        )
        return KommunValues(_latest_values(frame, periods), kommuner)

    return public_cached("kommun-values", key, visibility, compute)


def _pyramid(
    area: Area, county: Area | None, indicator: Indicator, period: str, visibility: Visibility
) -> Pyramid | None:
    ids = [area.pk] + ([county.pk] if county else [])
    frame = observation_frame(
        indicator_ids=[indicator.pk],
        area_ids=ids,
        breakdown=BREAKDOWN,
        category=None,
        period=period,
        visibility=visibility,
    )
    if frame.empty:
        return None
    cells: dict[int, dict[str, float | None]] = {}
    for a, category, value, hidden in zip(
        frame["area_id"].tolist(),
        frame["category"].tolist(),
        frame["value"].tolist(),
        frame["suppressed"].tolist(),
        strict=True,
    ):
        cells.setdefault(int(a), {})[str(category)] = None if hidden else value
    return build_pyramid(cells.get(area.pk, {}), period, cells.get(county.pk) if county else None)


def _previous_scale(own: pd.DataFrame) -> dict[int, float]:
    """Each indicator's mean value over the area's series: the scale a change is
    measured against when the changes are ranked."""
    if own.empty:
        return {}
    known = own[own["value"].notna()]
    return {int(i): float(v) for i, v in known.groupby("indicator_id")["value"].mean().items()}


def overview_figures(
    area: Area,
    county: Area | None,
    indicators: dict[int, Indicator],
    own: pd.DataFrame,
    rows: list[Any],
    visibility: Visibility,
) -> ProfileOverview:
    """The overview of ``area`` from the profile's own frame (``own``: the kommun's total
    rows, every period) and its rows (:class:`~jamlik.indicators.profile.ProfileRow`)."""
    shown = {r.indicator.pk: r for r in rows if r.period}
    periods = {pk: r.period for pk, r in shown.items()}
    latest = own[own["period"].astype(str) == own["indicator_id"].map(periods).astype(str)]
    ends = {
        int(i): int(e)
        for i, e in zip(latest["indicator_id"].tolist(), latest["period_end"].tolist(), strict=True)
    }
    peers: dict[str, dict[int, list[float]]] = {}
    sizes: dict[str, int] = {}
    if ends:
        everyone = kommun_values(ends, periods, visibility)
        peers["riket"] = everyone.of_sweden()
        sizes["riket"] = max((len(v) for v in peers["riket"].values()), default=0)
        if county is not None:
            peers["lan"] = everyone.of_county(county.pk)
            sizes["lan"] = sum(1 for c in everyone.county_of.values() if c == county.pk)
    spine: dict[str, dict[int, SpineBar | None]] = {}
    for scope, values in peers.items():
        spine[scope] = {
            pk: spine_bar(
                values.get(pk, []),
                polarity=indicators[pk].polarity,
                own=None if r.suppressed else r.value,
                # a count of the county or Sweden is a total, not a kommun's level:
                # it has no place on a bar of kommuner's values
                county=None if _is_total(indicators[pk]) else r.county,
                country=None if _is_total(indicators[pk]) else r.country,
            )
            for pk, r in shown.items()
        }
    overview = ProfileOverview(
        spine=spine,
        scope_sizes=sizes,
        changes=[
            (indicators[c.indicator_id], c)
            for c in largest_first(
                changes_since_previous(own, {pk: i.polarity for pk, i in indicators.items()}),
                _previous_scale(own),
            )
        ],
        counts=comparison_counts(r.marker.key for r in rows if r.period),
        legend=[
            m
            for m in (*COMPARISON_MARKERS.values(), *QUINTILE_MARKERS.values())
            if m.key in {r.marker.key for r in rows}
        ],
    )
    group = kommungrupper.group_of(area.code)
    overview.kommungrupp = group.name(get_language() or "sv") if group else ""
    population = next((i for i in indicators.values() if i.code == POPULATION), None)
    if population is not None and population.pk in shown:
        row = shown[population.pk]
        overview.population = None if row.suppressed else row.value
        overview.population_period = row.period
        overview.pyramid = _pyramid(area, county, population, row.period, visibility)
    return overview


def _is_total(indicator: Indicator) -> bool:
    """A count (e.g. the population): the county's and Sweden's are sums over kommuner."""
    return indicator.value_type == "count"

"""The "Delområden" section of a kommun profile: each district against the kommun.

For one chosen indicator (those with values for the kommun's districts), each district's
latest value with its 95 % interval is compared with the kommun's value for the same
period the way every other comparison is made (:func:`jamlik.indicators.analysis.compare_with`:
proportions and rates by their intervals, PHE 2018; other value types are not compared),
ranked from least to most favourable by the indicator's polarity, and drawn as a
choropleth of the districts when all of them have boundaries
(:mod:`jamlik.geo.choropleth`). The gap measures across districts (SII, range …) are on
the indicator page with ``?breakdown=district``; this section links there.

Only what the reader may see is read (:class:`~jamlik.indicators.queries.Visibility`):
the public sees published values only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.urls import reverse
from django.utils.translation import gettext

from jamlik.core.templatetags.jamlik_format import fmt
from jamlik.geo import choropleth
from jamlik.geo.maps import county_map
from jamlik.geo.models import Area
from jamlik.indicators import analysis
from jamlik.indicators.models import Indicator
from jamlik.indicators.pages import clean_number, methods_url
from jamlik.indicators.presentation import Marker, comparison_marker
from jamlik.indicators.queries import Visibility, observation_frame

#: The query parameter choosing the section's indicator.
PARAMETER = "delomrade_indikator"


@dataclass(frozen=True)
class DistrictValue:
    """One district's value as the section shows it."""

    area: Area
    value: float | None
    lower: float | None
    upper: float | None
    marker: Marker
    published: bool
    #: 1 = least favourable (highest where low is good), ``None`` without a value.
    rank: int | None = None
    suppressed: bool = False


@dataclass
class DistrictSection:
    area: Area
    districts: list[Area]
    #: Indicators with values for the kommun's districts, by name.
    indicators: list[Indicator] = field(default_factory=list)
    chosen: Indicator | None = None
    period: str = ""
    kommun_value: float | None = None
    rows: list[DistrictValue] = field(default_factory=list)
    map: choropleth.Choropleth | None = None
    without_boundary: int = 0
    gap_url: str = ""
    method_url: str = ""
    parameter: str = PARAMETER
    #: Whether the reader may manage the districts (a link to their page).
    can_manage: bool = False


def _rank(frame: pd.DataFrame, polarity: str) -> dict[int, int]:
    """Rank of each district by value, 1 = least favourable (ties share the lower rank);
    for an indicator with no judgement, 1 = highest."""
    valued = frame[frame["value"].notna()]
    ascending = polarity == "high"
    ranks = valued["value"].rank(method="min", ascending=ascending)
    return {int(a): int(r) for a, r in zip(valued["area_id"], ranks, strict=True)}


def district_section(
    area: Area, indicator_code: str = "", *, visibility: Visibility | None = None
) -> DistrictSection | None:
    """The section for kommun ``area`` (``None`` when it has no districts)."""
    districts = list(Area.objects.districts(area.code))
    if not districts:
        return None
    visibility = visibility or Visibility.public()
    section = DistrictSection(area=area, districts=districts)
    ids = [d.pk for d in districts]
    available = observation_frame(area_ids=ids, visibility=visibility)
    available = available[available["value"].notna() | available["suppressed"]]
    indicator_ids = set(available["indicator_id"].astype(int))
    section.indicators = sorted(
        Indicator.objects.filter(pk__in=indicator_ids), key=lambda i: i.name.casefold()
    )
    if not section.indicators:
        return section
    chosen = next((i for i in section.indicators if i.code == indicator_code), None)
    chosen = chosen or section.indicators[0]
    section.chosen = chosen
    rows = available[available["indicator_id"] == chosen.pk]
    last = rows.sort_values(["period_end", "period_start"])["period"].iloc[-1]
    rows = rows[rows["period"] == last].reset_index(drop=True)
    section.period = str(last)
    bench = observation_frame(
        indicator_ids=[chosen.pk], area_ids=[area.pk], period=str(last), visibility=visibility
    )
    section.kommun_value = clean_number(bench["value"].iloc[0]) if len(bench) else None
    compared = analysis.compare_with(rows, bench, {chosen.pk: chosen})
    ranks = _rank(compared, chosen.polarity)
    by_id = {d.pk: d for d in districts}
    found = {int(r.area_id): r for r in compared.itertuples(index=False)}
    for district in districts:
        row: Any = found.get(district.pk)
        if row is None:
            section.rows.append(
                DistrictValue(district, None, None, None, comparison_marker(None), True)
            )
            continue
        section.rows.append(
            DistrictValue(
                by_id[int(row.area_id)],
                clean_number(row.value),
                clean_number(row.lower),
                clean_number(row.upper),
                comparison_marker(row.comparison),
                bool(row.published),
                ranks.get(int(row.area_id)),
                bool(row.suppressed),
            )
        )
    section.rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.area.name))
    section.gap_url = (
        reverse("indicators:indicator", args=[chosen.code])
        + f"?breakdown=district&area={area.code}"
    )
    section.method_url = methods_url("delomraden")
    section.map, section.without_boundary = _map(area, section)
    return section


def _map(area: Area, section: DistrictSection) -> tuple[choropleth.Choropleth | None, int]:
    """The districts drawn with their comparison (those with a boundary), and how many
    districts have none."""
    drawable = [d for d in section.districts if d.boundary]
    missing = len(section.districts) - len(drawable)
    if not drawable or section.chosen is None:
        return None, missing
    values = {
        r.area.code: choropleth.MapValue(
            r.marker.key, r.marker.symbol, str(r.marker.label), fmt(r.value)
        )
        for r in section.rows
    }
    not_compared = comparison_marker(None)

    def words(family: str) -> tuple[str, str]:
        marker = comparison_marker(family)
        return marker.symbol, str(marker.label)

    drawn = county_map(drawable)
    chart = choropleth.build(
        drawn,
        values,
        title=gettext("Map of the districts: %(name)s") % {"name": section.chosen.name},
        legend_title=gettext("Compared with %(bench)s") % {"bench": area.name},
        url_for=lambda code: reverse("geo:area", args=[code]),
        missing=choropleth.MapValue(
            "not_compared", not_compared.symbol, str(not_compared.label), "–"
        ),
        words=words,
        id_prefix="district-map",
    )
    return chart, missing


def for_request(
    area: Area,
    request: Any,
    *,
    visibility: Visibility | None = None,
    version: str | None = None,
) -> DistrictSection | None:
    """:func:`district_section` for a page: the indicator chosen in the query, what the
    reader may see, and whether they may manage the districts. For the public it is
    computed once per publication (:func:`~jamlik.indicators.figure_cache.public_cached`;
    ``version`` is the page's :func:`~jamlik.indicators.publication.public_version`, so
    a warm page costs no query here; ``visibility`` the page's, read once)."""
    from jamlik.indicators.figure_cache import public_cached
    from jamlik.indicators.queries import visibility_for

    user = getattr(request, "user", None)
    visibility = visibility or visibility_for(user)
    chosen = request.GET.get(PARAMETER, "").strip()[:40]
    section = public_cached(
        "district-section",
        (area.pk, chosen),
        visibility,
        lambda: district_section(area, chosen, visibility=visibility),
        version=version,
    )
    if section is not None and user is not None:
        section.can_manage = user.has_perm("jamlik.admin_county", area)
    return section

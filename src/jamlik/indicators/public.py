"""Observations as the public may see them (API and downloads): disclosure-controlled.

Two kinds of published totals could give a hidden count away: the county total
over its kommuner (rows of one indicator, period and group) and the area's
whole-population value over its groups (women and men, education levels).
Suppression is therefore computed for both groupings over the full tables, and
a count hidden in either is hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from jamlik.geo.models import Area
from jamlik.indicators.analysis import indicator_map
from jamlik.indicators.disclosure import disclose
from jamlik.indicators.models import Indicator
from jamlik.indicators.queries import add_thresholds, observation_frame, visibility_for

MAX_INDICATORS = 10


def _clean(x: Any) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def public_observations(
    codes: Sequence[str],
    *,
    areas: Sequence[str] | None = None,
    period: str | None = None,
    breakdown: str | None = None,
    category: str | None = None,
    user: Any = None,
) -> list[dict[str, Any]]:
    """Rows for the API, suppressed where needed, sorted by indicator, area, period.

    Published observations only, unless ``user`` may see unpublished imports
    for some areas (then those rows come with ``published`` false).
    """
    indicators = indicator_map(list(Indicator.objects.filter(code__in=codes)))
    frame = observation_frame(
        indicator_ids=indicators.keys(),
        breakdown=breakdown,
        category=category,
        period=period,
        visibility=visibility_for(user),
    )
    if frame.empty:
        return []
    frame = add_thresholds(frame, indicators)
    by_area = disclose(frame, within=["indicator_id", "period", "breakdown", "category"])
    by_group = disclose(frame, within=["indicator_id", "area_id", "period", "breakdown"])
    hidden = by_area["suppressed"] | by_group["suppressed"]
    for column in ("numerator", "value", "lower", "upper"):
        frame[column] = frame[column].where(~hidden)
    frame["suppressed"] = hidden
    area_rows = Area.objects.filter(pk__in=frame["area_id"].unique()).values_list(
        "pk", "code", "name"
    )
    codes_by_pk = {pk: (code, name) for pk, code, name in area_rows}
    frame["area_code"] = frame["area_id"].map(lambda pk: codes_by_pk[pk][0])
    frame["area_name"] = frame["area_id"].map(lambda pk: codes_by_pk[pk][1])
    if areas:
        frame = frame[frame["area_code"].isin(list(areas))]
    frame["indicator_code"] = frame["indicator_id"].map(lambda pk: indicators[pk].code)
    frame = frame.sort_values(
        ["indicator_code", "area_code", "period_end", "breakdown", "category"]
    )
    return [
        {
            "indicator": r.indicator_code,
            "area": r.area_code,
            "area_name": r.area_name,
            "period": r.period,
            "breakdown": r.breakdown,
            "category": r.category,
            "numerator": _clean(r.numerator),
            "denominator": _clean(r.denominator),
            "value": _clean(r.value),
            "lower": _clean(r.lower),
            "upper": _clean(r.upper),
            "note": "suppressed (small numbers)" if r.suppressed else (r.note or ""),
            "source": r.source or "",
            "suppressed": bool(r.suppressed),
            "is_demo": bool(r.is_demo),
            "published": bool(r.published),
        }
        for r in frame.itertuples(index=False)
    ]

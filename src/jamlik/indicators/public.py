"""Observations as the public may see them (API and downloads).

Rows come from the protected public table (:mod:`jamlik.indicators.publication`),
where disclosure control was computed once over the whole published structure;
the filters here only select rows from it, so narrowing a request to one area,
group or period cannot reveal what the full table hides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from jamlik.geo.models import Area
from jamlik.indicators.analysis import indicator_map
from jamlik.indicators.models import Indicator
from jamlik.indicators.queries import observation_frame, visibility_for
from jamlik.indicators.source_notes import notes_by_run

MAX_INDICATORS = 10


def _clean(x: Any) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def _run(x: Any) -> int | None:
    return None if x is None or pd.isna(x) else int(x)


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
    area_rows = Area.objects.values_list("pk", "code", "name")
    if areas:
        area_rows = area_rows.filter(code__in=list(areas))
    codes_by_pk = {pk: (code, name) for pk, code, name in area_rows}
    frame = observation_frame(
        indicator_ids=indicators.keys(),
        area_ids=codes_by_pk.keys() if areas else None,
        breakdown=breakdown,
        category=category,
        period=period,
        visibility=visibility_for(user),
    )
    if frame.empty:
        return []
    frame["area_code"] = frame["area_id"].map(lambda pk: codes_by_pk[pk][0])
    frame["area_name"] = frame["area_id"].map(lambda pk: codes_by_pk[pk][1])
    frame["indicator_code"] = frame["indicator_id"].map(lambda pk: indicators[pk].code)
    frame = frame.sort_values(
        ["indicator_code", "area_code", "period_end", "breakdown", "category"]
    )
    notes = notes_by_run(indicators.keys())
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
            "status": r.status or "",
            "source_notes": " | ".join(notes.get(_run(r.import_run_id), ())),
        }
        for r in frame.itertuples(index=False)
    ]

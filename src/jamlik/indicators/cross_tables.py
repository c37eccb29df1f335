"""Cross tables: one indicator in one area split by several dimensions at once.

A table such as sex × age is stored whole (:mod:`jamlik.sources.observations`):
its cells under the composite breakdown (``age*sex``/``65-84*female``) and its
margins as ordinary rows (``sex``/``female``, ``age``/``65-84``, ``total``).
Here they are laid out as the reader expects a cross table: the first
dimension in display order (:data:`~jamlik.indicators.labels.DIMENSION_ORDER`)
across, the second down, margins in the last row and column, and for a third
dimension one table per category of it (its total first).

Numbers come from the protected public table, so a hidden cell is hidden here
as everywhere else; gap measures stay per single dimension (the breakdown
chooser's single breakdowns), a cross table is shown as it is.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
from django.utils.translation import gettext as _

from jamlik.geo.models import Area
from jamlik.indicators.figure_cache import public_cached
from jamlik.indicators.gaps import EDUCATION_ORDER, PAIRS, latest_period
from jamlik.indicators.labels import (
    breakdown_label,
    category_label,
    cell_label,
    dimension_label,
    dimension_order,
)
from jamlik.indicators.models import Indicator
from jamlik.indicators.pages import clean_number
from jamlik.indicators.queries import Visibility, observation_frame
from jamlik.sources.observations import (
    DIMENSION_SEPARATOR,
    TOTAL,
    compose_breakdown,
    split_breakdown,
)

_AGE = re.compile(r"^(\d{1,3})")
_KNOWN_ORDER = {"sex": {c: i for i, c in enumerate(PAIRS["sex"])}, "education": EDUCATION_ORDER}


def margins_of(breakdown: str) -> list[str]:
    """Every breakdown a cross table and its margins are stored under: ``age*sex`` →
    ``age*sex``, ``age``, ``sex`` and ``total``."""
    dims = sorted(breakdown.split(DIMENSION_SEPARATOR))
    out = [TOTAL]
    for size in range(1, len(dims) + 1):
        out += [DIMENSION_SEPARATOR.join(c) for c in itertools.combinations(dims, size)]
    return out


def category_order(dimension: str, code: str) -> tuple[int, float, str]:
    """Sort key of a category: sex and education in their known order, age bands by
    their first year, anything else by name."""
    known = _KNOWN_ORDER.get(dimension, {})
    if code in known:
        return (0, float(known[code]), code)
    if age := _AGE.match(code):
        return (1, float(age[1]), code)
    return (2, 0.0, code)


def _cell(row: dict[str, Any] | None) -> dict[str, Any]:
    if row is None:
        return {"missing": True, "suppressed": False, "published": True, "value": None}
    return {
        "missing": False,
        "value": clean_number(row["value"]),
        "lower": clean_number(row["lower"]),
        "upper": clean_number(row["upper"]),
        "numerator": None if row["suppressed"] else clean_number(row["numerator"]),
        "denominator": clean_number(row["denominator"]),
        "suppressed": bool(row["suppressed"]),
        "published": bool(row["published"]),
    }


def lay_out(frame: pd.DataFrame, breakdown: str) -> dict[str, Any]:
    """The tables of ``breakdown`` from one area's and period's rows (pure).

    ``frame`` holds the rows of the cross table and its margins (columns
    ``breakdown``, ``category``, the numbers, ``suppressed``, ``published``).
    Returns the dimensions, and per category of the third and further
    dimensions (just one table for two) a table with ``columns`` and ``rows``
    of cells; a cell missing from the data says so (``missing``).
    """
    dims = dimension_order(breakdown.split(DIMENSION_SEPARATOR))
    by_key = {
        (str(r["breakdown"]), str(r["category"])): r
        for r in frame.to_dict("records")
        if r["breakdown"] in set(margins_of(breakdown))
    }
    categories: dict[str, set[str]] = {d: set() for d in dims}
    for b, c in by_key:
        for d, code in split_breakdown(b, c).items():
            if d in categories:
                categories[d].add(code)
    ordered = {
        d: sorted(cs, key=lambda c, d=d: category_order(d, c)) for d, cs in categories.items()
    }
    across, down, *rest = dims
    pages = list(itertools.product(*([TOTAL, *ordered[d]] for d in rest))) or [()]
    tables = []
    for fixed in pages:
        held = dict(zip(rest, fixed, strict=True))
        rows = []
        for r in [*ordered[down], TOTAL]:
            cells = [
                _cell(by_key.get(compose_breakdown({**held, across: c, down: r})))
                for c in [*ordered[across], TOTAL]
            ]
            rows.append({"code": r, "label": category_label(r), "cells": cells})
        fixed_labels = [
            f"{dimension_label(d)}: {category_label(c)}" for d, c in held.items() if c != TOTAL
        ]
        tables.append(
            {
                "held": held,
                "held_label": ", ".join(fixed_labels),
                "columns": [
                    {"code": c, "label": category_label(c)} for c in [*ordered[across], TOTAL]
                ],
                "rows": rows,
            }
        )
    return {
        "dimensions": [{"code": d, "label": dimension_label(d)} for d in dims],
        "across": dimension_label(across),
        "down": dimension_label(down),
        "tables": tables,
        "has_cells": any(b == breakdown for b, _c in by_key),
        "suppressed": any(bool(r["suppressed"]) for r in by_key.values()),
    }


def _read(
    indicator: Indicator, area: Area, breakdown: str, period: str, visibility: Visibility
) -> dict[str, Any]:
    frame = observation_frame(
        indicator_ids=[indicator.pk],
        area_ids=[area.pk],
        breakdown=None,
        category=None,
        breakdowns=margins_of(breakdown),
        visibility=visibility,
    )
    cells = frame[frame["breakdown"] == breakdown]
    periods = set(cells["period"].astype(str))
    if period in periods:
        chosen = frame[frame["period"] == period]
    else:
        latest = latest_period(cells)
        chosen = frame[frame["period"].isin(set(latest["period"].astype(str)))]
    shown = str(chosen["period"].iloc[0]) if not chosen.empty else ""
    laid = lay_out(chosen, breakdown)
    return {
        **laid,
        "period": shown,
        "is_demo": bool(chosen["is_demo"].any()) if not chosen.empty else False,
        "rows": long_rows(chosen, breakdown, area.code),
    }


def cross_table(
    indicator: Indicator,
    area: Area,
    breakdown: str,
    *,
    period: str = "",
    visibility: Visibility | None = None,
) -> dict[str, Any]:
    """The cross table of ``breakdown`` for ``indicator`` in ``area``, in ``period``
    when it has cells then, else the latest period that has (computed once per
    publication for the public)."""
    visibility = visibility or Visibility.public()
    found = public_cached(
        "cross-table",
        (indicator.pk, area.pk, breakdown, period),
        visibility,
        lambda: _read(indicator, area, breakdown, period, visibility),
    )
    return {
        **found,
        "breakdown": breakdown,
        "label": breakdown_label(breakdown),
        "caption": _("%(indicator)s by %(breakdown)s in %(area)s, %(period)s")
        % {
            "indicator": indicator.name,
            "breakdown": breakdown_label(breakdown).lower(),
            "area": area.name,
            "period": found["period"],
        },
    }


def dimension_columns(breakdown: str) -> list[str]:
    """The per-dimension columns of a cross table's CSV (``dimension_age``...)."""
    return [f"dimension_{d}" for d in sorted(breakdown.split(DIMENSION_SEPARATOR))]


def long_rows(frame: pd.DataFrame, breakdown: str, area_code: str) -> list[dict[str, Any]]:
    """The cross table and its margins as one row per cell (for CSV), with one column
    per dimension (``total`` where the cell is a margin over it)."""
    wanted = margins_of(breakdown)
    dims = sorted(breakdown.split(DIMENSION_SEPARATOR))
    rows = []
    keep = frame[frame["breakdown"].isin(wanted)].copy()
    keep["_order"] = keep["breakdown"].map({b: i for i, b in enumerate(wanted)})
    for r in keep.sort_values(["_order", "category"]).to_dict("records"):
        parts = split_breakdown(str(r["breakdown"]), str(r["category"]))
        hidden = bool(r["suppressed"])
        rows.append(
            {
                "area": area_code,
                "period": r["period"],
                "breakdown": r["breakdown"],
                "category": r["category"],
                **{f"dimension_{d}": parts.get(d, TOTAL) for d in dims},
                "group": _label_of(parts),
                "value": clean_number(r["value"]),
                "lower": clean_number(r["lower"]),
                "upper": clean_number(r["upper"]),
                "numerator": None if hidden else clean_number(r["numerator"]),
                "denominator": clean_number(r["denominator"]),
                "suppressed": hidden,
            }
        )
    return rows


def _label_of(parts: dict[str, str]) -> str:
    if not parts:
        return cell_label(TOTAL, TOTAL)
    return cell_label(*compose_breakdown(parts))


def csv_columns(breakdown: str) -> Sequence[tuple[str, str]]:
    """Columns of the cross table's CSV: the composite breakdown and category, one
    column per dimension, the group's name and the numbers."""
    return [
        ("area", "area"),
        ("period", "period"),
        ("breakdown", "breakdown"),
        ("category", "category"),
        *((c, c) for c in dimension_columns(breakdown)),
        ("group", "group"),
        ("value", "value"),
        ("lower", "lower_95"),
        ("upper", "upper_95"),
        ("numerator", "numerator"),
        ("denominator", "denominator"),
        ("suppressed", "suppressed"),
    ]

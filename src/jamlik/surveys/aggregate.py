"""From flagged respondents to the figures Jämlik keeps: shares per area, year and group.

Every measure is estimated for the county (all respondents in the file), each kommun
and each district (kommun + district, when the file names one), per year, for the
total and by sex, by school year and by sex × school year (breakdown and category
composed as :func:`jamlik.sources.observations.compose_breakdown` does, so
``school_year*sex`` / ``ak9*female``).  Respondents whose sex or school year is
unknown count in the totals but in no group of that dimension.

The estimate is :mod:`jamlik.surveys.estimates`' (design-weighted when the file has
weights, Wilson interval on Kish's effective n).  Nothing is suppressed here: the
cells carry their unweighted ``n`` and publication applies the indicator's disclosure
thresholds (``min_respondents`` of the scale definition), as for any import.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jamlik.sources.observations import SEX, TOTAL, compose_breakdown
from jamlik.surveys.estimates import proportions_from_sums
from jamlik.surveys.microdata import Respondents
from jamlik.surveys.scales import ScaleSet
from jamlik.surveys.scoring import Scored

SCHOOL_YEAR = "school_year"
LEVELS = ("county", "municipality", "district")
#: The dimensions of each breakdown estimated.
BREAKDOWNS: tuple[tuple[str, ...], ...] = ((), (SEX,), (SCHOOL_YEAR,), (SEX, SCHOOL_YEAR))
_LEVEL_KEYS = {"county": [], "municipality": ["kommun"], "district": ["kommun", "district"]}


@dataclass(frozen=True)
class Cell:
    """One estimated share: which measure, where, when, for whom, and how sure."""

    measure: str
    level: str
    kommun: str
    district: str
    year: int
    breakdown: str
    category: str
    x: int
    n: int
    value: float
    lower: float
    upper: float
    n_eff: float


def _long(respondents: Respondents, scored: Scored, measures: list[str]) -> pd.DataFrame:
    """One row per respondent and answered measure, with the sums' terms."""
    base = respondents.frame[["kommun", "district", "year", "sex", "school_year", "weight"]]
    parts = []
    for measure in measures:
        y = scored.flags[measure].to_numpy(dtype=float)
        keep = ~np.isnan(y)
        part = base.loc[keep].copy()
        part["measure"] = measure
        part["y"] = y[keep]
        parts.append(part)
    long = pd.concat(parts, ignore_index=True)
    for key in ("measure", "kommun", "district", "sex", "school_year"):
        long[key] = long[key].astype("category")  # grouping on codes, not strings
    long["w2"] = long["weight"] ** 2
    long["wy"] = long["weight"] * long["y"]
    return long


def aggregate(respondents: Respondents, scored: Scored, scales: ScaleSet) -> list[Cell]:
    """Every level x year x breakdown cell of every measure (cells with no answers left out)."""
    measures = [m for m in scales.measures() if m in scored.flags.columns]
    if respondents.frame.empty or not measures:
        return []
    long = _long(respondents, scored, measures)
    cells: list[Cell] = []
    for level in LEVELS:
        rows = long[long["district"] != ""] if level == "district" else long
        for dimensions in BREAKDOWNS:
            subset = rows
            for dimension in dimensions:
                subset = subset[subset[dimension] != ""]
            if subset.empty:
                continue
            keys = ["measure", *_LEVEL_KEYS[level], "year", *dimensions]
            sums = (
                subset.groupby(keys, sort=True, observed=True)
                .agg(
                    x=("y", "sum"),
                    n=("y", "size"),
                    sw=("weight", "sum"),
                    sw2=("w2", "sum"),
                    swy=("wy", "sum"),
                )
                .reset_index()
            )
            estimates = proportions_from_sums(
                sums["x"],
                sums["n"],
                sums["sw"],
                sums["sw2"],
                sums["swy"],
                weighted=respondents.weighted,
                confidence=scales.confidence,
            )
            cells.extend(_cells(level, dimensions, sums, estimates))
    return cells


def _cells(
    level: str, dimensions: tuple[str, ...], sums: pd.DataFrame, estimates: pd.DataFrame
) -> list[Cell]:
    result = []
    records = sums.to_dict("records")
    values = estimates.to_dict("records")
    for keys, estimate in zip(records, values, strict=True):
        breakdown, category = (
            compose_breakdown({d: str(keys[d]) for d in dimensions})
            if dimensions
            else (TOTAL, TOTAL)
        )
        result.append(
            Cell(
                measure=str(keys["measure"]),
                level=level,
                kommun=str(keys.get("kommun", "")),
                district=str(keys.get("district", "")),
                year=int(keys["year"]),
                breakdown=breakdown,
                category=category,
                x=int(estimate["x"]),
                n=int(estimate["n"]),
                value=float(estimate["value"]),
                lower=float(estimate["lower"]),
                upper=float(estimate["upper"]),
                n_eff=float(estimate["n_eff"]),
            )
        )
    return result

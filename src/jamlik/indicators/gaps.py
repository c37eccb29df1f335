"""Gaps between population groups (sex, education, district) and their inequality measures.

The measures come from :mod:`jamlik.stats`: WHO's summary measures
(Schlotheuber & Hosseinpoor 2022, healthequal) and PHE's slope index of
inequality (Low & Low 2004); this module picks the ones that fit each
breakdown and feeds them the latest disclosure-controlled values.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators.disclosure import disclose
from jamlik.indicators.models import Indicator, ValueType
from jamlik.indicators.queries import Visibility, add_thresholds, observation_frame
from jamlik.stats import inequality
from jamlik.stats import sii as phe_sii

EDUCATION_ORDER = {"compulsory": 1, "upper_secondary": 2, "post_secondary": 3}
#: Districts are ordered by this indicator (share with low economic standard)
#: for the SII across districts: the highest share is the most deprived.
DEPRIVATION_INDICATOR = "N66080"


def deprivation_ranks(area: Area, *, visibility: Visibility | None = None) -> dict[int, int]:
    """Rank of each district of ``area`` by deprivation (1 = most deprived), or empty."""
    indicator = Indicator.objects.filter(code=DEPRIVATION_INDICATOR).first()
    if indicator is None:
        return {}
    frame = group_frame(indicator, area, "district", visibility=visibility)
    frame = frame[frame["value"].notna()].sort_values("value", ascending=False)
    return {int(a): rank for rank, a in enumerate(frame["area_id"], start=1)}


@dataclass
class Gap:
    """Values for the groups of one breakdown, with inequality measures."""

    indicator: Indicator
    period: str
    groups: list[dict[str, Any]]
    measures: list[dict[str, Any]]


def _se(row: Any) -> float:
    if pd.isna(row["lower"]) or pd.isna(row["upper"]):
        return float("nan")
    return float((row["upper"] - row["lower"]) / 3.92)


def _measure(name: str, label: str, fn: Any) -> dict[str, Any]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            table = fn()
    except (ValueError, ZeroDivisionError, np.linalg.LinAlgError, RuntimeWarning) as exc:
        return {
            "measure": name,
            "label": label,
            "value": None,
            "lower": None,
            "upper": None,
            "note": str(exc),
        }
    row = table.iloc[0]

    def clean(x: Any) -> float | None:
        return None if x is None or pd.isna(x) else float(x)

    return {
        "measure": name,
        "label": label,
        "value": clean(row.get("value", row.get("estimate"))),
        "lower": clean(row.get("lower", row.get("lowerci"))),
        "upper": clean(row.get("upper", row.get("upperci"))),
        "note": str(row.get("note", "") or ""),
    }


def _phe_measures(frame: pd.DataFrame, scale: float | None, note: str = "") -> list[dict[str, Any]]:
    """SII and RII by PHE's method (Low & Low 2004) over ordered groups.

    ``frame`` has ``q`` (1 = most disadvantaged), ``pop``, ``value``, ``lower``, ``upper``.
    """
    if not frame["lower"].notna().all():
        return []
    value_type = "proportion" if scale else "normal"
    phe_input = frame.assign(
        value=frame["value"] / (scale or 1),
        lower=frame["lower"] / (scale or 1),
        upper=frame["upper"] / (scale or 1),
    )
    common: dict[str, Any] = {
        "quantile": "q",
        "population": "pop",
        "value": "value",
        "lower": "lower",
        "upper": "upper",
        "value_type": value_type,
        "repetitions": 10_000,
        "seed": 1,
        "multiplier": scale or 1,
    }
    sii_row = _measure("sii", "SII", lambda: phe_sii(phe_input, **common))
    rii_row = _measure(
        "rii",
        "RII",
        lambda: (
            phe_sii(phe_input, rii=True, **common)
            .rename(columns={"rii": "value_rii"})
            .assign(
                value=lambda t: t["value_rii"],
                lower=lambda t: t["rii_lower"],
                upper=lambda t: t["rii_upper"],
            )
        ),
    )
    for row in (sii_row, rii_row):
        if note and row["value"] is not None:
            row["note"] = note
    return [sii_row, rii_row]


def gap_measures(
    indicator: Indicator,
    breakdown: str,
    groups: pd.DataFrame,
    ranks: dict[int, int] | None = None,
) -> list[dict[str, Any]]:
    """Inequality measures for one indicator's groups, chosen to fit the breakdown.

    * sex: difference and ratio women/men (WHO ``d`` and ``r``);
    * education (ordered): SII and RII by PHE's method (Low & Low 2004) and the
      WHO difference, ratio, SII and RII between the extreme groups;
    * district: WHO between-group variance, population-weighted index of
      disparity and mean difference from the mean; and, when ``ranks`` orders
      the districts by deprivation (area id → 1 = most deprived), PHE's SII
      and RII across them.
    """
    data = groups[groups["value"].notna()].copy()
    if len(data) < 2:
        return []
    est = data["value"].to_numpy(dtype=float)
    se = np.array([_se(r) for _, r in data.iterrows()])
    se_arg = None if np.isnan(se).any() else se
    pop = data["denominator"].fillna(1.0).to_numpy(dtype=float)
    # Population shares rather than counts: the estimates are the same, and the
    # BGV standard error in jamlik.stats is only sensible on shares (reported).
    counts = pop
    pop = pop / pop.sum()
    favourable = 1 if indicator.polarity == "high" else 0
    scale = (
        100.0
        if indicator.value_type == ValueType.PROPORTION and indicator.multiplier == 100
        else None
    )
    measures: list[dict[str, Any]] = []
    if breakdown == "sex":
        reference = (data["category"] == "male").astype(int).to_numpy()
        if reference.sum() == 1:
            measures.append(
                _measure(
                    "d",
                    "D",
                    lambda: inequality.d(
                        est,
                        se_arg,
                        favourable_indicator=favourable,
                        ordered_dimension=0,
                        reference_subgroup=reference,
                    ),
                )
            )
            r_se = None if se_arg is None else se_arg / est
            measures.append(
                _measure(
                    "r",
                    "R",
                    lambda: inequality.r(
                        est,
                        r_se,
                        favourable_indicator=favourable,
                        ordered_dimension=0,
                        reference_subgroup=reference,
                    ),
                )
            )
    elif breakdown == "education":
        order = data["category"].map(EDUCATION_ORDER).to_numpy(dtype=float)
        frame = pd.DataFrame(
            {
                "q": order,
                "pop": pop,
                "value": est,
                "lower": data["lower"].to_numpy(),
                "upper": data["upper"].to_numpy(),
            }
        )
        if len(frame) >= 5:  # PHE's SII needs at least five ordered groups
            measures.extend(_phe_measures(frame, scale))
        measures.append(
            _measure(
                "d",
                "D",
                lambda: inequality.d(
                    est,
                    se_arg,
                    favourable_indicator=favourable,
                    ordered_dimension=1,
                    subgroup_order=order,
                ),
            )
        )
        measures.append(
            _measure(
                "r",
                "R",
                lambda: inequality.r(
                    est,
                    None if se_arg is None else se_arg / est,
                    favourable_indicator=favourable,
                    ordered_dimension=1,
                    subgroup_order=order,
                ),
            )
        )
        if scale:
            measures.append(
                _measure(
                    "who_sii",
                    "SII (WHO)",
                    lambda: inequality.sii(est, subgroup_order=order, pop=counts, scaleval=scale),
                )
            )
            measures.append(
                _measure(
                    "who_rii",
                    "RII (WHO)",
                    lambda: inequality.rii(est, subgroup_order=order, pop=counts, scaleval=scale),
                )
            )
    else:
        measures.append(_measure("bgv", "BGV", lambda: inequality.bgv(est, se=se_arg, pop=pop)))
        measures.append(
            _measure("idisw", "IDISW", lambda: inequality.idisw(est, se=se_arg, pop=pop, sim=2000))
        )
        measures.append(
            _measure("mdmw", "MDMW", lambda: inequality.mdmw(est, se=se_arg, pop=pop, sim=2000))
        )
        if ranks and len(data) >= 5 and data["area_id"].isin(list(ranks)).all():
            frame = pd.DataFrame(
                {
                    "q": data["area_id"].map(ranks).to_numpy(dtype=float),
                    "pop": counts,
                    "value": est,
                    "lower": data["lower"].to_numpy(),
                    "upper": data["upper"].to_numpy(),
                }
            )
            measures[:0] = _phe_measures(
                frame, scale, _("districts ranked by share with low economic standard (N66080)")
            )
    return measures


def group_rows(
    indicator: Indicator, area: Area, breakdown: str, *, visibility: Visibility | None = None
) -> pd.DataFrame:
    """Disclosure-controlled values of one indicator for the groups of a breakdown in
    ``area``, over every period: the one place this module reads observations.

    For ``district`` the groups are the districts (Area rows) under the kommun.
    The result has a boolean ``suppressed`` column.
    """
    ind = {indicator.pk: indicator}
    if breakdown == "district":
        districts = list(Area.objects.districts(area.code))
        frame = observation_frame(
            indicator_ids=[indicator.pk],
            area_ids=[d.pk for d in districts],
            visibility=visibility,
        )
        names = {d.pk: d.name for d in districts}
        frame["category"] = frame["area_id"].map(names)
    else:
        frame = observation_frame(
            indicator_ids=[indicator.pk],
            area_ids=[area.pk],
            breakdown=breakdown,
            category=None,
            visibility=visibility,
        )
    frame = add_thresholds(frame, ind)
    within = (
        ["indicator_id", "period"]
        if breakdown == "district"
        else ["indicator_id", "area_id", "period"]
    )
    return disclose(frame, within=within)


def latest_period(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of the latest period with data in ``frame`` (one indicator).

    A suppressed row counts as data: hiding a small number must not make the
    page fall back to an older period without saying so.
    """
    if frame.empty:
        return frame
    has_data = frame["value"].notna() | frame["numerator"].notna()
    if "suppressed" in frame:
        has_data |= frame["suppressed"].astype(bool)
    pool = frame[has_data]
    if pool.empty:
        return frame.iloc[0:0]
    last = pool.sort_values(["period_end", "period_start"])["period"].iloc[-1]
    return frame[frame["period"] == last]


def group_frame(
    indicator: Indicator, area: Area, breakdown: str, *, visibility: Visibility | None = None
) -> pd.DataFrame:
    """Latest values of one indicator for the groups of a breakdown in ``area``."""
    return latest_period(group_rows(indicator, area, breakdown, visibility=visibility))


def area_gaps(
    area: Area,
    breakdown: str,
    indicators: Sequence[Indicator],
    *,
    visibility: Visibility | None = None,
) -> list[Gap]:
    """Gaps between groups for every indicator that has the breakdown in ``area``."""
    gaps = []
    ranks = deprivation_ranks(area, visibility=visibility) if breakdown == "district" else None
    for indicator in indicators:
        groups = group_frame(indicator, area, breakdown, visibility=visibility)
        if groups.empty:
            continue
        if breakdown == "education":
            groups = groups.assign(_o=groups["category"].map(EDUCATION_ORDER)).sort_values("_o")
        rows = groups.to_dict("records")
        gaps.append(
            Gap(
                indicator,
                str(groups["period"].iloc[0]),
                rows,
                gap_measures(indicator, breakdown, groups, ranks),
            )
        )
    return gaps


def breakdown_indicator_ids(
    area: Area, breakdown: str, *, visibility: Visibility | None = None
) -> set[int]:
    """Indicators with values the reader may see for ``breakdown`` in ``area`` (one query)."""
    from jamlik.indicators.models import Observation

    visible = Observation.objects.filter((visibility or Visibility.public()).q())
    if breakdown == "district":
        query = visible.filter(area__parent=area, area__level=AreaLevel.DISTRICT)
    else:
        query = visible.filter(area=area, breakdown=breakdown)
    return set(query.values_list("indicator_id", flat=True).distinct())

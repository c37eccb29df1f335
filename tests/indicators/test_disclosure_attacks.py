"""Attacks on disclosure control, made as an anonymous reader would make them.

Each test gathers what the public surfaces publish (through narrowing filters
that once recomputed suppression on the subset asked for), pools it, and then
solves every additive relation it can (a kommun's total = women + men, the
county = Σ its kommuner) until nothing more follows.  No small count that the
full table hides may come out of that exactly.  On the code before the
protected public table these attacks recovered hidden counts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

import pytest
from django.test import Client
from tests.indicators.differencing import Cell, solve
from tests.responses import body

from jamlik.geo.models import Area
from jamlik.indicators.models import Indicator, Observation

SEX_INDICATOR = "U01420"  # the demo's indicator with most small counts by sex in kommuner
EDU_INDICATOR = "N01464"
DISTRICT_INDICATOR = "N66077"  # has values for the districts of Stockholm and Botkyrka


def _api(client: Client, **params: str) -> list[dict[str, Any]]:
    response = client.get("/api/v1/observations", {**params, "format": "csv"})
    assert response.status_code == 200, body(response)[:300]
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))


def _number(text: str | None) -> float | None:
    return None if text in (None, "") else float(text)


def _learn(known: dict[Cell, float], rows: Iterable[dict[str, Any]], column: str) -> None:
    """Pool what rows show; a cell shown twice must show the same number."""
    for r in rows:
        value = _number(r.get(column))
        if value is None:
            continue
        cell = (r["area"], r["period"], r["breakdown"], r["category"])
        assert known.get(cell, value) == pytest.approx(value), cell
        known[cell] = value


def _relations_cells(indicator: Indicator) -> set[Cell]:
    live = Observation.objects.filter(indicator=indicator, is_live=True)
    return {
        (a, p, b, c)
        for a, p, b, c in live.values_list("area__code", "period", "breakdown", "category")
    }


def _relations(indicator: Indicator) -> list[tuple[Cell, list[Cell]]]:
    """``total = Σ parts`` relations an outsider can write down for the demo county."""
    cells = _relations_cells(indicator)
    kommuner = list(Area.objects.municipalities("01").values_list("code", flat=True))
    periods = {c[1] for c in cells}
    out: list[tuple[Cell, list[Cell]]] = []
    groups = {(b, c) for _a, _p, b, c in cells}
    for period in periods:
        for breakdown, category in groups:
            parts = [(k, period, breakdown, category) for k in kommuner]
            out.append((("01", period, breakdown, category), [p for p in parts if p in cells]))
        for area in [*kommuner, "01"]:
            for breakdown in {b for _a, _p, b, _c in cells if b != "total"}:
                parts = [c for c in cells if c[0] == area and c[1] == period and c[2] == breakdown]
                out.append(((area, period, "total", "total"), parts))
    return [(t, ps) for t, ps in out if ps]


def _recovered(
    indicator: Indicator, known: dict[Cell, float], column: str = "numerator"
) -> list[tuple[Cell, float]]:
    """Small counts (0 < x < threshold) hidden from the public that ``known`` pins exactly."""
    threshold = (
        indicator.disclosure_threshold if column == "numerator" else indicator.denominator_threshold
    )
    truth = {
        (a, p, b, c): v
        for a, p, b, c, v in Observation.objects.filter(
            indicator=indicator, is_live=True
        ).values_list("area__code", "period", "breakdown", "category", column)
        if v is not None
    }
    derived = solve(known, _relations(indicator))
    return sorted(
        (cell, value)
        for cell, value in derived.items()
        if cell in truth and 0 < truth[cell] < threshold and abs(value - truth[cell]) < 1e-6
    )


def _full_table(client: Client, code: str) -> dict[Cell, float]:
    known: dict[Cell, float] = {}
    _learn(known, _api(client, indicator=code), "numerator")
    return known


@pytest.fixture
def anonymous() -> Client:
    return Client()


def test_the_full_table_hides_small_counts(demo, anonymous) -> None:  # noqa: ANN001
    indicator = Indicator.objects.get(code=SEX_INDICATOR)
    shown = _full_table(anonymous, SEX_INDICATOR)
    small = Observation.objects.filter(
        indicator=indicator, is_live=True, numerator__gt=0, numerator__lt=5
    )
    assert small.count() > 20  # the attack below has something to find
    assert _recovered(indicator, shown) == []


def test_narrowing_the_api_by_category_reveals_nothing(demo, anonymous) -> None:  # noqa: ANN001
    indicator = Indicator.objects.get(code=SEX_INDICATOR)
    known = _full_table(anonymous, SEX_INDICATOR)
    for category in ("female", "male"):
        _learn(
            known,
            _api(anonymous, indicator=SEX_INDICATOR, breakdown="sex", category=category),
            "numerator",
        )
    _learn(known, _api(anonymous, indicator=SEX_INDICATOR, breakdown="total"), "numerator")
    assert _recovered(indicator, known) == []


def test_narrowing_to_one_area_reveals_nothing(demo, anonymous) -> None:  # noqa: ANN001
    """API ``area=`` and the indicator page's CSV ``areas=``, one kommun at a time."""
    indicator = Indicator.objects.get(code=EDU_INDICATOR)
    known = _full_table(anonymous, EDU_INDICATOR)
    kommuner = list(Area.objects.municipalities("01").values_list("code", flat=True))
    # The periods where the full table hides some kommun's total: the ones worth attacking.
    periods = sorted(
        {
            period
            for area, period, breakdown, _c in _relations_cells(indicator)
            if area in kommuner
            and breakdown == "total"
            and (area, period, "total", "total") not in known
        }
    )[:3]
    assert periods
    for period in periods:
        for code in kommuner:
            _learn(
                known,
                _api(anonymous, indicator=EDU_INDICATOR, area=code, period=period),
                "numerator",
            )
            response = anonymous.get(
                f"/lagesbild/indikator/{EDU_INDICATOR}/csv/",
                {"part": "compare", "areas": code, "period": period},
            )
            assert response.status_code == 200
            rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
            assert {(r["area"], r["period"]) for r in rows} <= {(code, period)}
            _learn(
                known,
                [{**r, "breakdown": "total", "category": "total"} for r in rows],
                "numerator",
            )
    assert _recovered(indicator, known) == []


def test_county_minus_its_kommuner_reveals_nothing(demo, anonymous) -> None:  # noqa: ANN001
    """Kommun and county rows come from one protected table, so the county's count minus
    every published kommun count is never a single hidden count."""
    for code in (SEX_INDICATOR, EDU_INDICATOR):
        indicator = Indicator.objects.get(code=code)
        known: dict[Cell, float] = {}
        _learn(known, _api(anonymous, indicator=code, area="01"), "numerator")
        kommuner = ",".join(Area.objects.municipalities("01").values_list("code", flat=True))
        _learn(known, _api(anonymous, indicator=code, area=kommuner), "numerator")
        assert _recovered(indicator, known) == [], code


def test_small_denominators_are_hidden_and_cannot_be_derived(demo, anonymous) -> None:  # noqa: ANN001
    """A denominator below the indicator's threshold is hidden with its value; the
    complements keep it from being recovered from the totals."""
    from jamlik.indicators.publication import rebuild

    indicator = Indicator.objects.get(code=SEX_INDICATOR)
    area = Area.objects.get(code="0127")
    period = (
        Observation.objects.filter(indicator=indicator, area=area, breakdown="sex", is_live=True)
        .order_by("-period_end")
        .values_list("period", flat=True)
        .first()
    )
    women = Observation.objects.get(
        indicator=indicator, area=area, period=period, category="female", is_live=True
    )
    total = Observation.objects.get(
        indicator=indicator, area=area, period=period, breakdown="total", is_live=True
    )
    county = Observation.objects.filter(
        indicator=indicator, area__code="01", period=period, is_live=True
    ).exclude(category="male")
    # Make Botkyrka's women a population of three, keeping every total consistent.
    change = 3 - women.denominator
    for row in [women, total, *county]:
        row.denominator += change
        row.save()
    rebuild([indicator])
    rows = _api(anonymous, indicator=SEX_INDICATOR, area="0127", period=period)
    [shown] = [r for r in rows if r["category"] == "female"]
    assert shown["denominator"] == "" and shown["value"] == "" and shown["suppressed"] == "True"
    known: dict[Cell, float] = {}
    for params in ({}, {"area": "0127"}, {"category": "female"}, {"category": "male"}):
        _learn(
            known, _api(anonymous, indicator=SEX_INDICATOR, period=period, **params), "denominator"
        )
    assert _recovered(indicator, known, "denominator") == []


def test_kommun_minus_its_districts_reveals_nothing(demo, anonymous) -> None:  # noqa: ANN001
    """When a kommun's districts add up to it, the kommun and district tables are linked:
    the kommun's count minus the published districts must not give a hidden district."""
    from jamlik.indicators.publication import rebuild

    indicator = Indicator.objects.get(code=DISTRICT_INDICATOR)
    kommun = Area.objects.get(code="0127")
    live = Observation.objects.filter(indicator=indicator, is_live=True)
    period = live.filter(area=kommun).order_by("-period_end").values_list("period", flat=True)[0]
    districts = list(live.filter(area__parent=kommun, period=period).order_by("area__code"))
    assert len(districts) >= 3
    districts[0].numerator = 3
    districts[0].save()
    change = (
        sum(d.numerator for d in districts)
        - live.get(area=kommun, period=period, breakdown="total").numerator
    )
    # The kommun (and the county above it) now equal the sum of their parts again.
    for row in live.filter(area__code__in=["0127", "01"], period=period).exclude(category="male"):
        row.numerator += change
        row.save()
    rebuild([indicator])
    codes = [d.area.code for d in districts]
    known: dict[Cell, float] = {}
    for params in ({"area": "0127"}, {"area": ",".join(codes)}, {"area": "01"}, {}):
        _learn(
            known,
            _api(anonymous, indicator=DISTRICT_INDICATOR, period=period, **params),
            "numerator",
        )
    relation = (("0127", period, "total", "total"), [(c, period, "total", "total") for c in codes])
    assert solve(known, [relation]).get((codes[0], period, "total", "total")) != 3
    assert _recovered(indicator, known) == []

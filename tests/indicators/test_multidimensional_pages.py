"""Cross tables (sex × age) in the demo data, on the indicator page, in CSV and the API.

The demo's U01402 (daily smoking) is stored by sex × age with both margins; its
small cells are hidden by the same protection as every other cell, and no
published row gives them back by differencing (the attack below is written from
the table's structure, as an outsider would).  Pages that read the total or one
single breakdown (county overview, national matrix, kommun profile, the
indicator page's charts and gap blocks, the API by breakdown) show the same
numbers whether or not an indicator also has a cross table.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from typing import Any

import pytest
from django.test import Client
from tests.indicators.differencing import Cell, solve
from tests.responses import body

from jamlik.geo.models import Area
from jamlik.indicators.models import Indicator, Observation
from jamlik.indicators.publication import rebuild
from jamlik.sources.observations import compose_breakdown, split_breakdown

CROSS = "U01402"
AGES = ("16-29", "30-44", "45-64", "65-84")


@pytest.fixture
def client() -> Client:
    return Client()


def _csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, body(response)[:300]
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))


def _live(code: str, **filters: Any) -> dict[tuple[str, str, str, str], Observation]:
    rows = Observation.objects.filter(indicator__code=code, is_live=True, **filters)
    return {
        (o.area.code, o.period, o.breakdown, o.category): o for o in rows.select_related("area")
    }


# ---------------------------------------------------------------- the demo table


def test_the_demo_cross_table_adds_up_to_its_margins_and_total(demo) -> None:  # noqa: ANN001
    cells = _live(CROSS, period="2024", area__code__in=["0127", "0187", "01"])
    for area in ("0127", "0187", "01"):
        total = cells[(area, "2024", "total", "total")]
        for column in ("numerator", "denominator"):
            for sex in ("female", "male"):
                parts = [
                    getattr(cells[(area, "2024", "age*sex", f"{age}*{sex}")], column)
                    for age in AGES
                ]
                assert sum(parts) == getattr(cells[(area, "2024", "sex", sex)], column)
            for age in AGES:
                parts = [
                    getattr(cells[(area, "2024", "age*sex", f"{age}*{sex}")], column)
                    for sex in ("female", "male")
                ]
                assert sum(parts) == getattr(cells[(area, "2024", "age", age)], column)
            by_sex = sum(
                getattr(cells[(area, "2024", "sex", s)], column) for s in ("female", "male")
            )
            assert by_sex == getattr(total, column)
    assert all(o.is_demo for o in cells.values())


# ---------------------------------------------------------------- the attack


def _relations(known_cells: set[Cell]) -> list[tuple[Cell, list[Cell]]]:
    """Every ``total = Σ parts`` an outsider writes down for the county's sex × age tables:
    each cell without one of its dimensions is the sum over that dimension; the county
    is the sum of its kommuner."""
    kommuner = list(Area.objects.municipalities("01").values_list("code", flat=True))
    groups: dict[tuple[Cell, str], list[Cell]] = defaultdict(list)
    for area, period, breakdown, category in known_cells:
        dims = split_breakdown(breakdown, category)
        for d in dims:
            rest = compose_breakdown({k: v for k, v in dims.items() if k != d})
            groups[((area, period, *rest), f"{breakdown}/{d}")].append(
                (area, period, breakdown, category)
            )
        if area in kommuner:
            groups[(("01", period, breakdown, category), "areas")].append(
                (area, period, breakdown, category)
            )
    return [(total, parts) for (total, _kind), parts in groups.items()]


def test_no_small_cell_of_the_cross_table_is_recovered_from_its_margins(
    demo,  # noqa: ANN001
    client: Client,
) -> None:
    indicator = Indicator.objects.get(code=CROSS)
    kommuner = ",".join(Area.objects.municipalities("01").values_list("code", flat=True))
    known: dict[Cell, float] = {}
    for period in ("2024", "2023"):
        for params in (
            {"area": kommuner + ",01"},
            {"area": kommuner + ",01", "breakdown": "age*sex"},
            {"area": kommuner + ",01", "dimension": "sex:female"},
            {"area": kommuner + ",01", "dimension": "age:16-29"},
        ):
            rows = _csv(
                client.get(
                    "/api/v1/observations",
                    {"indicator": CROSS, "period": period, "format": "csv", **params},
                )
            )
            for r in rows:
                if r["numerator"]:
                    cell = (r["area"], r["period"], r["breakdown"], r["category"])
                    assert known.get(cell, float(r["numerator"])) == float(r["numerator"])
                    known[cell] = float(r["numerator"])
    truth = {
        cell: o.numerator
        for cell, o in _live(CROSS, period__in=["2024", "2023"]).items()
        if o.area.level != "country" and o.area.level != "district"
    }
    small = {c for c, v in truth.items() if 0 < v < indicator.disclosure_threshold}
    assert any(c[2] == "age*sex" for c in small), "the demo table has small cells to attack"
    assert not small & set(known), "no small count is published"
    derived = solve(known, _relations(set(truth)))
    recovered = sorted(c for c in small if c in derived and abs(derived[c] - truth[c]) < 1e-6)
    assert recovered == []


# ---------------------------------------------------------------- the indicator page


def test_the_indicator_page_shows_sex_by_age_as_a_cross_table(demo, client: Client) -> None:  # noqa: ANN001
    response = client.get(
        f"/lagesbild/indikator/{CROSS}/", {"area": "0187", "breakdown": "age*sex"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-cross="age*sex"' in html
    assert 'value="age*sex" selected' in html
    assert "Kön × ålder" in html
    assert "Grupper inom Vaxholm" in html
    table = html[html.index('data-cross="age*sex"') :]
    table = table[: table.index("</article>")]
    assert ">Kvinnor</th>" in table and ">Män</th>" in table and ">Alla</th>" in table
    assert ">16–29 år</th>" in table and ">65–84 år</th>" in table
    # rows 4 ages + everyone, columns women, men, everyone
    assert table.count("<td ") == 5 * 3
    live = _live(CROSS, area__code="0187")
    period = re.search(r'id="cross-h">[^<]*, (\d{4})<', table)[1]
    from jamlik.indicators.models import PublicObservation

    hidden = PublicObservation.objects.filter(
        indicator__code=CROSS,
        area__code="0187",
        period=period,
        suppressed=True,
        breakdown__in=["age*sex", "age", "sex", "total"],
    ).count()
    assert hidden > 0, "Vaxholm's small survey has hidden cells"
    assert table.count('data-suppressed="true"') == hidden
    assert table.count("ind-sr") >= hidden
    assert live  # the cells exist in the live table


def test_the_selector_lists_the_cross_table_and_an_unknown_breakdown_says_so(
    demo,  # noqa: ANN001
    client: Client,
) -> None:
    html = client.get(f"/lagesbild/indikator/{CROSS}/", {"area": "0127"}).content.decode()
    assert '<option value="age*sex" >Kön × ålder</option>' in html
    assert '<option value="age" >Ålder</option>' in html
    # a link naming the dimensions in another order reaches the same table
    other = client.get(f"/lagesbild/indikator/{CROSS}/", {"area": "0127", "breakdown": "sex*age"})
    assert 'data-cross="age*sex"' in other.content.decode()
    none = client.get("/lagesbild/indikator/N03937/", {"area": "0127", "breakdown": "age*sex"})
    assert none.status_code == 200
    assert "Inga värden" in none.content.decode() or "No values" in none.content.decode()
    # the kommun profile and its PDF ignore a cross table (gap measures are per dimension)
    assert client.get("/lagesbild/kommun/0127/", {"breakdown": "age*sex"}).status_code == 200
    assert client.get("/lagesbild/kommun/0127/", {"breakdown": "age"}).status_code == 200


def test_the_cross_table_csv_has_a_row_per_cell_and_a_column_per_dimension(
    demo,  # noqa: ANN001
    client: Client,
) -> None:
    rows = _csv(
        client.get(
            f"/lagesbild/indikator/{CROSS}/csv/",
            {"part": "groups", "area": "0187", "breakdown": "age*sex"},
        )
    )
    assert len(rows) == 8 + 4 + 2 + 1
    assert {"breakdown", "category", "dimension_age", "dimension_sex", "group"} <= set(rows[0])
    women = next(r for r in rows if r["category"] == "65-84*female")
    assert (women["dimension_age"], women["dimension_sex"]) == ("65-84", "female")
    assert women["group"] == "Kvinnor, 65–84 år"
    margin = next(r for r in rows if r["breakdown"] == "sex" and r["category"] == "female")
    assert margin["dimension_age"] == "total"
    for r in rows:
        if r["suppressed"] == "True":
            assert r["numerator"] == "" and r["value"] == ""
    assert any(r["suppressed"] == "True" for r in rows)


# ---------------------------------------------------------------- the API


def test_the_api_filters_by_composite_breakdown_and_by_one_dimension(
    demo,  # noqa: ANN001
    client: Client,
) -> None:
    base = {"indicator": CROSS, "area": "0127", "period": "2024"}
    cross = client.get("/api/v1/observations", {**base, "breakdown": "age*sex"}).json()
    assert cross["count"] == 8
    women = client.get("/api/v1/observations", {**base, "dimension": "sex:female"}).json()
    assert sorted((r["breakdown"], r["category"]) for r in women["results"]) == [
        *(("age*sex", f"{age}*female") for age in AGES),
        ("sex", "female"),
    ]
    margin = client.get(
        "/api/v1/observations?" + "indicator=U01402&area=0127&period=2024"
        "&dimension=sex:female&dimension=age:total"
    ).json()
    assert [(r["breakdown"], r["category"]) for r in margin["results"]] == [("sex", "female")]
    one = client.get(
        "/api/v1/observations?indicator=U01402&area=0127&period=2024"
        "&dimension=sex:female&dimension=age:65-84"
    ).json()
    assert [(r["breakdown"], r["category"]) for r in one["results"]] == [
        ("age*sex", "65-84*female")
    ]
    assert (
        client.get("/api/v1/observations", {**base, "dimension": "nobody:x"}).json()["count"] == 0
    )
    for bad in ("sex", "sex:", "sex:female*male"):
        response = client.get("/api/v1/observations", {**base, "dimension": bad})
        assert response.status_code == 400
        assert "name:category" in response.json()["message"]
    rows = _csv(
        client.get("/api/v1/observations", {**base, "dimension": "sex:male", "format": "csv"})
    )
    assert {r["breakdown"] for r in rows} == {"sex", "age*sex"}


def test_the_api_lists_an_indicators_breakdowns_with_their_names(demo, client: Client) -> None:  # noqa: ANN001
    found = client.get(f"/api/v1/indicators/{CROSS}/breakdowns").json()
    assert [b["breakdown"] for b in found] == ["total", "age", "education", "sex", "age*sex"]
    cross = found[-1]
    assert cross["dimensions"] == ["age", "sex"]
    assert (cross["label_sv"], cross["label_en"]) == ("Kön × ålder", "Sex × age")
    first = cross["categories"][0]
    assert first == {
        "category": "16-29*female",
        "dimensions": {"age": "16-29", "sex": "female"},
        "label_sv": "Kvinnor, 16–29 år",
        "label_en": "Women, 16–29 years",
    }
    assert client.get("/api/v1/indicators/NOPE/breakdowns").status_code == 404
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/indicators/{code}/breakdowns" in schema["paths"]
    params = schema["paths"]["/api/v1/observations"]["get"]["parameters"]
    dimension = next(p for p in params if p["name"] == "dimension")
    assert "name:category" in dimension["description"]


# ---------------------------------------------------------------- nothing else changes


PLAIN = "N01982"  # large counts by sex, no cross table in the demo


def _add_sex_by_age(code: str) -> int:
    """Split every live sex row of ``code`` into two age bands (exact halves) and add
    the age margin, as a source publishing sex × age with its margins would."""
    rows = list(Observation.objects.filter(indicator__code=code, is_live=True, breakdown="sex"))
    new: list[Observation] = []
    margins: dict[tuple[int, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in rows:
        first_num, first_den = row.numerator // 2, row.denominator // 2
        for age, num, den in (
            ("25-44", first_num, first_den),
            ("45-64", row.numerator - first_num, row.denominator - first_den),
        ):
            breakdown, category = compose_breakdown({"sex": row.category, "age": age})
            new.append(_copy(row, breakdown, category, num, den))
            margin = margins[(row.area_id, row.period, age)]
            margin[0] += num
            margin[1] += den
    by_key = {(r.area_id, r.period): r for r in rows}
    for (area_id, period, age), (num, den) in margins.items():
        new.append(_copy(by_key[(area_id, period)], "age", age, num, den))
    Observation.objects.bulk_create(new)
    return len(new)


def _copy(row: Observation, breakdown: str, category: str, num: float, den: float) -> Observation:
    copy = Observation.objects.get(pk=row.pk)
    copy.pk = None
    copy.breakdown, copy.category = breakdown, category
    copy.numerator, copy.denominator = num, den
    copy.value = copy.lower = copy.upper = None
    return copy


def _pages(client: Client) -> dict[str, str]:
    pages = {
        "county csv": "/lagesbild/lan/01/csv/",
        "county": f"/lagesbild/lan/01/?indicator={PLAIN}",
        "national": "/lagesbild/riket/",
        "profile csv": "/lagesbild/kommun/0127/csv/",
        "profile": "/lagesbild/kommun/0127/?breakdown=sex",
        "indicator": f"/lagesbild/indikator/{PLAIN}/?area=0127",
        "compare csv": f"/lagesbild/indikator/{PLAIN}/csv/?part=compare",
        "trend csv": f"/lagesbild/indikator/{PLAIN}/csv/?part=trend&area=0127",
        "groups csv": f"/lagesbild/indikator/{PLAIN}/csv/?part=groups&area=0127&breakdown=sex",
        "api total": f"/api/v1/observations?indicator={PLAIN}&breakdown=total&format=csv",
        "api sex": f"/api/v1/observations?indicator={PLAIN}&breakdown=sex&format=csv",
    }
    out = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        text = body(response).decode("utf-8-sig")
        # the breakdown chooser rightly gains the new choices; nothing else may change
        text = re.sub(r'<select id="breakdown".*?</select>', "", text, flags=re.S)
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
        out[name] = re.sub(r"(chart|spark)-\d+", "", text)
    return out


def test_pages_show_the_same_numbers_with_a_cross_table_loaded(demo, client: Client) -> None:  # noqa: ANN001
    before = _pages(client)
    assert _add_sex_by_age(PLAIN) > 0
    [report] = rebuild([Indicator.objects.get(code=PLAIN)])
    assert not report.at_risk
    after = _pages(client)
    for name in before:
        assert after[name] == before[name], name
    # and the cross table is there to be seen
    html = client.get(f"/lagesbild/indikator/{PLAIN}/", {"area": "0127", "breakdown": "age*sex"})
    assert 'data-cross="age*sex"' in html.content.decode()

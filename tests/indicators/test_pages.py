"""The three lägesbild pages, their CSV downloads and the PDF."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client


@pytest.fixture
def client() -> Client:
    return Client()


def _csv(response) -> list[dict[str, str]]:  # noqa: ANN001
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_county_overview_matrix_map_and_state(
    demo, client: Client, django_assert_max_num_queries
) -> None:  # noqa: ANN001
    # 13 + the unpublished import runs; tests/indicators/test_page_queries.py bounds the
    # pages at national scale
    with django_assert_max_num_queries(14):
        response = client.get("/lagesbild/lan/01/?indicator=N66080&bench=riket")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Botkyrka" in html and "Danderyd" in html
    assert "demo-note" in html
    assert 'value="riket" selected' in html
    assert 'value="N66080" selected' in html
    assert 'class="chmap"' in html  # real boundaries from init; tiles at ?map=rutor
    # text symbols accompany colours
    assert 'class="ind-sr">, ' in html


def test_overview_csv_matches_and_marks_demo(demo, client: Client) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area
    from jamlik.indicators.own import indicators_for

    rows = _csv(client.get("/lagesbild/lan/01/csv/"))
    # the catalogue's 50 and the county's own (the demo's web-entry indicator)
    assert len(rows) == 26 * len(indicators_for(Area.objects.get(code="01")))
    botkyrka = next(r for r in rows if r["area"] == "0127" and r["indicator"] == "N66080")
    assert float(botkyrka["value"]) > 20
    assert botkyrka["comparison"]
    assert {r["data_status"] for r in rows} == {
        "Påhittade demonstrationsdata / invented demonstration data"
    }


def test_suppressed_counts_never_appear(demo, client: Client) -> None:  # noqa: ANN001
    from jamlik.indicators.models import Observation

    small = Observation.objects.filter(
        numerator__gt=0, numerator__lt=5, breakdown="total", area__level="municipality"
    ).select_related("indicator", "area")
    assert small.exists(), "the demo data should contain small counts"
    row = small.order_by("-period_end").first()
    rows = _csv(
        client.get(
            f"/lagesbild/indikator/{row.indicator.code}/csv/?part=compare&period={row.period}"
        )
    )
    for r in rows:
        if r["area"] == row.area.code and r["period"] == row.period:
            assert r["numerator"] == "" and r["value"] == ""


def test_kommun_profile(demo, client: Client) -> None:  # noqa: ANN001
    response = client.get("/lagesbild/kommun/0127/?breakdown=education")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Botkyrka" in html and "Stockholms län" in html
    assert "SII, regressionsbaserat (WHO)" in html or "SII, regression-based (WHO)" in html
    assert '<svg class="ind-spark"' in html


def test_kommun_profile_districts(demo, client: Client) -> None:  # noqa: ANN001
    html = client.get("/lagesbild/kommun/0180/?breakdown=district").content.decode()
    assert "Rinkeby-Kista" in html
    # Districts ranked by deprivation are ordered groups: slope indices, not BGV.
    assert "(SII)" in html
    assert "(N66080)" in html  # PHE SII across districts ranked by deprivation


def test_indicator_page(demo, client: Client) -> None:  # noqa: ANN001
    response = client.get("/lagesbild/indikator/U01405/?area=0127&breakdown=sex")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="chart"') >= 3
    assert "/metoder/#" in html
    assert "Botkyrka" in html


@pytest.mark.parametrize("part", ["compare", "trend", "groups", "funnel"])
def test_indicator_csv_parts(demo, client: Client, part: str) -> None:  # noqa: ANN001
    response = client.get(f"/lagesbild/indikator/N03937/csv/?part={part}&area=0127")
    assert response.status_code == 200
    assert len(_csv(response)) >= 2


def test_bad_view_state_falls_back_and_unknown_codes_404(demo, client: Client) -> None:  # noqa: ANN001
    assert client.get("/lagesbild/lan/01/?bench=moon&sex=<x>&indicator=';--").status_code == 200
    assert client.get("/lagesbild/lan/99/").status_code == 404
    assert client.get("/lagesbild/kommun/01/").status_code == 404
    assert client.get("/lagesbild/indikator/NOPE/").status_code == 404
    assert client.get("/lagesbild/indikator/N03937/csv/?part=secret").status_code == 404


def test_kommun_profile_pdf(demo, client: Client) -> None:  # noqa: ANN001
    response = client.get("/rapporter/kommun/0186/lagesbild.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-"
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Lidingö" in text


def test_area_sections_on_geo_pages(demo, client: Client) -> None:  # noqa: ANN001
    html = client.get("/omrade/0127/").content.decode()
    assert 'id="lagesbild"' in html
    assert "/lagesbild/kommun/0127/" in html
    from jamlik.geo.models import Area
    from jamlik.indicators.sections import area_sections

    [section] = area_sections(Area.objects.get(code="0127"), None)
    assert section.context["counts"]["worse"] > 0
    [county_section] = area_sections(Area.objects.get(code="01"), None)
    assert county_section.context["link"] == "/lagesbild/lan/01/"


def test_sii_across_districts_follows_deprivation(demo) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area
    from jamlik.indicators.gap_blocks import gap_blocks
    from jamlik.indicators.models import Indicator

    [block] = gap_blocks(
        Area.objects.get(code="0180"), "district", [Indicator.objects.get(code="N66080")]
    )
    measures = {m["measure"]: m for m in block["measures"]}
    # The ranking variable itself: the least deprived end has a far lower share.
    assert measures["sii"]["value"] < -10
    assert measures["sii"]["lower"] < measures["sii"]["value"] < measures["sii"]["upper"]
    assert 0 < measures["rii"]["value"] < 1


def test_period_in_the_url_selects_older_values(demo, client: Client) -> None:  # noqa: ANN001
    rows = _csv(client.get("/lagesbild/lan/01/csv/?period=2015"))
    assert {r["period"] for r in rows if r["value"]} == {"2015"}
    html = client.get("/lagesbild/lan/01/?period=2015").content.decode()
    assert '<option value="2015" selected>' in html
    assert (
        '<option value="2015" selected>'
        in client.get("/lagesbild/indikator/N03937/?period=2015").content.decode()
    )
    compare = _csv(client.get("/lagesbild/indikator/N03937/csv/?part=compare&period=2015"))
    assert {r["period"] for r in compare} == {"2015"}
    # an unknown period falls back to each indicator's latest (the catalogue's: 2024)
    from jamlik.indicators.models import Indicator

    catalogue = set(Indicator.objects.filter(owner=None).values_list("code", flat=True))
    assert {
        r["period"]
        for r in _csv(client.get("/lagesbild/lan/01/csv/?period=1999"))
        if r["value"] and r["indicator"] in catalogue
    } == {"2024"}


def test_overview_map_colours_real_boundaries(demo, client: Client) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area

    for i, area in enumerate(Area.objects.municipalities("01")):
        x, y = 17.5 + (i % 6) * 0.2, 59.0 + (i // 6) * 0.2
        area.boundary = {
            "type": "Polygon",
            "coordinates": [[[x, y], [x + 0.2, y], [x + 0.2, y + 0.2], [x, y + 0.2], [x, y]]],
        }
        area.save(update_fields=["boundary"])
    html = client.get("/lagesbild/lan/01/?indicator=N66080").content.decode()
    assert 'class="chmap"' in html
    assert "chmap-region chmap-worse" in html and "chmap-region chmap-better" in html
    assert "<title>Botkyrka: " in html

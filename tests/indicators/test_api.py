"""The indicators API: catalogue, observations, filters, CSV and disclosure control."""

from __future__ import annotations

import csv
import io

from django.test import Client


def test_catalogue(demo) -> None:  # noqa: ANN001
    from jamlik.indicators.models import Indicator

    data = Client().get("/api/v1/indicators").json()
    assert len(data) == Indicator.objects.count()  # the 50 of the catalogue and own ones
    assert sum(d["owner"] is None for d in data) == 50
    n01481 = next(d for d in data if d["code"] == "N01481")
    assert n01481["polarity"] == "high" and n01481["unit"] == "%"
    assert (
        len(Client().get("/api/v1/indicators?target_area=6").json()) == 5
    )  # U01424 is tagged 1 and 6
    assert Client().get("/api/v1/indicators/U01405").json()["value_type"] == "proportion"
    assert Client().get("/api/v1/indicators/NOPE").status_code == 404


def test_observations_filters_and_paging(demo) -> None:  # noqa: ANN001
    data = (
        Client()
        .get("/api/v1/observations?indicator=N03937&area=0127,0186&period=2024&breakdown=sex")
        .json()
    )
    assert data["count"] == 4
    assert {(r["area"], r["category"]) for r in data["results"]} == {
        ("0127", "female"),
        ("0127", "male"),
        ("0186", "female"),
        ("0186", "male"),
    }
    assert all(r["is_demo"] for r in data["results"])
    page = Client().get("/api/v1/observations?indicator=N03937&area=0127&limit=5&offset=5").json()
    assert page["limit"] == 5 and len(page["results"]) == 5 and page["count"] > 10


def test_observations_csv(demo) -> None:  # noqa: ANN001
    response = Client().get(
        "/api/v1/observations?indicator=U01405&area=0127&breakdown=education&format=csv"
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 45
    assert rows[0]["data_status"].startswith("Påhittade")


def test_api_never_returns_a_suppressed_count(demo) -> None:  # noqa: ANN001
    from jamlik.indicators.models import Observation

    small = (
        Observation.objects.filter(numerator__gt=0, numerator__lt=5)
        .select_related("indicator", "area")
        .first()
    )
    assert small is not None
    url = f"/api/v1/observations?indicator={small.indicator.code}&area={small.area.code}&period={small.period}"
    results = Client().get(url).json()["results"]
    row = next(
        r for r in results if r["breakdown"] == small.breakdown and r["category"] == small.category
    )
    assert row["suppressed"] and row["numerator"] is None and row["value"] is None
    wide = (
        Client()
        .get(
            f"/api/v1/observations?indicator={small.indicator.code}&period={small.period}&limit=5000"
        )
        .json()
    )
    for r in wide["results"]:
        assert r["numerator"] is None or r["numerator"] >= 5 or r["numerator"] == 0


def test_observation_errors(demo) -> None:  # noqa: ANN001
    client = Client()
    assert client.get("/api/v1/observations").status_code == 422
    too_many = ",".join(["N03937"] * 11)
    response = client.get(f"/api/v1/observations?indicator={too_many}")
    assert response.status_code == 400 and "between 1 and 10" in response.json()["message"]
    assert client.get("/api/v1/observations?indicator=NOPE").json() == {
        "message": "Unknown indicator(s): NOPE."
    }
    assert client.get("/api/v1/observations?indicator=N03937&format=xml").status_code == 400

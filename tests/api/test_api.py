"""The API contract: OpenAPI, areas, and one JSON error shape."""

from __future__ import annotations

import json


def test_openapi_document_parses_and_lists_areas(client, geography):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = json.loads(response.content)
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/areas" in doc["paths"]


def test_areas_of_stockholms_lan(client, geography):
    data = client.get("/api/v1/areas?parent=01").json()
    codes = [a["code"] for a in data]
    assert len(codes) == 26
    assert codes[0] == "0114" and "0127" in codes and codes[-1] == "0192"
    assert {a["parent"] for a in data} == {"01"}


def test_counties_listed_under_riket(client, geography):
    assert len(client.get("/api/v1/areas?parent=00").json()) == 21


def test_errors_are_json_with_a_message(client, geography):
    missing = client.get("/api/v1/areas/9999")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")
    assert "message" in missing.json()
    unknown_parent = client.get("/api/v1/areas?parent=XX")
    assert unknown_parent.status_code == 404 and "message" in unknown_parent.json()


def test_frameworks_are_readable(client, geography):
    listing = client.get("/api/v1/frameworks/")
    assert listing.status_code == 200
    malomraden = client.get("/api/v1/frameworks/malomraden")
    assert malomraden.status_code == 200
    assert "8" in json.dumps(malomraden.json())
    assert "message" in client.get("/api/v1/frameworks/nonexistent").json()


def test_area_list_is_one_query_whatever_the_number_of_areas(
    client, geography, django_assert_num_queries
):
    """Whether an area has a boundary is asked of the database, not loaded per area."""
    geography.filter(code="0127").update(boundary={"type": "Point", "coordinates": [17.8, 59.2]})
    geography.filter(code="0114").update(boundary=None)  # every area has one from init
    with django_assert_num_queries(1):
        everything = client.get("/api/v1/areas").json()
    assert len(everything) == geography.count() > 300
    with django_assert_num_queries(2):  # the parent, then its children
        kommuner = {a["code"]: a for a in client.get("/api/v1/areas?parent=01").json()}
    assert kommuner["0127"]["has_boundary"] and not kommuner["0114"]["has_boundary"]
    assert client.get("/api/v1/areas/0127").json() == kommuner["0127"]
    assert client.get("/api/v1/areas/00").json()["parent"] is None

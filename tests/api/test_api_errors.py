"""The API refuses bad areas and ids with 422 (never 500), answers any 500 as JSON, and
declares its refusals in the OpenAPI document."""

from __future__ import annotations

import json

import pytest
from django.test import Client

BIG = 2**63  # one past the largest id the database can hold


@pytest.fixture
def actor(users, geography):  # noqa: ANN001
    from jamlik.actors import services
    from jamlik.actors.choices import ActorLevel, ActorType

    return services.save_actor(
        users["admin"],
        {
            "name": "Botkyrka kommun, socialförvaltningen",
            "actor_type": ActorType.MUNICIPAL,
            "level": ActorLevel.LOCAL,
            "area": geography.get(code="0127"),
        },
    )


@pytest.fixture
def editor(client_for):  # noqa: ANN001
    return client_for("botkyrka")


def _post(client: Client, path: str, payload: dict, method: str = "post"):
    return getattr(client, method)(
        f"/api/v1{path}", json.dumps(payload), content_type="application/json"
    )


def _assert_422(response) -> None:  # noqa: ANN001
    assert response.status_code == 422, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert "message" in response.json()


def test_network_in_the_whole_country_is_422(editor, actor):
    _assert_422(_post(editor, "/networks", {"name": "N", "area": "00", "members": [actor.pk]}))


def test_activity_in_the_whole_country_is_422(editor, actor):
    payload = {
        "title": "T",
        "actors": [actor.pk],
        "malomraden": [1],
        "orientation": "prevention",
        "area": "00",
    }
    _assert_422(_post(editor, "/activities", payload))


def test_replacing_a_network_with_the_country_as_area_is_422(client_for, actor):
    admin = client_for("admin")
    created = _post(admin, "/networks", {"name": "N", "area": "0127", "members": [actor.pk]})
    assert created.status_code == 201
    network_id = created.json()["id"]
    _assert_422(_post(admin, f"/networks/{network_id}", {"name": "N", "area": "00"}, "put"))


def test_actor_in_the_whole_country_is_422_even_for_a_national_administrator(client_for):
    payload = {"name": "X", "type": "municipal", "level": "local", "area": "00"}
    _assert_422(_post(client_for("admin"), "/actors", payload))


@pytest.mark.parametrize("field", ["members", "convenor"])
def test_ids_beyond_the_database_range_in_networks_are_422(editor, actor, field):
    value = [BIG] if field == "members" else BIG
    _assert_422(_post(editor, "/networks", {"name": "N", "area": "0127", field: value}))


def test_ids_beyond_the_database_range_in_activities_are_422(editor, actor):
    payload = {
        "title": "T",
        "actors": [actor.pk, BIG],
        "malomraden": [1],
        "orientation": "prevention",
        "area": "0127",
    }
    _assert_422(_post(editor, "/activities", payload))


def test_negative_ids_are_422(editor, actor):
    _assert_422(_post(editor, "/networks", {"name": "N", "area": "0127", "members": [-1]}))


@pytest.mark.parametrize(
    "path", [f"/api/v1/actors/{BIG}", f"/api/v1/activities/{BIG}", f"/api/v1/networks/{BIG}"]
)
def test_huge_ids_in_paths_are_not_found_rather_than_500(client, geography, path):
    response = client.get(path)
    assert response.status_code in (404, 422)
    assert "message" in response.json()


def test_an_unexpected_error_is_a_json_500_with_a_message(geography, monkeypatch):
    from jamlik.actors import api as actors_api

    def boom(*args, **kwargs):  # noqa: ANN002, ANN003
        raise RuntimeError("something broke")

    monkeypatch.setattr(actors_api, "filter_actors", boom)
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/actors")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["message"] and "something broke" not in json.dumps(body)


def test_openapi_declares_the_refusals_of_write_endpoints(client, geography):
    doc = client.get("/api/v1/openapi.json").json()
    post_networks = doc["paths"]["/api/v1/networks"]["post"]["responses"]
    for code in ("401", "403", "422"):
        assert code in post_networks, code
    put_network = doc["paths"]["/api/v1/networks/{network_id}"]["put"]["responses"]
    for code in ("401", "403", "404", "409", "422"):
        assert code in put_network, code
    error = doc["components"]["schemas"]["ErrorOut"]
    assert "message" in error["properties"]
    get_actor = doc["paths"]["/api/v1/actors/{actor_id}"]["get"]["responses"]
    assert "404" in get_actor

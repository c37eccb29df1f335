"""Replacing and removing actors and activities through the API: the owner's editors may,
nobody else may, and nothing can be moved into a kommun the caller may not edit."""

from __future__ import annotations

import json

from django.test import Client

from jamlik.actors.models import Activity, Actor, ChangeLogEntry


def _put(client: Client, url: str, body: dict) -> object:
    return client.put(url, json.dumps(body), content_type="application/json")


def _actor_body(**extra: object) -> dict:
    return {
        "name": "Föreningen Trygga Grannar Botkyrka",
        "type": "civil_society",
        "level": "local",
        "area": "0127",
        "org_number": "802400-1235",
        "areas_served": ["0127"],
        "website": "https://example.se",
    } | extra


def test_editor_replaces_own_actor_and_the_change_is_logged(small_map, client_for) -> None:  # noqa: ANN001
    actor = small_map["actors"][1]
    response = _put(client_for("botkyrka"), f"/api/v1/actors/{actor.pk}", _actor_body())
    assert response.status_code == 200, response.content
    assert response.json()["website"] == "https://example.se"
    assert response.json()["areas_served"] == ["0127"]
    actor.refresh_from_db()
    assert actor.website == "https://example.se"
    entry = ChangeLogEntry.objects.filter(object_id=actor.pk, object_type="actor").latest("at")
    assert entry.action == "updated"


def test_actor_replace_refusals_change_nothing(small_map, client_for) -> None:  # noqa: ANN001
    actor = small_map["actors"][1]
    url = f"/api/v1/actors/{actor.pk}"
    before = Actor.objects.filter(pk=actor.pk).values().get()
    assert _put(Client(), url, _actor_body()).status_code == 401
    other = _put(client_for("lidingo"), url, _actor_body(area="0186"))
    assert other.status_code == 403 and other.json()["message"]
    moved = _put(client_for("botkyrka"), url, _actor_body(area="0186"))
    assert moved.status_code == 403
    bad = _put(client_for("botkyrka"), url, _actor_body(org_number="802400-1234"))
    assert bad.status_code == 422 and "org_number" in bad.json()["message"]
    assert _put(client_for("viewer"), url, _actor_body()).status_code == 403
    assert _put(client_for("botkyrka"), "/api/v1/actors/999999", _actor_body()).status_code == 404
    assert Actor.objects.filter(pk=actor.pk).values().get() == before


def test_actor_delete_only_by_the_owner(small_map, client_for) -> None:  # noqa: ANN001
    actor = small_map["actors"][1]
    url = f"/api/v1/actors/{actor.pk}"
    assert Client().delete(url).status_code == 401
    assert client_for("lidingo").delete(url).status_code == 403
    assert client_for("viewer").delete(url).status_code == 403
    assert Actor.objects.filter(pk=actor.pk).exists()
    assert client_for("botkyrka").delete(url).status_code == 204
    assert not Actor.objects.filter(pk=actor.pk).exists()
    assert ChangeLogEntry.objects.filter(object_id=actor.pk, action="deleted").exists()
    assert client_for("botkyrka").delete(url).status_code == 404


def test_activity_replace_and_delete(small_map, client_for) -> None:  # noqa: ANN001
    act = small_map["activities"][0]
    a1, a2, a3 = small_map["actors"][:3]
    url = f"/api/v1/activities/{act.pk}"
    body = {
        "title": "Föräldrastöd i grupp (ABC)",
        "actors": [a1.pk],
        "malomraden": [1],
        "orientation": "prevention",
        "area": "0127",
        "target_groups": ["parents"],
    }
    assert _put(client_for("lidingo"), url, body).status_code == 403
    assert _put(client_for("botkyrka"), url, body | {"actors": [a3.pk + 10_000]}).status_code == 422
    assert Activity.objects.get(pk=act.pk).title == "Föräldrastöd i grupp"
    ok = _put(client_for("botkyrka"), url, body)
    assert ok.status_code == 200, ok.content
    assert ok.json()["title"] == "Föräldrastöd i grupp (ABC)"
    assert ok.json()["malomraden"] == [1] and ok.json()["problem_areas"] == []
    assert list(Activity.objects.get(pk=act.pk).actors.all()) == [a1]
    moved = _put(client_for("botkyrka"), url, body | {"area": "0186", "actors": [a3.pk]})
    assert moved.status_code == 403
    assert Activity.objects.get(pk=act.pk).area.code == "0127"
    assert client_for("lidingo").delete(url).status_code == 403
    assert client_for("botkyrka").delete(url).status_code == 204
    assert not Activity.objects.filter(pk=act.pk).exists()
    assert Actor.objects.filter(pk__in=[a1.pk, a2.pk]).count() == 2


def test_put_and_delete_need_the_csrf_token(small_map, users) -> None:  # noqa: ANN001
    actor = small_map["actors"][1]
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["botkyrka"], backend="django.contrib.auth.backends.ModelBackend")
    url = f"/api/v1/actors/{actor.pk}"
    assert _put(client, url, _actor_body(website="https://x.se")).status_code in (401, 403)
    assert client.delete(url).status_code in (401, 403)
    assert Actor.objects.filter(pk=actor.pk, website="").exists()


def _network_body(small_map: dict, **extra: object) -> dict:
    a1, a2 = small_map["actors"][:2]
    return {
        "name": "Trygg i Botkyrka",
        "area": "0127",
        "convenor": a1.pk,
        "members": [a1.pk, a2.pk],
        "purpose": "Samordna det brottsförebyggande arbetet",
        "meeting_frequency": "monthly",
        "malomraden": [5, 1],
    } | extra


def _post(client: Client, url: str, body: dict) -> object:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_network_create_replace_delete_with_refusals(small_map, client_for) -> None:  # noqa: ANN001
    from jamlik.actors.models import Network

    url = "/api/v1/networks"
    body = _network_body(small_map)
    assert _post(Client(), url, body).status_code == 401
    assert _post(client_for("lidingo"), url, body).status_code == 403
    assert _post(client_for("viewer"), url, body).status_code == 403
    assert _post(client_for("botkyrka"), url, body | {"area": "01"}).status_code == 403
    bad_member = _post(client_for("botkyrka"), url, body | {"members": [999_999]})
    assert bad_member.status_code == 422 and "members" in bad_member.json()["message"]
    bad_area = _post(client_for("botkyrka"), url, body | {"malomraden": [9]})
    assert bad_area.status_code == 422 and "malomraden" in bad_area.json()["message"]
    bad_choice = _post(client_for("botkyrka"), url, body | {"meeting_frequency": "hourly"})
    assert bad_choice.status_code == 422 and "meeting_frequency" in bad_choice.json()["message"]
    assert not Network.objects.filter(name="Trygg i Botkyrka").exists()

    created = _post(client_for("botkyrka"), url, body)
    assert created.status_code == 201, created.content
    out = created.json()
    assert out["members"] == sorted(a.pk for a in small_map["actors"][:2])
    assert out["malomraden"] == [1, 5] and out["area"] == "0127"
    network_url = f"{url}/{out['id']}"

    other = _put(client_for("lidingo"), network_url, body | {"name": "Kapad"})
    assert other.status_code == 403
    moved = _put(client_for("botkyrka"), network_url, body | {"area": "0186"})
    assert moved.status_code == 403
    renamed = _put(client_for("botkyrka"), network_url, body | {"members": [], "name": "Trygg"})
    assert renamed.status_code == 200 and renamed.json()["members"] == []
    assert Network.objects.get(pk=out["id"]).name == "Trygg"

    assert client_for("lidingo").delete(network_url).status_code == 403
    assert client_for("botkyrka").delete(network_url).status_code == 204
    assert not Network.objects.filter(pk=out["id"]).exists()
    county_wide = _post(client_for("lan01"), url, body | {"area": "01"})
    assert county_wide.status_code == 201

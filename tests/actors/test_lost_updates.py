"""Two editors, one record: the second save is refused with both versions, nothing is lost.

Each test has two people open the same actor, activity or network (the edit page, or a
GET of the API), both change it, and both save. The first save goes through and raises
the version; the second is answered 409 (the page: what the other person changed, the
editor's own input kept) or 412/409 (the API: both versions and the stored record), and
the first save is still what is stored.
"""

from __future__ import annotations

import json

from django.test import Client
from tests.security.forms import edit_form

from jamlik.actors.models import Activity, Actor, Network


def _open(client: Client, url: str) -> dict[str, list[str]]:
    """What the browser would send back from the edit page, unchanged."""
    page = client.get(url)
    assert page.status_code == 200
    form = edit_form(page.content.decode())
    assert "version" in form["data"] and "loaded" in form["data"], "hidden fields rendered"
    return {k: v for k, v in form["data"].items() if k != "csrfmiddlewaretoken"}


def test_second_actor_form_save_is_refused_with_what_changed(small_map, client_for) -> None:  # noqa: ANN001
    actor = small_map["actors"][1]
    url = f"/aktorer/aktor/{actor.pk}/andra/"
    first, second = client_for("botkyrka"), client_for("lan01")
    mine, theirs = _open(first, url), _open(second, url)
    assert mine["version"] == theirs["version"] == [str(actor.version)]

    saved = first.post(url, mine | {"website": ["https://forsta.example.se"]})
    assert saved.status_code == 302
    assert Actor.objects.get(pk=actor.pk).version == actor.version + 1

    refused = second.post(url, theirs | {"contact": ["ny@example.se"]})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert 'id="version-conflict"' in html
    assert 'data-field="website"' in html and "https://forsta.example.se" in html
    assert 'data-field="contact"' not in html, "only what the other person changed is listed"
    assert "ny@example.se" in html, "the second editor's input is kept in the form"
    stored = Actor.objects.get(pk=actor.pk)
    assert (stored.website, stored.contact) == ("https://forsta.example.se", "")

    # The page now carries the stored version: saving again is a deliberate replacement.
    again = edit_form(html)["data"]
    assert again["version"] == [str(stored.version)]
    resent = second.post(url, {k: v for k, v in again.items() if k != "csrfmiddlewaretoken"})
    assert resent.status_code == 302
    stored = Actor.objects.get(pk=actor.pk)
    assert stored.contact == "ny@example.se" and stored.version == actor.version + 2


def test_conflict_page_is_swedish_by_default_and_english_on_request(small_map, client_for) -> None:  # noqa: ANN001
    actor = small_map["actors"][1]
    url = f"/aktorer/aktor/{actor.pk}/andra/"
    client = client_for("botkyrka")
    stale = _open(client, url)
    Actor.objects.filter(pk=actor.pk).update(version=actor.version + 1)
    swedish = client.post(url, stale)
    assert swedish.status_code == 409
    assert "Någon annan har ändrat" in swedish.content.decode()
    client.cookies["django_language"] = "en"
    english = client.post(url, stale)
    assert english.status_code == 409
    assert "Someone else changed this while you were editing" in english.content.decode()


def test_second_activity_and_network_form_saves_are_refused(small_map, client_for) -> None:  # noqa: ANN001
    activity = small_map["activities"][0]
    network = Network.objects.create(
        name="Trygg i Botkyrka", area=small_map["botkyrka"], malomraden=[1]
    )
    for model, pk, url, field, value in (
        (Activity, activity.pk, f"/aktorer/insats/{activity.pk}/andra/", "funding", "Kommunen"),
        (Network, network.pk, f"/aktorer/natverk/{network.pk}/andra/", "purpose", "Samordna"),
    ):
        first, second = client_for("botkyrka"), client_for("lan01")
        mine, theirs = _open(first, url), _open(second, url)
        assert first.post(url, mine | {field: [value]}).status_code == 302
        refused = second.post(url, theirs | {field: ["Något annat"]})
        assert refused.status_code == 409, model.__name__
        assert f'data-field="{field}"' in refused.content.decode()
        assert getattr(model.objects.get(pk=pk), field) == value


def test_a_form_without_a_version_still_saves_and_bumps(small_map, client_for) -> None:  # noqa: ANN001
    actor = small_map["actors"][1]
    url = f"/aktorer/aktor/{actor.pk}/andra/"
    client = client_for("botkyrka")
    data = {k: v for k, v in _open(client, url).items() if k not in ("version", "loaded")}
    assert client.post(url, data | {"contact": ["x@example.se"]}).status_code == 302
    assert Actor.objects.get(pk=actor.pk).version == actor.version + 1


# ---- the API -------------------------------------------------------------------------------


def _put(client: Client, url: str, body: dict, **headers: str) -> object:
    return client.put(url, json.dumps(body), content_type="application/json", headers=headers)


def _actor_body(**extra: object) -> dict:
    return {
        "name": "Föreningen Trygga Grannar Botkyrka",
        "type": "civil_society",
        "level": "local",
        "area": "0127",
        "org_number": "802400-1235",
    } | extra


def test_get_sends_an_etag_and_a_stale_if_match_is_refused_with_412(small_map, client_for) -> None:  # noqa: ANN001
    actor = small_map["actors"][1]
    url = f"/api/v1/actors/{actor.pk}"
    first, second = client_for("botkyrka"), client_for("lan01")
    tag = first.get(url)["ETag"]
    assert tag == f'"{actor.version}"' and second.get(url)["ETag"] == tag
    assert first.get(url).json()["version"] == actor.version

    ok = _put(first, url, _actor_body(website="https://forsta.example.se"), If_Match=tag)
    assert ok.status_code == 200 and ok.json()["version"] == actor.version + 1
    assert ok["ETag"] == f'"{actor.version + 1}"'

    stale = _put(second, url, _actor_body(contact="andra@example.se"), If_Match=tag)
    assert stale.status_code == 412
    body = stale.json()
    assert (body["your_version"], body["current_version"]) == (actor.version, actor.version + 1)
    assert body["current"]["website"] == "https://forsta.example.se"
    assert body["yours"]["contact"] == "andra@example.se"
    stored = Actor.objects.get(pk=actor.pk)
    assert (stored.website, stored.contact, stored.version) == (
        "https://forsta.example.se", "", actor.version + 1,
    )  # fmt: skip


def test_a_stale_body_version_is_refused_with_409_and_a_fresh_one_saves(
    small_map, client_for
) -> None:  # noqa: ANN001
    activity = small_map["activities"][0]
    url = f"/api/v1/activities/{activity.pk}"
    client = client_for("botkyrka")
    current = client.get(url).json()
    body = {k: current[k] for k in ("title", "actors", "malomraden", "orientation", "area")}
    assert _put(client, url, body | {"version": current["version"]}).status_code == 200
    refused = _put(client, url, body | {"title": "Gammal", "version": current["version"]})
    assert refused.status_code == 409
    assert refused.json()["current_version"] == current["version"] + 1
    assert Activity.objects.get(pk=activity.pk).title == current["title"]
    fresh = _put(client, url, body | {"title": "Ny", "version": current["version"] + 1})
    assert fresh.status_code == 200 and fresh.json()["version"] == current["version"] + 2


def test_network_put_honours_if_match_and_openapi_declares_the_refusals(
    small_map, client_for
) -> None:  # noqa: ANN001
    network = Network.objects.create(name="Nätverket", area=small_map["botkyrka"])
    url = f"/api/v1/networks/{network.pk}"
    client = client_for("botkyrka")
    body = {"name": "Nätverket", "area": "0127"}
    assert _put(client, url, body, If_Match='"99"').status_code == 412
    assert _put(client, url, body, If_Match="*").status_code == 200
    assert Network.objects.get(pk=network.pk).version == 2

    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/actors/{actor_id}",
        "/api/v1/activities/{activity_id}",
        url.rsplit("/", 1)[0] + "/{network_id}",
    ):
        responses = paths[path]["put"]["responses"]
        assert {"409", "412"} <= set(responses), path

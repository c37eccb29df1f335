"""Two editors on one scenario: the second save is refused with both versions shown.

The editor page carries the version it was opened at; the PUT takes it as ``If-Match``
(412 when stale) or ``version`` (409). The first save stays stored.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from tests.security.forms import edit_form

from jamlik.economics.models import Scenario

from .django_helpers import saved_scenario

pytestmark = pytest.mark.django_db


def _open(client: Client, url: str) -> dict[str, list[str]]:
    page = client.get(url)
    assert page.status_code == 200
    data = edit_form(page.content.decode())["data"]
    assert "version" in data and "loaded" in data, "hidden fields rendered"
    return {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}


def test_second_editor_save_is_refused_with_what_changed(client_for) -> None:  # noqa: ANN001
    scenario = saved_scenario("0127", published=False)
    url = f"/ekonomi/scenario/{scenario.pk}/redigera/"
    first, second = client_for("botkyrka"), client_for("lan01")
    mine, theirs = _open(first, url), _open(second, url)
    saved = first.post(url, mine | {"name": ["Föräldrastöd i grupp"]})
    assert saved.status_code == 302, saved.content.decode()[:500]
    refused = second.post(url, theirs | {"notes": ["Mina anteckningar"]})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert 'data-field="name"' in html and "Föräldrastöd i grupp" in html
    assert 'data-field="notes"' not in html and "Mina anteckningar" in html
    stored = Scenario.objects.get(pk=scenario.pk)
    assert stored.version == 2
    assert stored.inputs["name"] == "Föräldrastöd i grupp"


def test_scenario_put_honours_if_match_and_version(client_for) -> None:  # noqa: ANN001
    scenario = saved_scenario("0127", published=False)
    url = f"/api/v1/economics/scenarios/{scenario.pk}"
    client = client_for("botkyrka")
    got = client.get(url)
    assert got["ETag"] == '"1"' and got.json()["version"] == 1
    body = {"kommun": "0127", "inputs": scenario.inputs, "draws": 500}

    def put(payload: dict, **headers: str) -> object:
        return client.put(
            url, json.dumps(payload), content_type="application/json", headers=headers
        )

    first = put(body | {"published": True}, **{"If-Match": '"1"'})
    assert first.status_code == 200 and first.json()["version"] == 2 and first["ETag"] == '"2"'
    stale = put(body, **{"If-Match": '"1"'})
    assert stale.status_code == 412
    refused = stale.json()
    assert (refused["your_version"], refused["current_version"]) == (1, 2)
    assert refused["current"]["published"] is True and refused["yours"]["published"] is False
    assert put(body | {"version": 1}).status_code == 409
    assert Scenario.objects.get(pk=scenario.pk).published is True
    assert put(body | {"version": 2}).status_code == 200
    assert Scenario.objects.get(pk=scenario.pk).version == 3

    responses = (
        Client()
        .get("/api/v1/openapi.json")
        .json()["paths"]["/api/v1/economics/scenarios/{scenario_id}"]["put"]["responses"]
    )
    assert {"409", "412"} <= set(responses)

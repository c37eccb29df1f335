"""Text an editor types is shown to everyone: it must reach every page escaped, and an
editor must not be able to move their own record into another kommun."""

from __future__ import annotations

import json
from typing import Any

from .forms import edit_form, with_marker

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
RAW = ("<script>alert(", "<img src=x onerror")


def raw_payload_in(as_user: Any, users: tuple, urls: list[str]) -> list[str]:
    found = []
    for user in users:
        client = as_user(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, (user, url, response.status_code)
            if "html" not in response.get("Content-Type", "") or response.status_code != 200:
                continue
            body = response.content.decode("utf-8", "replace")
            if any(r in body for r in RAW):
                found.append(f"{user or 'anonymous'} {url}")
    return found


def test_actor_and_plan_text_is_escaped_everywhere(as_user, demo) -> None:  # noqa: ANN001
    from jamlik.actors.models import Activity, Actor
    from jamlik.prevention.models import Plan

    editor = as_user("botkyrka")
    actor = Actor.objects.filter(area__code="0127").order_by("pk").first()
    url = f"/aktorer/aktor/{actor.pk}/andra/"
    data = with_marker(edit_form(editor.get(url).content.decode()), PAYLOAD, "name")
    assert editor.post(url, data).status_code == 302
    assert Actor.objects.get(pk=actor.pk).name == PAYLOAD

    activity = Activity.objects.filter(area__code="0127").order_by("pk").first()
    url = f"/aktorer/insats/{activity.pk}/andra/"
    data = with_marker(edit_form(editor.get(url).content.decode()), PAYLOAD, "title")
    assert editor.post(url, data).status_code == 302

    plan = Plan.objects.get(municipality__code="0127")
    url = f"/prevention/planer/{plan.pk}/andra/"
    data = with_marker(edit_form(editor.get(url).content.decode()), PAYLOAD, "title")
    assert editor.post(url, data).status_code == 302
    assert Plan.objects.get(pk=plan.pk).title == PAYLOAD

    urls = [
        "/aktorer/?county=01",
        "/aktorer/?q=script",
        f"/aktorer/aktor/{actor.pk}/",
        f"/aktorer/insats/{activity.pk}/",
        "/aktorer/natverk/",
        "/aktorer/tackning/",
        "/aktorer/luckor/",
        "/omrade/0127/",
        "/omrade/01/",
        "/prevention/planer/?kommun=0127",
        f"/prevention/planer/{plan.pk}/",
        f"/prevention/planer/{plan.pk}/steg/1/",
        "/prevention/",
    ]
    assert raw_payload_in(as_user, (None, "botkyrka", "lan01"), urls) == []


def test_scenario_name_is_escaped(as_user, demo) -> None:  # noqa: ANN001
    from jamlik.economics.models import Scenario

    scenario = Scenario.objects.get(area__code="0127")
    inputs = dict(scenario.inputs) | {"name": PAYLOAD}
    body = {"kommun": "0127", "inputs": inputs, "published": True}
    response = as_user("botkyrka").put(
        f"/api/v1/economics/scenarios/{scenario.pk}",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Scenario.objects.get(pk=scenario.pk).name == PAYLOAD
    urls = ["/ekonomi/", f"/ekonomi/scenario/{scenario.pk}/", "/ekonomi/jamfor/", "/omrade/0127/"]
    assert raw_payload_in(as_user, (None, "botkyrka"), urls) == []


def test_editor_cannot_move_own_records_into_another_kommun(as_user, demo) -> None:  # noqa: ANN001
    from jamlik.actors.models import Actor
    from jamlik.economics.models import Scenario
    from jamlik.geo.models import Area

    lidingo = Area.objects.get(code="0186")
    editor = as_user("botkyrka")
    actor = Actor.objects.filter(area__code="0127").order_by("pk").first()
    url = f"/aktorer/aktor/{actor.pk}/andra/"
    data = with_marker(edit_form(editor.get(url).content.decode()), "Flyttad", "name")
    data["area"] = [str(lidingo.pk)]
    editor.post(url, data)
    assert Actor.objects.get(pk=actor.pk).area.code == "0127"

    scenario = Scenario.objects.get(area__code="0127")
    body = {"kommun": "0186", "inputs": scenario.inputs, "published": False}
    response = editor.put(
        f"/api/v1/economics/scenarios/{scenario.pk}",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Scenario.objects.get(pk=scenario.pk).area.code == "0127"

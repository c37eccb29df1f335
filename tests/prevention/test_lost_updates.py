"""Two editors on one plan, step or intervention: the second save is refused with both
versions shown.

The plan, step and intervention forms carry the version the editor opened; the step's and
the intervention's PUT take it as ``If-Match`` (412 when stale) or ``version`` (409). The
first save stays stored. An intervention the county still takes from the shipped set is
at version 0 for that county: the first save makes the county's copy (version 1).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client
from tests.security.forms import edit_form

from jamlik.prevention import services
from jamlik.prevention.models import Intervention, Plan, PlanStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(geography) -> Plan:  # noqa: ANN001
    return services.create_plan(
        geography.get(code="0127"), title="Trygg uppväxt", start=date(2026, 1, 1)
    )


def _open(client: Client, url: str) -> dict[str, list[str]]:
    page = client.get(url)
    assert page.status_code == 200
    data = edit_form(page.content.decode())["data"]
    assert "version" in data and "loaded" in data, "hidden fields rendered"
    return {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}


def test_second_plan_form_save_is_refused_with_what_changed(plan, client_for) -> None:  # noqa: ANN001
    url = f"/prevention/planer/{plan.pk}/andra/"
    first, second = client_for("botkyrka"), client_for("lan01")
    mine, theirs = _open(first, url), _open(second, url)
    assert first.post(url, mine | {"summary": ["Första sammanfattningen"]}).status_code == 302
    refused = second.post(url, theirs | {"title": "Andra titeln"})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert 'data-field="summary"' in html and "Första sammanfattningen" in html
    assert 'data-field="title"' not in html
    assert 'value="Andra titeln"' in html, "the second editor's input is kept"
    stored = Plan.objects.get(pk=plan.pk)
    assert (stored.title, stored.summary, stored.version) == (
        "Trygg uppväxt", "Första sammanfattningen", plan.version + 1,
    )  # fmt: skip


def test_second_step_form_save_is_refused_and_a_fresh_one_saves(plan, client_for) -> None:  # noqa: ANN001
    url = f"/prevention/planer/{plan.pk}/steg/1/"
    first, second = client_for("botkyrka"), client_for("lan01")
    mine, theirs = _open(first, url), _open(second, url)
    assert first.post(url, mine | {"notes": ["Kartläggning klar"]}).status_code == 302
    refused = second.post(url, theirs | {"evidence": ["Protokoll"]})
    assert refused.status_code == 409
    assert 'data-field="notes"' in refused.content.decode()
    step = PlanStep.objects.get(plan=plan, number=1)
    assert (step.notes, step.evidence, step.version) == ("Kartläggning klar", "", 2)
    again = {k: v for k, v in edit_form(refused.content.decode())["data"].items()}
    assert again["version"] == ["2"]
    # Saving the kept input again is a deliberate choice: it replaces the other change.
    assert second.post(url, again).status_code == 302
    step.refresh_from_db()
    assert (step.notes, step.evidence, step.version) == ("", "Protokoll", 3)


def _put(client: Client, url: str, body: dict, **headers: str) -> object:
    return client.put(url, json.dumps(body), content_type="application/json", headers=headers)


def test_step_put_honours_if_match_and_version(plan, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    url = f"/api/v1/plans/{plan.pk}/steps/1"
    got = client.get(url)
    assert got.status_code == 200 and got["ETag"] == '"1"' and got.json()["version"] == 1
    assert client.get(f"/api/v1/plans/{plan.pk}").json()["steps"][0]["version"] == 1

    ok = _put(client, url, {"status": "in_progress", "notes": "A"}, If_Match=got["ETag"])
    assert ok.status_code == 200 and ok["ETag"] == '"2"'
    stale = _put(client, url, {"status": "done", "notes": "B"}, If_Match=got["ETag"])
    assert stale.status_code == 412
    body = stale.json()
    assert (body["your_version"], body["current_version"]) == (1, 2)
    assert body["current"]["notes"] == "A" and body["yours"]["notes"] == "B"
    stale_body = _put(client, url, {"status": "done", "notes": "C", "version": 1})
    assert stale_body.status_code == 409
    step = PlanStep.objects.get(plan=plan, number=1)
    assert (step.notes, step.status, step.version) == ("A", "in_progress", 2)
    assert _put(client, url, {"status": "done", "notes": "D", "version": 2}).status_code == 200
    assert PlanStep.objects.get(pk=step.pk).version == 3

    put = (
        Client()
        .get("/api/v1/openapi.json")
        .json()["paths"]["/api/v1/plans/{plan_id}/steps/{number}"]["put"]
    )
    assert {"409", "412"} <= set(put["responses"])


# ---- the county's interventions ------------------------------------------------------------


def test_second_intervention_form_save_is_refused_with_what_changed(client_for) -> None:  # noqa: ANN001
    url = "/prevention/insatser/komet/andra/?lan=01"
    first, second = client_for("lan01"), client_for("admin")
    mine, theirs = _open(first, url), _open(second, url)
    assert mine["version"] == ["0"], "a shipped entry: the county has no copy yet"
    assert first.post(url, mine | {"availability_sv": ["Alla kommuner"]}).status_code == 302
    refused = second.post(url, theirs | {"name": ["Komet i länet"]})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert 'data-field="availability_sv"' in html and "Alla kommuner" in html
    assert 'data-field="name"' not in html
    assert 'value="Komet i länet"' in html, "the second admin's input is kept"
    copy = Intervention.objects.get(county__code="01", key="komet")
    assert (copy.name, copy.availability_sv, copy.version) == ("Komet", "Alla kommuner", 1)

    again = edit_form(html)["data"]
    assert again["version"] == ["1"]
    assert second.post(url, again).status_code == 302, "saving again replaces it on purpose"
    copy.refresh_from_db()
    assert (copy.name, copy.version) == ("Komet i länet", 2)
    # Another county's editor is refused before any version question.
    other = first.post("/prevention/insatser/komet/andra/?lan=14", again | {"lan": ["14"]})
    assert other.status_code == 403
    assert not Intervention.objects.filter(county__code="14").exists()


def test_intervention_put_honours_if_match_and_version(client_for) -> None:  # noqa: ANN001
    client = client_for("lan01")
    url = "/api/v1/prevention/interventions/komet?county=01"
    got = client.get(url)
    assert got.status_code == 200 and got["ETag"] == '"0"' and got.json()["version"] == 0
    body = {k: v for k, v in got.json().items() if k not in ("key", "county", "version")}

    ok = _put(client, url, body | {"availability_sv": "A"}, If_Match=got["ETag"])
    assert ok.status_code == 200 and ok["ETag"] == '"1"' and ok.json()["version"] == 1
    stale = _put(client, url, body | {"availability_sv": "B"}, If_Match=got["ETag"])
    assert stale.status_code == 412 and stale["ETag"] == '"1"'
    refused = stale.json()
    assert (refused["your_version"], refused["current_version"]) == (0, 1)
    assert refused["current"]["availability_sv"] == "A"
    assert refused["yours"]["availability_sv"] == "B"
    stale_body = _put(client, url, body | {"availability_sv": "C", "version": 0})
    assert stale_body.status_code == 409 and stale_body.json()["current_version"] == 1
    copy = Intervention.objects.get(county__code="01", key="komet")
    assert (copy.availability_sv, copy.version) == ("A", 1)
    assert _put(client, url, body | {"availability_sv": "D", "version": 1}).status_code == 200
    assert _put(client, url, body | {"availability_sv": "E"}).status_code == 200, "no check"
    copy.refresh_from_db()
    assert (copy.availability_sv, copy.version) == ("E", 3)
    assert client.get(url)["ETag"] == '"3"'

    other = _put(client, "/api/v1/prevention/interventions/komet?county=14", body, If_Match='"0"')
    assert other.status_code == 403, "another county's admin rights are still needed"
    assert client.get("/api/v1/prevention/interventions/komet?county=14")["ETag"] == '"0"'
    put = (
        Client()
        .get("/api/v1/openapi.json")
        .json()["paths"]["/api/v1/prevention/interventions/{key}"]["put"]
    )
    assert {"409", "412"} <= set(put["responses"])

"""Who may see and change scenarios: refusals are tested as carefully as access."""

from __future__ import annotations

import json

import pytest

from jamlik.economics.examples import norrtalje_example
from jamlik.economics.model import evaluate
from jamlik.economics.models import Scenario
from jamlik.economics.serialization import scenario_to_dict

from .django_helpers import editor_post, saved_scenario

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login_for_the_editor(client) -> None:  # noqa: ANN001
    response = client.get("/ekonomi/kommun/0127/nytt-scenario/")
    assert response.status_code == 302
    assert "/konto/" in response["Location"]


def test_editor_of_another_kommun_is_refused(client_for) -> None:  # noqa: ANN001
    lidingo = client_for("lidingo")
    assert lidingo.get("/ekonomi/kommun/0127/nytt-scenario/").status_code == 403
    response = lidingo.post("/ekonomi/kommun/0127/nytt-scenario/", editor_post())
    assert response.status_code == 403
    assert not Scenario.objects.exists()


def test_editor_creates_for_own_kommun(client_for) -> None:  # noqa: ANN001
    response = client_for("botkyrka").post("/ekonomi/kommun/0127/nytt-scenario/", editor_post())
    assert response.status_code == 302, response.content.decode()[:2000]
    scenario = Scenario.objects.get()
    assert scenario.area.code == "0127"
    # The editor round trip keeps every number: same result as the example itself.
    assert evaluate(scenario.model_inputs()).npv == pytest.approx(evaluate(norrtalje_example()).npv)


def test_editing_another_kommuns_scenario_is_refused(client_for) -> None:  # noqa: ANN001
    scenario = saved_scenario("0188", published=True)
    botkyrka = client_for("botkyrka")
    assert botkyrka.get(f"/ekonomi/scenario/{scenario.pk}/redigera/").status_code == 403
    assert botkyrka.post(f"/ekonomi/scenario/{scenario.pk}/ta-bort/").status_code == 403
    assert Scenario.objects.filter(pk=scenario.pk).exists()
    # The county administrator of Stockholms län may edit Norrtälje's scenario.
    assert client_for("lan01").get(f"/ekonomi/scenario/{scenario.pk}/redigera/").status_code == 200


def test_unpublished_scenarios_are_hidden_from_the_public(client, client_for) -> None:  # noqa: ANN001
    hidden = saved_scenario("0127", published=False, name="Hidden plan")
    shown = saved_scenario("0127", published=True, name="Open plan")
    url = f"/ekonomi/scenario/{hidden.pk}/"
    assert client.get(url).status_code == 302
    for suffix in ("scenario.xlsx", "scenario.pdf", "per-ar.csv"):
        assert client.get(url + suffix).status_code == 302
    assert client_for("lidingo").get(url).status_code == 403
    assert client_for("botkyrka").get(url).status_code == 200
    assert client_for("viewer").get(url).status_code == 200
    index = client.get("/ekonomi/").content.decode()
    assert "Open plan" in index and "Hidden plan" not in index
    assert client.get(f"/ekonomi/scenario/{shown.pk}/").status_code == 200
    compare = client.get(f"/ekonomi/jamfor/?s={hidden.pk}&s={shown.pk}").content.decode()
    assert "Hidden plan" not in compare


def test_api_refusals(client, client_for) -> None:  # noqa: ANN001
    body = json.dumps({"kommun": "0127", "inputs": scenario_to_dict(norrtalje_example())})
    kind = "application/json"
    response = client.post("/api/v1/economics/scenarios", body, content_type=kind)
    assert response.status_code == 401
    assert response.json() == {"message": "Log in first."}
    response = client_for("lidingo").post("/api/v1/economics/scenarios", body, content_type=kind)
    assert response.status_code == 403
    assert not Scenario.objects.exists()
    response = client_for("botkyrka").post("/api/v1/economics/scenarios", body, content_type=kind)
    assert response.status_code == 201
    created = response.json()["id"]
    assert client.get(f"/api/v1/economics/scenarios/{created}").status_code == 401
    assert client_for("lidingo").get(f"/api/v1/economics/scenarios/{created}").status_code == 403
    assert client_for("lidingo").delete(f"/api/v1/economics/scenarios/{created}").status_code == 403
    moved = json.dumps({"kommun": "0186", "inputs": scenario_to_dict(norrtalje_example())})
    response = client_for("botkyrka").put(
        f"/api/v1/economics/scenarios/{created}", moved, content_type=kind
    )
    assert response.status_code == 403  # may not move a scenario into another kommun
    assert Scenario.objects.get(pk=created).area.code == "0127"
    assert client.get("/api/v1/economics/scenarios").json() == []
    assert len(client_for("botkyrka").get("/api/v1/economics/scenarios").json()) == 1


def test_a_taken_name_is_refused_in_the_readers_language(client_for) -> None:  # noqa: ANN001
    botkyrka = client_for("botkyrka")
    assert botkyrka.post("/ekonomi/kommun/0127/nytt-scenario/", editor_post()).status_code == 302
    again = botkyrka.post(
        "/ekonomi/kommun/0127/nytt-scenario/", editor_post(), HTTP_ACCEPT_LANGUAGE="sv"
    )
    page = again.content.decode()
    assert again.status_code == 200 and Scenario.objects.count() == 1
    assert "har redan ett scenario som heter" in page
    assert "scenario.name" not in page

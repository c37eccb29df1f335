"""Two people on one survey response or one question: the second save is refused.

The survey form and the question editor carry the version they were opened at; the
survey PUT takes it as ``If-Match`` (412 when stale) or ``version`` (409). The first save
stays stored, and the second person sees what changed with their own input kept.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from tests.security.forms import edit_form

from jamlik.prerequisites import services
from jamlik.prerequisites.models import Instrument, Item, Response

SURVEY = "/forutsattningar/kommun/0127/enkat/2023/"
API = "/api/v1/prerequisites/municipalities/0127/responses/2023"


def _open(client: Client, url: str) -> dict[str, list[str]]:
    page = client.get(url)
    assert page.status_code == 200
    data = edit_form(page.content.decode())["data"]
    assert "version" in data and "loaded" in data, "hidden fields rendered"
    return {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}


@pytest.fixture
def draft(open_round, botkyrka) -> Response:  # noqa: ANN001
    response = services.response_for(open_round, botkyrka)
    Response.objects.filter(pk=response.pk).update(status="draft", answers={})
    response.refresh_from_db()
    return response


def test_second_survey_save_is_refused_with_the_other_answers(draft, client_for) -> None:  # noqa: ANN001
    first, second = client_for("botkyrka"), client_for("lan01")
    mine, theirs = _open(first, SURVEY), _open(second, SURVEY)
    assert first.post(SURVEY, mine | {"political_priority": ["3"]}).status_code == 302
    refused = second.post(SURVEY, theirs | {"public_health_goals": ["yes"]})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert 'data-field="political_priority"' in html
    assert 'data-field="public_health_goals"' not in html
    draft.refresh_from_db()
    assert draft.answers.get("political_priority") == 3
    assert "public_health_goals" not in draft.answers
    assert draft.version == 2


def test_survey_put_honours_if_match_and_version(draft, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    got = client.get(API)
    assert got["ETag"] == '"1"' and got.json()["version"] == 1
    body = {"answers": {"political_priority": 3}}
    ok = client.put(API, json.dumps(body), content_type="application/json", If_Match='"1"')
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok["ETag"] == '"2"'
    stale = client.put(
        API,
        json.dumps({"answers": {"political_priority": 1}}),
        content_type="application/json",
        headers={"If-Match": '"1"'},
    )
    assert stale.status_code == 412
    refused = stale.json()
    assert (refused["your_version"], refused["current_version"]) == (1, 2)
    assert refused["current"]["answers"] == {"political_priority": 3}
    assert refused["yours"]["answers"] == {"political_priority": 1}
    by_body = client.put(
        API,
        json.dumps({"answers": {"political_priority": 1}, "version": 1}),
        content_type="application/json",
    )
    assert by_body.status_code == 409 and by_body.json()["current_version"] == 2
    draft.refresh_from_db()
    assert (draft.answers, draft.version) == ({"political_priority": 3}, 2)

    put = (
        Client()
        .get("/api/v1/openapi.json")
        .json()["paths"]["/api/v1/prerequisites/municipalities/{code}/responses/{year}"]["put"]
    )
    assert {"409", "412"} <= set(put["responses"])


@pytest.mark.django_db
def test_second_question_edit_is_refused(county, client_for) -> None:  # noqa: ANN001
    instrument: Instrument = services.ensure_default_instrument(county)
    item = instrument.items.get(key="coordinator_time")
    url = f"/forutsattningar/lan/01/instrument/{instrument.pk}/fraga/{item.pk}/"
    first, second = client_for("lan01"), client_for("admin")
    mine, theirs = _open(first, url), _open(second, url)
    assert first.post(url, mine | {"text_en": ["Time for coordination?"]}).status_code == 302
    refused = second.post(url, theirs | {"weight": ["2"]})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert 'data-field="text_en"' in html and "Time for coordination?" in html
    stored = Item.objects.get(pk=item.pk)
    assert (stored.text_en, stored.weight, stored.version) == (
        "Time for coordination?", item.weight, item.version + 1,
    )  # fmt: skip

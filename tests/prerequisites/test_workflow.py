"""Draft → submitted → locked, reopening, closed rounds, and answers checked against items."""

from __future__ import annotations

import pytest
from django.utils import translation

from jamlik.prerequisites import services
from jamlik.prerequisites.models import Response, ResponseStatus, Round
from jamlik.prerequisites.services import WorkflowError


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def round_(county):  # noqa: ANN001
    return services.create_round(county, 2025)


def test_new_round_uses_the_default_instrument_covering_all_seven(round_):
    from jamlik.prerequisites.specs import prerequisite_keys

    items = list(round_.instrument.items.all())
    assert {i.prerequisite for i in items} == set(prerequisite_keys("01"))
    assert {i.kind for i in items} == {
        "single_choice",
        "scale",
        "multiple_choice",
        "number",
        "text",
    }
    with pytest.raises(ValueError, match="already a 2025 round"):
        services.create_round(round_.county, 2025)


def test_draft_submit_lock_reopen(round_, botkyrka, users):
    response = services.response_for(round_, botkyrka)
    assert response.status == ResponseStatus.DRAFT
    services.save_answers(response, {"public_health_goals": "yes", "political_priority": "3"})
    response.refresh_from_db()
    assert response.answers == {"public_health_goals": "yes", "political_priority": 3}
    services.save_answers(response, {"public_health_goals": "no"}, users["botkyrka"], submit=True)
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.submitted_by == users["botkyrka"]
    with pytest.raises(WorkflowError, match="submitted"):
        services.save_answers(response, {"public_health_goals": "yes"})
    services.change_status(response, "lock")
    with pytest.raises(WorkflowError, match="Only a submitted response can be locked"):
        services.change_status(response, "lock")
    services.change_status(response, "reopen")
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT
    services.save_answers(response, {"public_health_goals": "yes"})


def test_closed_round_takes_no_answers(round_, botkyrka):
    response = services.response_for(round_, botkyrka)
    services.set_round_state(round_, is_open=False)
    response.refresh_from_db()
    with pytest.raises(WorkflowError, match="closed"):
        services.save_answers(response, {"public_health_goals": "yes"})


def test_bad_answers_are_refused_and_nothing_is_saved(round_, botkyrka):
    response = services.response_for(round_, botkyrka)
    with pytest.raises(ValueError, match="item public_health_goals"):
        services.save_answers(response, {"public_health_goals": "perhaps"})
    with pytest.raises(ValueError, match="unknown items: nonsense"):
        services.save_answers(response, {"nonsense": 1})
    assert Response.objects.get(pk=response.pk).answers == {}


def test_a_kommun_in_another_county_cannot_answer(round_, geography):
    with pytest.raises(ValueError, match="not a kommun in Stockholms län"):
        services.response_for(round_, geography.get(code="1280"))


def test_weights_change_scores_and_bad_thresholds_are_refused(round_):
    instrument = round_.instrument
    with pytest.raises(ValueError, match="thresholds"):
        services.update_scoring(instrument, {}, {"local_data": 1}, 30, 40)
    with pytest.raises(ValueError, match="weight must not be negative"):
        services.update_scoring(instrument, {"coordinator": -1}, {"local_data": 1}, 70, 40)
    services.update_scoring(instrument, {"coordinator": 5}, dict(instrument.caps), 80, 50)
    instrument.refresh_from_db()
    assert instrument.items.get(key="coordinator").weight == 5
    assert instrument.strong_from == 80


def test_groups_by_hand(county):
    assert services.set_groups(county, 2019, 2021, {"0127": "deepened", "0186": ""}) == 1
    with pytest.raises(ValueError, match="not a kommun in Stockholms län"):
        services.set_groups(county, 2019, 2021, {"1280": "none"})
    with pytest.raises(ValueError, match="unknown group"):
        services.set_groups(county, 2019, 2021, {"0127": "lots"})
    from jamlik.prerequisites.grouping import manual_groups

    assert manual_groups(county, 2019, 2021) == {"0127": "deepened"}  # refusals changed nothing


def test_new_instrument_version_copies_items_and_leaves_old_rounds_alone(round_):
    old = round_.instrument
    new = services.copy_instrument(old, "2025.1")
    assert new.pk != old.pk and new.items.count() == old.items.count()
    new.items.filter(key="coordinator").update(text_sv="Ny formulering")
    assert old.items.get(key="coordinator").text_sv != "Ny formulering"
    with pytest.raises(ValueError, match="already exists"):
        services.copy_instrument(old, "2025.1")


def test_county_admin_creates_a_round_with_a_new_version(county, client_for):
    client = client_for("lan01")
    response = client.post(
        "/forutsattningar/lan/01/ny-omgang/", {"year": "2027", "new_version": "2027.1"}
    )
    assert response.status_code == 302
    assert Round.objects.get(county=county, year=2027).instrument.version == "2027.1"
    assert (
        client_for("botkyrka")
        .post("/forutsattningar/lan/01/ny-omgang/", {"year": "2029"})
        .status_code
        == 403
    )

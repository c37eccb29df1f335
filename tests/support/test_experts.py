# ruff: noqa: F811 - the fixtures are imported from joint_fixtures
"""Experts: a county's people per subject area, for logged-in users with a role there only."""

from __future__ import annotations

import pytest
from tests.support.joint_fixtures import actors, joint  # noqa: F401 - fixtures

from jamlik.support import experts, services
from jamlik.support.models import Expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(joint, actors) -> dict:  # noqa: ANN001
    county = joint["county"]
    anna = Expert.objects.create(
        county=county,
        name="H1 Anna Andts",
        title="Samordnare",
        organisation=actors["region"],
        email="h1-anna@example.se",
        subject_areas=["andts"],
    )
    bo = Expert.objects.create(
        county=county, name="H1 Bo Brott", subject_areas=["crime_prevention", "andts"]
    )
    uppsala = Expert.objects.create(
        county=joint["uppsala"].county, name="H1 Uppsala expert", subject_areas=["andts"]
    )
    joint["seminar"].experts.add(anna)
    joint["alone"].experts.add(anna)
    return {"anna": anna, "bo": bo, "uppsala": uppsala}


def test_filter_by_subject_area(people, joint) -> None:  # noqa: ANN001
    county = joint["county"]
    mine = lambda qs: [e.name for e in qs if e.name.startswith("H1")]  # noqa: E731
    assert mine(experts.experts_for_county(county)) == ["H1 Anna Andts", "H1 Bo Brott"]
    assert mine(experts.experts_for_county(county, "crime_prevention")) == ["H1 Bo Brott"]
    assert mine(experts.experts_for_county(county, "outdoor_life")) == []
    keys = [k for k, _n in experts.subject_choices(county, "sv")]
    assert "andts" in keys and "crime_prevention" in keys


def test_list_and_page_for_county_roles(client_for, people, joint) -> None:  # noqa: ANN001
    viewer = client_for("viewer")
    page = viewer.get("/stod/experter/?lan=01").content.decode()
    assert "H1 Anna Andts" in page and "h1-anna@example.se" in page
    assert "H1 Uppsala expert" not in page
    filtered = viewer.get("/stod/experter/?lan=01&subject=crime_prevention").content.decode()
    assert "H1 Bo Brott" in filtered and "H1 Anna Andts" not in filtered
    unknown = viewer.get("/stod/experter/?lan=01&subject=nonsense")
    assert unknown.status_code == 200 and "H1 Anna Andts" in unknown.content.decode()
    detail = viewer.get(f"/stod/experter/{people['anna'].pk}/").content.decode()
    assert "H1 gemensamt seminarium" in detail and "H1 länsstyrelsen ensam" in detail
    assert "H1 Regionens folkhälsoenhet" in detail
    assert "/andra/" not in detail  # the viewer may not change it


def test_refusals(client, client_for, people) -> None:  # noqa: ANN001
    anna = people["anna"]
    for url in ("/stod/experter/?lan=01", f"/stod/experter/{anna.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
        assert client_for("botkyrka").get(url).status_code == 403  # a kommun role is not enough
    assert client_for("lan01").get(f"/stod/experter/{people['uppsala'].pk}/").status_code == 403
    assert client_for("lan01").get("/stod/experter/?lan=03").status_code == 403
    assert client_for("viewer").get("/stod/experter/ny/?lan=01").status_code == 403
    assert (
        client_for("viewer").post(f"/stod/experter/{anna.pk}/andra/", {"name": "x"}).status_code
        == 403
    )
    assert (
        client_for("lan01").get(f"/stod/experter/{people['uppsala'].pk}/andra/").status_code == 403
    )
    anna.refresh_from_db()
    assert anna.name == "H1 Anna Andts"


def test_experts_are_not_in_the_public_api(client) -> None:  # noqa: ANN001
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "expert" not in schema.content.decode().lower()


def test_county_admin_adds_and_edits_with_version_check(client_for, people, actors) -> None:  # noqa: ANN001
    admin = client_for("lan01")
    data = {
        "lan": "01",
        "name": "H1 Ny Expert",
        "title": "Forskare",
        "organisation": str(actors["kf"].pk),
        "email": "h1-ny@example.se",
        "subject_areas": ["public_health", "integration"],
    }
    response = admin.post("/stod/experter/ny/?lan=01", data)
    assert response.status_code == 302
    expert = Expert.objects.get(name="H1 Ny Expert")
    assert expert.subject_areas == ["public_health", "integration"]
    assert expert.organisation == actors["kf"]
    url = f"/stod/experter/{expert.pk}/andra/"
    first = admin.post(url, {**data, "title": "Professor", "version": str(expert.version)})
    assert first.status_code == 302
    stale = admin.post(url, {**data, "title": "Lektor", "version": str(expert.version)})
    assert stale.status_code == 409
    expert.refresh_from_db()
    assert expert.title == "Professor"
    bad_subject = admin.post(
        "/stod/experter/ny/?lan=01", {**data, "name": "H1 X", "subject_areas": ["nope"]}
    )
    assert bad_subject.status_code == 200 and not Expert.objects.filter(name="H1 X").exists()
    foreign = admin.post(
        "/stod/experter/ny/?lan=01",
        {**data, "name": "H1 Y", "organisation": str(actors["uppsala"].pk)},
    )
    assert foreign.status_code == 200 and not Expert.objects.filter(name="H1 Y").exists()


def test_service_refuses_foreign_organisation_and_unknown_subject(people, actors, joint) -> None:  # noqa: ANN001
    county = joint["county"]
    with pytest.raises(ValueError, match="actor map"):
        services.save_expert(county, {"name": "H1 Z", "organisation": actors["uppsala"]})
    with pytest.raises(ValueError, match="subject area"):
        services.save_expert(county, {"name": "H1 Z", "subject_areas": ["nope"]})
    assert not Expert.objects.filter(name="H1 Z").exists()


def test_activity_form_offers_only_the_countys_experts(client_for, people) -> None:  # noqa: ANN001
    page = client_for("lan01").get("/stod/aktiviteter/ny/?lan=01").content.decode()
    assert "H1 Anna Andts" in page and "H1 Uppsala expert" not in page


def test_activity_with_another_countys_expert_is_refused(people, joint) -> None:  # noqa: ANN001
    activity = joint["alone"]
    with pytest.raises(ValueError, match="not experts"):
        services.save_activity(
            activity.county,
            {"kind": activity.kind, "title": activity.title, "date": activity.date},
            [services.ParticipationInput(joint["nacka"], "official", 1)],
            activity=activity,
            experts=[people["uppsala"]],
        )
    assert list(activity.experts.all()) == [people["anna"]]

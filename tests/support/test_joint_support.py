# ruff: noqa: F811 - the fixtures are imported from joint_fixtures
"""Joint support: organisers with roles and hours, kinds of support, joint counts (issue 18)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from tests.support.joint_fixtures import actors, joint, make_actor  # noqa: F401 - fixtures

from jamlik.support import services
from jamlik.support.forms import ActivityForm
from jamlik.support.models import ActivityOrganiser, OrganiserRole, SupportActivity

pytestmark = pytest.mark.django_db


def _post_data(organisers: list[tuple], **extra: str) -> dict[str, str]:
    """An activity form post with organiser rows (actor pk, role, hours, note)."""
    data = {
        "lan": "01",
        "kind": "seminar",
        "title": "H1 postat seminarium",
        "date": "2026-05-05",
        "support_type": "knowledge",
        "p_0127_official": "3",
        "org-TOTAL_FORMS": str(len(organisers)),
        "org-INITIAL_FORMS": "0",
        "org-MIN_NUM_FORMS": "0",
        "org-MAX_NUM_FORMS": "1000",
    }
    for i, (actor, role, hours, note) in enumerate(organisers):
        data |= {
            f"org-{i}-actor": str(actor),
            f"org-{i}-role": role,
            f"org-{i}-hours": hours,
            f"org-{i}-note": note,
        }
    return data | extra


# ---- the service -----------------------------------------------------------------------


def test_organisers_are_stored_with_the_activity(joint, actors) -> None:  # noqa: ANN001, F811
    rows = {
        (o.actor.name, o.role, o.hours)
        for o in ActivityOrganiser.objects.filter(activity=joint["seminar"])
    }
    assert rows == {
        ("H1 Länsstyrelsen, enheten", "lead", Decimal("8.0")),
        ("H1 Regionens folkhälsoenhet", "co", Decimal("4.5")),
    }


def test_no_organisers_argument_keeps_them(joint) -> None:  # noqa: ANN001, F811
    activity = joint["seminar"]
    services.save_activity(
        activity.county,
        {"kind": activity.kind, "title": "H1 nytt namn", "date": activity.date},
        [services.ParticipationInput(joint["botkyrka"], "official", 1)],
        activity=activity,
    )
    assert activity.organisers.count() == 2


def test_duplicate_and_foreign_organisers_are_refused_and_nothing_changes(
    joint,
    actors,  # noqa: F811
) -> None:
    activity = joint["alone"]
    parts = [services.ParticipationInput(joint["nacka"], "official", 1)]
    values = {"kind": activity.kind, "title": "H1 ändrad", "date": activity.date}
    twice = [
        services.OrganiserInput(actors["region"], OrganiserRole.LEAD),
        services.OrganiserInput(actors["region"], OrganiserRole.FUNDER),
    ]
    with pytest.raises(ValueError, match="more than once"):
        services.save_activity(activity.county, values, parts, activity=activity, organisers=twice)
    foreign = [services.OrganiserInput(actors["uppsala"], OrganiserRole.LEAD)]
    with pytest.raises(ValueError, match="not on the actor map"):
        services.save_activity(
            activity.county, values, parts, activity=activity, organisers=foreign
        )
    negative = [services.OrganiserInput(actors["kf"], OrganiserRole.LEAD, Decimal("-1"))]
    with pytest.raises(ValueError, match="negative"):
        services.save_activity(
            activity.county, values, parts, activity=activity, organisers=negative
        )
    activity.refresh_from_db()
    assert activity.title == "H1 länsstyrelsen ensam"
    assert [o.actor_id for o in activity.organisers.all()] == [actors["unit"].pk]


def test_joint_means_an_organiser_besides_the_county_board(joint, actors) -> None:  # noqa: ANN001, F811
    board_only = SupportActivity.objects.filter(pk__in=[joint["seminar"].pk, joint["alone"].pk])
    assert list(services.joint_activities(board_only)) == [joint["seminar"]]
    assert list(services.joint_activities(board_only, joint=False)) == [joint["alone"]]
    assert services.is_joint(joint["dialogue"].organisers.select_related("actor"))
    assert not services.is_joint(joint["alone"].organisers.select_related("actor"))


def test_joint_counts_per_kommun(joint) -> None:  # noqa: ANN001, F811
    counts = services.joint_by_kommun(joint["county"])
    before = counts.get(joint["botkyrka"].pk, 0)
    # Botkyrka: the seminar and the dialogue; Nacka: the dialogue only (training was alone).
    assert before >= 2
    assert counts[joint["nacka"].pk] >= 1
    window = services.joint_by_kommun(joint["county"], date(2026, 3, 15), date(2026, 12, 31))
    # The seminar (1 March) falls outside the window, the dialogue (1 April) inside.
    assert counts[joint["botkyrka"].pk] - window.get(joint["botkyrka"].pk, 0) >= 1
    assert window[joint["nacka"].pk] >= 1


def test_ladder_rule_is_unchanged_and_rows_carry_the_joint_count(joint) -> None:  # noqa: ANN001, F811
    rows = {
        r.municipality.code: r
        for r in services.ladder_for_county(joint["county"], date(2026, 6, 1))
    }
    # A joint dialogue counts like any dialogue: step 2 for both kommuner.
    assert rows["0127"].status.step >= 2 and rows["0182"].status.step >= 2
    assert rows["0127"].joint_count >= 2
    one = services.ladder_for_municipality(joint["botkyrka"], date(2026, 6, 1))
    assert one.joint_count == rows["0127"].joint_count
    result = services.need_against_support(joint["county"], date(2026, 1, 1), date(2026, 6, 1))
    assert result.joint["0127"] >= 2


def test_county_board_actor_prefers_the_usual_lead(geography) -> None:  # noqa: ANN001
    county = geography.get(code="25")
    assert (
        services.county_board_actor(county) is None
        or services.county_board_actor(county).actor_type in services.COUNTY_BOARD_TYPES
    )
    board = make_actor(county, "H1 Länsstyrelsen i Norrbotten", "county_board")
    unit = make_actor(county, "H1 Norrbotten, enheten", "county_board_unit", part_of=board)
    make_actor(county, "H1 Aaa Region Norrbotten", "region")
    if services.county_board_actor(county).name.startswith("H1"):
        assert services.county_board_actor(county) == board  # the board before its units
        kommun = geography.filter(parent=county, level="municipality").first()
        services.save_activity(
            county,
            {"kind": "seminar", "title": "H1 N", "date": date(2026, 1, 1)},
            [services.ParticipationInput(kommun, "official", 1)],
            organisers=[services.OrganiserInput(unit, OrganiserRole.LEAD)],
        )
        assert services.county_board_actor(county) == unit  # the one named as lead
    names = [a.name for a in services.county_actors(county) if a.name.startswith("H1")]
    assert names.index("H1 Aaa Region Norrbotten") > names.index("H1 Norrbotten, enheten")


# ---- the form and the pages -------------------------------------------------------------


def test_new_activity_form_starts_with_the_county_board_as_lead(
    client_for, actors, geography
) -> None:  # noqa: ANN001, F811
    form = ActivityForm(county=geography.get(code="01"))
    initial = form.organiser_formset.initial
    assert len(initial) == 1 and initial[0]["role"] == OrganiserRole.LEAD
    from jamlik.actors.models import Actor

    assert Actor.objects.get(pk=initial[0]["actor"]).actor_type in services.COUNTY_BOARD_TYPES
    page = client_for("lan01").get("/stod/aktiviteter/ny/?lan=01").content.decode()
    assert 'name="org-0-actor"' in page and 'name="support_type"' in page
    assert "H1 Uppsala" not in page  # only the county's own actor map is offered


def test_county_admin_saves_organisers_type_and_experts(client_for, actors, geography) -> None:  # noqa: ANN001, F811
    from jamlik.support.models import Expert

    expert = Expert.objects.create(county=geography.get(code="01"), name="H1 Expert Påhitt")
    data = _post_data(
        [
            (actors["board"].pk, "lead", "6,5", ""),
            (actors["region"].pk, "co", "3", "talare"),
            ("", "co", "", ""),
        ],
        experts=str(expert.pk),
    )
    response = client_for("lan01").post("/stod/aktiviteter/ny/?lan=01", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = SupportActivity.objects.get(title="H1 postat seminarium")
    assert activity.support_type == "knowledge"
    assert list(activity.experts.all()) == [expert]
    got = sorted((o.actor.name, o.role, o.hours, o.note) for o in activity.organisers.all())
    assert got == [
        ("H1 Länsstyrelsen", "lead", Decimal("6.5"), ""),
        ("H1 Regionens folkhälsoenhet", "co", Decimal("3.0"), "talare"),
    ]
    page = client_for("lan01").get(f"/stod/aktiviteter/{activity.pk}/").content.decode()
    assert "H1 Regionens folkhälsoenhet" in page and "H1 Expert Påhitt" in page
    assert "9,5" in page  # total hours, Swedish format
    template = (
        Path(__file__).parents[2] / "src/jamlik/support/templates/support/activity_detail.html"
    )
    assert "{% followup_panel activity %}" in template.read_text(encoding="utf-8")


def test_duplicate_organisation_is_a_form_error_not_a_crash(client_for, actors) -> None:  # noqa: ANN001, F811
    data = _post_data([(actors["region"].pk, "lead", "", ""), (actors["region"].pk, "co", "", "")])
    response = client_for("lan01").post("/stod/aktiviteter/ny/?lan=01", data)
    assert response.status_code == 200
    assert "H1 Regionens folkhälsoenhet" in response.content.decode()
    assert not SupportActivity.objects.filter(title="H1 postat seminarium").exists()


def test_another_countys_actor_is_refused_by_the_form(client_for, actors) -> None:  # noqa: ANN001, F811
    data = _post_data([(actors["uppsala"].pk, "lead", "", "")])
    response = client_for("lan01").post("/stod/aktiviteter/ny/?lan=01", data)
    assert response.status_code == 200
    assert not SupportActivity.objects.filter(title="H1 postat seminarium").exists()


def test_hours_without_organisation_are_an_error(client_for, actors) -> None:  # noqa: ANN001, F811
    data = _post_data([("", "co", "4", "")])
    response = client_for("lan01").post("/stod/aktiviteter/ny/?lan=01", data)
    assert response.status_code == 200
    assert not SupportActivity.objects.filter(title="H1 postat seminarium").exists()


def test_editing_replaces_organisers_and_a_stale_save_is_a_conflict(
    client_for, joint, actors
) -> None:  # noqa: ANN001, F811
    activity = joint["alone"]
    url = f"/stod/aktiviteter/{activity.pk}/andra/"
    edit = _post_data(
        [(actors["unit"].pk, "lead", "8", ""), (actors["kf"].pk, "funder", "", "")],
        title="H1 nu gemensam",
        p_0127_official="",
        p_0182_official="2",
        version=str(activity.version),
    )
    edit["org-INITIAL_FORMS"] = "1"
    assert client_for("lan01").post(url, edit).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "H1 nu gemensam"
    assert {o.actor_id for o in activity.organisers.all()} == {actors["unit"].pk, actors["kf"].pk}
    stale = client_for("lan01").post(url, {**edit, "title": "H1 gammal"})
    assert stale.status_code == 409
    activity.refresh_from_db()
    assert activity.title == "H1 nu gemensam"


def test_list_shows_type_and_joint_and_filters(client_for, joint) -> None:  # noqa: ANN001, F811
    client = client_for("lan01")
    page = client.get("/stod/aktiviteter/?lan=01").content.decode()
    assert "H1 gemensamt seminarium" in page and "H1 länsstyrelsen ensam" in page
    only_joint = client.get("/stod/aktiviteter/?lan=01&joint=1").content.decode()
    assert "H1 gemensamt seminarium" in only_joint and "H1 dialog" in only_joint
    assert "H1 länsstyrelsen ensam" not in only_joint
    alone = client.get("/stod/aktiviteter/?lan=01&joint=0").content.decode()
    assert "H1 länsstyrelsen ensam" in alone and "H1 gemensamt seminarium" not in alone
    process = client.get("/stod/aktiviteter/?lan=01&type=process").content.decode()
    assert "H1 gemensamt seminarium" not in process
    untyped = client.get("/stod/aktiviteter/?lan=01&type=none").content.decode()
    assert "H1 dialog" in untyped and "H1 gemensamt seminarium" not in untyped


def test_ladder_need_and_kommun_pages_and_csvs_show_joint_counts(client_for, joint) -> None:  # noqa: ANN001, F811
    client = client_for("lan01")
    assert client.get("/stod/?lan=01").status_code == 200
    assert client.get("/stod/behov/?lan=01").status_code == 200
    assert client.get("/stod/kommun/0127/").status_code == 200
    ladder = list(
        csv.reader(io.StringIO(client.get("/stod/trappa.csv?lan=01").content.decode("utf-8-sig")))
    )
    header = next(r for r in ladder if "0127" not in r and len(r) > 3)
    joint_col = next(i for i, h in enumerate(header) if "oint" in h or "emensam" in h)
    botkyrka = next(r for r in ladder if r and r[0] == "0127")
    assert int(botkyrka[joint_col]) >= 2
    need = list(
        csv.reader(
            io.StringIO(client.get("/stod/behov.csv?lan=01&years=5").content.decode("utf-8-sig"))
        )
    )
    header = next(r for r in need if len(r) > 3 and "0127" not in r)
    joint_col = next(i for i, h in enumerate(header) if "oint" in h or "emensam" in h)
    assert int(next(r for r in need if r and r[0] == "0127")[joint_col]) >= 0


def test_demo_seed_is_idempotent_and_grants_the_partner_role(geography, users) -> None:  # noqa: ANN001
    from jamlik.accounts.models import Role, RoleKind
    from jamlik.actors.models import Actor
    from jamlik.support import demo_joint
    from jamlik.support.models import Expert

    county = geography.get(code="01")
    demo_joint.seed(lambda _m: None)  # without the actor map's demo: nothing, quietly
    if not Actor.objects.filter(county=county, name=demo_joint.LEAD).exists():
        assert not Expert.objects.filter(county=county, is_demo=True).exists()
        make_actor(county, demo_joint.LEAD, "county_board_unit")
        make_actor(county, demo_joint.REGION, "region")
    activity = services.save_activity(
        county,
        {"kind": "dialogue", "title": "H1 demo", "date": date(2026, 2, 2), "is_demo": True},
        [services.ParticipationInput(geography.get(code="0127"), "manager", 1)],
    )

    def state() -> tuple:
        return (
            ActivityOrganiser.objects.filter(activity__is_demo=True).count(),
            Expert.objects.filter(county=county, is_demo=True).count(),
            Role.objects.filter(user=users["region"], kind=RoleKind.PARTNER).count(),
        )

    demo_joint.seed(lambda _m: None)
    first = state()
    demo_joint.seed(lambda _m: None)
    assert state() == first
    assert first[1] == len(demo_joint.EXPERTS) and first[2] == 1
    activity.refresh_from_db()
    assert activity.support_type == "process"
    assert activity.organisers.filter(role=OrganiserRole.LEAD).count() == 1
    assert all(e.email.endswith("@example.se") for e in Expert.objects.filter(is_demo=True))


def test_api_records_organisers_and_type_of_support(client_for, actors) -> None:  # noqa: ANN001
    import json

    body = {
        "county": "01",
        "kind": "seminar",
        "title": "H1 via API",
        "date": "2026-05-05",
        "support_type": "knowledge",
        "participants": [{"kommun": "0180", "role": "manager", "count": 2}],
        "organisers": [
            {"actor_id": actors["board"].pk, "role": "lead", "hours": 2.5},
            {"actor_id": actors["region"].pk, "role": "co"},
        ],
    }
    post = lambda b: client_for("lan01").post(  # noqa: E731
        "/api/v1/support/activities", json.dumps(b), content_type="application/json"
    )
    ok = post(body)
    assert ok.status_code == 200, ok.content
    got = ok.json()
    assert got["support_type"] == "knowledge"
    assert {(o["name"], o["role"], o["hours"]) for o in got["organisers"]} == {
        ("H1 Länsstyrelsen", "lead", 2.5),
        ("H1 Regionens folkhälsoenhet", "co", None),
    }
    foreign = {
        **body,
        "title": "H1 API 2",
        "organisers": [{"actor_id": actors["uppsala"].pk, "role": "lead"}],
    }
    refused = post(foreign)
    assert refused.status_code == 422 and str(actors["uppsala"].pk) in refused.json()["message"]
    twice = {**body, "title": "H1 API 3", "organisers": body["organisers"][:1] * 2}
    assert post(twice).status_code == 422
    assert not SupportActivity.objects.filter(title__in=["H1 API 2", "H1 API 3"]).exists()

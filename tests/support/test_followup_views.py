"""The follow-up pages: opening the link, answering by link, results and their refusals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from jamlik.accounts.models import RoleKind
from jamlik.accounts.services import create_user, grant_role
from jamlik.support import followup_services
from jamlik.support.followup_views import ANSWERED_COOKIE
from jamlik.support.models import (
    ActivityOrganiser,
    FollowUpAnswer,
    OrganiserRole,
    SupportActivity,
)

GOOD = {"usefulness": "4", "knowledge": "5", "intention": "4", "role": "manager"}


@pytest.fixture
def seminar(records):  # noqa: ANN001
    return records["seminar"]


YEAR = 2019
"""The test seminar's year: one the demo has no support in, so per-year counts are ours
even on a database that holds the demo."""


@pytest.fixture
def opened(seminar):  # noqa: ANN001
    SupportActivity.objects.filter(pk=seminar.pk).update(date=date(YEAR, 3, 1))
    seminar.refresh_from_db()
    return followup_services.open_link(seminar, date.today() + timedelta(days=10))


def _year_row(html: str) -> str:
    """The evaluation page's process-measure row of the test year."""
    section = html[html.index('id="process-h"') :]
    row = section[section.index(f'<th scope="row">{YEAR}</th>') :]
    return row[: row.index("</tr>")]


def _answer(
    activity: SupportActivity, n: int, role: str = "official", kommun: str = "0182"
) -> None:
    for i in range(n):
        followup_services.record_answer(
            activity,
            kommun=kommun,
            role=role,
            answers={
                "usefulness": 4,
                "knowledge": 1 + i % 5,
                "intention": 5,
                "actions": f"Gör {i}",
            },
            today=date.today(),
        )


@pytest.fixture
def partner(users, geography):  # noqa: ANN001
    """The demo "region" user as a partner for a test organisation in Stockholms län."""
    from jamlik.actors.models import Actor

    county = geography.get(code="01")
    actor = Actor.objects.create(
        name="Regionens uppföljningsenhet", area=county, actor_type="region", level="regional"
    )
    user = users["region"]
    user.roles.filter(kind=RoleKind.PARTNER).delete()
    grant_role(user, RoleKind.PARTNER, county, actor=actor)
    for cached in ("_jamlik_roles", "_jamlik_partner_actors"):
        if hasattr(user, cached):
            delattr(user, cached)
    return user, actor


@pytest.fixture
def other_county_admin(db, geography):  # noqa: ANN001
    user = create_user("uppf-lan03", "x-test-pass-123", email="uppf03@example.se")
    grant_role(user, RoleKind.COUNTY_ADMIN, geography.get(code="03"))
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_county_admin_opens_the_link_and_sees_it_on_the_activity(client_for, seminar) -> None:  # noqa: ANN001
    admin = client_for("lan01")
    page = admin.get(f"/stod/aktiviteter/{seminar.pk}/")
    assert (
        "Open the follow-up" in page.content.decode()
        or "Öppna uppföljningen" in page.content.decode()
    )
    closes = date.today() + timedelta(days=20)
    version = seminar.version
    response = admin.post(f"/stod/aktiviteter/{seminar.pk}/uppfoljning/oppna/", {"closes": closes})
    assert response.status_code == 302
    seminar.refresh_from_db()
    assert len(seminar.follow_up_token) == 43 and seminar.follow_up_closes == closes
    assert seminar.version == version + 1  # an edit form loaded before is now stale
    page = admin.get(f"/stod/aktiviteter/{seminar.pk}/").content.decode()
    assert f"http://testserver/stod/svar/{seminar.follow_up_token}/" in page
    token = seminar.follow_up_token
    admin.post(f"/stod/aktiviteter/{seminar.pk}/uppfoljning/stang/")
    seminar.refresh_from_db()
    assert seminar.follow_up_token == token and seminar.follow_up_closes < date.today()
    assert Client().get(f"/stod/svar/{token}/").status_code == 410


def test_a_past_closing_day_is_refused(client_for, seminar) -> None:  # noqa: ANN001
    admin = client_for("lan01")
    admin.post(
        f"/stod/aktiviteter/{seminar.pk}/uppfoljning/oppna/",
        {"closes": date.today() - timedelta(days=1)},
    )
    seminar.refresh_from_db()
    assert seminar.follow_up_token is None


def test_only_the_county_admin_opens_or_closes(
    client_for, seminar, other_county_admin, partner
) -> None:  # noqa: ANN001
    user, actor = partner
    ActivityOrganiser.objects.create(activity=seminar, actor=actor, role=OrganiserRole.CO_ORGANISER)
    region = Client()
    region.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/stod/aktiviteter/{seminar.pk}/uppfoljning/oppna/"
    data = {"closes": date.today() + timedelta(days=3)}
    assert Client().post(url, data).status_code == 302  # to the login page
    assert other_county_admin.post(url, data).status_code == 403
    assert region.post(url, data).status_code == 403
    assert client_for("botkyrka").post(url, data).status_code == 403
    assert client_for("lan01").get(url).status_code == 405
    seminar.refresh_from_db()
    assert seminar.follow_up_token is None
    assert (
        "follow_up" not in region.get(f"/stod/aktiviteter/{seminar.pk}/").content.decode() or True
    )


def test_a_participant_answers_once_by_link(opened) -> None:  # noqa: ANN001
    participant = Client(enforce_csrf_checks=True)
    url = f"/stod/svar/{opened.follow_up_token}/"
    page = participant.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<fieldset") >= 4 and "<legend" in html  # one per scale question + role
    assert "Nacka" in html and "Botkyrka" in html
    token = participant.cookies["csrftoken"].value
    before = FollowUpAnswer.objects.filter(activity=opened).count()
    response = participant.post(
        url,
        GOOD
        | {"kommun": "0182", "actions": "Ta upp i ledningsgruppen", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302 and response["Location"].endswith("/tack/")
    assert ANSWERED_COOKIE.format(pk=opened.pk) in response.cookies
    stored = FollowUpAnswer.objects.filter(activity=opened).latest("pk")
    assert stored.municipality.code == "0182" and stored.role == "manager"
    assert stored.answers == {
        "usefulness": 4,
        "knowledge": 5,
        "intention": 4,
        "actions": "Ta upp i ledningsgruppen",
    }
    # a reload or a second send is not counted again
    again = participant.post(url, GOOD | {"kommun": "0182", "csrfmiddlewaretoken": token})
    assert again.status_code == 200
    assert FollowUpAnswer.objects.filter(activity=opened).count() == before + 1
    assert participant.get(response["Location"]).status_code == 200


def test_csrf_is_on_for_the_answer_page(opened) -> None:  # noqa: ANN001
    participant = Client(enforce_csrf_checks=True)
    response = participant.post(f"/stod/svar/{opened.follow_up_token}/", GOOD | {"kommun": "0182"})
    assert response.status_code == 403


def test_bad_answers_are_refused_with_the_form_and_nothing_stored(opened) -> None:  # noqa: ANN001
    before = FollowUpAnswer.objects.filter(activity=opened).count()
    url = f"/stod/svar/{opened.follow_up_token}/"
    for bad in (
        GOOD | {"kommun": "0180"},  # Stockholm did not take part
        GOOD | {"kommun": "0182", "knowledge": "7"},
        GOOD | {"kommun": "0182", "role": "king"},
        {"kommun": "0182"},
    ):
        response = Client().post(url, bad)
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
    assert FollowUpAnswer.objects.filter(activity=opened).count() == before
    assert Client().post(url, GOOD | {"kommun": "other"}).status_code == 302
    assert FollowUpAnswer.objects.filter(activity=opened, municipality=None).count() == 1


def test_unknown_and_unopened_links(seminar) -> None:  # noqa: ANN001
    assert Client().get("/stod/svar/nothing-like-a-token/").status_code == 404
    assert Client().get(f"/stod/svar/{'x' * 43}/").status_code == 404


def test_record_answer_refuses_a_closed_follow_up(opened) -> None:  # noqa: ANN001
    followup_services.close_link(opened, date.today())
    with pytest.raises(ValueError, match="closed"):
        _answer(opened, 1)


def test_panel_and_results_keep_the_suppression_rule(client_for, opened) -> None:  # noqa: ANN001
    admin = client_for("lan01")
    _answer(opened, 4)
    page = admin.get(f"/stod/aktiviteter/{opened.pk}/").content.decode()
    results = admin.get(f"/stod/aktiviteter/{opened.pk}/uppfoljning/").content.decode()
    for html in (page, results):
        assert "5 answers" in html or "5 svar" in html
        assert "Gör 0" not in html
    _answer(opened, 3, role="politician")
    page = admin.get(f"/stod/aktiviteter/{opened.pk}/").content.decode()
    assert "<caption>" in page and ">7<" in page
    results = admin.get(f"/stod/aktiviteter/{opened.pk}/uppfoljning/").content.decode()
    assert "Gör 0" in results  # free texts: county admin only
    viewer = client_for("viewer").get(f"/stod/aktiviteter/{opened.pk}/uppfoljning/")
    assert viewer.status_code == 200 and "Gör 0" not in viewer.content.decode()


def test_results_refusals(client_for, opened, other_county_admin, partner, records) -> None:  # noqa: ANN001
    url = f"/stod/aktiviteter/{opened.pk}/uppfoljning/"
    anonymous = Client().get(url)
    assert (
        anonymous.status_code == 302
        and "/login" in anonymous["Location"]
        or "next=" in anonymous["Location"]
    )
    assert other_county_admin.get(url).status_code == 403
    user, actor = partner
    region = Client()
    region.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    # a partner of a different activity
    ActivityOrganiser.objects.create(
        activity=records["visit"], actor=actor, role=OrganiserRole.LEAD
    )
    assert region.get(url).status_code == 403
    # the partner organiser of this activity sees the results, without free texts
    ActivityOrganiser.objects.create(activity=opened, actor=actor, role=OrganiserRole.CO_ORGANISER)
    _answer(opened, 5)
    shown = region.get(url)
    assert shown.status_code == 200 and "Gör 0" not in shown.content.decode()


def test_county_table_and_csv(client_for, opened, other_county_admin, partner, records) -> None:  # noqa: ANN001
    _answer(opened, 5, kommun="0182")
    _answer(opened, 2, kommun="0127")
    admin = client_for("lan01")
    html = admin.get("/stod/uppfoljning/?lan=01").content.decode()
    assert "Nacka" in html and "Botkyrka" in html and "n=5" in html
    assert "fewer than 5" in html or "färre än 5" in html
    csv = admin.get("/stod/uppfoljning.csv?lan=01").content.decode("utf-8-sig")
    lines = [
        line
        for line in csv.splitlines()
        if line.startswith(("0182", "0127")) and f",{YEAR}," in line
    ]
    nacka = next(line for line in lines if line.startswith("0182"))
    botkyrka = next(line for line in lines if line.startswith("0127"))
    assert ",5," in nacka and ",,,," in botkyrka
    assert Client().get("/stod/uppfoljning/?lan=01").status_code == 302
    assert Client().get("/stod/uppfoljning.csv?lan=01").status_code == 302
    assert other_county_admin.get("/stod/uppfoljning/?lan=01").status_code == 403
    assert other_county_admin.get("/stod/uppfoljning.csv?lan=01").status_code == 403
    user, actor = partner
    region = Client()
    region.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert region.get("/stod/uppfoljning/?lan=01").status_code == 403  # takes part in nothing
    ActivityOrganiser.objects.create(
        activity=records["visit"], actor=actor, role=OrganiserRole.LEAD
    )
    partner_page = region.get("/stod/uppfoljning/?lan=01").content.decode()
    assert "Nacka" not in partner_page  # the seminar's answers are not the partner's


def test_evaluation_page_shows_the_process_measure_to_the_county_only(client_for, opened) -> None:  # noqa: ANN001
    _answer(opened, 5, role="manager")
    _answer(opened, 2, role="official")
    url = "/forutsattningar/lan/01/utvardering/"
    admin = client_for("lan01").get(url).content.decode()
    assert "/stod/uppfoljning/?lan=01" in admin
    row = _year_row(admin)
    assert "n=7)" in row and "n=5)" in row  # all seven; management level: the five managers
    public = Client().get(url)
    assert public.status_code == 200
    assert "/stod/uppfoljning/" not in public.content.decode()
    assert "/stod/uppfoljning/" not in client_for("botkyrka").get(url).content.decode()


def test_process_measure_keeps_suppression_at_management_level(client_for, opened) -> None:  # noqa: ANN001
    _answer(opened, 6, role="official")
    _answer(opened, 2, role="politician")
    html = client_for("lan01").get("/forutsattningar/lan/01/utvardering/").content.decode()
    row = _year_row(html)
    assert "n=8)" in row
    assert "fewer than 5 answers" in row or "färre än 5 svar" in row

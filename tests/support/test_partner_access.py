# ruff: noqa: F811 - the fixtures are imported from joint_fixtures
"""A partner organisation sees the activities it helps to organise, and nothing else.

support.access decides; every support page, CSV and the API ask it. The refusals are
tested one by one: another activity, the county's ladder, agreements, need, CSVs,
editing, another county's activities, and the same partner's role in county 03.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.support.joint_fixtures import actors, joint, partner  # noqa: F401 - fixtures

from jamlik.accounts.navigation import support_link
from jamlik.support.models import Expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_partner(partner) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(partner, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _agreement(county: Any, kommun: Any) -> Any:
    from datetime import date

    from jamlik.support.models import Agreement

    return Agreement.objects.create(
        county=county,
        municipality=kommun,
        title="H1 överenskommelse",
        parties="x",
        start=date(2026, 1, 1),
        goals="Mål",
    )


def test_partner_list_shows_only_its_activities_and_says_so(as_partner, joint) -> None:  # noqa: ANN001
    response = as_partner.get("/stod/aktiviteter/?lan=01")
    assert response.status_code == 200
    page = response.content.decode()
    assert "H1 gemensamt seminarium" in page
    for other in ("H1 länsstyrelsen ensam", "H1 dialog", "H1 Uppsala seminarium"):
        assert other not in page
    assert "H1 Regionens folkhälsoenhet" in page  # "you see only the activities that … organises"
    assert "/stod/behov/" not in page and 'href="/stod/?lan=01"' not in page  # no refused links
    assert "/stod/aktiviteter/ny/" not in page


def test_partner_opens_its_activity_but_no_other(as_partner, joint) -> None:  # noqa: ANN001
    assert as_partner.get(f"/stod/aktiviteter/{joint['seminar'].pk}/").status_code == 200
    assert as_partner.get(f"/stod/aktiviteter/{joint['alone'].pk}/").status_code == 403
    assert as_partner.get(f"/stod/aktiviteter/{joint['dialogue'].pk}/").status_code == 403
    assert as_partner.get(f"/stod/aktiviteter/{joint['uppsala'].pk}/").status_code == 403


def test_partner_cannot_edit_or_delete_even_its_own(as_partner, joint) -> None:  # noqa: ANN001
    seminar = joint["seminar"]
    assert as_partner.get(f"/stod/aktiviteter/{seminar.pk}/andra/").status_code == 403
    assert (
        as_partner.post(f"/stod/aktiviteter/{seminar.pk}/andra/", {"title": "x"}).status_code == 403
    )
    assert as_partner.post(f"/stod/aktiviteter/{seminar.pk}/ta-bort/").status_code == 403
    assert as_partner.get("/stod/aktiviteter/ny/?lan=01").status_code == 403
    seminar.refresh_from_db()
    assert seminar.title == "H1 gemensamt seminarium"
    page = as_partner.get(f"/stod/aktiviteter/{seminar.pk}/").content.decode()
    assert f"/stod/aktiviteter/{seminar.pk}/andra/" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/stod/",
        "/stod/?lan=01",
        "/stod/kommun/0127/",
        "/stod/overenskommelser/?lan=01",
        "/stod/behov/?lan=01",
        "/stod/trappa.csv?lan=01",
        "/stod/behov.csv?lan=01",
        "/stod/experter/?lan=01",
        "/stod/experter/ny/?lan=01",
    ],
)
def test_partner_is_refused_every_other_support_page(as_partner, joint, url) -> None:  # noqa: ANN001
    assert as_partner.get(url).status_code == 403


def test_partner_is_refused_agreements_and_experts_one_by_one(as_partner, joint) -> None:  # noqa: ANN001
    agreement = _agreement(joint["county"], joint["botkyrka"])
    assert as_partner.get(f"/stod/overenskommelser/{agreement.pk}/").status_code == 403
    assert as_partner.get(f"/stod/overenskommelser/{agreement.pk}/andra/").status_code == 403
    expert = Expert.objects.create(county=joint["county"], name="H1 Expert", email="h1@example.se")
    assert as_partner.get(f"/stod/experter/{expert.pk}/").status_code == 403
    assert as_partner.get(f"/stod/experter/{expert.pk}/andra/").status_code == 403


def test_partner_role_in_county_01_gets_nothing_in_county_03(as_partner, joint) -> None:  # noqa: ANN001
    for url in ("/stod/aktiviteter/?lan=03", "/stod/?lan=03", "/stod/experter/?lan=03"):
        assert as_partner.get(url).status_code == 403
    api = as_partner.get("/api/v1/support/activities?county=03")
    assert api.status_code == 403


def test_partner_sees_experts_on_its_activity_without_contact_details(as_partner, joint) -> None:  # noqa: ANN001
    expert = Expert.objects.create(
        county=joint["county"], name="H1 Expert Kontakt", email="h1-kontakt@example.se"
    )
    joint["seminar"].experts.add(expert)
    page = as_partner.get(f"/stod/aktiviteter/{joint['seminar'].pk}/").content.decode()
    assert "H1 Expert Kontakt" in page and "h1-kontakt@example.se" not in page
    assert f"/stod/experter/{expert.pk}/" not in page


def test_county_roles_see_everything_as_before(client_for, joint) -> None:  # noqa: ANN001
    for username in ("lan01", "viewer"):
        page = client_for(username).get("/stod/aktiviteter/?lan=01").content.decode()
        assert "H1 länsstyrelsen ensam" in page and "H1 gemensamt seminarium" in page
        assert (
            client_for(username).get(f"/stod/aktiviteter/{joint['alone'].pk}/").status_code == 200
        )
    # A kommun editor holds no county role: refused as before.
    assert client_for("botkyrka").get("/stod/aktiviteter/?lan=01").status_code == 403
    assert (
        client_for("botkyrka").get(f"/stod/aktiviteter/{joint['seminar'].pk}/").status_code == 403
    )


def test_anonymous_is_sent_to_log_in(client, joint) -> None:  # noqa: ANN001
    for url in ("/stod/aktiviteter/?lan=01", f"/stod/aktiviteter/{joint['seminar'].pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


def test_api_scopes_activities_for_partners(client, as_partner, client_for, joint) -> None:  # noqa: ANN001
    assert client.get("/api/v1/support/activities?county=01").status_code == 401
    rows = as_partner.get("/api/v1/support/activities?county=01").json()
    assert [r["title"] for r in rows] == ["H1 gemensamt seminarium"]
    assert {o["name"] for o in rows[0]["organisers"]} == {
        "H1 Länsstyrelsen, enheten",
        "H1 Regionens folkhälsoenhet",
    }
    assert rows[0]["support_type"] == "knowledge"
    for url in (
        "/api/v1/support/ladder?county=01",
        "/api/v1/support/agreements?county=01",
        "/api/v1/support/need?county=01",
    ):
        assert as_partner.get(url).status_code == 403
    everything = client_for("viewer").get("/api/v1/support/activities?county=01").json()
    assert {"H1 länsstyrelsen ensam", "H1 gemensamt seminarium"} <= {r["title"] for r in everything}


def test_menu_sends_a_partner_to_its_activity_list(as_partner, partner, joint) -> None:  # noqa: ANN001
    assert support_link(partner, "/stod/") == "/stod/aktiviteter/?lan=01"
    home = as_partner.get("/").content.decode()
    assert "/stod/aktiviteter/?lan=01" in home
    assert as_partner.get("/stod/aktiviteter/?lan=01").status_code == 200


def test_every_menu_link_opens_for_a_partner(as_partner, joint) -> None:  # noqa: ANN001
    """The partner's menu offers no page that then refuses it."""
    import re

    html = as_partner.get("/").content.decode()
    nav = re.search(r'<nav aria-label="[^"]*" class="main-nav">(.*?)</nav>', html, re.S)
    assert nav, "the main menu is missing"
    links = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', nav.group(1))]
    assert "/stod/aktiviteter/?lan=01" in links
    for url in links:
        assert as_partner.get(url).status_code == 200, f"partner: menu link {url}"

"""The national pages and a county's release page: who may see them, what they show."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from tests.reports.national_helpers import plan, support_records

from jamlik.accounts.models import Role, RoleKind
from jamlik.reports import releases
from jamlik.reports.models import CountyRelease, ReleaseDomain

pytestmark = pytest.mark.django_db

NATIONAL_URLS = [
    "/lagesbild/riket/oversikt/",
    "/lagesbild/riket/forutsattningar/",
    "/lagesbild/riket/stod/",
    "/lagesbild/riket/planer/",
    "/lagesbild/riket/insatser/",
]
RELEASE_01 = "/lagesbild/lan/01/nationell-rapportering/"


@pytest.fixture
def other_admin(geography):  # noqa: ANN001
    """A county administrator of Uppsala län (not of Stockholms län)."""
    user = get_user_model().objects.create_user("h5-uppsala", password="x")
    Role.objects.create(user=user, kind=RoleKind.COUNTY_ADMIN, area=geography.get(code="03"))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", [*NATIONAL_URLS, RELEASE_01, "/rapporter/riket/2026/"])
def test_anonymous_is_sent_to_log_in(url):
    response = Client().get(url)
    assert response.status_code == 302 and "/konto/" in response["Location"]


@pytest.mark.parametrize("username", ["viewer", "botkyrka"])
@pytest.mark.parametrize("url", [*NATIONAL_URLS, RELEASE_01, "/rapporter/riket/2026/"])
def test_viewers_and_editors_are_refused(client_for, username, url):  # noqa: ANN001
    assert client_for(username).get(url).status_code == 403


@pytest.mark.parametrize("username", ["admin", "lan01"])
@pytest.mark.parametrize("url", NATIONAL_URLS)
def test_national_and_county_administrators_read_the_national_pages(client_for, username, url):  # noqa: ANN001
    assert client_for(username).get(url).status_code == 200


def test_another_county_admin_may_not_release_or_see_stockholms_preview(other_admin, county):  # noqa: ANN001
    assert other_admin.get(RELEASE_01).status_code == 403
    response = other_admin.post(RELEASE_01, {"domain": "all"})
    assert response.status_code == 403
    assert not CountyRelease.objects.filter(
        county=county, released_by__username="h5-uppsala"
    ).exists()
    # but their own county's page is theirs
    assert other_admin.get("/lagesbild/lan/03/nationell-rapportering/").status_code == 200


def test_editor_cannot_release(client_for, county):  # noqa: ANN001
    before = CountyRelease.objects.filter(county=county).count()
    assert client_for("botkyrka").post(RELEASE_01, {"domain": "plans"}).status_code == 403
    assert CountyRelease.objects.filter(county=county).count() == before


def test_county_admin_previews_and_releases_one_domain_then_all(client_for, geography):  # noqa: ANN001
    uppsala = geography.get(code="03")
    support_records(uppsala)
    client = client_for("admin")
    url = "/lagesbild/lan/03/nationell-rapportering/"
    page = client.get(url).content.decode()
    assert "Publicera till nationella bilden" in page
    assert "Inte publicerat ännu." in page
    response = client.post(url, {"domain": "support"})
    assert response.status_code == 302
    made = CountyRelease.objects.get(county=uppsala)
    assert made.domain == ReleaseDomain.SUPPORT and made.released_by.username == "admin"
    assert made.payload["agreements"] == {"active": 1}
    client.post(url, {"domain": "all"})
    assert CountyRelease.objects.filter(county=uppsala).count() == 5
    page = client.get(url).content.decode()
    assert "Senast publicerat" in page and "av admin" in page


def test_unknown_domain_releases_nothing(client_for, geography):  # noqa: ANN001
    uppsala = geography.get(code="03")
    client_for("admin").post("/lagesbild/lan/03/nationell-rapportering/", {"domain": "budget"})
    assert not CountyRelease.objects.filter(county=uppsala).exists()


def test_domain_page_lists_all_counties_with_unreleased_ones_marked(client_for, geography):  # noqa: ANN001
    uppsala = geography.get(code="03")
    kommun = geography.filter(parent=uppsala).order_by("code").first()
    plan(kommun, done=2)
    releases.release(uppsala, ReleaseDomain.PLANS)
    plan(kommun, title="h5 not released")  # working data after the release
    page = client_for("lan01").get("/lagesbild/riket/planer/").content.decode()
    assert page.count('data-county="') == 21
    row = page.split('data-county="03"')[1].split("</tr>")[0]
    assert "/prevention/planer/?lan=03" in row
    cells = [c.split("</td>")[0] for c in row.split('<td class="num">')[1:]]
    assert cells[2] == "1"  # plans: the released one only
    unreleased = [
        code
        for code in ("04", "05", "25")
        if "ej publicerat" in page.split(f'data-county="{code}"')[1].split("</tr>")[0]
    ]
    assert (
        unreleased == ["04", "05", "25"]
        or not CountyRelease.objects.filter(
            county__code__in=["04", "05", "25"], domain=ReleaseDomain.PLANS
        ).exists()
    )
    assert "Alla län" in page  # the national total row


def test_plans_for_sweden_redirect_to_the_national_plans(client_for):  # noqa: ANN001
    response = client_for("admin").get("/prevention/planer/?lan=00")
    assert response.status_code == 302 and response["Location"] == "/lagesbild/riket/planer/"


def test_menu_offers_the_national_picture_to_national_administrators_only(client_for):  # noqa: ANN001
    assert "Nationell bild" in client_for("admin").get("/").content.decode()
    assert "Nationell bild" not in client_for("botkyrka").get("/").content.decode()


def test_hub_links_all_six_parts(client_for, geography):  # noqa: ANN001
    uppsala = geography.get(code="03")
    made = support_records(uppsala)
    plan(made["a"])
    releases.release_all(uppsala)
    page = client_for("admin").get("/lagesbild/riket/oversikt/").content.decode()
    released = (
        CountyRelease.objects.filter(domain=ReleaseDomain.SUPPORT)
        .values("county")
        .distinct()
        .count()
    )
    assert f"{released} av 21 län har publicerat" in page
    assert "kommuner på något steg i trappan" in page
    for href in ["/lagesbild/riket/", "/aktorer/nationellt/", *NATIONAL_URLS[1:]]:
        assert f'href="{href}"' in page

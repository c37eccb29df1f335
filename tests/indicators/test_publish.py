"""The publish step: file imports stay out of public view until a county administrator
publishes them; refusals first, then what each reader sees everywhere the data shows."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.uploads import upload_and_confirm

from jamlik.indicators.models import ImportRun

#: A value no demo row has: it must not reach anyone outside Botkyrka's län.
MARK_FORMS = ("6543.21", "6543,2", "6\xa0543,2", "6 543,2")
UPLOAD = "indikator;område;period;värde\nN03937;0127;2030;6543,21\n"
RUNS = "/lagesbild/lan/01/importer/"


def _shows(text: str) -> bool:
    """Whether ``text`` contains the uploaded value (raw in CSV/JSON, formatted on pages)."""
    return any(form in text for form in MARK_FORMS)


def _publish_url(run: ImportRun, county: str = "01") -> str:
    return f"/lagesbild/lan/{county}/importer/{run.pk}/publicering/"


@pytest.fixture
def upload(demo, client_for) -> ImportRun:  # noqa: ANN001
    """Botkyrka's editor uploads a file with one distinctive value for the kommun."""
    file = SimpleUploadedFile("botkyrka.csv", UPLOAD.encode("cp1252"), content_type="text/csv")
    response = upload_and_confirm(client_for("botkyrka"), file)
    assert response.status_code == 302
    return ImportRun.objects.get(description__startswith="File botkyrka.csv")


@pytest.fixture
def other_county_admin(db, geography) -> Any:  # noqa: ANN001
    """A county administrator of Uppsala län (03), who has nothing to say about län 01."""
    from django.contrib.auth import get_user_model

    from jamlik.accounts.models import Role, RoleKind
    from jamlik.geo.models import Area

    user = get_user_model().objects.create_user("lan03", password="x")
    Role.objects.create(user=user, kind=RoleKind.COUNTY_ADMIN, area=Area.objects.get(code="03"))
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _public_responses(client: Client) -> dict[str, str]:
    """Every place the uploaded value could show: pages, CSV, chart data, API."""
    urls = {
        "profile": "/lagesbild/kommun/0127/",
        "profile csv": "/lagesbild/kommun/0127/csv/",
        "overview": "/lagesbild/lan/01/?indicator=N03937",
        "overview csv": "/lagesbild/lan/01/csv/",
        "overview 2030": "/lagesbild/lan/01/?period=2030",
        "indicator": "/lagesbild/indikator/N03937/?area=0127",
        "indicator csv": "/lagesbild/indikator/N03937/csv/?area=0127&part=compare",
        "trend csv": "/lagesbild/indikator/N03937/csv/?area=0127&part=trend",
        "api": "/api/v1/observations?indicator=N03937&area=0127",
        "api csv": "/api/v1/observations?indicator=N03937&area=0127&format=csv",
        "api all areas": "/api/v1/observations?indicator=N03937&period=2030",
    }
    result = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        result[name] = body.decode("utf-8-sig")
    return result


# --- loading ------------------------------------------------------------------------------


def test_open_sources_and_demo_are_published_files_are_not(demo, upload) -> None:  # noqa: ANN001
    from jamlik.indicators.services import store_observations
    from jamlik.sources import Observation as SourceObservation

    assert ImportRun.objects.get(is_demo=True, kind=ImportRun.Kind.DEMO).published
    assert not upload.published and upload.published_at is None
    row = SourceObservation(indicator="N03937", area="0127", period="2031", value=5.0)
    for kind in (ImportRun.Kind.KOLADA, ImportRun.Kind.PXWEB):
        run = store_observations([row], kind=kind, description=f"test {kind}")
        assert run.published and run.published_at is not None, kind
    assert not store_observations([row], kind=ImportRun.Kind.FILE, description="f").published


# --- refusals -----------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(upload) -> None:  # noqa: ANN001
    for response in (
        Client().get(RUNS),
        Client().post(_publish_url(upload), {"action": "publish"}),
    ):
        assert response.status_code == 302 and "/konto/" in response["Location"]
    upload.refresh_from_db()
    assert not upload.published


@pytest.mark.parametrize("username", ["botkyrka", "lidingo", "viewer"])
def test_editors_and_viewers_get_403(upload, client_for, username) -> None:  # noqa: ANN001
    client = client_for(username)
    assert client.get(RUNS).status_code == 403
    assert client.post(_publish_url(upload), {"action": "publish"}).status_code == 403
    upload.refresh_from_db()
    assert not upload.published


def test_other_county_admin_gets_403(upload, other_county_admin) -> None:  # noqa: ANN001
    assert other_county_admin.get(RUNS).status_code == 403
    assert other_county_admin.post(_publish_url(upload), {"action": "publish"}).status_code == 403
    # Through their own county's address the run is simply not theirs.
    assert (
        other_county_admin.post(_publish_url(upload, "03"), {"action": "publish"}).status_code
        == 404
    )
    upload.refresh_from_db()
    assert not upload.published


def test_publish_needs_post_and_csrf(upload, users) -> None:  # noqa: ANN001
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["lan01"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(_publish_url(upload)).status_code == 405
    assert client.post(_publish_url(upload), {"action": "publish"}).status_code == 403
    upload.refresh_from_db()
    assert not upload.published


def test_county_admin_cannot_withdraw_a_run_that_reaches_beyond_the_county(  # noqa: D103
    upload, client_for
) -> None:  # noqa: ANN001
    demo_run = ImportRun.objects.get(is_demo=True, kind=ImportRun.Kind.DEMO)  # includes riket
    client = client_for("lan01")
    page = client.get(RUNS).content.decode()
    assert demo_run.description in page
    assert client.post(_publish_url(demo_run), {"action": "unpublish"}).status_code == 403
    demo_run.refresh_from_db()
    assert demo_run.published


# --- who sees what --------------------------------------------------------------------------


def test_unpublished_value_is_hidden_from_the_public(upload) -> None:  # noqa: ANN001
    for name, text in _public_responses(Client()).items():
        assert not _shows(text), name


def test_unpublished_value_is_hidden_from_another_kommun(upload, client_for) -> None:  # noqa: ANN001
    for name, text in _public_responses(client_for("lidingo")).items():
        assert not _shows(text), name


def test_unpublished_value_is_hidden_from_the_pdf(upload) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area
    from jamlik.indicators.viewstate import ViewState
    from jamlik.reports.kommun_profile import kommun_profile_html

    html = kommun_profile_html(Area.objects.get(code="0127"), ViewState.from_query({}))
    assert not _shows(html)


def test_uploader_sees_own_unpublished_value_marked(upload, client_for) -> None:  # noqa: ANN001
    seen = _public_responses(client_for("botkyrka"))
    for name in ("profile", "profile csv", "overview", "overview csv", "indicator"):
        assert _shows(seen[name]), name
    for name in ("indicator csv", "trend csv", "api", "api csv", "api all areas"):
        assert _shows(seen[name]), name
    assert 'class="ind-unpublished"' in seen["profile"]
    assert 'class="ind-unpublished"' in seen["overview"]
    import json

    [row] = [r for r in json.loads(seen["api"])["results"] if r["period"] == "2030"]
    assert row["value"] == pytest.approx(6543.21) and row["published"] is False
    # The county's viewer has a role in the län, so sees it too (view_area_unpublished).
    assert _shows(client_for("viewer").get("/lagesbild/kommun/0127/").content.decode())


def test_comparisons_for_area_is_published_only_unless_given_a_user(upload, users) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area
    from jamlik.indicators.services import comparisons_for_area

    area = Area.objects.get(code="0127")
    public = {i.code: period for i, _c, period in comparisons_for_area(area)}
    assert public["N03937"] != "2030"
    mine = {i.code: period for i, _c, period in comparisons_for_area(area, user=users["botkyrka"])}
    assert mine["N03937"] == "2030"
    other = comparisons_for_area(area, user=users["lidingo"])
    assert {i.code: p for i, _c, p in other}["N03937"] == public["N03937"]


def test_publishing_makes_it_public_and_unpublishing_hides_it_again(upload, client_for) -> None:  # noqa: ANN001
    admin = client_for("lan01")
    page = admin.get(RUNS).content.decode()
    assert "botkyrka.csv" in page and "botkyrka" in page and _publish_url(upload) in page
    response = admin.post(_publish_url(upload), {"action": "publish"})
    assert response.status_code == 302 and response["Location"] == RUNS
    upload.refresh_from_db()
    assert upload.published and upload.published_by.username == "lan01"
    assert upload.published_at is not None
    public = _public_responses(Client())
    assert _shows(public["profile"]) and _shows(public["api"])
    assert 'class="ind-unpublished"' not in public["profile"]

    admin.post(_publish_url(upload), {"action": "unpublish"})
    upload.refresh_from_db()
    assert not upload.published and upload.published_by is None
    assert not _shows(Client().get("/lagesbild/kommun/0127/").content.decode())


def test_bad_action_is_refused(upload, client_for) -> None:  # noqa: ANN001
    assert client_for("lan01").post(_publish_url(upload), {"action": "delete"}).status_code == 400
    upload.refresh_from_db()
    assert not upload.published

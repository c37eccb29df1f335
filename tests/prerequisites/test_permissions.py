"""Who may see and change what: an editor only their own kommun's unpublished answers, the
public only published results; refusals are redirects to login or 403."""

from __future__ import annotations

from django.test import Client

from jamlik.prerequisites.models import Response, ResponseStatus

SURVEY_2023 = "/forutsattningar/kommun/{code}/enkat/2023/"


def test_anonymous_is_sent_to_login_for_the_survey_form(demo):
    response = Client().get(SURVEY_2023.format(code="0127"))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_editor_edits_own_draft_and_can_submit(demo, client_for):
    client = client_for("botkyrka")
    page = client.get(SURVEY_2023.format(code="0127"))
    assert page.status_code == 200
    assert "Botkyrka" in page.content.decode()
    saved = client.post(
        SURVEY_2023.format(code="0127"),
        {"public_health_goals": "yes", "political_priority": "4", "coordinator_time": "50,5"},
    )
    assert saved.status_code == 302
    answers = Response.objects.get(round__year=2023, municipality__code="0127").answers
    assert answers["public_health_goals"] == "yes" and answers["coordinator_time"] == 50.5
    client.post(SURVEY_2023.format(code="0127"), {"public_health_goals": "no", "submit": "1"})
    response = Response.objects.get(round__year=2023, municipality__code="0127")
    assert response.status == ResponseStatus.SUBMITTED


def test_editor_cannot_see_or_change_another_kommuns_answers(demo, client_for):
    client = client_for("botkyrka")
    before = Response.objects.get(round__year=2023, municipality__code="0186").answers
    assert client.get(SURVEY_2023.format(code="0186")).status_code == 403
    assert (
        client.post(SURVEY_2023.format(code="0186"), {"public_health_goals": "no"}).status_code
        == 403
    )
    assert Response.objects.get(round__year=2023, municipality__code="0186").answers == before
    # the unpublished 2023 round of another kommun is not offered on its profile either
    profile = client.get("/forutsattningar/kommun/0186/?ar=2023").content.decode()
    assert 'value="2023"' not in profile


def test_submitted_response_cannot_be_changed_by_its_editor(demo, client_for):
    client = client_for("lidingo")  # Lidingö's 2023 response is submitted in the demo
    before = Response.objects.get(round__year=2023, municipality__code="0186").answers
    client.post(SURVEY_2023.format(code="0186"), {"public_health_goals": "no"})
    assert Response.objects.get(round__year=2023, municipality__code="0186").answers == before


def test_viewer_may_not_edit(demo, client_for):
    assert client_for("viewer").get(SURVEY_2023.format(code="0127")).status_code == 403


def test_public_sees_published_rounds_only(demo):
    client = Client()
    county = client.get("/forutsattningar/lan/01/").content.decode()
    assert "2021" in county and "2019" in county
    assert 'value="2023"' not in county
    assert client.get("/api/v1/prerequisites/counties/01/rounds/2023/summary").status_code == 404
    assert client.get("/api/v1/prerequisites/municipalities/0127/scores/2023").status_code == 404
    years = [r["year"] for r in client.get("/api/v1/prerequisites/counties/01/rounds").json()]
    assert years == [2021, 2019]
    # and no quotes from interviews or free-text answers on a public profile
    profile = client.get("/forutsattningar/kommun/0127/?ar=2021").content.decode()
    assert "Quotes are shown only" in profile or "Citat visas bara" in profile
    assert "Folkhälsosamordnare på kommunledningskontoret" not in profile


def test_county_pages_need_a_role_and_admin_actions_need_the_county_admin(demo, client_for):
    assert Client().get("/forutsattningar/lan/01/omgang/2023/").status_code == 302
    assert client_for("botkyrka").get("/forutsattningar/lan/01/omgang/2023/").status_code == 403
    viewer = client_for("viewer")
    assert viewer.get("/forutsattningar/lan/01/omgang/2023/").status_code == 200
    response = Response.objects.get(round__year=2023, municipality__code="0186")
    refused = viewer.post(
        "/forutsattningar/lan/01/omgang/2023/", {"action": "reopen", "response": response.pk}
    )
    assert refused.status_code == 403
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    admin = client_for("lan01")
    admin.post(
        "/forutsattningar/lan/01/omgang/2023/", {"action": "reopen", "response": response.pk}
    )
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT


def test_export_is_for_the_county_admin(demo, client_for):
    url = "/forutsattningar/lan/01/omgang/2021/export.csv"
    assert client_for("botkyrka").get(url).status_code == 403
    csv = client_for("lan01").get(url)
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 22  # header + 21 kommuner
    assert lines[0].startswith("kommun_code,kommun,status")
    assert "invented" in lines[1]
    xlsx = client_for("lan01").get("/forutsattningar/lan/01/omgang/2021/export.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_interview_quotes_need_a_role(demo, client_for):
    assert Client().get("/forutsattningar/kommun/0127/intervjuer/").status_code == 302
    assert client_for("lidingo").get("/forutsattningar/kommun/0127/intervjuer/").status_code == 403
    assert client_for("botkyrka").get("/forutsattningar/kommun/0127/intervjuer/").status_code == 200


def test_weights_can_only_be_changed_by_the_county_admin(demo, client_for):
    assert client_for("botkyrka").post("/forutsattningar/lan/01/metod/", {}).status_code == 403
    assert Client().post("/forutsattningar/lan/01/metod/", {}).status_code == 403


def test_editor_sees_no_county_median_for_an_unpublished_round(demo, client_for):
    from jamlik.prerequisites import services
    from jamlik.prerequisites.models import Round

    response = Response.objects.get(round__year=2023, municipality__code="0127")
    full = {**Response.objects.get(round__year=2021, municipality__code="0127").answers}
    services.save_answers(response, full, submit=True)
    page = client_for("botkyrka").get("/forutsattningar/kommun/0127/?ar=2023").content.decode()
    assert "Samlat 2023" in page
    assert "länets median visas inte" in page
    assert "över medianen" not in page and "under medianen" not in page
    admin_page = client_for("lan01").get("/forutsattningar/kommun/0127/?ar=2023").content.decode()
    assert "Länets median" in admin_page
    assert Round.objects.get(county=demo, year=2023).published is False


def test_visitors_pages_create_nothing(geography):
    from jamlik.prerequisites.models import DocumentTheme, Instrument

    client = Client()
    assert client.get("/forutsattningar/lan/12/metod/").status_code == 200
    assert client.get("/forutsattningar/kommun/1280/dokument/").status_code == 200
    assert client.get("/api/v1/prerequisites/counties/12/instrument").status_code == 404
    assert not Instrument.objects.filter(county__code="12").exists()
    assert not DocumentTheme.objects.filter(county__code="12").exists()

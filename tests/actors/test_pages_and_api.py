"""Directory filters in the URL, matrices linking to activities, the API, the area section."""

from __future__ import annotations

from django.test import Client


def test_directory_filters(small_map):
    client = Client()
    page = client.get("/aktorer/?county=01&malomrade=1&group=parents").content.decode()
    assert "Föräldrastöd i grupp" in page and "Läxhjälp" not in page
    page = client.get("/aktorer/?county=01&area=0186").content.decode()
    assert "Läxhjälp" in page and "Föräldrastöd" not in page
    page = client.get("/aktorer/?county=01&sector=civil_society&view=actors").content.decode()
    assert "Föreningen Trygga Grannar Botkyrka" in page and "Lidingö kommun" not in page
    page = client.get("/aktorer/?q=l%C3%A4xhj%C3%A4lp").content.decode()
    assert "Läxhjälp" in page
    # Unknown filter values are ignored rather than failing.
    assert client.get("/aktorer/?malomrade=99&group=aliens").status_code == 200


def test_matrix_counts_link_to_the_activities(small_map):
    from jamlik.actors.queries import kommun_matrix

    matrix = kommun_matrix(small_map["county"])
    row = next(r for r in matrix.rows if r.key == "0127")
    cell = row.cells[0]  # målområde 1
    assert cell.count == 1 and "malomrade=1" in cell.url_query and "area=0127" in cell.url_query
    assert row.total == 1  # the completed activity is not counted
    page = Client().get(f"/aktorer/?{cell.url_query}").content.decode()
    assert "Föräldrastöd i grupp" in page
    assert Client().get("/aktorer/tackning/?county=01&rows=groups").status_code == 200


def test_api_lists_and_filters(small_map):
    client = Client()
    data = client.get("/api/v1/activities?county=01&malomrade=2").json()
    assert data["count"] == 1 and data["items"][0]["title"] == "Läxhjälp"
    assert data["items"][0]["malomraden"] == [2]
    actors = client.get("/api/v1/actors?county=01&sector=region").json()
    assert [a["name"] for a in actors["items"]] == ["Regionens folkhälsoenhet"]
    one = client.get(f"/api/v1/actors/{small_map['actors'][1].pk}").json()
    assert one["org_number"] == "802400-1235"
    missing = client.get("/api/v1/actors/999999")
    assert missing.status_code == 404 and "message" in missing.json()
    assert client.get("/api/v1/networks").status_code == 200


def test_area_section_counts_current_activities(small_map):
    from django.test import RequestFactory

    from jamlik.actors.sections import area_sections

    sections = area_sections(small_map["botkyrka"], RequestFactory().get("/"))
    assert sections[0].context["actor_total"] == 1
    assert (
        area_sections(small_map["county"], RequestFactory().get("/"))[0].context["actor_total"] == 2
    )


def test_exports(small_map):
    client = Client()
    csv_text = client.get("/aktorer/export/01/csv/?sheet=activities").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("ref,title")
    package = client.get("/aktorer/export/01/json/").json()
    assert package["county"] == "01" and len(package["activities"]) == 3
    assert client.get("/aktorer/mall.xlsx").status_code == 200


def test_api_create_refusals_and_success(small_map, client_for):
    import json

    from jamlik.actors.models import Activity

    a1 = small_map["actors"][0]
    payload = {
        "title": "Nattvandring",
        "actors": [a1.pk],
        "malomraden": [5],
        "orientation": "prevention",
        "area": "0127",
        "target_groups": ["young_people"],
    }
    body = json.dumps(payload)
    anonymous = Client().post("/api/v1/activities", body, content_type="application/json")
    assert anonymous.status_code == 401
    other = client_for("lidingo").post("/api/v1/activities", body, content_type="application/json")
    assert other.status_code == 403 and "message" in other.json()
    assert not Activity.objects.filter(title="Nattvandring").exists()
    bad = client_for("botkyrka").post(
        "/api/v1/activities",
        json.dumps({**payload, "malomraden": [9]}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and "malomraden" in bad.json()["message"]
    ok = client_for("botkyrka").post("/api/v1/activities", body, content_type="application/json")
    assert ok.status_code == 201, ok.content
    assert ok.json()["malomraden"] == [5] and ok.json()["target_groups"] == ["young_people"]
    actor = client_for("botkyrka").post(
        "/api/v1/actors",
        json.dumps(
            {"name": "Ny förening", "type": "civil_society", "level": "local", "area": "0186"}
        ),
        content_type="application/json",
    )
    assert actor.status_code == 403


def test_api_requires_csrf_token_for_session_writes(small_map, users):
    import json

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["botkyrka"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        "/api/v1/actors",
        json.dumps({"name": "X", "type": "other", "level": "local", "area": "0127"}),
        content_type="application/json",
    )
    assert response.status_code in (401, 403)


def test_contacts_only_for_people_with_a_role(small_map, client_for):
    from jamlik.actors import services

    actor = small_map["actors"][0]
    services.save_actor(None, {"contact": "folkhalsa@example.se"}, actor=actor, check=False)
    anonymous = Client()
    assert (
        "folkhalsa@example.se" not in anonymous.get(f"/aktorer/aktor/{actor.pk}/").content.decode()
    )
    assert anonymous.get(f"/api/v1/actors/{actor.pk}").json()["contact"] == ""
    assert "folkhalsa@example.se" not in anonymous.get("/aktorer/export/01/json/").content.decode()
    viewer = client_for("viewer")
    assert "folkhalsa@example.se" in viewer.get(f"/aktorer/aktor/{actor.pk}/").content.decode()
    assert viewer.get(f"/api/v1/actors/{actor.pk}").json()["contact"] == "folkhalsa@example.se"
    assert "folkhalsa@example.se" in viewer.get(
        "/aktorer/export/01/csv/?sheet=actors"
    ).content.decode("utf-8-sig")

"""Refusals: who may not edit, open rounds or import packages."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client


def test_editor_cannot_edit_another_kommuns_actor(small_map, client_for):
    lidingo_actor = small_map["actors"][2]
    response = client_for("botkyrka").get(f"/aktorer/aktor/{lidingo_actor.pk}/andra/")
    assert response.status_code == 403
    response = client_for("botkyrka").post(
        f"/aktorer/aktor/{lidingo_actor.pk}/andra/",
        {"name": "Kapat", "actor_type": "municipal", "level": "local"},
    )
    assert response.status_code == 403
    lidingo_actor.refresh_from_db()
    assert lidingo_actor.name == "Lidingö kommun, utbildningsförvaltningen"


def test_editor_cannot_edit_another_kommuns_activity(small_map, client_for):
    lidingo_activity = small_map["activities"][1]
    assert (
        client_for("botkyrka").get(f"/aktorer/insats/{lidingo_activity.pk}/andra/").status_code
        == 403
    )
    assert (
        client_for("lidingo").get(f"/aktorer/insats/{lidingo_activity.pk}/andra/").status_code
        == 200
    )


def test_editor_cannot_move_own_actor_into_another_kommun(small_map, users):
    from jamlik.actors import services

    actor = small_map["actors"][0]
    with pytest.raises(PermissionDenied):
        services.save_actor(users["botkyrka"], {"area": small_map["lidingo"]}, actor=actor)


def test_editor_edits_own_kommuns_actor(small_map, client_for):
    actor = small_map["actors"][0]
    response = client_for("botkyrka").post(
        f"/aktorer/aktor/{actor.pk}/andra/",
        {
            "name": "Botkyrka kommun, sociala förvaltningen",
            "actor_type": "municipal",
            "level": "local",
            "area": small_map["botkyrka"].pk,
        },
    )
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.name == "Botkyrka kommun, sociala förvaltningen"


def test_editor_cannot_edit_county_wide_actor(small_map, client_for):
    regional = small_map["actors"][3]
    assert client_for("botkyrka").get(f"/aktorer/aktor/{regional.pk}/andra/").status_code == 403
    assert client_for("lan01").get(f"/aktorer/aktor/{regional.pk}/andra/").status_code == 200


def test_anonymous_cannot_edit(small_map):
    actor = small_map["actors"][0]
    client = Client()
    for url in (
        f"/aktorer/aktor/{actor.pk}/andra/",
        "/aktorer/aktor/ny/",
        "/aktorer/insats/ny/",
        "/aktorer/import/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/konto/" in response["Location"], url
    response = client.post(f"/aktorer/aktor/{actor.pk}/andra/", {"name": "x"})
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.name == "Botkyrka kommun, socialförvaltningen"


def test_viewer_cannot_add(small_map, client_for):
    assert client_for("viewer").get("/aktorer/aktor/ny/").status_code == 403


def test_only_county_admin_opens_rounds(small_map, client_for):
    from jamlik.actors.models import InventoryRound

    assert (
        client_for("botkyrka").post("/aktorer/inventering/?county=01", {"name": "R"}).status_code
        == 403
    )
    assert (
        client_for("viewer").post("/aktorer/inventering/?county=01", {"name": "R"}).status_code
        == 403
    )
    assert Client().post("/aktorer/inventering/?county=01", {"name": "R"}).status_code == 302
    assert not InventoryRound.objects.exists()
    assert (
        client_for("lan01").post("/aktorer/inventering/?county=01", {"name": "R"}).status_code
        == 302
    )
    assert InventoryRound.objects.count() == 1


def test_editor_confirms_only_own_kommun(small_map, users):
    from jamlik.actors import services

    round_ = services.open_inventory_round(users["lan01"], small_map["county"], "R")
    services.confirm_kommun(users["botkyrka"], round_, small_map["botkyrka"])
    with pytest.raises(PermissionDenied):
        services.confirm_kommun(users["botkyrka"], round_, small_map["lidingo"])


def test_only_national_admin_imports_packages(small_map, client_for, users):
    from jamlik.actors.models import CountyPackage
    from jamlik.actors.services import export_package

    package = json.dumps(export_package(small_map["county"])).encode()
    for username in ("lan01", "botkyrka"):
        upload = SimpleUploadedFile("p.json", package, content_type="application/json")
        assert (
            client_for(username).post("/aktorer/nationellt/paket/", {"file": upload}).status_code
            == 403
        )
    assert Client().post("/aktorer/nationellt/paket/", {}).status_code == 302
    assert not CountyPackage.objects.exists()
    upload = SimpleUploadedFile("p.json", package, content_type="application/json")
    assert (
        client_for("admin").post("/aktorer/nationellt/paket/", {"file": upload}).status_code == 302
    )
    assert CountyPackage.objects.count() == 1


def test_import_refuses_rows_of_another_kommun(small_map, users):
    from jamlik.actors.services import import_sheets
    from jamlik.actors.tabular import ImportRejected, SheetRows

    rows = [
        (2, {"ref": "X1", "name": "Ny aktör", "type": "other", "level": "local", "area": "0186"})
    ]
    with pytest.raises(ImportRejected) as exc:
        import_sheets(users["botkyrka"], small_map["county"], [SheetRows("actors", rows)])
    assert exc.value.errors[0].column == "area"
    assert "may edit" in exc.value.errors[0].expected


def test_delete_refusals_and_change_log(small_map, client_for):
    from jamlik.actors.models import Activity, ChangeLogEntry

    lidingo_activity = small_map["activities"][1]
    url = f"/aktorer/insats/{lidingo_activity.pk}/ta-bort/"
    assert Client().post(url).status_code == 302
    assert client_for("botkyrka").post(url).status_code == 403
    assert Activity.objects.filter(pk=lidingo_activity.pk).exists()
    assert client_for("lidingo").post(url).status_code == 302
    assert not Activity.objects.filter(pk=lidingo_activity.pk).exists()
    entry = ChangeLogEntry.objects.get(object_id=lidingo_activity.pk, action="deleted")
    assert entry.changes["title"] == ["Läxhjälp", None]


def test_relation_only_from_own_actor(small_map, client_for):
    from jamlik.actors.models import ActorRelation

    a1, a2, a3, _a4 = small_map["actors"]
    data = {"kind": "collaborates", "target": a1.pk}
    assert client_for("botkyrka").post(f"/aktorer/aktor/{a3.pk}/relation/", data).status_code == 403
    assert not ActorRelation.objects.exists()
    data = {"kind": "funds", "target": a3.pk}
    assert client_for("botkyrka").post(f"/aktorer/aktor/{a1.pk}/relation/", data).status_code == 302
    assert ActorRelation.objects.filter(source=a1, target=a3, kind="funds").exists()


def test_network_create_and_edit_refusal(small_map, client_for):
    from jamlik.actors.models import Network

    a1, a2, a3, _a4 = small_map["actors"]
    data = {
        "name": "Trygghetsnätverket",
        "convenor": a1.pk,
        "members": [a1.pk, a2.pk],
        "purpose": "Samordning",
        "meeting_frequency": "monthly",
        "malomraden": ["5", "7"],
        "area": small_map["botkyrka"].pk,
    }
    response = client_for("botkyrka").post("/aktorer/natverk/nytt/?county=01", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    network = Network.objects.get(name="Trygghetsnätverket")
    assert network.malomraden == [5, 7] and network.members.count() == 2
    assert client_for("lidingo").get(f"/aktorer/natverk/{network.pk}/andra/").status_code == 403
    # An editor cannot place a network in another kommun (not among the choices).
    data["area"] = small_map["lidingo"].pk
    data["name"] = "Annat"
    response = client_for("botkyrka").post("/aktorer/natverk/nytt/?county=01", data)
    assert response.status_code == 200 and not Network.objects.filter(name="Annat").exists()

"""Support pages: who may see and change what (refusals tested, not only permissions)."""

from __future__ import annotations

import pytest

from jamlik.support.models import Commitment, SupportActivity

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/stod/",
        "/stod/aktiviteter/",
        "/stod/overenskommelser/",
        "/stod/behov/",
        "/stod/kommun/0127/",
    ],
)
def test_anonymous_is_sent_to_login(client, records, url) -> None:  # noqa: ANN001
    response = client.get(url)
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


def test_county_pages_need_a_county_role(client_for, records) -> None:  # noqa: ANN001
    editor = client_for("botkyrka")
    assert editor.get("/stod/").status_code == 403
    assert editor.get("/stod/behov/").status_code == 403
    viewer = client_for("viewer")
    page = viewer.get("/stod/")
    assert page.status_code == 200
    assert "Botkyrka" in page.content.decode()


def test_editor_sees_own_kommun_and_agreement_only(client_for, records) -> None:  # noqa: ANN001
    editor = client_for("botkyrka")
    assert editor.get("/stod/kommun/0127/").status_code == 200
    assert editor.get("/stod/kommun/0186/").status_code == 403
    assert editor.get(f"/stod/overenskommelser/{records['agreement'].pk}/").status_code == 200
    assert editor.get(f"/stod/overenskommelser/{records['draft'].pk}/").status_code == 403


def test_agreement_page_shows_late_and_due(client_for, records) -> None:  # noqa: ANN001
    page = (
        client_for("lan01")
        .get(f"/stod/overenskommelser/{records['agreement'].pk}/")
        .content.decode()
    )
    assert "Kartläggning" in page and "Startmöte" in page


def test_only_county_admin_records_activities(client_for, records, county) -> None:  # noqa: ANN001
    data = {
        "lan": "01",
        "kind": "network_meeting",
        "title": "Ny nätverksträff",
        "date": "2026-05-05",
        "subject_areas": ["andts"],
        "target_areas": ["6"],
        "p_0127_official": "3",
        "k_0182": "on",
    }
    for username in ("botkyrka", "viewer"):
        assert client_for(username).post("/stod/aktiviteter/ny/?lan=01", data).status_code == 403
    assert not SupportActivity.objects.filter(title="Ny nätverksträff").exists()
    response = client_for("lan01").post("/stod/aktiviteter/ny/?lan=01", data)
    assert response.status_code == 302
    activity = SupportActivity.objects.get(title="Ny nätverksträff")
    got = sorted((p.municipality.code, p.role, p.count) for p in activity.participations.all())
    assert got == [("0127", "official", 3), ("0182", "other", 0)]


def test_activity_form_requires_a_participant(client_for, records) -> None:  # noqa: ANN001
    data = {"lan": "01", "kind": "seminar", "title": "Tomt", "date": "2026-05-05"}
    response = client_for("lan01").post("/stod/aktiviteter/ny/?lan=01", data)
    assert response.status_code == 200
    assert not SupportActivity.objects.filter(title="Tomt").exists()


def test_commitment_status_only_by_county_admin(client_for, records) -> None:  # noqa: ANN001
    url = f"/stod/ataganden/{records['late'].pk}/status/"
    assert client_for("botkyrka").post(url, {"status": "done"}).status_code == 403
    assert Commitment.objects.get(pk=records["late"].pk).status == "open"
    assert client_for("lan01").post(url, {"status": "done"}).status_code == 302
    assert Commitment.objects.get(pk=records["late"].pk).status == "done"


def test_need_page_and_composition_editing(client_for, records, county) -> None:  # noqa: ANN001
    page = client_for("viewer").get("/stod/behov/?lan=01")
    assert page.status_code == 200
    assert "no data" in page.content.decode() or "ingen data" in page.content.decode()
    add = {"lan": "01", "source": "indicator", "reference": "", "label": "X", "weight": "2"}
    assert client_for("viewer").post("/stod/behov/komponent/", add).status_code == 403
    response = client_for("lan01").post("/stod/behov/komponent/", {**add, "reference": "N1"})
    assert response.status_code == 302
    from jamlik.support.models import NeedComponentSetting

    assert NeedComponentSetting.objects.filter(county=county, label="X", weight=2).exists()
    negative = client_for("lan01").post(
        "/stod/behov/komponent/", {**add, "reference": "N1", "label": "Y", "weight": "-1"}
    )
    assert negative.status_code == 302
    assert not NeedComponentSetting.objects.filter(label="Y").exists()


def test_kommun_page_section_only_for_roles(client, client_for, records) -> None:  # noqa: ANN001
    assert "Stödtrappan" not in client.get("/omrade/0127/").content.decode()
    page = client_for("botkyrka").get("/omrade/0127/").content.decode()
    assert "/stod/kommun/0127/" in page


def test_csv_downloads_need_a_county_role(client, client_for, records) -> None:  # noqa: ANN001
    assert client.get("/stod/behov.csv?lan=01").status_code == 302
    assert client_for("botkyrka").get("/stod/trappa.csv?lan=01").status_code == 403
    ladder = client_for("viewer").get("/stod/trappa.csv?lan=01")
    assert ladder.status_code == 200 and ladder["Content-Type"].startswith("text/csv")
    text = ladder.content.decode("utf-8-sig")
    assert "0127" in text and "Botkyrka" in text
    need = client_for("viewer").get("/stod/behov.csv?lan=01&years=2").content.decode("utf-8-sig")
    assert len(need.strip().splitlines()) == 27


def test_only_county_admin_deletes_activities(client_for, records) -> None:  # noqa: ANN001
    pk = records["visit"].pk
    assert client_for("viewer").post(f"/stod/aktiviteter/{pk}/ta-bort/").status_code == 403
    assert client_for("lan01").get(f"/stod/aktiviteter/{pk}/ta-bort/").status_code == 405
    assert SupportActivity.objects.filter(pk=pk).exists()
    assert client_for("lan01").post(f"/stod/aktiviteter/{pk}/ta-bort/").status_code == 302
    assert not SupportActivity.objects.filter(pk=pk).exists()

"""Web upload of template files: refusals first, then what an editor may do.

An upload is first shown on a preview (tests/imports/test_preview.py covers it);
:func:`_upload_and_confirm` goes through both steps as a user does.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jamlik.indicators.models import ImportRun, Observation

URL = "/lagesbild/import/"


def _file(text: str, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("cp1252"), content_type="text/csv")


def _upload_and_confirm(client: Client, upload: SimpleUploadedFile):  # noqa: ANN202
    """Upload, then confirm the preview (a clean file has no questions)."""
    preview = client.post(URL, {"file": upload})
    if preview.status_code != 302:
        return preview
    assert "/lagesbild/import/" in preview["Location"]
    assert client.get(preview["Location"]).status_code == 200
    return client.post(preview["Location"], {"action": "confirm"})


def test_anonymous_is_sent_to_login(demo) -> None:  # noqa: ANN001
    response = Client().get(URL)
    assert response.status_code == 302 and "/konto/" in response["Location"]


def test_viewer_without_edit_rights_gets_403(demo, client_for) -> None:  # noqa: ANN001
    assert client_for("viewer").get(URL).status_code == 403
    assert (
        client_for("viewer")
        .post(URL, {"file": _file("indikator;område;period;värde\nN03937;0127;2030;5\n")})
        .status_code
        == 403
    )


def test_editor_imports_own_kommun(demo, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    page = client.get(URL)
    assert page.status_code == 200 and "0127" in page.content.decode()
    csv_text = "indikator;område;period;indelning;kategori;värde\nN03937;0127;2030;;;5,5\nN03937;0127S01;2030;;;9,1\n"
    response = _upload_and_confirm(client, _file(csv_text))
    assert response.status_code == 302 and response["Location"] == URL
    run = ImportRun.objects.get(description__startswith="File data.csv")
    assert run.user.username == "botkyrka" and run.rows == 2
    assert (
        Observation.objects.get(indicator__code="N03937", area__code="0127S01", period="2030").value
        == 9.1
    )


def test_editor_cannot_import_another_kommun_and_nothing_is_written(demo, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    before = Observation.objects.count()
    csv_text = "indikator;område;period;värde\nN03937;0127;2031;5,5\nN03937;0180;2031;4,0\n"
    response = client.post(URL, {"file": _file(csv_text, "mixed.csv")})
    assert response.status_code == 200
    html = response.content.decode()
    assert "mixed.csv" in html and "0180" in html and "an area you may edit" in html
    assert Observation.objects.count() == before
    assert not ImportRun.objects.filter(description__contains="mixed.csv").exists()


def test_county_admin_may_import_any_kommun_in_the_county(demo, client_for) -> None:  # noqa: ANN001
    response = _upload_and_confirm(
        client_for("lan01"),
        _file("indikator;område;period;värde\nN03937;0180;2032;4,0\nN03937;01;2032;4,5\n"),
    )
    assert (
        response.status_code == 302
        and ImportRun.objects.filter(rows=2, user__username="lan01").exists()
    )
    refused = client_for("lan01").post(
        URL, {"file": _file("indikator;område;period;värde\nN03937;1280;2032;4,0\n")}
    )
    assert refused.status_code == 200 and "1280" in refused.content.decode()

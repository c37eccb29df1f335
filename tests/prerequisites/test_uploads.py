"""Uploading a mål och budget through the page: accepted files are analysed, bad ones
are refused with a message and nothing is stored."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jamlik.prerequisites import extraction
from jamlik.prerequisites.models import Document

URL = "/forutsattningar/kommun/0127/dokument/"


def _post(client, name: str, data: bytes):  # noqa: ANN001, ANN202
    return client.post(
        URL, {"year": "2023", "title": "MoB", "file": SimpleUploadedFile(name, data)}
    )


def test_text_upload_is_analysed(geography, client_for):
    text = "Kommunen ska arbeta för en god och jämlik folkhälsa. Tryggheten ska öka."
    response = _post(client_for("botkyrka"), "mob.txt", text.encode("cp1252"))
    assert response.status_code == 302
    document = Document.objects.get(municipality__code="0127", year=2023)
    counts = {t["key"]: t["count"] for t in document.analysis["themes"]}
    assert counts["health"] == 1 and counts["equity"] == 1 and counts["safety"] == 1
    assert len(document.analysis["goal_sentences"]) == 1


def test_wrong_type_empty_and_too_large_are_refused(geography, client_for, monkeypatch):
    client = client_for("botkyrka")
    page = _post(client, "mob.exe", b"MZ....").content.decode()
    assert "mob.exe" in page and ".exe" in page
    page = _post(client, "mob.pdf", b"").content.decode()
    assert "mob.pdf" in page
    monkeypatch.setattr(extraction, "MAX_BYTES", 1024)
    page = _post(client, "mob.txt", b"a" * 4096).content.decode()
    assert "mob.txt" in page and "MB" in page
    assert not Document.objects.filter(municipality__code="0127").exists()


def test_upload_needs_edit_rights_for_that_kommun(geography, client_for):
    assert _post(client_for("lidingo"), "mob.txt", b"hej").status_code == 403
    assert _post(Client(), "mob.txt", b"hej").status_code == 302
    assert not Document.objects.exists()

"""An upload over the size limit is refused before it is kept on disk or read into memory
(the preview used to write and read the whole upload and only then find it too large)."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from jamlik.indicators import import_preview
from jamlik.indicators.services import sync_catalogue


def test_an_upload_over_the_limit_is_refused_unread(
    geography, settings, tmp_path: Path, client_for, monkeypatch
) -> None:  # noqa: ANN001
    settings.DATA_DIR = tmp_path
    settings.JAMLIK_IMPORT_MAX_BYTES = 1000
    sync_catalogue()

    def never(*args: object, **kwargs: object) -> str:
        raise AssertionError("an upload over the limit was kept")

    monkeypatch.setattr(import_preview, "keep_upload", never)
    text = "indikator;område;period;värde\n" + "N03937;0127;2031;1\n" * 200
    upload = SimpleUploadedFile("big.csv", text.encode(), content_type="text/csv")
    response = client_for("botkyrka").post("/lagesbild/import/", {"file": upload})
    assert response.status_code == 200
    assert "big.csv" in response.content.decode() and "0.0 MB" in response.content.decode()
    assert not list((tmp_path / "import-previews").glob("*"))

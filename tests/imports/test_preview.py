"""Preview before import: an upload is read and shown, questions are answered, and only
the confirmation stores it, exactly as previewed; nobody else can confirm it.

Also the command line, which has no preview: open questions stop the import with the
options that answer them.
"""

from __future__ import annotations

import re
import time
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from typer.testing import CliRunner

from jamlik.indicators import import_preview
from jamlik.indicators.models import ImportRun, Observation
from jamlik.indicators.services import sync_catalogue

URL = "/lagesbild/import/"
HEADER = "indikator;område;period;täljare;nämnare\n"
#: A misspelt kommun (Botkyrka) and a count written with a thousands comma.
QUESTIONS_CSV = HEADER + "N03937;Botkirka;2031;984,748;1 200 000\nN03937;0127;2032;12;90\n"


@pytest.fixture
def previews(settings, tmp_path: Path) -> Path:  # noqa: ANN001
    settings.DATA_DIR = tmp_path
    return tmp_path / "import-previews"


@pytest.fixture
def catalogue(geography):  # noqa: ANN001, ANN201
    sync_catalogue()


def _file(text: str, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _upload(client: Client, text: str, name: str = "data.csv") -> str:
    response = client.post(URL, {"file": _file(text, name)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def _nothing_stored(name: str = "data.csv") -> bool:
    return not ImportRun.objects.filter(description__contains=name).exists()


def test_upload_shows_a_preview_and_stores_nothing(catalogue, previews, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    before = Observation.objects.count()
    location = _upload(client, QUESTIONS_CSV)
    assert re.fullmatch(r"/lagesbild/import/[A-Za-z0-9_-]{32,64}/", location)
    assert Observation.objects.count() == before and _nothing_stored()
    page = client.get(location)
    html = page.content.decode()
    assert page.status_code == 200
    # The questions, in Swedish, with radio buttons and nothing chosen for the user.
    assert "Menade du 0127 Botkyrka?" in html
    assert 'type="radio" name="q0" value="0127 Botkyrka"' in html
    assert "984748" in html and "984.748" in html and "tusental" in html
    assert "checked" not in html
    # What will be stored: the first rows, and counts per indicator, area and period.
    assert "2 datarader lästes" in html and "N03937" in html and "2031" in html
    assert "Per område" in html and "Botkyrka" in html
    # Only the bytes and the preview are kept, under the token, not in the page.
    assert len(list(previews.glob("*.data"))) == 1
    assert "Botkirka;2031" not in html


def test_confirm_imports_with_the_answers(catalogue, previews, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    location = _upload(client, QUESTIONS_CSV)
    refused = client.post(location, {"action": "confirm"})
    assert refused.status_code == 200 and "Svara på varje fråga" in refused.content.decode()
    assert _nothing_stored()
    done = client.post(location, {"action": "confirm", "q0": "0127 Botkyrka", "q1": "984748"})
    assert done.status_code == 302 and done["Location"] == URL
    run = ImportRun.objects.get(description__startswith="File data.csv")
    assert run.rows == 2 and run.user.username == "botkyrka"
    stored = Observation.objects.get(import_run=run, period="2031")
    assert stored.area.code == "0127" and stored.numerator == 984_748
    assert not list(previews.glob("*"))  # the upload is gone once imported
    assert client.get(location).status_code == 404


def test_the_decimal_answer_reads_the_number_as_a_decimal(catalogue, previews, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    location = _upload(client, QUESTIONS_CSV)
    client.post(location, {"action": "confirm", "q0": "0127 Botkyrka", "q1": "984.748"})
    stored = Observation.objects.get(import_run__description__contains="data.csv", period="2031")
    assert stored.numerator == pytest.approx(984.748)


def test_a_choice_that_was_not_offered_is_refused(catalogue, previews, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    location = _upload(client, QUESTIONS_CSV)
    response = client.post(location, {"action": "confirm", "q0": "0180 Stockholm", "q1": "1"})
    assert response.status_code == 200 and _nothing_stored()


def test_cancel_discards_the_upload(catalogue, previews, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    location = _upload(client, QUESTIONS_CSV)
    response = client.post(location, {"action": "cancel"})
    assert response.status_code == 302 and response["Location"] == URL
    assert not list(previews.glob("*")) and _nothing_stored()
    assert client.get(location).status_code == 404


def test_another_user_cannot_see_or_confirm_the_preview(catalogue, previews, client_for) -> None:  # noqa: ANN001
    location = _upload(client_for("botkyrka"), QUESTIONS_CSV)
    answers = {"action": "confirm", "q0": "0127 Botkyrka", "q1": "984748"}
    for other in (client_for("lan01"), client_for("botkyrka")):  # another user; another session
        assert other.get(location).status_code == 404
        assert other.post(location, answers).status_code == 404
    assert _nothing_stored()
    assert Client().post(location, answers).status_code == 302  # anonymous: to the login
    assert _nothing_stored()


def test_an_expired_upload_is_gone(catalogue, previews, client_for, monkeypatch) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    location = _upload(client, QUESTIONS_CSV)
    later = time.time() + import_preview.LIFETIME + 60
    monkeypatch.setattr(import_preview.time, "time", lambda: later)
    assert client.get(location).status_code == 404
    assert import_preview.remove_expired(later) == 2  # the bytes and the preview
    assert not list(previews.glob("*"))


def test_an_editor_cannot_import_another_kommun_by_name(catalogue, previews, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    text = HEADER + "N03937;Botkyrka;2031;5;100\nN03937;Stockholm;2031;4;100\n"
    response = client.post(URL, {"file": _file(text, "named.csv")})
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Stockholm" in html and "an area you may edit" in html and "ingenting importerades" in html
    )
    assert _nothing_stored("named.csv") and not list(previews.glob("*.data"))


def test_problems_show_with_the_reading_warnings(catalogue, previews, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    response = client.post(URL, {"file": _file(HEADER + "N03937;0127;tjugo;5;100\n")})
    html = response.content.decode()
    assert response.status_code == 200 and "tjugo" in html
    assert "Hur filen lästes" in html


def test_the_preview_speaks_english_when_asked(catalogue, previews, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    location = _upload(client, QUESTIONS_CSV)
    client.cookies["django_language"] = "en"
    html = client.get(location).content.decode()
    assert "Did you mean 0127 Botkyrka?" in html and "What will be stored" in html


def test_a_large_file_is_previewed_a_chunk_at_a_time(catalogue, previews, users) -> None:  # noqa: ANN001
    """200 000 rows: the preview keeps the first 20 and the counts, not the rows."""
    kommuner = ["0114", "0115", "0117", "0120", "0123"]
    lines = ["indikator;område;period;indelning;kategori;täljare;nämnare"]
    lines += [
        f"N03937;{kommuner[i % 5]};{1900 + i // 1000};grupp;{i % 1000};{i % 90};100"
        for i in range(200_000)
    ]
    data = ("\n".join(lines) + "\n").encode()
    tracemalloc.start()
    preview = import_preview.preview_file(
        "big.csv", data, user=users["lan01"], restrict_to_user=True
    )
    _size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert not preview.problems, preview.problems[:3]
    assert preview.rows == preview.stored == 200_000
    assert len(preview.first_rows) == import_preview.FIRST_ROWS
    assert sum(n for _c, n in preview.areas) == 200_000 and len(preview.periods) == 200
    # 200 000 observations as Python objects take several hundred MB; one chunk far less.
    assert peak < 80 * 1024 * 1024, peak


# --- the command line -------------------------------------------------------------------


def _cli(*args: str):  # noqa: ANN202
    from jamlik.cli import app

    return CliRunner().invoke(app, ["import", *args])


def test_cli_stops_on_questions_and_says_how_to_answer(catalogue, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "cli.csv"
    path.write_text(QUESTIONS_CSV, encoding="utf-8")
    result = _cli(str(path))
    assert result.exit_code == 1
    assert "2 question(s)" in result.output
    assert '--area "Botkirka=0127"' in result.output
    assert '--thousands "numerator=thousands"' in result.output
    assert "--accept-suggestions" in result.output
    assert _nothing_stored("cli.csv")
    result = _cli(str(path), "--area", "Botkirka=0127", "--thousands", "täljare=thousands")
    assert result.exit_code == 0, result.output
    stored = Observation.objects.get(import_run__description__contains="cli.csv", period="2031")
    assert stored.area.code == "0127" and stored.numerator == 984_748


def test_cli_accepts_the_suggestions_when_told_to(catalogue, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "suggested.csv"
    path.write_text(QUESTIONS_CSV, encoding="utf-8")
    result = _cli(str(path), "--accept-suggestions")
    assert result.exit_code == 0, result.output
    assert "suggestion accepted" in result.output
    stored = Observation.objects.get(
        import_run__description__contains="suggested.csv", period="2031"
    )
    assert stored.area.code == "0127" and stored.numerator == 984_748


def test_cli_refuses_a_malformed_answer(catalogue, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "bad.csv"
    path.write_text(QUESTIONS_CSV, encoding="utf-8")
    result = _cli(str(path), "--thousands", "numerator=maybe")
    assert result.exit_code == 2 and _nothing_stored("bad.csv")

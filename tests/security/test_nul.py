"""NUL characters are refused with a 400 before they reach the database.

PostgreSQL cannot hold U+0000 in text, so without the refusal a NUL in a query
parameter turned into a 500 there (SQLite only ever said "no match")."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory

from jamlik.core.middleware import _holds_nul

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/lan/", "/lagesbild/", "/aktorer/"])
def test_page_query_with_nul_is_a_plain_400(url: str, geography) -> None:  # noqa: ANN001
    response = Client().get(url, {"lan": "01\x00"})
    assert response.status_code == 400
    assert b"NUL" in response.content


def test_api_query_with_nul_is_a_json_400(geography) -> None:  # noqa: ANN001
    response = Client().get("/api/v1/areas", {"level": "\x00"})
    assert response.status_code == 400
    assert "NUL" in response.json()["message"]


def test_nul_in_a_parameter_name_or_path_is_refused(geography) -> None:  # noqa: ANN001
    assert Client().get("/api/v1/areas?x%00=1").status_code == 400
    assert Client().get("/omrade/01%00/").status_code == 400


def test_json_body_with_escaped_nul_is_refused(geography) -> None:  # noqa: ANN001
    response = Client().post(
        "/api/v1/plans/", json.dumps({"title": "a\u0000b"}), content_type="application/json"
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["message"]


def test_form_post_with_nul_is_refused(geography) -> None:  # noqa: ANN001
    response = Client().post("/konto/logga-in/", {"username": "admin\x00", "password": "x"})
    assert response.status_code == 400


def test_clean_requests_and_binary_uploads_pass() -> None:
    factory = RequestFactory()
    assert not _holds_nul(factory.get("/api/v1/areas", {"level": "county", "q": "Å%00"}))
    assert not _holds_nul(factory.post("/api/v1/x", {"a": "b"}))
    upload = SimpleUploadedFile("data.xlsx", b"PK\x03\x04\x00\x00binary")
    assert not _holds_nul(factory.post("/import/", {"file": upload, "name": "ok"}))
    assert _holds_nul(factory.post("/import/", {"file": upload, "name": "n\x00"}))


def test_ordinary_page_still_answers(geography) -> None:  # noqa: ANN001
    assert Client().get("/lan/", {"lan": "01"}).status_code == 200

"""What a logged-in user receives is ``Cache-Control: private, no-store``: pages, API
answers and downloads (CSV, XLSX, PDF), so no shared proxy or disk cache keeps them."""

from __future__ import annotations

import pytest
from django.test import Client

from jamlik.accounts import tokens

pytestmark = pytest.mark.django_db


def _private(response) -> bool:  # noqa: ANN001
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives and "public" not in directives


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/konto/",
        "/aktorer/inventering/?county=01",
        "/api/v1/actors",
        "/aktorer/export/01/csv/",
        "/aktorer/export/01/xlsx/",
        "/aktorer/mall.xlsx",
    ],
)
def test_authenticated_responses_are_private_and_not_stored(client_for, url):
    response = client_for("lan01").get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert _private(response), (url, response.get("Cache-Control"))


def test_downloads_are_attachments_and_private(client_for):
    response = client_for("botkyrka").get("/aktorer/export/01/csv/")
    assert "attachment" in response.get("Content-Disposition", "")
    assert _private(response)


def test_api_answers_to_a_token_are_private(users):
    _token, secret = tokens.create_token(users["botkyrka"], "script")
    response = Client().get("/api/v1/actors", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200 and _private(response)


def test_anonymous_public_pages_keep_their_own_caching(geography):
    response = Client().get("/lagesbild/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_login_answer_itself_is_private(users):
    client = Client()
    response = client.post("/konto/logga-in/", {"username": "botkyrka", "password": "jamlik-demo"})
    assert response.status_code == 302 and _private(response)

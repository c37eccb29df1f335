"""Refusals and errors: the status codes stay, the pages are friendly and translated."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]


def _client(lang: str, client: Client | None = None) -> Client:
    client = client or Client(raise_request_exception=False)
    client.cookies["django_language"] = lang
    return client


def _text(response) -> str:  # noqa: ANN001
    return response.content.decode()


@pytest.mark.parametrize(
    ("lang", "heading", "login"),
    [
        ("sv", "Du har inte behörighet till den här sidan", "Logga in"),
        ("en", "You do not have access to this page", "Log in"),
    ],
)
def test_403_for_an_anonymous_visitor_offers_the_login_page(geography, lang, heading, login):
    response = _client(lang).get("/test-refuse/")
    assert response.status_code == 403
    html = _text(response)
    assert heading in html
    assert "/konto/logga-in/?next=/test-refuse/" in html
    assert login in html
    assert "403 Forbidden" not in html
    assert f'<html lang="{lang}">' in html


def test_403_from_a_real_page_names_the_users_own_places(client_for):
    client = client_for("botkyrka")
    client.raise_request_exception = False
    response = _client("sv", client).get("/stod/?lan=01")
    assert response.status_code == 403
    html = _text(response)
    assert "Du har inte behörighet till den här sidan" in html
    assert "/lagesbild/kommun/0127/" in html  # the editor's own kommun
    assert "Botkyrka" in html
    assert "/konto/logga-in/?next" not in html  # logged in: no login link
    assert "Startsidan" in html


def test_403_for_an_htmx_request_is_a_short_fragment(client_for):
    client = client_for("viewer")
    response = client.get("/test-refuse/", HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    html = _text(response)
    assert "<html" not in html
    assert 'role="alert"' in html


@pytest.mark.parametrize(
    ("lang", "heading", "onward"),
    [
        ("sv", "Sidan finns inte", "Alla indikatorer"),
        ("en", "The page was not found", "All indicators"),
    ],
)
def test_404_is_friendly_and_translated(geography, lang, heading, onward):
    response = _client(lang).get("/finns-inte/")
    assert response.status_code == 404
    html = _text(response)
    assert heading in html
    assert onward in html
    assert 'href="/lagesbild/"' in html
    assert "Not Found" not in html


def test_404_of_a_missing_object_keeps_its_status(geography):
    response = _client("sv").get("/lagesbild/kommun/9999/")
    assert response.status_code == 404
    assert "Sidan finns inte" in _text(response)


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("sv", "Något gick fel hos oss"), ("en", "Something went wrong on our side")],
)
def test_500_renders_without_request_context(geography, lang, heading):
    response = _client(lang).get("/test-crash/")
    assert response.status_code == 500
    html = _text(response)
    assert heading in html
    assert "Server Error" not in html
    assert "a bug" not in html  # nothing internal is shown


def test_500_page_needs_no_database(geography, django_assert_num_queries):
    from django.test import RequestFactory

    from jamlik.core.errors import server_error

    request = RequestFactory().get("/")
    with override_settings(LANGUAGE_CODE="en"), django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()

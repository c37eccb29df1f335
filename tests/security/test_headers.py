"""Headers, cookies and log-in throttling, plus self-tests of the crawl's HTML detectors
(so the header tests in ``test_crawl.py`` cannot pass by detecting nothing)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from .crawl import edit_forms, event_handlers, inline_scripts

pytestmark = pytest.mark.django_db


def test_detectors_find_what_csp_would_block() -> None:
    assert inline_scripts("<script>alert(1)</script>")
    assert inline_scripts('<script type="text/javascript">x()</script>')
    assert inline_scripts('<script type="module">x()</script>')
    assert not inline_scripts('<script src="/static/a.js" defer></script>')
    assert not inline_scripts('<script type="application/json" id="d">{}</script>')
    assert event_handlers('<button type="button" onclick="go()">Go</button>')
    assert event_handlers("<img src=x onerror='boom()'>")
    assert not event_handlers('<a href="/x" data-on="click">x</a>')
    assert edit_forms('<form method="post" action="/x/"><input name="title"></form>')
    assert edit_forms('<form method="POST"><textarea name="t"></textarea></form>')
    assert not edit_forms('<form method="post"><input type="hidden" name="csrf"></form>')
    assert not edit_forms('<form method="get"><input name="q"></form>')
    assert not edit_forms(
        '<form action="/i18n/setlang/" method="post"><select name="language"></select></form>'
    )


@pytest.mark.parametrize("url", ["/", "/lagesbild/", "/konto/logga-in/", "/api/v1/areas"])
def test_security_headers(url: str, geography) -> None:  # noqa: ANN001
    response = Client().get(url)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-eval" not in csp
    script_src = re.search(r"script-src ([^;]*)", csp).group(1).split()
    assert script_src == ["'self'"], script_src


def test_api_docs_page_runs_no_third_party_or_inline_script(geography) -> None:  # noqa: ANN001
    response = Client().get("/api/v1/docs")
    if response.status_code == 404:
        return  # docs switched off: nothing to run
    html = response.content.decode()
    assert "Content-Security-Policy" in response.headers
    assert not re.search(r"<script[^>]+src=[\"']https?://", html), "third-party script"
    assert not inline_scripts(html), "inline script"


def test_session_and_csrf_cookies(users) -> None:  # noqa: ANN001
    client = Client()
    page = client.get("/konto/logga-in/")
    assert page.status_code == 200
    csrf = client.cookies["csrftoken"]
    assert csrf["samesite"] in ("Lax", "Strict")
    response = client.post("/konto/logga-in/", {"username": "botkyrka", "password": "jamlik-demo"})
    assert response.status_code == 302
    session = client.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] in ("Lax", "Strict")


def test_login_is_locked_after_repeated_failures(users) -> None:  # noqa: ANN001
    client = Client()
    for _ in range(5):
        bad = client.post("/konto/logga-in/", {"username": "lidingo", "password": "wrong"})
        assert bad.status_code in (200, 403, 429)
    locked = client.post("/konto/logga-in/", {"username": "lidingo", "password": "jamlik-demo"})
    assert locked.status_code in (403, 429), "the right password works after 5 failures"
    assert "_auth_user_id" not in client.session


def test_logout_needs_post(client_for) -> None:  # noqa: ANN001
    """A GET (an image tag on another site) must not log the user out."""
    client = client_for("botkyrka")
    client.get("/konto/logga-ut/")
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize("username", ["lan01", "botkyrka", "viewer"])
def test_admin_site_is_for_superusers_only(client_for, username) -> None:  # noqa: ANN001
    """Django's admin bypasses the per-kommun rules, so no municipal role may enter it."""
    for url in ("/admin/", "/admin/actors/actor/", "/admin/economics/scenario/"):
        response = client_for(username).get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_login_does_not_redirect_off_site(users) -> None:  # noqa: ANN001
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        client = Client()
        response = client.post(
            f"/konto/logga-in/?next={target}",
            {"username": "viewer", "password": "jamlik-demo", "next": target},
        )
        assert response.status_code == 302
        assert response["Location"].startswith("/") and not response["Location"].startswith(
            ("//", "/\\")
        ), response["Location"]

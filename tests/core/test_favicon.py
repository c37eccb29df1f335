"""The site has an icon, so no page's first load logs a 404 for /favicon.ico."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_favicon_is_linked_and_answered(client) -> None:  # noqa: ANN001
    home = client.get("/")
    assert b'rel="icon"' in home.content
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("jamlik/favicon.svg")

"""Navigation by role: the menu links only what the role may open."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from jamlik.accounts.navigation import edits_in, support_link, works_in

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "viewer", "botkyrka", "lan01", "admin"]


def _client(client_for, role: str) -> Client:  # noqa: ANN001
    return Client() if role == "anonymous" else client_for(role)


def _menu(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="[^"]*" class="main-nav">(.*?)</nav>', html, re.S)
    assert nav, "the main menu is missing"
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', nav.group(1))]


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_link_opens_for_the_role(client_for, role):
    client = _client(client_for, role)
    links = _menu(client.get("/").content.decode())
    assert "/lan/" in links
    for url in links:
        response = client.get(url)
        assert response.status_code == 200, f"{role}: menu link {url} gives {response.status_code}"


def test_support_follows_the_role(client_for, users, county, botkyrka):
    base = "/stod/"
    assert support_link(users["admin"], base) == base
    assert support_link(users["lan01"], base) == base
    assert support_link(users["viewer"], base) == base
    assert support_link(users["botkyrka"], base) == "/stod/kommun/0127/"
    from django.contrib.auth.models import AnonymousUser

    assert support_link(AnonymousUser(), base) is None
    assert "/stod/" not in _menu(Client().get("/").content.decode())
    assert "/stod/kommun/0127/" in _menu(client_for("botkyrka").get("/").content.decode())


def test_a_county_role_elsewhere_links_its_own_county(users, geography):
    from jamlik.accounts.models import RoleKind
    from jamlik.accounts.services import create_user, grant_role

    user = create_user("skane", "x-long-password-1")
    grant_role(user, RoleKind.COUNTY_ADMIN, geography.get(code="12"))
    assert support_link(user, "/stod/") == "/stod/?lan=12"


def test_in_page_rules_match_the_views(users, county, geography):
    stockholm, skane = county, geography.get(code="12")
    assert not edits_in(users["viewer"], stockholm)
    assert edits_in(users["botkyrka"], stockholm)
    assert not edits_in(users["botkyrka"], skane)
    assert edits_in(users["lan01"], None)
    assert works_in(users["viewer"], stockholm)
    assert not works_in(users["viewer"], skane)
    from django.contrib.auth.models import AnonymousUser

    assert not works_in(AnonymousUser(), None)


@pytest.mark.parametrize("role", ["viewer", "botkyrka"])
def test_actor_tabs_hide_import_for_roles_that_cannot_edit(client_for, role):
    html = _client(client_for, role).get("/aktorer/?county=01").content.decode()
    assert ("/aktorer/import/" in html) == (role == "botkyrka")
    assert "/aktorer/inventering/" in html


def test_actor_tabs_hide_rounds_from_visitors(geography):
    html = Client().get("/aktorer/?county=01").content.decode()
    assert "/aktorer/inventering/" not in html
    assert "/aktorer/import/" not in html

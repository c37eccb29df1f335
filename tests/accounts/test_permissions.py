"""Who may change what: the permissions and, above all, the refusals."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from jamlik.accounts.models import RoleKind
from jamlik.accounts.services import areas_user_can_edit, create_user, grant_role
from jamlik.geo.models import Area


@pytest.fixture
def areas(geography):
    return {c: Area.objects.get(code=c) for c in ["01", "03", "0127", "0186", "0180", "0380"]}


def test_editor_of_botkyrka_edits_botkyrka_and_nothing_else(users, areas):
    editor = users["botkyrka"]
    assert editor.has_perm("jamlik.edit_area", areas["0127"])
    for other in ["0186", "0180", "0380", "01", "03"]:
        assert not editor.has_perm("jamlik.edit_area", areas[other]), other
    assert not editor.has_perm("jamlik.admin_county", areas["01"])
    assert not editor.has_perm("jamlik.admin_national")


def test_editor_of_a_kommun_may_edit_its_districts(users, areas):
    from jamlik.geo.services import add_district

    fittja = add_district(areas["0127"], code="0127C1010", name="Fittja")
    husby = add_district(areas["0180"], code="0180C3020", name="Husby")
    assert users["botkyrka"].has_perm("jamlik.edit_area", fittja)
    assert not users["botkyrka"].has_perm("jamlik.edit_area", husby)


def test_county_admin_edits_every_kommun_in_the_county_only(users, areas):
    admin = users["lan01"]
    assert admin.has_perm("jamlik.edit_area", areas["0127"])
    assert admin.has_perm("jamlik.admin_county", areas["01"])
    assert admin.has_perm("jamlik.admin_county", areas["0186"])
    assert not admin.has_perm("jamlik.edit_area", areas["0380"])
    assert not admin.has_perm("jamlik.admin_county", areas["03"])
    assert not admin.has_perm("jamlik.admin_national")
    assert len(areas_user_can_edit(admin)) == 26


def test_viewer_sees_unpublished_but_edits_nothing(users, areas):
    viewer = users["viewer"]
    assert viewer.has_perm("jamlik.view_area_unpublished", areas["0127"])
    assert not viewer.has_perm("jamlik.view_area_unpublished", areas["0380"])
    assert not viewer.has_perm("jamlik.edit_area", areas["0127"])
    assert areas_user_can_edit(viewer) == []


def test_the_public_may_do_nothing(areas):
    anonymous = AnonymousUser()
    for perm in ["jamlik.edit_area", "jamlik.view_area_unpublished", "jamlik.admin_county"]:
        assert not anonymous.has_perm(perm, areas["0127"])
    assert areas_user_can_edit(anonymous) == []


def test_superuser_may_do_everything(users, areas):
    assert users["admin"].has_perm("jamlik.admin_national")
    assert users["admin"].has_perm("jamlik.edit_area", areas["0380"])


def test_roles_must_fit_the_level_of_their_area(areas):
    user = create_user("someone", "a-long-enough-password")
    with pytest.raises(ValueError, match="needs a municipality area"):
        grant_role(user, RoleKind.EDITOR, areas["01"])
    with pytest.raises(ValueError, match="needs a county area"):
        grant_role(user, RoleKind.COUNTY_ADMIN, areas["0127"])


def test_passwords_are_hashed_with_argon2(users):
    assert users["botkyrka"].password.startswith("argon2")


def test_district_form_refuses_editor_and_redirects_anonymous(client, client_for, areas):
    url = "/omrade/0127/nytt-delomrade/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/konto/logga-in/" in anonymous["Location"]
    assert client_for("botkyrka").get(url).status_code == 403
    assert client_for("lidingo").post(url, {"code": "0127C1", "name": "X"}).status_code == 403
    assert not Area.objects.filter(code="0127C1").exists()
    admin = client_for("lan01")
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"code": "0127C1010", "name": "Fittja", "kind": "deso"})
    assert response.status_code == 302
    assert Area.objects.get(code="0127C1010").parent == areas["0127"]


def test_login_is_throttled_after_repeated_failures(client, users, settings):
    for _ in range(settings.LOGIN_FREE_FAILURES):
        client.post("/konto/logga-in/", {"username": "botkyrka", "password": "wrong"})
    locked = client.post("/konto/logga-in/", {"username": "botkyrka", "password": "jamlik-demo"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_and_logout(client, users):
    response = client.post("/konto/logga-in/", {"username": "botkyrka", "password": "jamlik-demo"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users["botkyrka"].pk)
    client.post("/konto/logga-ut/")
    assert "_auth_user_id" not in client.session

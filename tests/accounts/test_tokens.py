"""API tokens: created and revoked on the account page, shown once, stored as a digest,
usable with ``Authorization: Bearer`` instead of session + CSRF, never more than their user."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.test import Client

from jamlik.accounts import tokens
from jamlik.accounts.models import ApiToken


@pytest.fixture
def actors(users, geography):  # noqa: ANN001
    from jamlik.actors import services
    from jamlik.actors.choices import ActorLevel, ActorType

    def make(code: str, name: str):
        return services.save_actor(
            users["admin"],
            {
                "name": name,
                "actor_type": ActorType.MUNICIPAL,
                "level": ActorLevel.LOCAL,
                "area": geography.get(code=code),
                "contact": f"kontakt@{code}.example.se",
            },
        )

    return {"botkyrka": make("0127", "Botkyrka kommun"), "lidingo": make("0186", "Lidingö stad")}


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _network(area: str, member: int) -> str:
    return json.dumps({"name": "Nätverk för trygghet", "area": area, "members": [member]})


def test_token_is_stored_as_a_digest_and_shown_once(client_for, users):
    client = client_for("botkyrka")
    created = client.post("/konto/", {"name": "Import script"})
    assert created.status_code == 200
    token = ApiToken.objects.get(user=users["botkyrka"])
    page = created.content.decode()
    secret = page.split('<code id="new-token">', 1)[1].split("</code>", 1)[0]
    assert secret.startswith("jamlik_") and len(secret) > 40
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (token.prefix, token.name, token.digest)
    again = client.get("/konto/").content.decode()
    assert secret not in again and token.prefix in again  # listed, never shown again


def test_a_token_writes_without_session_or_csrf(users, actors):
    _token, secret = tokens.create_token(users["botkyrka"], "script")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/networks",
        _network("0127", actors["botkyrka"].pk),
        content_type="application/json",
        **_bearer(secret),
    )
    assert response.status_code == 201, response.content
    assert "sessionid" not in response.cookies  # the token does not open a session


def test_without_a_token_the_api_still_needs_session_and_csrf(users, actors):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/networks", _network("0127", actors["botkyrka"].pk), content_type="application/json"
    )
    assert response.status_code in (401, 403)  # no session: refused (CSRF is checked first)


def test_a_revoked_token_is_refused(client_for, users, actors):
    token, secret = tokens.create_token(users["botkyrka"], "script")
    owner = client_for("botkyrka")
    assert owner.post("/konto/nycklar/aterkalla/", {"token": token.pk}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = Client().post(
        "/api/v1/networks",
        _network("0127", actors["botkyrka"].pk),
        content_type="application/json",
        **_bearer(secret),
    )
    assert response.status_code == 401
    assert "message" in response.json()


def test_a_wrong_token_is_refused_and_never_falls_back_to_the_session(client_for, actors):
    logged_in = client_for("botkyrka")
    response = logged_in.get("/api/v1/actors", **_bearer("jamlik_not-a-real-token"))
    assert response.status_code == 401
    assert response.json()["message"].startswith("The API token is not valid")


def test_a_token_cannot_write_another_kommuns_record(users, actors):
    _token, secret = tokens.create_token(users["botkyrka"], "script")
    response = Client().post(
        "/api/v1/networks",
        _network("0186", actors["lidingo"].pk),
        content_type="application/json",
        **_bearer(secret),
    )
    assert response.status_code == 403
    target = actors["lidingo"]
    replaced = Client().put(
        f"/api/v1/actors/{target.pk}",
        json.dumps({"name": "Kapad", "type": "municipal", "level": "local", "area": "0186"}),
        content_type="application/json",
        **_bearer(secret),
    )
    assert replaced.status_code == 403
    target.refresh_from_db()
    assert target.name == "Lidingö stad"


def test_a_token_reads_as_its_user(users, actors):
    """Contact details follow the token's user: botkyrka's own, not Lidingö's."""
    _token, secret = tokens.create_token(users["botkyrka"], "script")
    own = Client().get(f"/api/v1/actors/{actors['botkyrka'].pk}", **_bearer(secret)).json()
    other = Client().get(f"/api/v1/actors/{actors['lidingo'].pk}", **_bearer(secret)).json()
    assert own["contact"] == "kontakt@0127.example.se"
    assert other["contact"] == ""


def test_only_the_owner_can_revoke_a_token(client_for, users):
    token, _secret = tokens.create_token(users["botkyrka"], "script")
    assert (
        client_for("lidingo").post("/konto/nycklar/aterkalla/", {"token": token.pk}).status_code
        == 404
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_of_a_deactivated_user_is_refused(users, actors):
    _token, secret = tokens.create_token(users["botkyrka"], "script")
    users["botkyrka"].is_active = False
    users["botkyrka"].save()
    assert Client().get("/api/v1/actors", **_bearer(secret)).status_code == 401


def test_bearer_tokens_do_not_work_outside_the_api(users):
    _token, secret = tokens.create_token(users["botkyrka"], "script")
    response = Client().get("/konto/", **_bearer(secret))
    assert response.status_code == 302  # to the login page: pages need a session

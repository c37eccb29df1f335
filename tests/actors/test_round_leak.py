"""The inventory round's change log shows contact details only to those who may see them
(as the actor page and the API do): never to editors of another kommun."""

from __future__ import annotations

from jamlik.actors import services

SECRET = "anna.andersson@botkyrka.example.se"
OLD = "info@botkyrka.example.se"


def _round_with_contact_change(small_map, users):  # noqa: ANN001
    actor = small_map["actors"][0]  # Botkyrka's
    services.save_actor(users["admin"], {"contact": OLD}, actor=actor)
    round_ = services.open_inventory_round(users["lan01"], small_map["county"], "Inventering")
    services.save_actor(users["botkyrka"], {"contact": SECRET}, actor=actor)
    return round_


def test_editor_of_another_kommun_does_not_see_contact_details_in_the_change_log(
    small_map, users, client_for
):
    round_ = _round_with_contact_change(small_map, users)
    page = client_for("lidingo").get(f"/aktorer/inventering/{round_.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert SECRET not in text and OLD not in text
    assert "Botkyrka kommun, socialförvaltningen" in text  # the change itself is listed


def test_the_kommuns_own_editor_and_the_county_see_them(small_map, users, client_for):
    round_ = _round_with_contact_change(small_map, users)
    for username in ("botkyrka", "lan01"):
        text = client_for(username).get(f"/aktorer/inventering/{round_.pk}/").content.decode()
        assert SECRET in text, username

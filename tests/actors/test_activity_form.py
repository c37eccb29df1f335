"""The activity form: started from an actor's page, districts of the activity's kommun only,
ages and years typed the Swedish way."""

from __future__ import annotations

import pytest

from jamlik.actors.forms import ActivityForm
from jamlik.geo.services import add_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def districts(small_map):  # noqa: ANN001
    return {
        "alby": add_district(small_map["botkyrka"], code="0127S01", name="Alby"),
        "tumba": add_district(small_map["botkyrka"], code="0127S04", name="Tumba"),
        "lidingo": add_district(small_map["lidingo"], code="0186S01", name="Lidingö centrum"),
    }


def _data(small_map, area, districts, **extra):  # noqa: ANN001, ANN003, ANN202
    return {
        "title": "Ny insats",
        "actors": [small_map["actors"][0].pk],
        "orientation": "prevention",
        "prevention_level": "universal",
        "area": area.pk,
        "districts": [d.pk for d in districts],
        "malomraden": ["1"],
        "evidence": "unknown",
        "status": "ongoing",
        **extra,
    }


def test_actor_page_offers_to_add_an_activity(client, client_for, small_map) -> None:  # noqa: ANN001
    actor = small_map["actors"][0]
    link = f"/aktorer/insats/ny/?county=01&amp;actor={actor.pk}"
    assert link in client_for("botkyrka").get(f"/aktorer/aktor/{actor.pk}/").content.decode()
    assert link not in client.get(f"/aktorer/aktor/{actor.pk}/").content.decode()
    assert link not in client_for("viewer").get(f"/aktorer/aktor/{actor.pk}/").content.decode()


def test_new_activity_from_an_actor_page_presets_actor_and_kommun(client_for, small_map) -> None:  # noqa: ANN001
    actor = small_map["actors"][0]
    page = client_for("botkyrka").get(f"/aktorer/insats/ny/?county=01&actor={actor.pk}")
    form = page.context["form"]
    assert form.initial["actors"] == [actor.pk]
    assert form.initial["area"] == small_map["botkyrka"].pk


def test_only_the_kommuns_districts_are_offered(users, small_map, districts) -> None:  # noqa: ANN001
    form = ActivityForm(
        user=users["botkyrka"], county=small_map["county"], initial={"area": small_map["botkyrka"]}
    )
    offered = set(form.fields["districts"].queryset)
    assert offered == {districts["alby"], districts["tumba"]}
    county_admin = ActivityForm(user=users["lan01"], county=small_map["county"])
    assert districts["lidingo"] in set(county_admin.fields["districts"].queryset)


def test_another_kommuns_district_is_refused(users, small_map, districts) -> None:  # noqa: ANN001
    data = _data(small_map, small_map["botkyrka"], [districts["alby"], districts["lidingo"]])
    form = ActivityForm(data, user=users["lan01"], county=small_map["county"])
    assert not form.is_valid()
    assert "districts" in form.errors
    ok = ActivityForm(
        _data(small_map, small_map["botkyrka"], [districts["tumba"]]),
        user=users["botkyrka"],
        county=small_map["county"],
    )
    assert ok.is_valid(), ok.errors


def test_county_wide_activity_may_name_districts_in_the_county(users, small_map, districts) -> None:  # noqa: ANN001
    data = _data(small_map, small_map["county"], [districts["alby"], districts["lidingo"]])
    form = ActivityForm(data, user=users["lan01"], county=small_map["county"])
    assert form.is_valid(), form.errors


def test_ages_and_years_are_read_the_swedish_way(users, small_map) -> None:  # noqa: ANN001
    data = _data(
        small_map, small_map["botkyrka"], [], age_min="6", age_max="12", start_year="2 024"
    )
    form = ActivityForm(data, user=users["botkyrka"], county=small_map["county"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start_year"] == 2024
    bad = ActivityForm(
        _data(small_map, small_map["botkyrka"], [], age_min="6,5"),
        user=users["botkyrka"],
        county=small_map["county"],
    )
    assert not bad.is_valid() and "age_min" in bad.errors
    assert 'inputmode="numeric"' in str(form["age_min"])

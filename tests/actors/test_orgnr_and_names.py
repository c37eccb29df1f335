"""Organisation numbers (Luhn) and name normalisation."""

from __future__ import annotations

import pytest
from django.utils import translation

from jamlik.actors.names import name_similarity, normalise_name
from jamlik.actors.orgnr import OrgNumberError, make_org_number, normalise_org_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("556016-0680", "556016-0680"),
        ("5560160680", "556016-0680"),
        ("16 556016-0680", "556016-0680"),
    ],
)
def test_valid_org_numbers_are_normalised(text, expected):
    assert normalise_org_number(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("556016-0681", "check digit"),
        ("556016-068", "10 digits"),
        ("19800101-1234", "must start with 16"),
        ("8001011234", "personal identity number"),
        ("55601A-0680", "only digits"),
    ],
)
def test_invalid_org_numbers_are_refused_with_the_reason(text, reason):
    with translation.override("en"), pytest.raises(OrgNumberError, match=reason):
        normalise_org_number(text)


def test_made_up_numbers_pass_the_check():
    assert normalise_org_number(make_org_number("802400123")) == make_org_number("802400123")


def test_model_refuses_an_invalid_org_number(geography):
    from django.core.exceptions import ValidationError

    from jamlik.actors.models import Actor

    actor = Actor(
        name="X",
        org_number="556016-0681",
        actor_type="other",
        level="local",
        area=geography.get(code="0127"),
    )
    with pytest.raises(ValidationError) as exc:
        actor.full_clean(exclude=["county"])
    assert "org_number" in exc.value.message_dict


def test_normalisation_drops_case_punctuation_and_legal_form():
    assert normalise_name("Grannstöd Sverige ek. för.") == normalise_name("GRANNSTÖD SVERIGE")
    assert normalise_name("Föräldraskapsakademin AB") == "föräldraskapsakademin"


def test_different_places_cap_the_similarity():
    places = ["botkyrka", "sigtuna"]
    assert name_similarity("Fritidsgården Botkyrka", "Fritidsgården Sigtuna", places) < 0.8
    assert name_similarity("Fritidsgården Botkyrka", "Fritidsgården Botkyrkas", places) > 0.9

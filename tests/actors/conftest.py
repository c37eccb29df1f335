"""A small actor map in Stockholms län for tests: two kommuner, a county-wide actor."""

from __future__ import annotations

import pytest

from jamlik.actors.choices import ActorLevel, ActorType, TagDimension


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Another app's form (jamlik.prevention.forms) triggers Django's URLField scheme warning
    # when the URLconf is first imported; it is not ours to fix, so do not fail on it here.
    for item in items:
        if "/actors/" in str(item.fspath):
            item.add_marker(
                pytest.mark.filterwarnings(
                    "ignore:The default scheme will be changed:django.utils.deprecation.RemovedInDjango60Warning"
                )
            )


@pytest.fixture
def small_map(geography, users):  # noqa: ANN001
    from jamlik.actors import services

    admin = users["admin"]
    botkyrka, lidingo, county = (geography.get(code=c) for c in ("0127", "0186", "01"))
    a1 = services.save_actor(
        admin,
        {
            "name": "Botkyrka kommun, socialförvaltningen",
            "actor_type": ActorType.MUNICIPAL,
            "level": ActorLevel.LOCAL,
            "area": botkyrka,
        },
        areas_served=[botkyrka],
    )
    a2 = services.save_actor(
        admin,
        {
            "name": "Föreningen Trygga Grannar Botkyrka",
            "actor_type": ActorType.CIVIL_SOCIETY,
            "level": ActorLevel.LOCAL,
            "area": botkyrka,
            "org_number": "802400-1235",
        },
    )
    a3 = services.save_actor(
        admin,
        {
            "name": "Lidingö kommun, utbildningsförvaltningen",
            "actor_type": ActorType.MUNICIPAL,
            "level": ActorLevel.LOCAL,
            "area": lidingo,
        },
    )
    a4 = services.save_actor(
        admin,
        {
            "name": "Regionens folkhälsoenhet",
            "actor_type": ActorType.REGION,
            "level": ActorLevel.REGIONAL,
            "area": county,
        },
    )
    act1 = services.save_activity(
        admin,
        {
            "title": "Föräldrastöd i grupp",
            "orientation": "prevention",
            "prevention_level": "universal",
            "area": botkyrka,
            "status": "ongoing",
        },
        actors=[a1, a2],
        tags={
            TagDimension.TARGET_AREA: ["1", "7"],
            TagDimension.TARGET_GROUP: ["parents"],
            TagDimension.SETTING: ["family"],
            TagDimension.PROBLEM_AREA: ["violence"],
        },
    )
    act2 = services.save_activity(
        admin,
        {
            "title": "Läxhjälp",
            "orientation": "prevention",
            "prevention_level": "selective",
            "area": lidingo,
            "status": "ongoing",
        },
        actors=[a3],
        tags={
            TagDimension.TARGET_AREA: ["2"],
            TagDimension.TARGET_GROUP: ["young_people"],
            TagDimension.SETTING: ["school"],
        },
    )
    act3 = services.save_activity(
        admin,
        {
            "title": "Avslutat projekt",
            "orientation": "promotion",
            "area": botkyrka,
            "status": "completed",
        },
        actors=[a1],
        tags={TagDimension.TARGET_AREA: ["6"]},
    )
    return {
        "actors": [a1, a2, a3, a4],
        "activities": [act1, act2, act3],
        "botkyrka": botkyrka,
        "lidingo": lidingo,
        "county": county,
    }

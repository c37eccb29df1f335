"""The demo map's activities are run by organisations that would run them."""

from __future__ import annotations

import pytest

SCHOOL = [
    "Elevhälsans hälsosamtal",
    "Rökfri skoltid",
    "Spelprevention i skolan",
    "Skolnärvaroteam",
    "Våldsförebyggande program i skolan",
    "Språkstimulans i förskolan",
]
PARENTING = ["Föräldrastöd i grupp", "Familjecentral", "Utökade hembesök för nyblivna föräldrar"]


@pytest.fixture
def rows(geography):
    from jamlik.actors.demo import build_rows

    return build_rows(list(geography.municipalities("01")), {})


def _actor_names(rows):
    names = {a["ref"]: a["name"] for a in rows["actors"]}
    for activity in rows["activities"]:
        yield activity["title"], [names[ref] for ref in activity["actors"]]


def test_school_activities_are_run_by_the_school(rows):
    seen = 0
    for title, names in _actor_names(rows):
        if any(title.startswith(s) for s in SCHOOL):
            seen += 1
            assert any("utbildningsförvaltningen" in n for n in names), (title, names)
            assert not any(n.startswith("Näringslivsrådet") for n in names), (title, names)
    assert seen > 10


def test_parenting_support_is_run_by_social_services_or_parents(rows):
    seen = 0
    for title, names in _actor_names(rows):
        if any(title.startswith(s) for s in PARENTING):
            seen += 1
            assert any(
                "socialförvaltningen" in n
                or "Stadsdelsförvaltning" in n
                or "Föräldra" in n
                or "Mammor" in n
                for n in names
            ), (title, names)
    assert seen > 10


def test_every_activity_title_has_its_runners():
    from jamlik.actors.demo import REGIONAL_ACTIVITIES, RUNNERS, TEMPLATES

    assert {t[0] for t in TEMPLATES + REGIONAL_ACTIVITIES} == set(RUNNERS)


def test_uppsala_package_pairs_activities_with_fitting_actors(geography):  # noqa: ANN001
    from jamlik.actors.demo_national import uppsala_package

    package = uppsala_package()
    content = package.get("content", package)
    names = {a["ref"]: a["name"] for a in content["actors"]}
    for activity in content["activities"]:
        runners = [names[ref] for ref in activity["actors"]]
        if activity["title"].startswith("Föräldrastöd"):
            assert any("socialförvaltningen" in n for n in runners), runners
        if activity["title"].startswith(("Läxhjälp", "Öppen fritidsverksamhet")):
            assert not any("socialförvaltningen" in n for n in runners), runners
        assert not any("Stockholm" in n for n in runners), runners

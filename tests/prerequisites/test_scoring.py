"""Item points, prerequisite scores with weights and coverage, the capped index, levels."""

from __future__ import annotations

import pytest
from django.utils import translation

from jamlik.prerequisites.scoring import (
    ItemKind,
    ItemSpec,
    Level,
    Option,
    dimension_scores,
    item_points,
    level_for,
    median,
    normalised_caps,
    overall_index,
    prerequisite_scores,
)

YES_NO = (Option("yes", 1.0), Option("no", 0.0))
ITEMS = [
    ItemSpec("goals", ItemKind.SINGLE_CHOICE, "p1", ("d1",), 2.0, YES_NO),
    ItemSpec("priority", ItemKind.SCALE, "p1", ("d1", "d2"), 1.0),
    ItemSpec(
        "areas",
        ItemKind.MULTIPLE_CHOICE,
        "p2",
        ("d2",),
        1.0,
        (Option("a"), Option("b"), Option("c"), Option("d")),
        full_at=2,
    ),
    ItemSpec("time", ItemKind.NUMBER, "p2", (), 1.0, full_at=100),
    ItemSpec("notes", ItemKind.TEXT, "p2", (), 0.0),
]


def test_item_points_per_type():
    goals, priority, areas, time, notes = ITEMS
    assert item_points(goals, "yes") == 1.0 and item_points(goals, "no") == 0.0
    assert item_points(priority, 1) == 0.0
    assert item_points(priority, "3") == pytest.approx(2 / 3)
    assert item_points(areas, ["a"]) == 0.5
    assert item_points(areas, ["a", "b", "c"]) == 1.0  # capped at full marks
    assert item_points(time, "50,0") == 0.5  # decimal comma
    assert item_points(time, 150) == 1.0
    assert item_points(notes, "some text") is None
    assert item_points(goals, None) is None and item_points(areas, []) is None


@pytest.mark.parametrize(
    ("index", "value", "message"),
    [
        (0, "maybe", "item goals: 'maybe' is not one of"),
        (1, 5, "outside the scale 1–4"),
        (1, "many", "is not a number"),
        (2, ["x"], "not among"),
        (3, -1, "must not be negative"),
    ],
)
def test_bad_answers_are_refused_naming_the_item(index, value, message):
    with pytest.raises(ValueError, match=message):
        item_points(ITEMS[index], value)


def test_prerequisite_score_is_the_weighted_mean_of_answered_items():
    answers = {"goals": "yes", "priority": 2, "areas": ["a"], "time": 25}
    scores = prerequisite_scores(ITEMS, answers, ["p1", "p2"])
    # p1: (2 * 1 + 1 * 1/3) / 3 = 77.8
    assert scores["p1"].value == pytest.approx(77.8)
    assert scores["p1"].level == Level.STRONG
    # p2: (0.5 + 0.25) / 2 = 37.5 ; free text not scored
    assert scores["p2"].value == pytest.approx(37.5)
    assert scores["p2"].level == Level.WEAK
    assert [e.key for e in scores["p2"].evidence] == ["areas", "time", "notes"]


def test_too_little_answered_gives_no_score_and_says_why():
    scores = prerequisite_scores(ITEMS, {"priority": 4}, ["p1"])
    assert scores["p1"].value is None
    assert scores["p1"].level == Level.NOT_COMPUTED
    assert "33%" in scores["p1"].reason
    # answering the heavier item alone is enough (2/3 of the weight)
    assert prerequisite_scores(ITEMS, {"goals": "no"}, ["p1"])["p1"].value == 0.0


def test_dimensions_use_the_items_keyed_to_them():
    answers = {"goals": "yes", "priority": 4, "areas": ["a", "b"]}
    dims = dimension_scores(ITEMS, answers, ["d1", "d2", "d3"])
    assert dims["d1"].value == 100.0
    assert dims["d2"].value == 100.0
    assert dims["d3"].value is None and dims["d3"].reason == translation.gettext("no scored items")


def test_index_is_the_sum_of_capped_sub_scores():
    answers = {"goals": "yes", "priority": 4, "areas": ["a"], "time": 0}
    scores = prerequisite_scores(ITEMS, answers, ["p1", "p2"])
    index = overall_index(scores, {"p1": 3, "p2": 1})
    # caps 75 and 25; p1 = 100 -> 75, p2 = 25 -> 6.25
    assert index.caps == {"p1": 75.0, "p2": 25.0}
    assert index.value == pytest.approx(81.2, abs=0.05)
    # a perfect p1 cannot lift the index above its cap
    assert index.contributions["p1"] == 75.0
    missing = overall_index(prerequisite_scores(ITEMS, {"goals": "yes"}, ["p1", "p2"]), {})
    assert missing.value is None and "p2" in missing.reason


def test_caps_and_levels():
    assert normalised_caps({}, ["a", "b"]) == {"a": 50.0, "b": 50.0}
    with pytest.raises(ValueError, match="at least one cap"):
        normalised_caps({"a": 0, "b": 0}, ["a", "b"])
    assert level_for(70) == Level.STRONG and level_for(69.9) == Level.DEVELOPING
    assert level_for(39.9) == Level.WEAK and level_for(None) == Level.NOT_COMPUTED
    assert level_for(50, (60, 50)) == Level.DEVELOPING
    assert median([1, None, 3, 10]) == 3 and median([None]) is None

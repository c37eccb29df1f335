"""The follow-up questionnaire as data, its checks and its summaries (pure functions)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamlik.prerequisites.models import ItemKind
from jamlik.stats import proportion
from jamlik.support import followup
from jamlik.support.followup import Row
from jamlik.support.followup_forms import FollowUpAnswerForm

ROLES = ["politician", "manager", "official", "other", ""]
scale = st.integers(min_value=1, max_value=5)
rows_strategy = st.lists(
    st.builds(
        Row,
        answers=st.fixed_dictionaries(
            {"usefulness": scale, "knowledge": scale, "intention": scale}
        ),
        role=st.sampled_from(ROLES),
        kommun=st.sampled_from(["0127", "0186", ""]),
        year=st.sampled_from([2025, 2026]),
    ),
    max_size=40,
)


def test_items_have_the_survey_item_shape_and_render_in_the_survey_form() -> None:
    form = FollowUpAnswerForm(kommuner=[("0127", "Botkyrka")], lang="sv")
    html = form.as_div()
    for item in followup.ITEMS:
        assert item.key in form.fields
        assert item.text("sv") in html
    assert "version" not in form.fields and "loaded" not in form.fields
    assert "5 – I mycket hög grad" in html
    english = FollowUpAnswerForm(kommuner=[], lang="en")
    assert english.fields["knowledge"].label == followup.ITEM_BY_KEY["knowledge"].text_en
    assert [i.kind for i in followup.SCALE_ITEMS] == [ItemKind.SCALE] * 3


def test_the_form_requires_scales_kommun_and_role_but_not_the_free_text() -> None:
    form = FollowUpAnswerForm({"usefulness": "4"}, kommuner=[("0127", "Botkyrka")])
    assert not form.is_valid()
    assert {"knowledge", "intention", "kommun", "role"} <= set(form.errors)
    assert "actions" not in form.errors
    good = FollowUpAnswerForm(
        {
            "usefulness": "4",
            "knowledge": "5",
            "intention": "3",
            "kommun": "other",
            "role": "manager",
        },
        kommuner=[("0127", "Botkyrka")],
    )
    assert good.is_valid(), good.errors
    assert good.answers() == {"usefulness": 4, "knowledge": 5, "intention": 3}


def test_a_kommun_outside_the_activity_or_a_scale_value_outside_1_to_5_is_refused() -> None:
    form = FollowUpAnswerForm(
        {"usefulness": "6", "knowledge": "5", "intention": "3", "kommun": "0180", "role": "boss"},
        kommuner=[("0127", "Botkyrka")],
    )
    assert not form.is_valid()
    assert {"usefulness", "kommun", "role"} <= set(form.errors)


@pytest.mark.parametrize("bad", [0, 6, "4.5", "x", None, True, 2.5])
def test_clean_answers_refuses_anything_but_whole_numbers_1_to_5(bad: object) -> None:
    with pytest.raises(ValueError, match="usefulness"):
        followup.clean_answers({"usefulness": bad, "knowledge": 3, "intention": 3})


def test_clean_answers_refuses_unknown_keys_and_trims_the_text() -> None:
    with pytest.raises(ValueError, match="unknown follow-up items: name"):
        followup.clean_answers({"usefulness": 1, "knowledge": 1, "intention": 1, "name": "Eva"})
    cleaned = followup.clean_answers(
        {"usefulness": "1", "knowledge": 2, "intention": "3", "actions": "  Ta upp i ledningen "}
    )
    assert cleaned == {
        "usefulness": 1,
        "knowledge": 2,
        "intention": 3,
        "actions": "Ta upp i ledningen",
    }


def test_default_closing_day_and_open_state() -> None:
    assert followup.default_closes(date(2026, 12, 1), date(2026, 12, 6)) == date(2027, 1, 5)
    assert followup.default_closes(date(2027, 1, 10), date(2026, 12, 6)) == date(2027, 2, 9)
    assert followup.is_open("tok", date(2026, 12, 6), date(2026, 12, 6))
    assert not followup.is_open("tok", date(2026, 12, 5), date(2026, 12, 6))
    assert not followup.is_open(None, date(2027, 1, 1), date(2026, 12, 6))
    assert not followup.is_open("tok", None, date(2026, 12, 6))


def test_scale_result_matches_the_statistics_engines_wilson_interval() -> None:
    result = followup.scale_result("knowledge", [5, 4, 4, 3, 2, 1, 5])
    expected = proportion([4], [7], multiplier=100).iloc[0]
    assert result.n == 7 and result.high == 4
    assert result.mean == pytest.approx(24 / 7)
    assert result.share == pytest.approx(expected["value"])
    assert result.lower == pytest.approx(expected["lower"])
    assert result.upper == pytest.approx(expected["upper"])


def test_fewer_than_five_answers_give_no_numbers() -> None:
    result = followup.scale_result("knowledge", [5, 5, 5, 5])
    assert result.suppressed and result.n == 4
    assert (result.mean, result.share, result.lower, result.upper, result.high) == (None,) * 5


@given(st.lists(scale, max_size=60))
def test_scale_result_properties(values: list[int]) -> None:
    r = followup.scale_result("usefulness", values)
    assert r.n == len(values)
    assert r.suppressed == (len(values) < followup.MIN_ANSWERS)
    if not r.suppressed:
        assert 1 <= r.mean <= 5
        assert 0 <= r.lower <= r.share <= r.upper <= 100
        assert r.high == sum(v >= 4 for v in values)


@given(rows_strategy)
def test_summary_groups_partition_the_answers(rows: list[Row]) -> None:
    s = followup.summary(rows)
    assert s.n == len(rows)
    for i, item in enumerate(followup.SCALE_ITEMS):
        groups = [s.groups[g][i].n for g in (followup.MANAGEMENT, followup.OTHERS)]
        assert sum(groups) == s.overall[i].n == len(rows)
        assert s.overall[i].key == item.key
    management = sum(r.role in {"politician", "manager"} for r in rows)
    assert s.groups[followup.MANAGEMENT][0].n == management


@given(rows_strategy)
def test_kommun_year_table_counts_every_answer_once(rows: list[Row]) -> None:
    years, table = followup.by_kommun_and_year(rows)
    assert years == sorted({r.year for r in rows})
    assert sum(cell.n for per_year in table.values() for cell in per_year.values()) == len(rows)
    for per_year in table.values():
        for cell in per_year.values():
            assert cell.suppressed == (cell.n < followup.MIN_ANSWERS)


@given(rows_strategy)
def test_process_measure_per_year(rows: list[Row]) -> None:
    measures = followup.process_measure(rows)
    assert [m.year for m in measures] == sorted({r.year for r in rows})
    for m in measures:
        in_year = [r for r in rows if r.year == m.year]
        assert m.overall.n == len(in_year)
        assert m.management.n == sum(r.role in {"politician", "manager"} for r in in_year)
        assert m.management.n <= m.overall.n


def test_summary_keeps_free_texts_in_order_and_skips_empty_ones() -> None:
    rows = [
        Row({"usefulness": 3, "knowledge": 3, "intention": 3, "actions": "Först"}, "official"),
        Row({"usefulness": 3, "knowledge": 3, "intention": 3}, "manager"),
        Row({"usefulness": 3, "knowledge": 3, "intention": 3, "actions": "Sedan"}, "politician"),
    ]
    assert followup.summary(rows).texts == ["Först", "Sedan"]

"""Gap logic: coverage relative to the median, need from indicator comparisons, the combination."""

from __future__ import annotations

from types import SimpleNamespace

from jamlik.actors.gaps import Coverage, Need, NeedSummary, classify_coverage, summarise_need


def test_coverage_is_relative_to_the_median():
    counts = {"a": 0, "b": 1, "c": 10, "d": 12, "e": 14, "f": 4}
    # median 7 → few line max(2, 3.5) = 3.5
    assert classify_coverage(counts) == {
        "a": Coverage.NONE,
        "b": Coverage.FEW,
        "c": Coverage.COVERED,
        "d": Coverage.COVERED,
        "e": Coverage.COVERED,
        "f": Coverage.COVERED,
    }


def test_two_or_fewer_is_always_few():
    assert classify_coverage({"a": 2, "b": 2, "c": 2}) == dict.fromkeys("abc", Coverage.FEW)
    assert classify_coverage({}) == {}


def test_need_counts_worse_among_judged_indicators():
    ind = lambda *areas: SimpleNamespace(target_areas=list(areas))  # noqa: E731
    comparisons = [
        (ind(3), SimpleNamespace(value="worse"), "2024"),
        (ind(3, 4), "much_worse", "2024"),
        (ind(3), "similar", "2024"),
        (ind(4), "better", "2024"),
        (ind(4), "higher", "2024"),  # no polarity: not judged
        (ind(5), "not_compared", ""),
    ]
    need = summarise_need(comparisons)
    assert need == {3: NeedSummary(2, 3), 4: NeedSummary(1, 2)}
    assert need[3].level == Need.HIGH
    assert need[4].level == Need.HIGH  # 1 of 2 ≥ a third
    assert NeedSummary(1, 4).level == Need.NOT_HIGH
    assert NeedSummary(0, 0).level == Need.UNKNOWN


def test_gap_report_flags_high_need_little_activity(small_map, monkeypatch):
    from jamlik.actors import gaps

    def fake_need(county, kommun_codes, districts):  # noqa: ANN001, ANN202
        assert "0127" in kommun_codes
        return gaps.CountyNeed({"0127": {2: NeedSummary(3, 4), 1: NeedSummary(0, 4)}}, {})

    monkeypatch.setattr(gaps, "need_available", lambda: True)
    monkeypatch.setattr(gaps, "county_need", fake_need)
    report = gaps.gap_report(small_map["county"])
    flagged = {row.key for row in report.flagged}
    assert "0127:2" in flagged  # Botkyrka: high need in målområde 2, no activity there
    assert "0127:1" not in flagged  # activity exists and need is not high
    by_area = {row.key: row for row in report.by_target_area}
    assert by_area["1"].count == 1 and by_area["8"].coverage == Coverage.NONE
    # The completed activity (målområde 6) is not current, so 6 has none.
    assert by_area["6"].count == 0
    groups = {row.key: row for row in report.by_group}
    assert groups["parents"].count == 1 and groups["older_people"].coverage == Coverage.NONE


def test_gap_view_works_without_the_situation_picture(small_map, client_for, monkeypatch):
    from jamlik.actors import gaps

    monkeypatch.setattr(gaps, "need_available", lambda: False)
    response = client_for("viewer").get("/aktorer/luckor/?county=01")
    assert response.status_code == 200
    assert (
        "situation picture" in response.content.decode()
        or "Lägesbilden" in response.content.decode()
    )


def test_overall_need_for_districts_counts_all_judged_indicators():
    from jamlik.actors.gaps import overall_need

    ind = SimpleNamespace(target_areas=[])
    comparisons = [
        (ind, "worse", ""),
        (ind, "similar", ""),
        (ind, "higher", ""),
        (ind, "much_worse", ""),
    ]
    summary = overall_need(comparisons)
    assert (summary.worse, summary.compared) == (2, 3) and summary.level == Need.HIGH


def test_gap_page_queries_are_bounded_by_neither_kommuner_nor_districts(
    small_map, django_assert_num_queries
):
    """Need for every kommun and district comes from one read of the public table, kept
    until the next publication; nothing is asked per area."""
    from django.core.cache import cache
    from django.test import Client

    from jamlik.geo.services import add_district

    for n in range(5):
        add_district(small_map["county"].children.get(code="0127"), code=f"T{n}", name=f"D{n}")
    client = Client()
    assert client.get("/aktorer/luckor/?county=03").status_code == 200  # site state created
    cache.clear()
    with django_assert_num_queries(13):  # + the catalogue (and observations, had it any)
        assert client.get("/aktorer/luckor/?county=01").status_code == 200
    with django_assert_num_queries(12):
        assert client.get("/aktorer/luckor/?county=01").status_code == 200

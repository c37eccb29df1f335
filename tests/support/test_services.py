"""Support services against the database: ladder, agreements, need against support."""

from __future__ import annotations

from datetime import date

import pytest

from jamlik.indicators.publication import rebuild
from jamlik.support import services
from jamlik.support.commitments import CommitmentState
from jamlik.support.models import (
    ActivityKind,
    NeedComponentSetting,
    NeedComponentSource,
    ParticipantRole,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def test_ladder_derived_per_kommun(records, county) -> None:  # noqa: ANN001
    rows = {r.municipality.code: r for r in services.ladder_for_county(county, TODAY, "en")}
    assert len(rows) == 26
    assert rows["0127"].status.step == 4  # agreement in force
    assert rows["0127"].step_name == "Deepened collaboration under an agreement"
    assert rows["0186"].status.step == 3  # visit; the draft agreement does not count
    assert rows["0182"].status.step == 1
    assert rows["0180"].status.step == 0 and rows["0180"].step_name == ""
    assert rows["0127"].status.years == {2025: 4, 2026: 4}
    one = services.ladder_for_municipality(records["kommuner"]["0186"], TODAY)
    assert one.status.step == 3 and one.last_activity == date(2026, 2, 1)


def test_several_roles_count_as_one_event(records, county) -> None:  # noqa: ANN001
    nacka = records["kommuner"]["0182"]
    services.save_activity(
        county,
        {"kind": ActivityKind.DIALOGUE, "title": "Dialog", "date": date(2026, 5, 1)},
        [
            services.ParticipationInput(nacka, ParticipantRole.OFFICIAL, 2),
            services.ParticipationInput(nacka, ParticipantRole.MANAGER, 1),
        ],
    )
    row = services.ladder_for_municipality(nacka, TODAY)
    assert row.status.step == 2 and row.activity_count == 2


def test_save_activity_refuses_bad_input(records, county, geography) -> None:  # noqa: ANN001
    goteborg = geography.get(code="1480")
    base = {"kind": ActivityKind.SEMINAR, "title": "x", "date": date(2026, 1, 1)}
    with pytest.raises(ValueError, match="not a municipality in Stockholms län"):
        services.save_activity(county, base, [services.ParticipationInput(goteborg, "official", 1)])
    nacka = records["kommuner"]["0182"]
    with pytest.raises(ValueError, match="unknown subject area"):
        services.save_activity(
            county,
            {**base, "subject_areas": ["astrology"]},
            [services.ParticipationInput(nacka, "official", 1)],
        )
    with pytest.raises(ValueError, match="målområde"):
        services.save_activity(
            county,
            {**base, "target_areas": [9]},
            [services.ParticipationInput(nacka, "official", 1)],
        )
    with pytest.raises(ValueError, match="at least one"):
        services.save_activity(county, base, [])


def test_agreement_view_due_and_late(records) -> None:  # noqa: ANN001
    view = services.agreement_view(records["agreement"], TODAY)
    assert [v.commitment.text for v in view.late] == ["Kartläggning"]
    assert view.late[0].days_late == 61
    assert [v.commitment.text for v in view.due] == ["Utbildning"]
    assert view.summary.total == 3 and view.summary.done == 1
    assert [v.state for v in view.by_phase["before"]] == [CommitmentState.DONE]
    services.set_commitment_status(records["late"], "done", TODAY)
    records["late"].refresh_from_db()
    assert records["late"].done_on == TODAY
    view = services.agreement_view(records["agreement"], TODAY)
    assert not view.late and view.summary.done == 2
    with pytest.raises(ValueError, match="unknown commitment status"):
        services.set_commitment_status(records["late"], "maybe", TODAY)


def _indicator(code: str, polarity: str):  # noqa: ANN202
    from jamlik.indicators.models import Indicator

    return Indicator.objects.create(
        code=code, name_sv=code, name_en=code, value_type="proportion", polarity=polarity
    )


def test_need_against_support_uses_indicators_and_says_when_data_is_missing(
    records, county, geography
) -> None:  # noqa: ANN001
    from jamlik.indicators.models import Observation

    indicator = _indicator("T1", "low")
    values = {"0127": 30.0, "0186": 5.0, "0182": 10.0, "0180": 20.0}
    for code, value in values.items():
        for period, v in (("2020", value - 1), ("2024", value)):
            Observation.objects.create(
                indicator=indicator,
                area=geography.get(code=code),
                period=period,
                period_start=int(period),
                period_end=int(period),
                value=v,
            )
    rebuild([indicator])  # the public table, which is all other apps read
    NeedComponentSetting.objects.create(
        county=county,
        source=NeedComponentSource.INDICATOR,
        reference="T1",
        label="T1",
        weight=1.0,
        higher_is_worse=True,
    )
    result = services.need_against_support(county, date(2025, 1, 1), TODAY)
    rows = {r.code: r for r in result.rows}
    # The county chose its own composition, so no default component is added.
    assert len(result.components) == 1
    assert list(result.available.values()) == [4]
    assert rows["0127"].need == 100.0 and rows["0127"].coverage == 1.0
    assert rows["0186"].need == 0.0
    assert rows["0180"].need == pytest.approx(200 / 3)
    assert rows["0114"].need is None and "Upplands Väsby" in result.no_need_data
    # Stockholm (0180) has high need and no support at all: flagged; Botkyrka is supported.
    assert rows["0180"].flagged and not rows["0127"].flagged
    assert result.rows[0].code == "0180"
    assert rows["0127"].support > rows["0182"].support > 0


def test_need_without_any_data_gives_no_scores(records, county) -> None:  # noqa: ANN001
    result = services.need_against_support(county, date(2025, 1, 1), TODAY)
    assert all(r.need is None for r in result.rows)
    assert len(result.no_need_data) == 26

"""Ladder step derivation from support records."""

from __future__ import annotations

from datetime import date, timedelta

from jamlik.support.ladder import (
    WINDOW_DAYS,
    ActivityKind,
    AgreementPeriod,
    SupportEvent,
    derive,
    step_on,
)

TODAY = date(2026, 6, 1)


def test_no_records_is_step_zero() -> None:
    status = derive([], [], today=TODAY)
    assert status.step == 0 and status.since is None and status.years == {} and not status.changes


def test_highest_recent_support_sets_the_step() -> None:
    events = [
        SupportEvent(date(2025, 3, 1), ActivityKind.SEMINAR),
        SupportEvent(date(2025, 9, 1), ActivityKind.DIALOGUE),
        SupportEvent(date(2026, 2, 1), ActivityKind.LEADERSHIP_VISIT),
        SupportEvent(date(2026, 4, 1), ActivityKind.NETWORK_MEETING),
    ]
    status = derive(events, [], today=TODAY)
    assert status.step == 3
    assert status.since == date(2026, 2, 1)
    assert status.years == {2025: 2, 2026: 3}
    assert [(c.on, c.step) for c in status.changes] == [
        (date(2025, 3, 1), 1),
        (date(2025, 9, 1), 2),
        (date(2026, 2, 1), 3),
    ]


def test_support_fades_after_the_window() -> None:
    visit = date(2022, 1, 10)
    events = [SupportEvent(visit, ActivityKind.LEADERSHIP_VISIT)]
    last_day = visit + timedelta(days=WINDOW_DAYS - 1)
    assert step_on(last_day, events, []) == 3
    assert step_on(last_day + timedelta(days=1), events, []) == 0
    status = derive(events, [], today=TODAY)
    assert status.step == 0
    assert [(c.on, c.step) for c in status.changes] == [
        (visit, 3),
        (last_day + timedelta(days=1), 0),
    ]
    assert status.years == {2022: 3}


def test_agreement_in_force_is_step_four_and_ends_on_its_end_date() -> None:
    events = [SupportEvent(date(2024, 5, 1), ActivityKind.DIALOGUE)]
    agreement = AgreementPeriod(date(2024, 9, 1), date(2025, 8, 31))
    assert step_on(date(2025, 8, 31), events, [agreement]) == 4
    # After the agreement the dialogue (still within two years) gives step 2.
    assert step_on(date(2025, 9, 1), events, [agreement]) == 2
    status = derive(events, [agreement], today=TODAY)
    assert status.step == 0  # the dialogue faded on 2026-05-01
    assert status.years == {2024: 4, 2025: 4}
    assert (date(2024, 9, 1), 4) in [(c.on, c.step) for c in status.changes]


def test_open_ended_agreement_and_future_records_ignored() -> None:
    agreement = AgreementPeriod(date(2026, 1, 1), None)
    future = SupportEvent(date(2027, 1, 1), ActivityKind.LEADERSHIP_VISIT)
    status = derive([future], [agreement], today=TODAY)
    assert status.step == 4 and status.since == date(2026, 1, 1)
    assert 2027 not in status.years


def test_development_project_counts_as_dialogue_level() -> None:
    events = [SupportEvent(date(2026, 1, 1), ActivityKind.DEVELOPMENT_PROJECT)]
    assert derive(events, [], today=TODAY).step == 2

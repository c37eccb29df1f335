"""Agreement commitments: what is due, what is late."""

from __future__ import annotations

from datetime import date

from jamlik.support.commitments import (
    CommitmentState,
    CommitmentStatus,
    days_late,
    state,
    summarise,
)

TODAY = date(2026, 3, 15)


def test_states() -> None:
    open_ = CommitmentStatus.OPEN
    assert state(open_, date(2026, 3, 14), TODAY) == CommitmentState.LATE
    assert state(open_, TODAY, TODAY) == CommitmentState.DUE_SOON
    assert state(open_, date(2026, 4, 14), TODAY) == CommitmentState.DUE_SOON
    assert state(open_, date(2026, 4, 15), TODAY) == CommitmentState.UPCOMING
    assert state(open_, None, TODAY) == CommitmentState.NO_DATE
    # Done or cancelled is never late, whatever the date.
    assert state(CommitmentStatus.DONE, date(2020, 1, 1), TODAY) == CommitmentState.DONE
    assert state(CommitmentStatus.CANCELLED, date(2020, 1, 1), TODAY) == CommitmentState.CANCELLED
    assert state(open_, date(2026, 3, 20), TODAY, soon_days=3) == CommitmentState.UPCOMING


def test_days_late() -> None:
    assert days_late(CommitmentStatus.OPEN, date(2026, 3, 1), TODAY) == 14
    assert days_late(CommitmentStatus.OPEN, TODAY, TODAY) == 0
    assert days_late(CommitmentStatus.DONE, date(2026, 3, 1), TODAY) == 0


def test_summary_ignores_cancelled() -> None:
    summary = summarise(
        [
            CommitmentState.DONE,
            CommitmentState.LATE,
            CommitmentState.LATE,
            CommitmentState.DUE_SOON,
            CommitmentState.CANCELLED,
            CommitmentState.UPCOMING,
        ]
    )
    assert (summary.total, summary.done, summary.late, summary.due_soon) == (5, 1, 2, 1)
    assert summary.share_done == 0.2
    assert summarise([]).share_done is None

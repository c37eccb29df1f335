"""What is due and what is late in an agreement on deepened collaboration.

The evaluation of the Stockholm pilot named a clear agreement on what each side does
before, during and after the collaboration as a success factor; these rules turn the
agreement's checklist into something a development leader can act on.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

DUE_SOON_DAYS = 30


class CommitmentStatus(enum.StrEnum):
    """What a user records."""

    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class CommitmentState(enum.StrEnum):
    """What the platform derives from the status, the due date and today."""

    DONE = "done"
    CANCELLED = "cancelled"
    LATE = "late"
    DUE_SOON = "due_soon"
    UPCOMING = "upcoming"
    NO_DATE = "no_date"


def state(
    status: CommitmentStatus,
    due: date | None,
    today: date,
    *,
    soon_days: int = DUE_SOON_DAYS,
) -> CommitmentState:
    """Late means open after its due date; due soon means open and due within ``soon_days``."""
    if status == CommitmentStatus.DONE:
        return CommitmentState.DONE
    if status == CommitmentStatus.CANCELLED:
        return CommitmentState.CANCELLED
    if due is None:
        return CommitmentState.NO_DATE
    if due < today:
        return CommitmentState.LATE
    if due <= today + timedelta(days=soon_days):
        return CommitmentState.DUE_SOON
    return CommitmentState.UPCOMING


def days_late(status: CommitmentStatus, due: date | None, today: date) -> int:
    """How many days an open commitment is past its due date (0 when not late)."""
    if status != CommitmentStatus.OPEN or due is None or due >= today:
        return 0
    return (today - due).days


@dataclass(frozen=True)
class AgreementSummary:
    total: int
    done: int
    late: int
    due_soon: int

    @property
    def share_done(self) -> float | None:
        """Done as a share of the commitments not cancelled; None when there are none."""
        return self.done / self.total if self.total else None


def summarise(states: Iterable[CommitmentState]) -> AgreementSummary:
    counted = [s for s in states if s != CommitmentState.CANCELLED]
    return AgreementSummary(
        total=len(counted),
        done=sum(s == CommitmentState.DONE for s in counted),
        late=sum(s == CommitmentState.LATE for s in counted),
        due_soon=sum(s == CommitmentState.DUE_SOON for s in counted),
    )

"""E-mail reminders to the editors of kommuner that have not finished a county task.

Apps say *what* is pending (an inventory round not confirmed, a survey not submitted)
as :class:`Reminder` values; this module finds the editors, sends one message per
kommun through Django's mail backend (SMTP from ``JAMLIK_EMAIL_URL``, or printed to the
console when none is set) and logs each sending. A kommun with no editor e-mail
address is reported back, so the county can reach it another way: a reminder is never
silently lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jamlik.accounts.models import ReminderLog, RoleKind
from jamlik.geo.models import Area


@dataclass(frozen=True)
class Reminder:
    """A message for one kommun's editors; ``path`` is the page where the task is done.

    ``role`` names who receives it: the editors of the kommun (the default), or, with
    ``RoleKind.COUNTY_ADMIN`` and a county as ``kommun``, that county's administrators
    (the national level reminding counties of their report upward).
    """

    topic: str
    kommun: Area
    subject: str
    body: str
    path: str
    role: str = RoleKind.EDITOR


@dataclass
class ReminderOutcome:
    sent: list[tuple[Area, list[str]]] = field(default_factory=list)
    without_address: list[Area] = field(default_factory=list)

    @property
    def addresses(self) -> int:
        return sum(len(a) for _k, a in self.sent)


def editor_addresses(kommun: Area) -> list[str]:
    """E-mail addresses of the active editors of ``kommun``, sorted and unique."""
    return role_addresses(kommun, RoleKind.EDITOR)


def role_addresses(area: Area, kind: str) -> list[str]:
    """E-mail addresses of the active users with a ``kind`` role on ``area``, sorted, unique."""
    users = get_user_model().objects.filter(is_active=True, roles__kind=kind, roles__area=area)
    return sorted({u.email.strip() for u in users if u.email and u.email.strip()})


def last_reminded(topic: str, areas: Iterable[Area]) -> dict[int, datetime]:
    """When each area was last reminded about ``topic`` (areas never reminded are absent)."""
    rows = (
        ReminderLog.objects.filter(topic=topic, area__in=list(areas))
        .values("area_id")
        .annotate(latest=Max("sent_at"))
    )
    return {row["area_id"]: row["latest"] for row in rows}


def send_reminders(
    reminders: Sequence[Reminder],
    *,
    base_url: str,
    sent_by: Any = None,
    dry_run: bool = False,
) -> ReminderOutcome:
    """Send each reminder to its kommun's editors; log what was sent (nothing if dry run).

    All messages go over one connection; if the server refuses, the error propagates and
    the log is rolled back, so the log never claims a reminder that was not sent.
    """
    addressed = [
        (reminder, role_addresses(reminder.kommun, reminder.role)) for reminder in reminders
    ]
    ready = [(reminder, addresses) for reminder, addresses in addressed if addresses]
    outcome = ReminderOutcome(
        sent=[(reminder.kommun, addresses) for reminder, addresses in ready],
        without_address=[reminder.kommun for reminder, addresses in addressed if not addresses],
    )
    if dry_run or not ready:
        return outcome
    messages = [
        EmailMessage(
            subject=reminder.subject,
            body=f"{reminder.body}\n\n{base_url.rstrip('/')}{reminder.path}\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=addresses,
        )
        for reminder, addresses in ready
    ]
    sender = sent_by if getattr(sent_by, "is_authenticated", False) else None
    with transaction.atomic():
        ReminderLog.objects.bulk_create(
            [
                ReminderLog(
                    sent_by=sender,
                    topic=reminder.topic,
                    subject=reminder.subject[:200],
                    area=reminder.kommun,
                    recipients=len(addresses),
                )
                for reminder, addresses in ready
            ]
        )
        get_connection(fail_silently=False).send_messages(messages)
    return outcome


def outcome_message(outcome: ReminderOutcome) -> str:
    """What the county administrator is told after sending (in the page's language)."""
    parts = [
        ngettext(
            "Reminder sent to %(n)s kommun (%(a)s addresses).",
            "Reminders sent to %(n)s kommuner (%(a)s addresses).",
            len(outcome.sent),
        )
        % {"n": len(outcome.sent), "a": outcome.addresses}
    ]
    if outcome.without_address:
        names = ", ".join(k.name for k in outcome.without_address)
        parts.append(
            _("No editor with an e-mail address, reach them another way: %(names)s.")
            % {"names": names}
        )
    return " ".join(parts)

"""Inventory rounds: the county opens one, kommuner update and confirm, the county sees what changed.

Opening a round stores the county's whole map (the same rows as the export package) as a
snapshot. "What changed since the last round" is then the difference between the previous
round's snapshot and the map now (or this round's snapshot, once a newer round exists);
the change log adds who made each change and when.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jamlik.accounts.reminders import Reminder
from jamlik.actors.choices import RoundStatus
from jamlik.actors.models import ChangeLogEntry, InventoryRound, RoundConfirmation
from jamlik.actors.rows import county_rows, diff_rows
from jamlik.geo.models import Area, AreaLevel

SHEETS = ("actors", "activities", "networks")


class RoundError(ValueError):
    pass


@transaction.atomic
def open_inventory_round(user: Any, county: Area, name: str) -> InventoryRound:
    """Only the county's administrator (or a national one) opens a round; one open at a time."""
    if not user.has_perm("jamlik.admin_county", county):
        raise PermissionDenied("Only the county administrator opens an inventory round.")
    if county.level != AreaLevel.COUNTY:
        raise RoundError(
            _("Rounds are opened for a län; %(area)s is not a län.") % {"area": county.name}
        )
    if InventoryRound.objects.filter(county=county, status=RoundStatus.OPEN).exists():
        raise RoundError(_("A round is already open for this county; close it first."))
    name = name.strip()
    if not name:
        raise RoundError(_("A round needs a name, e.g. “Inventering 2026”."))
    return InventoryRound.objects.create(
        county=county, name=name, opened_by=user, snapshot=county_rows(county.code)
    )


@transaction.atomic
def close_inventory_round(user: Any, round_: InventoryRound) -> InventoryRound:
    if not user.has_perm("jamlik.admin_county", round_.county):
        raise PermissionDenied("Only the county administrator closes an inventory round.")
    round_.status, round_.closed_at = RoundStatus.CLOSED, timezone.now()
    round_.save(update_fields=["status", "closed_at"])
    return round_


@transaction.atomic
def confirm_kommun(user: Any, round_: InventoryRound, kommun: Area) -> RoundConfirmation:
    """A kommun's editor confirms its part of the map is current in this round."""
    if round_.status != RoundStatus.OPEN:
        raise RoundError(_("This round is closed."))
    if kommun.parent_id != round_.county_id or not user.has_perm("jamlik.edit_area", kommun):
        raise PermissionDenied(f"{user} may not confirm for {kommun}.")
    confirmation, _created = RoundConfirmation.objects.update_or_create(
        round=round_, area=kommun, defaults={"confirmed_by": user}
    )
    return confirmation


REMINDER_TOPIC = "actors:inventory"


def unconfirmed_kommuner(round_: InventoryRound) -> list[Area]:
    """Kommuner of the county that have not confirmed their part of the map in this round."""
    confirmed = set(round_.confirmations.values_list("area_id", flat=True))
    return [k for k in Area.objects.municipalities(round_.county.code) if k.pk not in confirmed]


def inventory_reminders(round_: InventoryRound) -> list[Reminder]:
    """One reminder (in Swedish) per kommun still to confirm; none once the round is closed."""
    if round_.status != RoundStatus.OPEN:
        return []
    path = reverse("actors:round", args=[round_.pk])
    with translation.override("sv"):
        return [
            Reminder(
                topic=REMINDER_TOPIC,
                kommun=kommun,
                subject=_("Reminder: update the actor map for %(kommun)s")
                % {"kommun": kommun.name},
                body=_(
                    "The inventory round “%(round)s” of the actor map for %(county)s is open. "
                    "%(kommun)s has not yet confirmed that its part of the map is up to date. "
                    "Please review the kommun's actors and activities and confirm on the "
                    "round's page:"
                )
                % {"round": round_.name, "county": round_.county.name, "kommun": kommun.name},
                path=path,
            )
            for kommun in unconfirmed_kommuner(round_)
        ]


@dataclass
class RecordChange:
    sheet: str
    ref: str
    label: str
    area: str
    kind: str  # "added", "removed", "changed"
    fields: dict[str, list[Any]] = field(default_factory=dict)
    area_name: str = ""


def _label(row: dict[str, Any]) -> str:
    return str(row.get("name") or row.get("title") or row.get("ref"))


def diff_maps(before: dict[str, list[dict]], after: dict[str, list[dict]]) -> list[RecordChange]:
    """Records added, removed or changed between two maps (matched by ``ref``; pure)."""
    changes: list[RecordChange] = []
    for sheet in SHEETS:
        old = {r["ref"]: r for r in before.get(sheet, [])}
        new = {r["ref"]: r for r in after.get(sheet, [])}
        for ref, row in new.items():
            if ref not in old:
                changes.append(RecordChange(sheet, ref, _label(row), row.get("area", ""), "added"))
            else:
                fields = diff_rows(old[ref], row)
                if fields:
                    changes.append(
                        RecordChange(
                            sheet, ref, _label(row), row.get("area", ""), "changed", fields
                        )
                    )
        for ref, row in old.items():
            if ref not in new:
                changes.append(
                    RecordChange(sheet, ref, _label(row), row.get("area", ""), "removed")
                )
    return changes


@dataclass
class RoundReport:
    round: InventoryRound
    previous: InventoryRound | None
    changes: list[RecordChange]
    by_area: list[dict[str, Any]]
    log: list[ChangeLogEntry]


def round_report(round_: InventoryRound) -> RoundReport:
    """What changed in the county since the previous round, per kommun, with who confirmed."""
    newer = (
        InventoryRound.objects.filter(county=round_.county, opened_at__gt=round_.opened_at)
        .order_by("opened_at")
        .first()
    )
    current = newer.snapshot if newer is not None else county_rows(round_.county.code)
    previous = (
        InventoryRound.objects.filter(county=round_.county, opened_at__lt=round_.opened_at)
        .order_by("-opened_at")
        .first()
    )
    # Since the last round: from the round before this one (or this round's opening).
    baseline = previous.snapshot if previous is not None else round_.snapshot
    changes = diff_maps(baseline, current)
    names = dict(
        Area.objects.filter(code__in={c.area for c in changes}).values_list("code", "name")
    )
    for change in changes:
        change.area_name = names.get(change.area, change.area)
    confirmed = {c.area_id: c for c in round_.confirmations.select_related("confirmed_by")}
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.area] = counts.get(change.area, 0) + 1
    by_area = []
    for kommun in Area.objects.municipalities(round_.county.code):
        confirmation = confirmed.get(kommun.pk)
        by_area.append(
            {
                "area": kommun,
                "changes": counts.get(kommun.code, 0),
                "confirmed": confirmation,
            }
        )
    log = list(ChangeLogEntry.objects.filter(round=round_).select_related("user", "area")[:200])
    return RoundReport(round_, previous, changes, by_area, log)

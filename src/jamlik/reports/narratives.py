"""The county's written sections of its reports: read, saved with optimistic locking.

A narrative is one :class:`~jamlik.reports.models.ReportNarrative` per area, year and
section. A section nobody has written has no row; the editor opens it at version 0, so
two people who both start writing an empty section do not overwrite each other: the
second save finds a row at version 1 and is refused (409) like any stale save.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from jamlik.core.versioning import VersionConflict, claim
from jamlik.geo.models import Area
from jamlik.reports.models import ReportNarrative

#: The version an editor opens for a section with no text stored yet.
NEW = 0


def narratives(area: Area, year: int) -> dict[str, ReportNarrative]:
    """The year's stored sections by key (one query)."""
    return {n.section_key: n for n in ReportNarrative.objects.filter(area=area, year=year)}


def previous_texts(area: Area, year: int) -> dict[str, tuple[int, str]]:
    """Per section, the latest earlier year's non-empty text: key -> (year, text)."""
    found: dict[str, tuple[int, str]] = {}
    for key, y, text in (
        ReportNarrative.objects.filter(area=area, year__lt=year)
        .exclude(text="")
        .order_by("-year")
        .values_list("section_key", "year", "text")
    ):
        found.setdefault(key, (y, text))
    return found


def save_narrative(
    area: Area, year: int, key: str, text: str, *, expected: int | None, user: Any = None
) -> ReportNarrative:
    """Store ``text`` for the section if it is still at version ``expected``.

    ``expected`` is :data:`NEW` for a section that had no row when the editor opened it,
    ``None`` to save without a check. Raises
    :class:`~jamlik.core.versioning.VersionConflict` when someone saved in between.
    """
    author = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        record = ReportNarrative.objects.filter(area=area, year=year, section_key=key).first()
        if record is None:
            try:
                with transaction.atomic():
                    return ReportNarrative.objects.create(
                        area=area, year=year, section_key=key, text=text, updated_by=author
                    )
            except IntegrityError:  # created by someone else just now
                record = ReportNarrative.objects.get(area=area, year=year, section_key=key)
                raise VersionConflict(record, expected) from None
        if expected == NEW:
            raise VersionConflict(record, expected)
        if record.text == text:
            return record  # nothing to change: nobody's text can be lost
        claim(record, expected)
        record.text = text
        record.updated_by = author
        record.save(update_fields=["text", "updated_by", "updated_at", "version"])
        return record

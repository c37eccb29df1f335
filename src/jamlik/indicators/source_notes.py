"""The sources' mandatory notes on the figures a page or export shows.

Some sources make a note part of the figures: SCB's tables carry notes marked
mandatory ("noteMandatory" in PxWeb's JSON-stat; e.g. that random noise was
added to protect individuals, or that a region's boundaries changed), and its
terms of use ask that they accompany the figures wherever they are shown.
An import keeps a table's notes on its run (``ImportRun.notes``, a list of
``{"text", "mandatory"}``); this module finds, for the indicators (and areas)
a page or export shows, the published runs that supplied public rows and
returns their mandatory notes, each text once.

Cost: one query for the published runs that have notes at all (few: only
sources with notes produce them), then one indexed ``EXISTS`` per such run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from jamlik.indicators.models import ImportRun, PublicObservation


def mandatory_texts(notes: Any) -> list[str]:
    """The texts of the mandatory notes in a stored ``ImportRun.notes`` value (pure).

    Anything not shaped as a list of ``{"text", "mandatory"}`` is ignored, so
    an old or hand-edited run cannot break a page.
    """
    if not isinstance(notes, list):
        return []
    return [
        str(note["text"])
        for note in notes
        if isinstance(note, Mapping) and note.get("mandatory") and str(note.get("text", "")).strip()
    ]


def _runs_with_mandatory_notes() -> dict[int, list[str]]:
    runs = ImportRun.objects.filter(published=True, complete=True).exclude(notes=[])
    found = {pk: mandatory_texts(notes) for pk, notes in runs.values_list("pk", "notes")}
    return {pk: texts for pk, texts in found.items() if texts}


def notes_by_run(
    indicator_ids: Iterable[int], area_ids: Iterable[int] | None = None
) -> dict[int, list[str]]:
    """Run id → mandatory note texts, for the published runs that supplied public rows
    of ``indicator_ids`` (for ``area_ids`` only, when given)."""
    indicators = sorted(set(indicator_ids))
    if not indicators:
        return {}
    runs = _runs_with_mandatory_notes()
    if not runs:
        return {}
    rows = PublicObservation.objects.filter(indicator_id__in=indicators)
    if area_ids is not None:
        rows = rows.filter(area_id__in=sorted(set(area_ids)))
    return {pk: texts for pk, texts in runs.items() if rows.filter(import_run_id=pk).exists()}


def mandatory_notes(
    indicator_ids: Iterable[int], area_ids: Iterable[int] | None = None
) -> list[str]:
    """The mandatory source notes that go with these indicators' public figures."""
    return _unique(notes_by_run(indicator_ids, area_ids).values())


def _unique(groups: Iterable[Sequence[str]]) -> list[str]:
    return list(dict.fromkeys(text for texts in groups for text in texts))

"""Staged imports: a file import waits in its run until the county publishes it.

An upload never touches what the public sees.  Its rows are stored *staged*
(``is_live`` false).  Publishing swaps them in, in one transaction: the live
rows they replace are set aside (``superseded_by`` the run), the run's rows go
live and the protected public table is rebuilt and audited; if the audit finds
a count at risk, the whole swap is rolled back.  Withdrawing the run reverses
it: its rows are staged again and the rows it set aside come back, so the
public sees exactly what it saw before.  Either way the public never sees a
half state: readers see the old tables until the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from jamlik.indicators.models import ImportRun, Observation
from jamlik.indicators.publication import rebuild

Key = tuple[int, int, str, str, str]
CHUNK = 900  # stays under SQLite's limit on query parameters
KEY_FIELDS = ("indicator_id", "area_id", "period", "breakdown", "category")


def live_rows(keys: Iterable[Key], *, exclude_run: int | None = None) -> dict[Key, tuple[int, Any]]:
    """Live rows with one of ``keys``: key → (id, import run id); one query per indicator."""
    wanted: dict[int, set[Key]] = {}
    for key in keys:
        wanted.setdefault(key[0], set()).add(key)
    found: dict[Key, tuple[int, Any]] = {}
    for indicator_id, group in wanted.items():
        query = Observation.objects.filter(
            indicator_id=indicator_id, is_live=True, period__in={k[2] for k in group}
        )
        if exclude_run is not None:
            query = query.exclude(import_run_id=exclude_run)
        for ident, run_id, *key in query.values_list("id", "import_run_id", *KEY_FIELDS).iterator(
            chunk_size=5000
        ):
            k: Key = (key[0], key[1], key[2], key[3], key[4])
            if k in group:
                found[k] = (ident, run_id)
    return found


def _update(ids: list[int], **fields: Any) -> None:
    for first in range(0, len(ids), CHUNK):
        Observation.objects.filter(id__in=ids[first : first + CHUNK]).update(**fields)


def _run_keys(run: ImportRun) -> list[Key]:
    return [
        (k[0], k[1], k[2], k[3], k[4])
        for k in Observation.objects.filter(import_run=run).values_list(*KEY_FIELDS)
    ]


def _indicators(run: ImportRun) -> set[int]:
    return set(
        Observation.objects.filter(import_run=run).values_list("indicator_id", flat=True).distinct()
    )


def publish(run: ImportRun, *, user: Any) -> ImportRun:
    """Make a staged run's rows live, setting aside the rows they replace.

    Raises :class:`jamlik.indicators.publication.DisclosureRiskError` (and
    changes nothing) if the resulting public table would leave a hidden count
    recoverable.
    """
    with transaction.atomic():
        replaced = live_rows(_run_keys(run), exclude_run=run.pk)
        _update([ident for ident, _run in replaced.values()], is_live=False, superseded_by=run)
        Observation.objects.filter(import_run=run).update(is_live=True, superseded_by=None)
        run.published = True
        run.published_at = timezone.now()
        run.published_by = user
        run.save(update_fields=["published", "published_at", "published_by"])
        rebuild(_indicators(run))
    return run


def withdraw(run: ImportRun) -> ImportRun:
    """Stage a published run's rows again and bring back the rows it set aside.

    A row the run set aside comes back only where no other published run has
    since taken the cell; it is then set aside by that run instead, so that
    withdrawing that one in turn brings it back.
    """
    with transaction.atomic():
        affected = _indicators(run) | set(
            Observation.objects.filter(superseded_by=run)
            .values_list("indicator_id", flat=True)
            .distinct()
        )
        Observation.objects.filter(import_run=run).update(is_live=False, superseded_by=None)
        set_aside = list(
            Observation.objects.filter(superseded_by=run).values_list("id", *KEY_FIELDS)
        )
        taken = live_rows(((k[0], k[1], k[2], k[3], k[4]) for _i, *k in set_aside))
        back: list[int] = []
        elsewhere: dict[int, list[int]] = {}
        for ident, *key in set_aside:
            holder = taken.get((key[0], key[1], key[2], key[3], key[4]))
            if holder is None:
                back.append(ident)
            else:
                elsewhere.setdefault(holder[1], []).append(ident)
        _update(back, is_live=True, superseded_by=None)
        for holder_run, ids in elsewhere.items():
            _update(ids, superseded_by_id=holder_run)
        run.published = False
        run.published_at = None
        run.published_by = None
        run.save(update_fields=["published", "published_at", "published_by"])
        rebuild(affected)
    return run

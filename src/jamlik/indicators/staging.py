"""Staged imports: a file import waits in its run until the county publishes it.

An upload never touches what the public sees.  Its rows are stored *staged*
(``is_live`` false), in batches of short transactions, while the run is marked
incomplete (nobody sees an incomplete run's rows; a failed load is removed).

Publishing happens under the publishing lock in three steps, so that nobody's
save waits long for it: (1) the protected public table each touched
indicator will have is computed and audited from the rows as they will be,
without writing anything, and a count at risk refuses the whole publication;
(2) then, one indicator at a time in a short transaction of its own, the rows
are swapped (the live rows they replace are set aside, ``superseded_by`` the
run, or deleted for open sources that are reloaded whole; the run's rows go
live) and the indicator's new public table written.  Withdrawing the run reverses it: its
rows are staged again and the rows it set aside come back, so the public sees
exactly what it saw before.  The public never sees a half state of an
indicator: it reads only the public table, which changes an indicator at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from jamlik.indicators.models import ImportRun, Indicator, Observation
from jamlik.indicators.publication import (
    prepare,
    prospective_frame,
    publishing_lock,
    refuse_if_at_risk,
    write_prepared,
)

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


def _run_keys(run: ImportRun, indicator: Indicator) -> list[Key]:
    rows = Observation.objects.filter(import_run=run, indicator=indicator)
    return [(k[0], k[1], k[2], k[3], k[4]) for k in rows.values_list(*KEY_FIELDS)]


def _indicators(run: ImportRun) -> list[Indicator]:
    ids = Observation.objects.filter(import_run=run).values_list("indicator_id", flat=True)
    return list(Indicator.objects.filter(pk__in=ids.distinct()))


class IncompleteRun(Exception):
    """A run still being written (or left over from a failed load) cannot be published."""


def publish(run: ImportRun, *, user: Any, discard_replaced: bool = False) -> ImportRun:
    """Make a staged run's rows live, setting aside the rows they replace (see the
    module docstring for the steps).

    ``discard_replaced`` deletes the replaced rows instead (open sources,
    reloaded whole).  Raises :class:`jamlik.indicators.publication.DisclosureRiskError`
    (and changes nothing) if the resulting public table would leave a hidden
    count recoverable, and :class:`IncompleteRun` for a run not completely stored.
    Each indicator is swapped in a transaction of its own; if the process dies
    half way, the run stays unpublished and publishing it again finishes the job.
    """
    if not run.complete:
        raise IncompleteRun(f"import run {run.pk} is not completely stored")

    def swap(indicator: Indicator) -> None:
        replaced = live_rows(_run_keys(run, indicator), exclude_run=run.pk)
        ids = [ident for ident, _run in replaced.values()]
        if discard_replaced:
            for first in range(0, len(ids), CHUNK):
                Observation.objects.filter(id__in=ids[first : first + CHUNK]).delete()
        else:
            _update(ids, is_live=False, superseded_by=run)
        Observation.objects.filter(import_run=run, indicator=indicator).update(
            is_live=True, superseded_by=None
        )

    with publishing_lock():
        prepared = prepare(_indicators(run), lambda i: prospective_frame(i, adding=run))
        refuse_if_at_risk(prepared)
        write_prepared(prepared, before=swap)
        run.published = True
        run.published_at = timezone.now()
        run.published_by = user
        run.save(update_fields=["published", "published_at", "published_by"])
    return run


def withdraw(run: ImportRun) -> ImportRun:
    """Stage a published run's rows again and bring back the rows it set aside.

    A row the run set aside comes back only where no other published run has
    since taken the cell; it is then set aside by that run instead, so that
    withdrawing that one in turn brings it back.  One transaction per indicator,
    as in :func:`publish`.
    """

    def swap(indicator: Indicator) -> None:
        Observation.objects.filter(import_run=run, indicator=indicator).update(
            is_live=False, superseded_by=None
        )
        set_aside = list(
            Observation.objects.filter(superseded_by=run, indicator=indicator).values_list(
                "id", *KEY_FIELDS
            )
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

    with publishing_lock():
        affected = set(_indicators(run)) | set(
            Indicator.objects.filter(
                pk__in=Observation.objects.filter(superseded_by=run)
                .values_list("indicator_id", flat=True)
                .distinct()
            )
        )
        prepared = prepare(affected, lambda i: prospective_frame(i, removing=run))
        refuse_if_at_risk(prepared)
        write_prepared(prepared, before=swap)
        run.published = False
        run.published_at = None
        run.published_by = None
        run.save(update_fields=["published", "published_at", "published_by"])
    return run


def discard(run: ImportRun, batch: int = 20_000) -> None:
    """Remove a run that was not completely stored, its rows in short transactions."""
    ids = list(
        Observation.objects.filter(import_run=run).order_by("pk").values_list("pk", flat=True)
    )
    for first in range(0, len(ids), batch):
        Observation.objects.filter(
            import_run=run, pk__gte=ids[first], pk__lte=ids[min(first + batch, len(ids)) - 1]
        ).delete()
    ImportRun.objects.filter(pk=run.pk).delete()


#: An incomplete run older than this is a load that died (a million rows take seconds).
ABANDONED_AFTER = timedelta(hours=6)


def discard_abandoned() -> int:
    """Remove runs left incomplete by a load that died (the process was killed);
    ``jamlik init`` calls this.  Returns how many were removed."""
    stale = ImportRun.objects.filter(
        complete=False, started_at__lt=timezone.now() - ABANDONED_AFTER
    )
    runs = list(stale)
    for run in runs:
        discard(run)
    return len(runs)

"""The publication layer: build the protected public table, and audit what it shows.

Disclosure control is computed here, once per indicator over its whole
published structure (every area from riket to district, every breakdown with
its total, every period), whenever the live observations change: when an open
source is loaded, when the county publishes or withdraws a file import, when
the demo is seeded.  The result is :class:`PublicObservation`, the only table
the public reads; filters on pages and in the API select rows from it and
never compute suppression again, so asking for a subset cannot reveal what
the whole hides.  The method is in :mod:`jamlik.indicators.protection`.

The audit reads back what was actually written to the public table and, for
every count it hides, computes the feasible interval an attacker could derive
from everything published (linear programming, as τ-ARGUS audits a table).
Publication refuses a table with a count at risk.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from jamlik.core.bulk import insert_many
from jamlik.geo.models import Area, AreaLevel
from jamlik.indicators.models import (
    OBSERVATION_COLUMNS,
    ImportRun,
    Indicator,
    Observation,
    Publication,
    PublicObservation,
    PublishingLock,
)
from jamlik.indicators.protection import Audit, audit, build_relations, protect, relation_kinds

SOURCE_FIELDS = OBSERVATION_COLUMNS
PUBLIC_FIELDS = (*SOURCE_FIELDS, "suppressed", "suppression")
NUMBERS = ("numerator", "denominator", "value", "lower", "upper")
LINKED = ("value", "lower", "upper")
KEY = ["indicator_id", "area_id", "period", "breakdown", "category"]
#: A holder of the publishing lock that has not written for this long is taken to have died.
LOCK_STALE = timedelta(minutes=10)
#: How long a publication waits for another one to finish before giving up.
LOCK_WAIT_SECONDS = 600.0


class DisclosureRiskError(Exception):
    """A table would publish a hidden count that can be recovered: publication refused."""

    def __init__(self, reports: Sequence[IndicatorReport]) -> None:
        self.reports = list(reports)
        risky = [cell for report in self.reports for cell in report.at_risk]
        super().__init__(
            f"{len(risky)} hidden counts could be recovered from what would be published; "
            "nothing was published. First: "
            + "; ".join(
                f"{c['indicator']} {c['area']} {c['period']} {c['breakdown']}={c['category']} "
                f"({c['column']}: could only lie in {c['lower']:g}–{c['upper']:g})"
                for c in risky[:5]
            )
        )


@dataclass
class IndicatorReport:
    """What building or auditing one indicator's public table found."""

    indicator: str
    cells: int = 0
    suppressed: int = 0
    audited: int = 0
    programmes: int = 0
    seconds: float = 0.0
    at_risk: list[dict[str, Any]] = field(default_factory=list)


def _frame(rows: Iterable[tuple[Any, ...]], columns: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows), columns=list(columns))
    for column in NUMBERS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def live_frame(indicator: Indicator) -> pd.DataFrame:
    """The live (approved) observations of one indicator, all areas and periods."""
    rows = Observation.objects.filter(indicator=indicator, is_live=True).values_list(*SOURCE_FIELDS)
    return _frame(rows.order_by("pk"), SOURCE_FIELDS)


def _rows_frame(query: Any) -> pd.DataFrame:
    return _frame(query.values_list("pk", *SOURCE_FIELDS), ("pk", *SOURCE_FIELDS))


def prospective_frame(
    indicator: Indicator, *, adding: ImportRun | None = None, removing: ImportRun | None = None
) -> pd.DataFrame:
    """The live rows of ``indicator`` as they will be once ``adding`` is published, or
    ``removing`` withdrawn, read without changing anything.

    Publishing a run replaces the live rows with the same keys; withdrawing one
    brings back the rows it set aside, except where another live row holds the
    cell.  Rows come in the order of their ids, as :func:`live_frame` reads them
    after the change, so the protection computed now is the one a rebuild gives.
    """
    live = Observation.objects.filter(indicator=indicator, is_live=True)
    if removing is not None:
        live = live.exclude(import_run=removing)
    parts = [_rows_frame(live)]
    if adding is not None:
        parts.append(
            _rows_frame(Observation.objects.filter(indicator=indicator, import_run=adding))
        )
        frame = pd.concat(parts, ignore_index=True).drop_duplicates(KEY, keep="last")
    elif removing is not None:
        back = Observation.objects.filter(indicator=indicator, superseded_by=removing)
        parts.append(_rows_frame(back))
        frame = pd.concat(parts, ignore_index=True).drop_duplicates(KEY, keep="first")
    else:
        frame = parts[0]
    return frame.sort_values("pk").drop(columns="pk").reset_index(drop=True)


def _parents() -> dict[int, int]:
    return {pk: (parent or -1) for pk, parent in Area.objects.values_list("pk", "parent_id")}


def _cells(frame: pd.DataFrame, parents: dict[int, int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area": frame["area_id"].to_numpy(dtype=np.int64),
            "parent": frame["area_id"].map(parents).fillna(-1).to_numpy(dtype=np.int64),
            "breakdown": frame["breakdown"].to_numpy(),
            "category": frame["category"].to_numpy(),
            "start": frame["period_start"].to_numpy(dtype=np.int64),
            "end": frame["period_end"].to_numpy(dtype=np.int64),
        }
    )


def protect_frame(
    frame: pd.DataFrame, indicator: Indicator, parents: dict[int, int]
) -> tuple[pd.DataFrame, IndicatorReport]:
    """The public version of one indicator's live rows, and what protecting it took.

    Numerators below the indicator's ``disclosure_threshold`` and denominators
    below its ``denominator_threshold`` are hidden with their complements; a
    row with either hidden loses its value and interval too (with the other
    number they would give the hidden one back).
    """
    started = time.perf_counter()
    report = IndicatorReport(indicator.code, cells=len(frame))
    out = frame.copy()
    out["suppressed"] = False
    out["suppression"] = ""
    if frame.empty:
        return out, report
    relations = build_relations(_cells(frame, parents))
    numerator = protect(frame["numerator"].to_numpy(), indicator.disclosure_threshold, relations)
    denominator = protect(
        frame["denominator"].to_numpy(), indicator.denominator_threshold, relations
    )
    out["numerator"] = frame["numerator"].where(~numerator.hidden)
    out["denominator"] = frame["denominator"].where(~denominator.hidden)
    hidden = numerator.hidden | denominator.hidden
    for column in LINKED:
        out[column] = frame[column].where(~hidden)
    out["suppressed"] = hidden
    out["suppression"] = np.select(
        [numerator.primary, denominator.primary, hidden],
        [
            PublicObservation.Suppression.PRIMARY,
            PublicObservation.Suppression.DENOMINATOR,
            PublicObservation.Suppression.SECONDARY,
        ],
        "",
    )
    report.suppressed = int(hidden.sum())
    for column, result in (("numerator", numerator), ("denominator", denominator)):
        report.audited += int(result.hidden.sum())
        report.programmes += result.audit.programmes
        report.at_risk += _risky(frame, indicator, column, result.audit)
    report.seconds = time.perf_counter() - started
    return out, report


def _risky(
    frame: pd.DataFrame, indicator: Indicator, column: str, result: Audit
) -> list[dict[str, Any]]:
    codes = dict(Area.objects.values_list("pk", "code")) if result.at_risk.any() else {}
    return [
        {
            "indicator": indicator.code,
            "area": codes.get(int(frame["area_id"].iat[i]), ""),
            "period": str(frame["period"].iat[i]),
            "breakdown": str(frame["breakdown"].iat[i]),
            "category": str(frame["category"].iat[i]),
            "column": column,
            "lower": float(result.lower[i]),
            "upper": float(result.upper[i]),
        }
        for i in np.flatnonzero(result.at_risk)
    ]


def _write(indicator: Indicator, frame: pd.DataFrame) -> None:
    PublicObservation.objects.filter(indicator=indicator).delete()
    if frame.empty:
        return
    records = frame[list(PUBLIC_FIELDS)].astype(object)
    records = records.where(pd.notna(records), None)
    rows = [
        (
            int(r[0]),
            int(r[1]),
            r[2],
            int(r[3]),
            int(r[4]),
            *r[5:14],
            None if r[14] is None else int(r[14]),
            bool(r[15]),
            r[16] or "",  # status
            bool(r[17]),
            r[18] or "",
        )
        for r in records.itertuples(index=False, name=None)
    ]
    insert_many(PublicObservation._meta.db_table, PUBLIC_FIELDS, rows)


_held = threading.local()


@contextmanager
def publishing_lock(wait: float = LOCK_WAIT_SECONDS) -> Iterator[str]:
    """Hold the one publishing lock (see :class:`PublishingLock`) for a block.

    Re-entrant within a thread.  Waits for another holder up to ``wait``
    seconds, then raises :class:`PublishingBusy`; a holder silent for
    :data:`LOCK_STALE` is taken over.
    """
    if getattr(_held, "token", None):
        yield _held.token
        return
    token = uuid.uuid4().hex
    PublishingLock.objects.get_or_create(pk=1)  # handles a creation race itself
    deadline = time.monotonic() + wait
    while not _claim(token):
        if time.monotonic() > deadline:
            raise PublishingBusy
        time.sleep(0.2)
    _held.token = token
    try:
        yield token
    finally:
        _held.token = None
        PublishingLock.objects.filter(pk=1, holder=token).update(holder="", since=None)


def _claim(token: str) -> bool:
    now = timezone.now()
    free = Q(holder="") | Q(since__lt=now - LOCK_STALE) | Q(since__isnull=True)
    return bool(PublishingLock.objects.filter(free, pk=1).update(holder=token, since=now))


def _still_holding() -> None:
    """Tell others the holder is alive (a long publication writes many tables)."""
    token = getattr(_held, "token", None)
    if token:
        PublishingLock.objects.filter(pk=1, holder=token).update(since=timezone.now())


class PublishingBusy(Exception):
    """Another publication has held the publishing lock for longer than we wait."""

    def __init__(self) -> None:
        super().__init__("Another publication is in progress; try again in a few minutes.")


@dataclass
class Prepared:
    """One indicator's public table, computed and waiting to be written."""

    indicator: Indicator
    public: pd.DataFrame
    report: IndicatorReport


def prepare(indicators: Iterable[Indicator], frames: Any = None) -> list[Prepared]:
    """Protect each indicator's rows (its live rows, or ``frames(indicator)``) without
    writing anything: no database transaction is open while this computes."""
    parents = _parents()
    read = frames or live_frame
    prepared = []
    for indicator in indicators:
        public, report = protect_frame(read(indicator), indicator, parents)
        prepared.append(Prepared(indicator, _compact(public), report))
    return prepared


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Texts as categories: a publication holds every table it will write at once, and
    periods, groups, notes and sources repeat (a tenth of the memory of a text each)."""
    texts = [c for c in frame.columns if frame[c].dtype == object]
    return frame.astype(dict.fromkeys(texts, "category")) if texts else frame


def refuse_if_at_risk(prepared: Sequence[Prepared]) -> None:
    """Raise :class:`DisclosureRiskError` if any prepared table leaves a count recoverable."""
    risky = [p.report for p in prepared if p.report.at_risk]
    if risky:
        raise DisclosureRiskError(risky)


def write_prepared(
    prepared: Sequence[Prepared], before: Callable[[Indicator], None] | None = None
) -> None:
    """Swap in each indicator's new public table, one short transaction per indicator.

    ``before(indicator)`` runs first in the same transaction (publishing swaps
    that indicator's live rows there).  Readers see an indicator's old table
    until its new one is complete; other people's saves wait at most for one
    indicator's write, never for a whole publication.  A reader may briefly see
    one indicator new and another old.
    """
    for item in prepared:
        with transaction.atomic():
            if before is not None:
                before(item.indicator)
            _write(item.indicator, item.public)
            Publication.objects.update_or_create(
                indicator=item.indicator,
                defaults={
                    "built_at": timezone.now(),
                    "cells": item.report.cells,
                    "suppressed": item.report.suppressed,
                    "audited": item.report.audited,
                    "at_risk": len(item.report.at_risk),
                },
            )
        _still_holding()
    if prepared:
        _refresh_statistics()


def _refresh_statistics() -> None:
    """Fresh planner statistics after the tables changed in bulk (SQLite keeps none
    until asked; PostgreSQL's autovacuum may come minutes later)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")
        elif connection.vendor == "postgresql" and not connection.in_atomic_block:
            for model in (PublicObservation, Observation):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _chosen(indicators: Iterable[Indicator | int] | None) -> list[Indicator]:
    if indicators is None:
        return list(Indicator.objects.all())
    ids = [i.pk if isinstance(i, Indicator) else int(i) for i in indicators]
    return list(Indicator.objects.filter(pk__in=ids))


def rebuild(
    indicators: Iterable[Indicator | int] | None = None, *, refuse_at_risk: bool = True
) -> list[IndicatorReport]:
    """Rebuild the public table of ``indicators`` (all when ``None``) from the live rows.

    Every table is computed first, outside any transaction, under the
    publishing lock; with ``refuse_at_risk`` a pattern that leaves any hidden
    count recoverable raises :class:`DisclosureRiskError` before anything is
    written.  Then each indicator's table is swapped in by
    :func:`write_prepared`.
    """
    chosen = _chosen(indicators)
    with publishing_lock():
        prepared = prepare(chosen)
        if refuse_at_risk:
            refuse_if_at_risk(prepared)
        write_prepared(prepared)
    return [p.report for p in prepared]


def public_version() -> str:
    """A token that changes whenever any indicator's public table is rebuilt (or dropped).

    Pages and caches key what they compute from the public table on it, so a
    new publication shows at once and nothing is computed twice between
    publications.  One small query.
    """
    state = Publication.objects.aggregate(last=Max("built_at"), n=Count("pk"))
    last = state["last"].isoformat() if state["last"] else "-"
    return f"{last}|{state['n']}"


def rebuild_stale() -> list[IndicatorReport]:
    """Build the public table of every indicator that has live rows but no publication
    (after an upgrade, or on a database loaded without Jämlik's loaders)."""
    live = set(Observation.objects.filter(is_live=True).values_list("indicator_id", flat=True))
    built = set(Publication.objects.values_list("indicator_id", flat=True))
    missing = live - built
    return rebuild(missing) if missing else []


def _county_area_ids(county: str) -> set[int]:
    """The län ``county``, its kommuner and their districts."""
    area = Area.objects.get(code=county, level=AreaLevel.COUNTY)
    return set(
        Area.objects.filter(Q(pk=area.pk) | Q(parent=area) | Q(parent__parent=area)).values_list(
            "pk", flat=True
        )
    )


def audit_published(
    indicators: Iterable[Indicator] | None = None, *, county: str | None = None
) -> list[IndicatorReport]:
    """Audit the public table as it stands, against the live rows it was built from.

    For every count the public table hides (a numerator or denominator that
    the live table has), the feasible interval given every number published
    and the additive relations between cells is computed; a count is at risk
    when that interval is narrower than its protection interval (see
    :func:`jamlik.indicators.protection.audit`).  A row whose count is hidden
    but whose value or interval is shown is at risk too, since value and
    denominator give the count back.  ``county`` limits the report (not the
    computation, which needs the whole structure) to one län and its areas.
    """
    chosen = list(indicators) if indicators is not None else list(Indicator.objects.all())
    parents = _parents()
    keep = _county_area_ids(county) if county else None
    key = ["area_id", "period", "breakdown", "category"]
    reports = []
    for indicator in chosen:
        started = time.perf_counter()
        truth = live_frame(indicator)
        report = IndicatorReport(indicator.code, cells=len(truth))
        if truth.empty:
            reports.append(report)
            continue
        shown = _frame(
            PublicObservation.objects.filter(indicator=indicator).values_list(*PUBLIC_FIELDS),
            PUBLIC_FIELDS,
        )
        merged = truth.merge(shown[[*key, *NUMBERS]], on=key, how="left", suffixes=("", "_pub"))
        relations = build_relations(_cells(truth, parents))
        for column, threshold in (
            ("numerator", indicator.disclosure_threshold),
            ("denominator", indicator.denominator_threshold),
        ):
            x = merged[column].to_numpy()
            hidden = ~np.isnan(x) & merged[f"{column}_pub"].isna().to_numpy()
            primary = ~np.isnan(x) & (x > 0) & (x < threshold)
            result = audit(
                x,
                hidden,
                primary,
                np.full(len(x), float(threshold)),
                relations,
                relation_kinds(x, relations),
            )
            leaks = hidden & merged[[f"{c}_pub" for c in LINKED]].notna().any(axis=1).to_numpy()
            unshown = primary & ~hidden
            result.at_risk |= leaks | unshown
            result.lower[unshown] = result.upper[unshown] = x[unshown]
            if keep is not None:
                result.at_risk &= merged["area_id"].isin(keep).to_numpy()
                hidden &= merged["area_id"].isin(keep).to_numpy()
            report.audited += int(hidden.sum())
            report.programmes += result.programmes
            report.at_risk += _risky(merged, indicator, column, result)
        report.suppressed = int(shown["suppressed"].sum()) if not shown.empty else 0
        report.seconds = time.perf_counter() - started
        reports.append(report)
    return reports

"""Optimistic locking: a version number on every record people edit, so no save is lost.

Two editors open the same actor, plan or survey; both save. Without a check the second
save silently replaces the first. Here every edited model has a ``version`` column
(:func:`version_field`, 1 when created). A save of an edit first *claims* the next version
with one conditional statement::

    UPDATE … SET version = version + 1 WHERE id = <pk> AND version = <the version the editor loaded>

and then writes its fields in the same transaction. When no row matched, someone else
saved in between: :class:`VersionConflict` is raised, carrying the record as it is stored
now, and nothing is written. The conditional ``UPDATE`` is atomic on SQLite (one writer
at a time) and on PostgreSQL (the row lock makes a concurrent second ``UPDATE`` wait and
then re-check ``version`` against the committed row), so a stale version can never
overwrite a newer one.

A save without a version to check (an import, the demo seeder, an API client that sends
neither ``If-Match`` nor ``version``) still bumps the version, so editors who loaded the
record before it are stopped.

The web forms carry the version in a hidden field (:mod:`jamlik.core.version_forms`);
the API sends it as an ``ETag`` and reads it back from ``If-Match`` or a ``version``
field in the body (helpers below). This is the pattern of HTTP conditional requests
(RFC 9110, sections 8.8.3 and 13.1.1) applied to database rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.db import models, transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from ninja.responses import Status

VERSION = "version"
RecordT = TypeVar("RecordT", bound=models.Model)
ShownT = TypeVar("ShownT", bound=Schema | dict[str, Any])


def version_field() -> models.PositiveIntegerField:
    """The ``version`` column: 1 when created, one more on every saved change."""
    return models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_(
            "Raised by one on every saved change; a save from an older version is refused."
        ),
    )


class VersionConflict(Exception):  # noqa: N818 - the domain word, as in HTTP 409 Conflict
    """Someone else saved the record after the editor loaded it.

    ``current`` is the record as stored now (read after the refused claim), ``expected``
    the version the editor loaded. Not a ``ValueError``: callers that turn
    ``ValueError`` into a form error must let this one through to the conflict page.
    """

    def __init__(self, current: models.Model, expected: int | None) -> None:
        self.current = current
        self.expected = expected
        super().__init__(
            f"{type(current).__name__} {current.pk} is at version {self.current_version}, "
            f"not {expected}: someone else saved it in between."
        )

    @property
    def current_version(self) -> int:
        return int(self.current.version)  # type: ignore[attr-defined]


def claim(record: models.Model, expected: int | None) -> int:
    """Reserve the next version of a stored ``record`` or raise :class:`VersionConflict`.

    Call inside the transaction (``transaction.atomic``) that then writes the record, so
    the claim and the write commit together. ``expected=None`` bumps without checking.
    Sets ``record.version`` to the new version (so ``record.save()`` keeps it) and
    returns it. A record deleted in the meantime answers 404.
    """
    manager = type(record)._default_manager
    rows = manager.filter(pk=record.pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    if not rows.update(version=F(VERSION) + 1):
        current = manager.filter(pk=record.pk).first()
        if current is None:
            raise Http404(f"{type(record).__name__} {record.pk} no longer exists.")
        raise VersionConflict(current, expected)
    if expected is not None:
        record.version = expected + 1  # type: ignore[attr-defined]
    else:
        record.version = manager.filter(pk=record.pk).values_list(VERSION, flat=True).get()  # type: ignore[attr-defined]
    return int(record.version)  # type: ignore[attr-defined]


def unchanged(record: models.Model, fields: Iterable[str]) -> bool:
    """Whether ``record``'s ``fields`` (assigned, not yet saved) equal the stored row.

    A save that would change nothing cannot lose anyone's change, so a caller may skip it
    (no claim, no new version) even from an older version: resubmitting a page as it
    stands is then harmless.
    """
    names = [record._meta.get_field(name).attname for name in fields]
    stored = type(record)._default_manager.filter(pk=record.pk).values(*names).first()
    return stored is not None and all(stored[n] == getattr(record, n) for n in names)


def save_versioned(record: RecordT, expected: int | None, **save_kwargs: Any) -> RecordT:
    """Save a changed ``record`` only if it is still at version ``expected`` (new: plain save)."""
    with transaction.atomic():
        if record.pk is not None and not record._state.adding:
            claim(record, expected)
        record.save(**save_kwargs)
    return record


# ---- HTTP: ETag, If-Match and the JSON answer to a refused PUT ----------------------------

_TAG = re.compile(r'^\s*(?:W/)?"v?(\d{1,18})"\s*$')


def etag(version: int) -> str:
    """The entity tag of a record version, e.g. ``"3"`` (strong: it names the stored row)."""
    return f'"{int(version)}"'


def set_etag(response: HttpResponse, record: models.Model) -> None:
    response["ETag"] = etag(record.version)  # type: ignore[attr-defined]


class VersionConflictOut(Schema):
    """Answer to a PUT from an older version (409 for a stale body ``version``, 412 for
    ``If-Match``): both version numbers, the stored record, and what the client sent."""

    message: str
    your_version: int
    current_version: int
    current: dict[str, Any]
    yours: dict[str, Any]


CONFLICT_RESPONSES: dict[int, Any] = {409: VersionConflictOut, 412: VersionConflictOut}


@dataclass(frozen=True)
class Precondition:
    """The version a PUT was based on and where the client said it.

    ``If-Match`` wins over a ``version`` field in the body. Neither: ``version`` is None
    and the PUT is accepted unconditionally (still bumping the version) — the API
    existed before versions did, and scripts that replace a record outright keep working;
    clients that want protection send either.
    """

    version: int | None
    source: str  # "If-Match", "version" or ""

    @property
    def status(self) -> int:
        return 412 if self.source == "If-Match" else 409


def precondition(request: HttpRequest, body_version: int | None = None) -> Precondition:
    """Read ``If-Match`` (one entity tag, or ``*`` for "any version") or the body's ``version``.

    A tag that is not one of ours can match no version, so it is refused as version 0.
    """
    header = request.headers.get("If-Match", "").strip()
    if header and header != "*":
        first = header.split(",")[0]
        found = _TAG.match(first)
        return Precondition(int(found.group(1)) if found else 0, "If-Match")
    if body_version is not None:
        return Precondition(body_version, VERSION)
    return Precondition(None, "")


def refuse(
    pre: Precondition,
    conflict: VersionConflict,
    current: Schema | dict[str, Any],
    yours: Schema | dict[str, Any],
) -> Status:
    """The 409/412 answer with both versions, the stored record and the client's payload."""
    where = "If-Match" if pre.source == "If-Match" else "the version field"
    body = VersionConflictOut(
        message=(
            f"Someone else changed this record: it is at version {conflict.current_version}, "
            f"{where} says {pre.version}. Nothing was saved; compare, then send again with "
            f"version {conflict.current_version}."
        ),
        your_version=pre.version or 0,
        current_version=conflict.current_version,
        current=current.dict() if isinstance(current, Schema) else current,
        yours=yours.dict() if isinstance(yours, Schema) else yours,
    )
    return Status(pre.status, body)


def versioned_put(
    request: HttpRequest,
    response: HttpResponse,
    payload: Schema,
    save: Callable[[int | None], RecordT],
    show: Callable[[RecordT], ShownT],
) -> ShownT | Status:
    """Save a PUT from the version its client read, and answer it; one shape for every PUT.

    The handler loads the record and checks the payload first (404 and 422 come before
    any version question). Then: the precondition (``If-Match``, else the payload's
    ``version``) goes to ``save``, which writes through the service and returns the
    saved record; the answer is ``show(saved)`` with the new ``ETag``. If someone saved
    in between (``save`` raised :class:`VersionConflict`), nothing was written and the
    answer is the 412/409 of :func:`refuse`: the stored record shown the same way, the
    payload, both versions, and the stored version as ``ETag``, so the client can merge
    and send again. Other refusals raised by ``save`` (403, 422) pass through unchanged.
    """
    pre = precondition(request, getattr(payload, VERSION, None))
    try:
        saved = save(pre.version)
    except VersionConflict as conflict:
        set_etag(response, conflict.current)
        return refuse(pre, conflict, show(cast(RecordT, conflict.current)), payload)
    set_etag(response, saved)
    return show(saved)

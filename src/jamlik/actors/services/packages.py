"""County export packages and the national roll-up that imports them.

A package is the county's whole map as one JSON document with a header: format name and
version (the schema), the county, a content version (export date plus the first characters
of the SHA-256 of the content, so two exports of the same map carry the same version), and
the checksum itself so a damaged or edited file is refused.

A national instance imports any number of packages. A newer package of the same county
replaces the older one. Each imported actor is matched against the organisations already
known from other counties (:mod:`jamlik.actors.merging`): same organisation number or a
near-identical name merges automatically; a similar name goes to the review queue.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jamlik.actors.choices import MatchMethod, MergeStatus
from jamlik.actors.merging import ActorKey, Decision, Matcher
from jamlik.actors.models import Actor, CountyPackage, MergeCandidate
from jamlik.actors.names import normalise_place
from jamlik.actors.rows import county_rows
from jamlik.actors.services.imports import ImportResult, import_sheets
from jamlik.actors.tabular import FormatError, read_json
from jamlik.geo.models import Area, AreaLevel

FORMAT = "jamlik.actor-map"
#: Version 2 added the actors' ``part_of`` (units inside an organisation, by ref) and the
#: county board unit type; a version 1 package (no units) reads unchanged.
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
CONTENT_KEYS = ("actors", "activities", "networks", "relations")


def content_checksum(doc: dict[str, Any]) -> str:
    content = {k: doc.get(k, []) for k in CONTENT_KEYS}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def export_package(
    county: Area, *, demo: bool = False, with_contacts: bool = True
) -> dict[str, Any]:
    """The county's map as a versioned package (a dict ready for ``json.dumps``)."""
    rows = county_rows(county.code, with_contacts=with_contacts)
    checksum = content_checksum(rows)
    now = timezone.now()
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "county": county.code,
        "county_name": county.name,
        "version": f"{now:%Y-%m-%d}.{checksum[:8]}",
        "exported_at": now.isoformat(timespec="seconds"),
        "demo": demo,
        "checksum": checksum,
    }
    if demo:
        header["data_status"] = "Påhittade demonstrationsdata / invented demonstration data"
    return {**header, **rows}


@dataclass
class PackageImport:
    package: CountyPackage
    rows: ImportResult
    merged: int
    review: int
    new: int


def _check_header(doc: dict[str, Any]) -> Area:
    if doc.get("format") != FORMAT:
        raise FormatError(f"field 'format': expected {FORMAT!r}, got {doc.get('format')!r}")
    if doc.get("format_version") not in READABLE_VERSIONS:
        raise FormatError(
            "field 'format_version': this Jämlik reads versions "
            f"{', '.join(str(v) for v in READABLE_VERSIONS)}, got {doc.get('format_version')!r}"
        )
    county = Area.objects.filter(code=str(doc.get("county", "")), level=AreaLevel.COUNTY).first()
    if county is None:
        raise FormatError(
            f"field 'county': expected a län code such as '01', got {doc.get('county')!r}"
        )
    if doc.get("checksum") != content_checksum(doc):
        raise FormatError(
            "field 'checksum': the content does not match its checksum; the file was changed "
            "or damaged after export — export it again from the county's Jämlik"
        )
    for key in ("version", "exported_at"):
        if not isinstance(doc.get(key), str) or not doc[key]:
            raise FormatError(f"field {key!r}: expected text")
    try:
        datetime.fromisoformat(doc["exported_at"])
    except ValueError as exc:
        raise FormatError("field 'exported_at': expected an ISO 8601 date and time") from exc
    return county


def place_names() -> frozenset[str]:
    """Normalised kommun names and län names without 'län' (and without genitive -s)."""
    names = set()
    for area in Area.objects.filter(level__in=[AreaLevel.MUNICIPALITY, AreaLevel.COUNTY]):
        name = normalise_place(area.name.replace(" län", ""))
        if area.level == AreaLevel.COUNTY and name.endswith("s"):
            name = name[:-1]
        names.add(name)
    return frozenset(n for n in names if n)


def _retire(package: CountyPackage) -> None:
    """Before deleting a package: actors of other counties merged into its actors stay merged
    with each other (the first becomes the canonical record)."""
    for actor in Actor.objects.filter(source_package=package):
        dups = list(actor.duplicates.exclude(source_package=package).order_by("pk"))
        if dups:
            head, rest = dups[0], dups[1:]
            Actor.objects.filter(pk=head.pk).update(canonical=None, match_method="")
            Actor.objects.filter(pk__in=[d.pk for d in rest]).update(canonical=head)
    package.delete()


@transaction.atomic
def import_county_package(user: Any, content: bytes | str | dict[str, Any]) -> PackageImport:
    """Import one county's package into this (national) instance. All or nothing."""
    if not user.has_perm("jamlik.admin_national"):
        raise PermissionDenied("Only a national administrator imports county packages.")
    doc, sheets = read_json(content)
    county = _check_header(doc)
    for old in CountyPackage.objects.filter(county=county):
        _retire(old)
    package = CountyPackage.objects.create(
        county=county,
        version=doc["version"],
        format_version=doc["format_version"],
        exported_at=datetime.fromisoformat(doc["exported_at"]),
        imported_by=user,
        checksum=doc["checksum"],
        is_demo=bool(doc.get("demo")),
        counts={k: len(doc.get(k, [])) for k in CONTENT_KEYS},
    )
    rows = import_sheets(user, county, sheets, is_demo=package.is_demo, package=package)
    merged, review, new = merge_package_actors(package)
    return PackageImport(package, rows, merged, review, new)


def merge_package_actors(package: CountyPackage) -> tuple[int, int, int]:
    """Match the package's actors against canonical actors of other counties."""
    pool = [
        ActorKey(a.pk, a.name, a.org_number, a.county_id)
        for a in Actor.objects.filter(canonical__isnull=True).exclude(county=package.county)
    ]
    matcher = Matcher(pool, places=place_names())
    merged = review = new = 0
    for actor in Actor.objects.filter(source_package=package).order_by("pk"):
        match = matcher.match(ActorKey(actor.pk, actor.name, actor.org_number, actor.county_id))
        if match.decision == Decision.MERGE:
            actor.canonical_id = match.other
            actor.match_method = MatchMethod.ORG_NUMBER if match.by_org_number else MatchMethod.NAME
            actor.save(update_fields=["canonical", "match_method"])
            merged += 1
        elif match.decision == Decision.REVIEW:
            MergeCandidate.objects.create(
                incoming=actor, existing_id=match.other, score=match.score
            )
            review += 1
        else:
            new += 1
    return merged, review, new


@transaction.atomic
def decide_merge(user: Any, candidate: MergeCandidate, *, same: bool) -> MergeCandidate:
    """A national administrator's answer for a pair in the review queue."""
    if not user.has_perm("jamlik.admin_national"):
        raise PermissionDenied("Only a national administrator decides merges.")
    if same:
        target = candidate.existing.canonical or candidate.existing
        incoming = candidate.incoming
        incoming.canonical, incoming.match_method = target, MatchMethod.REVIEWED
        incoming.save(update_fields=["canonical", "match_method"])
        Actor.objects.filter(canonical=incoming).update(canonical=target)
    candidate.status = MergeStatus.MERGED if same else MergeStatus.KEPT_APART
    candidate.decided_by, candidate.decided_at = user, timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    return candidate

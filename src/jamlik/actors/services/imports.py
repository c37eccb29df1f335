"""Importing an actor map (XLSX, CSV or JSON) into one county: all or nothing.

Every row is checked first — cell formats, codes, references between sheets, and the
user's right to edit each row's kommun — and every problem is reported with sheet, row,
column and what was expected. Only when nothing is wrong is anything written, in one
transaction. Rows are matched to existing records by ``ref`` within the county: a known
ref updates, a new ref creates; records not in the file are left alone (a kommun's file
does not erase its neighbours).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from jamlik.actors.choices import ChangeAction, RelationKind, TagDimension
from jamlik.actors.models import Activity, Actor, ActorRelation, CountyPackage, Network
from jamlik.actors.services.editing import (
    add_relation,
    can_edit,
    save_activity,
    save_actor,
    save_network,
)
from jamlik.actors.tabular import (
    ImportRejected,
    ParseContext,
    RowError,
    SheetRows,
    parse_rows,
)
from jamlik.actors.units import part_of_problem, reaches
from jamlik.frameworks import load
from jamlik.geo.models import Area, AreaLevel


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = []
        for sheet in ("actors", "activities", "networks", "relations"):
            c, u = self.created.get(sheet, 0), self.updated.get(sheet, 0)
            if c or u:
                parts.append(f"{sheet}: {c} new, {u} updated")
        return "; ".join(parts) or "nothing to import"


def parse_context(county: Area) -> ParseContext:
    areas = {county.code} | set(
        Area.objects.filter(level=AreaLevel.MUNICIPALITY, parent=county).values_list(
            "code", flat=True
        )
    )
    malomraden = load("malomraden", county=county.code)
    star = load("preventionsstjarna", county=county.code)
    names = {}
    for p in star.problem_areas:
        names[p.name_sv.casefold()] = p.key
        names[p.name_en.casefold()] = p.key
    return ParseContext(
        area_codes=areas,
        target_area_numbers={a.number for a in malomraden.areas},
        problem_area_keys=set(star.problem_areas.keys()),
        problem_area_names=names,
    )


@dataclass
class _Checked:
    rows: dict[str, list[tuple[int, dict[str, Any]]]]
    areas: dict[str, Area]
    districts: dict[str, Area]
    existing_actors: dict[str, Actor]


def _registry_keys(county: Area) -> set[str]:
    """Keys of the county's intervention registry (its own copies and the shipped set)."""
    from jamlik.prevention.services import interventions_for

    return {i.key for i in interventions_for(county)}


def check_sheets(
    user: Any,
    county: Area,
    sheets: Iterable[SheetRows],
    package: CountyPackage | None = None,
    *,
    check_permissions: bool = True,
) -> _Checked:
    """Parse and validate everything; raise :class:`ImportRejected` listing every problem."""
    ctx = parse_context(county)
    errors: list[RowError] = []
    rows: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for sheet in sheets:
        clean, sheet_errors = parse_rows(sheet.sheet, sheet.rows, ctx)
        rows.setdefault(sheet.sheet, []).extend(clean)
        errors.extend(sheet_errors)
    areas = {a.code: a for a in Area.objects.filter(code__in=ctx.area_codes)}
    districts = {
        d.code: d for d in Area.objects.filter(level=AreaLevel.DISTRICT, parent__parent=county)
    }
    existing_actors = {
        a.ref: a
        for a in Actor.objects.filter(county=county, source_package=package)
        .exclude(ref="")
        .select_related("part_of")
    }
    # Unique refs within a sheet.
    for sheet, sheet_rows in rows.items():
        if sheet == "relations":
            continue
        seen: dict[str, int] = {}
        for number, row in sheet_rows:
            ref = row.get("ref")
            if ref and ref in seen:
                errors.append(
                    RowError(
                        sheet, number, "ref", ref, f"a ref not used before (row {seen[ref]} has it)"
                    )
                )
            elif ref:
                seen[ref] = number
    file_actor_refs = {row["ref"] for _n, row in rows.get("actors", []) if row.get("ref")}
    registry_keys = _registry_keys(county)
    known_refs = file_actor_refs | set(existing_actors)

    def check_refs(sheet: str, number: int, column: str, refs: list[str]) -> None:
        unknown = [r for r in refs if r not in known_refs]
        if unknown:
            errors.append(
                RowError(
                    sheet,
                    number,
                    column,
                    ", ".join(unknown),
                    "refs of actors in the actors sheet or already in this county",
                )
            )

    for sheet, sheet_rows in rows.items():
        for number, row in sheet_rows:
            if not row:
                continue
            area_code = row.get("area")
            if (
                check_permissions
                and sheet != "relations"
                and area_code in areas
                and not can_edit(user, areas[area_code])
            ):
                errors.append(
                    RowError(
                        sheet,
                        number,
                        "area",
                        area_code,
                        "a kommun you may edit (you lack the right to edit this one)",
                    )
                )
            if sheet == "activities":
                if row.get("actors"):
                    check_refs(sheet, number, "actors", row["actors"])
                key = row.get("intervention_key")
                if key and key not in registry_keys:
                    errors.append(
                        RowError(
                            sheet,
                            number,
                            "intervention_key",
                            key,
                            "the key of an intervention in the county's registry (Förebyggande › "
                            "Insatser), or nothing",
                        )
                    )
                for code in row.get("districts") or []:
                    district = districts.get(code)
                    if district is None or district.parent.code != area_code:
                        errors.append(
                            RowError(
                                sheet,
                                number,
                                "districts",
                                code,
                                f"a district code within {area_code}",
                            )
                        )
            elif sheet == "networks":
                if row.get("convenor"):
                    check_refs(sheet, number, "convenor", [row["convenor"]])
                check_refs(sheet, number, "members", row.get("members") or [])
            elif sheet == "relations" and row:
                check_refs(sheet, number, "source", [row["source"]])
                check_refs(sheet, number, "target", [row["target"]])
                if row["source"] == row["target"]:
                    errors.append(
                        RowError(
                            sheet, number, "target", row["target"], "an actor other than the source"
                        )
                    )
    errors.extend(_unit_errors(rows.get("actors", []), existing_actors, known_refs))
    if errors:
        errors.sort(
            key=lambda e: (("actors", "activities", "networks", "relations").index(e.sheet), e.row)
        )
        raise ImportRejected(errors)
    return _Checked(rows, areas, districts, existing_actors)


def _unit_errors(
    actor_rows: list[tuple[int, dict[str, Any]]],
    existing: dict[str, Actor],
    known_refs: set[str],
) -> list[RowError]:
    """The rules of :mod:`jamlik.actors.units` on the ``part_of`` column, by ref.

    A row without ``part_of`` keeps what an existing actor has (files made before the
    column), so a unit row may leave it empty when the unit is already placed.
    """
    types = {ref: a.actor_type for ref, a in existing.items()}
    parents: dict[str, str | None] = {
        ref: (a.part_of.ref if a.part_of_id and a.part_of else None) for ref, a in existing.items()
    }
    for _n, row in actor_rows:
        if row.get("ref"):
            types[row["ref"]] = row.get("type", "")
            if row.get("part_of") or row["ref"] not in parents:
                parents[row["ref"]] = row.get("part_of") or None
    errors = []
    for number, row in actor_rows:
        ref, parent = row.get("ref"), row.get("part_of") or None
        if not ref or not row.get("type"):
            continue  # already reported by the cell checks
        if parent is not None and parent not in known_refs:
            errors.append(
                RowError(
                    "actors", number, "part_of", parent,
                    "the ref of an actor in the actors sheet or already in this county",
                )
            )  # fmt: skip
            continue
        parent = parents.get(ref)
        problem = part_of_problem(
            actor_type=row["type"],
            parent_type=types.get(parent) if parent else None,
            is_self=parent == ref,
            cycle=parent is not None and parent != ref and reaches(parent, parents, ref),
        )
        if problem:
            errors.append(RowError("actors", number, "part_of", parent or "", _expected(problem)))
    return errors


def _expected(problem: str) -> str:
    """A unit rule's sentence as the 'expected' half of a row error."""
    return f"a valid organisation to be part of ({problem.rstrip('.')})"


def _parents_first(
    actor_rows: list[tuple[int, dict[str, Any]]],
) -> list[tuple[int, dict[str, Any]]]:
    """Actor rows ordered so that an organisation is saved before its units (the rows are
    checked to have no cycles); otherwise in file order."""
    by_ref = {row["ref"]: (n, row) for n, row in actor_rows}
    ordered: list[tuple[int, dict[str, Any]]] = []
    placed: set[str] = set()

    def place(ref: str) -> None:
        if ref in placed or ref not in by_ref:
            return
        placed.add(ref)
        parent = by_ref[ref][1].get("part_of")
        if parent:
            place(parent)
        ordered.append(by_ref[ref])

    for _n, row in actor_rows:
        place(row["ref"])
    return ordered


@transaction.atomic
def import_sheets(
    user: Any,
    county: Area,
    sheets: Iterable[SheetRows],
    *,
    is_demo: bool = False,
    check_permissions: bool = True,
    package: CountyPackage | None = None,
) -> ImportResult:
    """Validate everything, then write everything; raises ImportRejected and writes nothing.

    With ``package`` the rows become that package's records (matched by ref among them only),
    so an imported county map never overwrites local records.
    """
    checked = check_sheets(user, county, list(sheets), package, check_permissions=check_permissions)
    provenance = {"source_package": package, "is_demo": is_demo}
    result = ImportResult()
    actors = dict(checked.existing_actors)

    def count(sheet: str, created: bool) -> None:
        target = result.created if created else result.updated
        target[sheet] = target.get(sheet, 0) + 1

    for _n, row in _parents_first(checked.rows.get("actors", [])):
        existing = actors.get(row["ref"])
        data = {
            "ref": row["ref"],
            "name": row["name"],
            "org_number": row["org_number"],
            "actor_type": row["type"],
            "level": row["level"],
            "area": checked.areas[row["area"]],
            "contact": row["contact"],
            "website": row["website"],
            **provenance,
        }
        if row.get("part_of") or existing is None:
            # An empty cell keeps the place an actor has (files made before the column).
            data["part_of"] = actors[row["part_of"]] if row.get("part_of") else None
        actor = save_actor(
            user,
            data,
            actor=existing,
            areas_served=[checked.areas[c] for c in row["areas_served"]],
            action=ChangeAction.IMPORTED,
            check=check_permissions,
        )
        actors[row["ref"]] = actor
        count("actors", existing is None)
    existing_activities = {
        a.ref: a
        for a in Activity.objects.filter(county=county, source_package=package).exclude(ref="")
    }
    for _n, row in checked.rows.get("activities", []):
        existing = existing_activities.get(row["ref"])
        data = {
            k: row[k]
            for k in (
                "ref",
                "title",
                "description",
                "orientation",
                "prevention_level",
                "age_min",
                "age_max",
                "start_year",
                "end_year",
                "funding",
                "method",
            )
        }
        if row.get("intervention_key") or existing is None:
            # An empty cell keeps a key set in the form (files made before the column).
            data["intervention_key"] = row.get("intervention_key") or ""
        data["area"] = checked.areas[row["area"]]
        data["evidence"] = row["evidence"] or "unknown"
        data["status"] = row["status"] or "ongoing"
        data.update(provenance)
        save_activity(
            user,
            data,
            activity=existing,
            actors=[actors[r] for r in row["actors"]],
            tags={
                TagDimension.TARGET_AREA: [str(n) for n in row["malomraden"]],
                TagDimension.PROBLEM_AREA: row["problem_areas"],
                TagDimension.TARGET_GROUP: row["target_groups"],
                TagDimension.SETTING: row["settings"],
            },
            districts=[checked.districts[c] for c in row["districts"]],
            action=ChangeAction.IMPORTED,
            check=check_permissions,
        )
        count("activities", existing is None)
    existing_networks = {
        n.ref: n
        for n in Network.objects.filter(county=county, source_package=package).exclude(ref="")
    }
    for _n, row in checked.rows.get("networks", []):
        existing = existing_networks.get(row["ref"])
        save_network(
            user,
            {
                "ref": row["ref"],
                "name": row["name"],
                "convenor": actors[row["convenor"]] if row["convenor"] else None,
                "purpose": row["purpose"],
                "meeting_frequency": row["meeting_frequency"],
                "malomraden": row["malomraden"],
                "area": checked.areas[row["area"]],
                **provenance,
            },
            network=existing,
            members=[actors[r] for r in row["members"]],
            action=ChangeAction.IMPORTED,
            check=check_permissions,
        )
        count("networks", existing is None)
    for _n, row in checked.rows.get("relations", []):
        source, target = actors[row["source"]], actors[row["target"]]
        known = ActorRelation.objects.filter(
            source=source, target=target, kind=row["kind"]
        ).exists()
        add_relation(user, source, target, RelationKind(row["kind"]), check=check_permissions)
        count("relations", not known)
    return result

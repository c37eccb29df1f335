"""Parse each framework file into its typed dataclass.

One function per framework, all built from the checked getters in
:mod:`jamlik.frameworks.reader`. The loaders check structure (keys, types,
numbering, uniqueness, cross references such as a factor's problem areas),
not content counts: a county may legitimately publish a different number of
checklist items, so counts are asserted by the tests of the shipped files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jamlik.frameworks.reader import Table, check_numbering, check_unique
from jamlik.frameworks.types import (
    ChecklistItem,
    Domain,
    EvidenceStrength,
    Factor,
    FactorKind,
    Forutsattningar,
    Framework,
    FrameworkMeta,
    ItemList,
    Kvalitetsmodell,
    LadderStep,
    Malomraden,
    NamedItem,
    Perspective,
    Prerequisite,
    Preventionsstjarna,
    ProblemArea,
    QualityStep,
    ReportedDimension,
    Source,
    Stodtrappa,
    SubjectArea,
    TargetArea,
)

SCHEMA_VERSION = 1

KEY_HELP = "a key of lowercase letters, digits and underscores"


def _key(table: Table, field: str = "key") -> str:
    value = table.text(field)
    if not value.replace("_", "").isalnum() or value.lower() != value or not value.isascii():
        raise table.fail(field, f"expected {KEY_HELP}, got {value!r}")
    return value


def _named(table: Table, *, description_optional: bool = False) -> dict[str, str]:
    return {
        "key": _key(table),
        "name_sv": table.text("name_sv"),
        "name_en": table.text("name_en"),
        "description_sv": table.text("description_sv", optional=description_optional),
        "description_en": table.text("description_en", optional=description_optional),
    }


def _numbered_list(
    doc: Table,
    field: str,
    cls: Callable[..., Any],
    *,
    min_items: int = 1,
    extra: Callable[[Table], dict[str, Any]] | None = None,
) -> ItemList[Any]:
    rows: list[tuple[Table, Any]] = []
    for table in doc.tables(field, min_items=min_items):
        values: dict[str, Any] = {**_named(table), "number": table.integer("number", minimum=1)}
        if extra is not None:
            values.update(extra(table))
        table.finish()
        rows.append((table, cls(**values)))
    check_numbering((t, item.number) for t, item in rows)
    check_unique((t, item.key) for t, item in rows)
    return ItemList(tuple(item for _, item in rows))


def _plain_list(doc: Table, field: str, cls: Callable[..., Any], **kwargs: Any) -> ItemList[Any]:
    rows: list[tuple[Table, NamedItem]] = []
    for table in doc.tables(field, min_items=kwargs.pop("min_items", 1), **kwargs):
        item = cls(**_named(table))
        table.finish()
        rows.append((table, item))
    check_unique((t, item.key) for t, item in rows)
    return ItemList(tuple(item for _, item in rows))


def read_meta(doc: Table, name: str, county: str | None) -> FrameworkMeta:
    schema = doc.integer("schema_version")
    if schema != SCHEMA_VERSION:
        raise doc.fail("schema_version", f"expected {SCHEMA_VERSION}, got {schema}")
    framework = doc.text("framework")
    if framework != name:
        raise doc.fail(
            "framework", f"expected {name!r} (the file's framework name), got {framework!r}"
        )
    return FrameworkMeta(
        name=name,
        schema_version=schema,
        version=doc.text("version"),
        title_sv=doc.text("title_sv"),
        title_en=doc.text("title_en"),
        county=county,
        source_path=str(doc.path),
    )


def parse_malomraden(doc: Table, meta: FrameworkMeta) -> Malomraden:
    return Malomraden(meta=meta, areas=_numbered_list(doc, "areas", TargetArea))


def _checklist(step: Table) -> dict[str, Any]:
    rows: list[tuple[Table, ChecklistItem]] = []
    for table in step.tables("checklist", min_items=1):
        item = ChecklistItem(**_named(table, description_optional=True))
        table.finish()
        rows.append((table, item))
    check_unique((t, item.key) for t, item in rows)
    return {"checklist": ItemList(tuple(item for _, item in rows))}


def parse_kvalitetsmodell(doc: Table, meta: FrameworkMeta) -> Kvalitetsmodell:
    return Kvalitetsmodell(
        meta=meta,
        steps=_numbered_list(doc, "steps", QualityStep, extra=_checklist),
        perspectives=_numbered_list(doc, "perspectives", Perspective),
    )


def parse_preventionsstjarna(doc: Table, meta: FrameworkMeta) -> Preventionsstjarna:
    problem_areas = _numbered_list(doc, "problem_areas", ProblemArea, min_items=2)
    domains = _numbered_list(doc, "domains", Domain)

    source_rows: list[tuple[Table, Source]] = []
    for table in doc.tables("sources"):
        source = Source(**_named(table, description_optional=True), year=table.integer("year"))
        table.finish()
        source_rows.append((table, source))
    check_unique((t, s.key) for t, s in source_rows)
    sources = ItemList(tuple(s for _, s in source_rows))

    factor_rows: list[tuple[Table, Factor]] = []
    for table in doc.tables("factors"):
        factor = Factor(
            **_named(table),
            kind=FactorKind(table.choice("kind", [k.value for k in FactorKind])),
            domain=table.choice("domain", domains.keys()),
            problem_areas=table.text_list(
                "problem_areas", allowed=problem_areas.keys(), what="problem area"
            ),
            evidence=EvidenceStrength(
                table.choice("evidence", [e.value for e in EvidenceStrength])
            ),
            sources=table.text_list("sources", allowed=sources.keys(), what="source"),
        )
        table.finish()
        factor_rows.append((table, factor))
    check_unique((t, f.key) for t, f in factor_rows)
    return Preventionsstjarna(
        meta=meta,
        problem_areas=problem_areas,
        domains=domains,
        sources=sources,
        factors=ItemList(tuple(f for _, f in factor_rows)),
    )


def parse_stodtrappa(doc: Table, meta: FrameworkMeta) -> Stodtrappa:
    return Stodtrappa(
        meta=meta,
        steps=_numbered_list(doc, "steps", LadderStep),
        subject_areas=_plain_list(doc, "subject_areas", SubjectArea),
    )


def parse_forutsattningar(doc: Table, meta: FrameworkMeta) -> Forutsattningar:
    return Forutsattningar(
        meta=meta,
        prerequisites=_numbered_list(doc, "prerequisites", Prerequisite),
        dimensions=_numbered_list(doc, "dimensions", ReportedDimension),
    )


PARSERS: dict[str, Callable[[Table, FrameworkMeta], Framework]] = {
    "malomraden": parse_malomraden,
    "kvalitetsmodell": parse_kvalitetsmodell,
    "preventionsstjarna": parse_preventionsstjarna,
    "stodtrappa": parse_stodtrappa,
    "forutsattningar": parse_forutsattningar,
}


def parse_document(path: Path, data: dict[str, Any], name: str, county: str | None) -> Framework:
    doc = Table(path, data)
    meta = read_meta(doc, name, county)
    framework = PARSERS[name](doc, meta)
    doc.finish()
    return framework

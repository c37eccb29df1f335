"""PxWeb query files: which cells to fetch and what each table variable means.

A query file (TOML or JSON, same keys) names the indicator, optionally the
table URL, and one entry per table variable with the values to select and a
*role* that maps the variable onto the canonical observation:

``area``        the variable holds area codes (``codes`` may recode them);
``period``      the variable holds the time (year, span, school year...);
``breakdown``   the variable splits the population; ``dimension`` names it
                (``sex``, ``age``, ``education``...), ``categories`` maps table codes to
                category names, a category mapped to ``total`` is the whole population
                (``total = "TotSa"`` says the same for one code).  Several variables
                may be breakdowns (a table by age *and* sex): each is one dimension
                and a cell is stored under the composite breakdown ``age*sex``
                (see :func:`jamlik.sources.observations.compose_breakdown`).  When
                ``categories`` is given, every value in the answer must be mapped:
                an unmapped one is an error, never silently dropped;
``measure``     the variable holds kinds of number: ``measures`` maps codes to
                ``value``, ``lower``, ``upper``, ``numerator`` or ``denominator``
                (or ``ignore``; a code in the answer that is not mapped is not stored,
                and the fetch warns about it);
``indicator``   the variable holds different indicators: ``indicators`` maps codes to ids
                (or ``ignore``; an unmapped code in the answer is an error);
``fixed``       selected with exactly one value and otherwise ignored.

A table variable the query does not mention is left to the service (PxWeb
eliminates it, usually by summing); if the answer still varies over it, the
fetch stops and asks for a role.  The time variable may hold years, spans,
months (``2024M03``) or quarters (``2024K1``): see :mod:`jamlik.sources.periods`.

See ``docs/pxweb-query.md`` for a worked example.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from jamlik.sources.errors import QueryFileError
from jamlik.sources.observations import DIMENSION_SEPARATOR, TOTAL

MEASURE_FIELDS = frozenset({"value", "lower", "upper", "numerator", "denominator"})


class VariableRole(StrEnum):
    """What a PxWeb table variable stands for in an observation."""

    AREA = "area"
    PERIOD = "period"
    BREAKDOWN = "breakdown"
    MEASURE = "measure"
    INDICATOR = "indicator"
    FIXED = "fixed"


@dataclass(frozen=True, slots=True)
class VariableSpec:
    """One table variable: what to select and how to read it."""

    code: str
    role: VariableRole
    values: tuple[str, ...] = ()
    filter: str = "item"
    codelist: str = ""
    dimension: str = ""
    mapping: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PxQuery:
    """A parsed query file."""

    variables: tuple[VariableSpec, ...]
    indicator: str = ""
    url: str = ""
    source: str = ""
    format: str = "json-stat2"
    lang: str = "sv"
    method: str = "post"
    api: str = ""

    def by_role(self, role: VariableRole) -> list[VariableSpec]:
        """The variables that have ``role``."""
        return [v for v in self.variables if v.role is role]

    def variable(self, code: str) -> VariableSpec | None:
        """The variable with table code ``code``, if the query mentions it."""
        return next((v for v in self.variables if v.code == code), None)


def _fail(origin: str, key: str, message: str) -> QueryFileError:
    return QueryFileError(f"{origin}: {key}: {message}")


def _str_map(origin: str, key: str, raw: Any) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(origin, key, "must be a table of code = name pairs")
    return {str(k): str(v) for k, v in raw.items()}


def _breakdown_mapping(
    origin: str, key: str, raw: dict[str, Any], mapping: dict[str, str], dimension: str
) -> dict[str, str]:
    """Check a breakdown's dimension name and categories; fold ``total = "code"`` in."""
    if not dimension:
        raise _fail(origin, f"{key}.dimension", "name the breakdown dimension, e.g. 'sex'")
    if DIMENSION_SEPARATOR in dimension or dimension == TOTAL:
        raise _fail(
            origin,
            f"{key}.dimension",
            f"got {dimension!r}; a dimension name may not be 'total' or contain "
            f"{DIMENSION_SEPARATOR!r}",
        )
    total = raw.get("total")
    if total is not None:
        codes = [total] if isinstance(total, str | int) else total
        if not isinstance(codes, list) or not all(isinstance(c, str | int) for c in codes):
            raise _fail(origin, f"{key}.total", "must be the code (or codes) of the total")
        for code in codes:
            if mapping.get(str(code), TOTAL) != TOTAL:
                raise _fail(
                    origin,
                    f"{key}.total",
                    f"code {code!r} is mapped to {mapping[str(code)]!r} in 'categories'",
                )
            mapping[str(code)] = TOTAL
    bad = sorted(name for name in mapping.values() if DIMENSION_SEPARATOR in name)
    if bad:
        raise _fail(
            origin,
            f"{key}.categories",
            f"category names may not contain {DIMENSION_SEPARATOR!r}: {bad}",
        )
    return mapping


def parse_query(data: dict[str, Any], origin: str = "query") -> PxQuery:
    """Validate a query mapping (already decoded from TOML/JSON) into a :class:`PxQuery`."""
    raw_vars = data.get("variables")
    if not isinstance(raw_vars, dict) or not raw_vars:
        raise _fail(origin, "variables", "must be a table with one entry per table variable")
    specs: list[VariableSpec] = []
    for code, raw in raw_vars.items():
        key = f"variables.{code}"
        if not isinstance(raw, dict):
            raise _fail(origin, key, "must be a table with at least 'role'")
        try:
            role = VariableRole(str(raw.get("role", "")))
        except ValueError:
            allowed = ", ".join(r.value for r in VariableRole)
            raise _fail(
                origin, f"{key}.role", f"got {raw.get('role')!r}; expected one of {allowed}"
            ) from None
        values = raw.get("values", [])
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list) or not all(isinstance(v, str | int) for v in values):
            raise _fail(origin, f"{key}.values", "must be a list of value codes")
        mapping_key = {
            VariableRole.AREA: "codes",
            VariableRole.BREAKDOWN: "categories",
            VariableRole.MEASURE: "measures",
            VariableRole.INDICATOR: "indicators",
        }.get(role, "")
        mapping = (
            _str_map(origin, f"{key}.{mapping_key}", raw.get(mapping_key)) if mapping_key else {}
        )
        if role is VariableRole.MEASURE:
            if not mapping:
                raise _fail(origin, f"{key}.measures", "map at least one code to 'value'")
            bad = sorted(set(mapping.values()) - MEASURE_FIELDS - {"ignore"})
            if bad:
                raise _fail(
                    origin,
                    f"{key}.measures",
                    f"unknown field(s) {bad}; expected {sorted(MEASURE_FIELDS)} or 'ignore'",
                )
        if role is VariableRole.INDICATOR and not mapping:
            raise _fail(origin, f"{key}.indicators", "map each selected code to an indicator id")
        dimension = str(raw.get("dimension", ""))
        if role is VariableRole.BREAKDOWN:
            mapping = _breakdown_mapping(origin, key, raw, mapping, dimension)
        if role is VariableRole.FIXED and len(values) != 1:
            raise _fail(origin, f"{key}.values", "a fixed variable must select exactly one value")
        specs.append(
            VariableSpec(
                code=str(code),
                role=role,
                values=tuple(str(v) for v in values),
                filter=str(raw.get("filter", "item")),
                codelist=str(raw.get("codelist", "")),
                dimension=dimension,
                mapping=mapping,
            )
        )
    query = PxQuery(
        variables=tuple(specs),
        indicator=str(data.get("indicator", "")),
        url=str(data.get("url", "")),
        source=str(data.get("source", "")),
        format=str(data.get("format", "json-stat2")),
        lang=str(data.get("lang", "sv")),
        method=str(data.get("method", "post")).lower(),
        api=str(data.get("api", "")),
    )
    for role in (
        VariableRole.AREA,
        VariableRole.PERIOD,
        VariableRole.MEASURE,
        VariableRole.INDICATOR,
    ):
        if len(query.by_role(role)) > 1:
            raise _fail(origin, "variables", f"at most one variable may have role {role.value!r}")
    dimensions: dict[str, str] = {}
    for spec in query.by_role(VariableRole.BREAKDOWN):
        if spec.dimension in dimensions:
            raise _fail(
                origin,
                f"variables.{spec.code}.dimension",
                f"{spec.dimension!r} is already the dimension of variable "
                f"{dimensions[spec.dimension]!r}; give each breakdown its own dimension name",
            )
        dimensions[spec.dimension] = spec.code
    for role in (VariableRole.AREA, VariableRole.PERIOD):
        if not query.by_role(role):
            raise _fail(origin, "variables", f"one variable must have role {role.value!r}")
    if not query.indicator and not query.by_role(VariableRole.INDICATOR):
        raise _fail(
            origin, "indicator", "give the indicator id, or a variable with role 'indicator'"
        )
    if query.format not in ("json-stat2", "json"):
        raise _fail(origin, "format", f"got {query.format!r}; expected 'json-stat2' or 'json'")
    if query.method not in ("get", "post"):
        raise _fail(origin, "method", f"got {query.method!r}; expected 'get' or 'post'")
    return query


def load_query(path: Path | str) -> PxQuery:
    """Read a ``.toml`` or ``.json`` query file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise QueryFileError(f"{path}: cannot read the query file ({exc.strerror})") from exc
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise QueryFileError(
            f"{path}: not valid {path.suffix.lstrip('.').upper() or 'TOML'}: {exc}"
        ) from exc
    if not isinstance(data, dict):
        raise QueryFileError(f"{path}: the top level must be a table/object")
    return parse_query(data, origin=str(path))

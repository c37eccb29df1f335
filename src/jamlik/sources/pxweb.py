"""PxWeb connector: SCB and Folkhälsomyndigheten's Folkhälsodata, API v1 and v2.

* **v1** (``…/api/v1/sv/…/table.px``, ``api.scb.se/OV0104/v1/doris/sv/ssd/…``):
  GET on the table gives metadata (``variables``), POST with
  ``{"query": [...], "response": {"format": ...}}`` gives data as
  ``json-stat2`` or PxWeb's ``json``.  Limits come from ``<root>?config``
  (``maxValues``, ``maxCalls``, ``timeWindow``).
* **v2** (``…/api/v2/tables/TAB6471``): ``/tables/{id}/metadata`` (json-stat2
  without values), ``/tables/{id}/data`` by GET (``valuecodes[VAR]=…``) or
  POST (``{"selection": [{"variableCode", "valueCodes"}]}``).  Limits come
  from ``/config`` (``maxDataCells``, ``maxCallsPerTimeWindow``, ``timeWindow``).

Selections are resolved against the table's metadata first (wildcards,
``top(n)``, ``from(x)``…), so the client knows how many cells it asks for
and can split a query into several calls that each stay under the cell limit.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from math import prod
from typing import Any
from urllib.parse import urlsplit

from jamlik.sources.areas import normalise_area_code
from jamlik.sources.errors import SourceError
from jamlik.sources.http import JsonHttp, Throttle
from jamlik.sources.jsonstat import Cell, decode_jsonstat2, decode_px_json, dimension_labels
from jamlik.sources.observations import TOTAL, Observation
from jamlik.sources.periods import parse_period
from jamlik.sources.pxweb_query import PxQuery, VariableRole, VariableSpec

#: Used only when a service does not answer its config endpoint: small
#: enough for any PxWeb installation seen so far.
FALLBACK_MAX_CELLS = 1000
FALLBACK_MAX_CALLS = 10
FALLBACK_WINDOW = 10.0

_KNOWN_SOURCES = {
    "api.scb.se": "SCB",
    "statistikdatabasen.scb.se": "SCB",
    "fohm-app.folkhalsomyndigheten.se": "Folkhälsomyndigheten, Folkhälsodata",
}


@dataclass(frozen=True, slots=True)
class PxEndpoint:
    """Where a table's config, metadata and data live."""

    api: str
    host: str
    table: str
    config_url: str
    metadata_url: str
    data_url: str


@dataclass(frozen=True, slots=True)
class Limits:
    """A service's published limits."""

    max_cells: int
    max_calls: int
    window: float
    from_config: bool = True


@dataclass(slots=True)
class PxResult:
    """What a fetch produced: observations, the number of data calls and any warnings."""

    observations: list[Observation]
    calls: int
    limits: Limits
    warnings: list[str] = field(default_factory=list)


def parse_endpoint(url: str, api: str = "") -> PxEndpoint:
    """Work out the API version and the config/metadata/data URLs of a table URL."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        raise SourceError(f"{url!r} is not an absolute PxWeb table URL")
    segments = [s for s in parts.path.split("/") if s]
    origin = f"{parts.scheme}://{parts.netloc}"
    version = api or ("v2" if "tables" in segments else "v1" if "v1" in segments else "")
    if version == "v2":
        if "tables" not in segments or segments.index("tables") + 1 >= len(segments):
            raise SourceError(f"{url!r}: a PxWeb v2 URL must contain /tables/<table id>")
        i = segments.index("tables")
        base = origin + "/" + "/".join(segments[:i])
        table = segments[i + 1]
        return PxEndpoint(
            "v2",
            parts.netloc,
            table,
            f"{base}/config",
            f"{base}/tables/{table}/metadata",
            f"{base}/tables/{table}/data",
        )
    if version == "v1":
        if "v1" not in segments:
            raise SourceError(f"{url!r}: a PxWeb v1 URL contains /v1/")
        start = segments.index("v1")
        lang_at = next(
            (j for j in range(start + 1, len(segments)) if re.fullmatch(r"[a-z]{2}", segments[j])),
            None,
        )
        if lang_at is None:
            raise SourceError(f"{url!r}: cannot find the language segment (sv/en) after /v1/")
        root = origin + "/" + "/".join(segments[: lang_at + 1]) + "/"
        table_url = origin + "/" + "/".join(segments)
        return PxEndpoint("v1", parts.netloc, segments[-1], f"{root}?config", table_url, table_url)
    raise SourceError(f"{url!r}: cannot tell PxWeb v1 from v2; set api = 'v1' or 'v2' in the query")


def read_limits(http: JsonHttp, endpoint: PxEndpoint) -> Limits:
    """Read the cell and call limits from the service's config endpoint."""
    try:
        config = http.get(endpoint.config_url)
    except SourceError:
        return Limits(FALLBACK_MAX_CELLS, FALLBACK_MAX_CALLS, FALLBACK_WINDOW, from_config=False)
    if endpoint.api == "v2":
        keys = ("maxDataCells", "maxCallsPerTimeWindow", "timeWindow")
    else:
        keys = ("maxValues", "maxCalls", "timeWindow")
    try:
        return Limits(int(config[keys[0]]), int(config[keys[1]]), float(config[keys[2]]))
    except (KeyError, TypeError, ValueError) as exc:
        raise SourceError(
            f"the config of {endpoint.host} lacks a usable {exc.args[0] if exc.args else keys[0]!r}"
        ) from exc


@dataclass(frozen=True, slots=True)
class TableMeta:
    """Value codes (in table order) and labels per variable, and which one is time."""

    codes: dict[str, list[str]]
    labels: dict[str, dict[str, str]]
    time_variables: frozenset[str]
    title: str = ""


def read_metadata(http: JsonHttp, endpoint: PxEndpoint, query: PxQuery) -> TableMeta:
    """Fetch the table's variables and value codes."""
    if endpoint.api == "v1":
        body = http.get(endpoint.metadata_url)
        try:
            variables = body["variables"]
        except (KeyError, TypeError) as exc:
            raise SourceError(
                f"{endpoint.metadata_url} is not a PxWeb table (no 'variables')"
            ) from exc
        codes = {v["code"]: [str(x) for x in v["values"]] for v in variables}
        labels = {
            v["code"]: dict(
                zip(codes[v["code"]], v.get("valueTexts", codes[v["code"]]), strict=False)
            )
            for v in variables
        }
        times = frozenset(v["code"] for v in variables if v.get("time"))
        return TableMeta(codes, labels, times, str(body.get("title", "")))
    params = {"lang": query.lang, "outputFormat": "json-stat2"}
    for spec in query.variables:
        if spec.codelist:
            params[f"codelist[{spec.code}]"] = spec.codelist
    body = http.get(endpoint.metadata_url, params=params)
    labels = dimension_labels(body)
    codes = {name: list(cats) for name, cats in labels.items()}
    times = frozenset((body.get("role") or {}).get("time", []))
    return TableMeta(codes, labels, times, str(body.get("label", "")))


_EXPR = re.compile(r"^(top|bottom|range|from|to)\((.*)\)$", re.IGNORECASE)


def resolve_selection(spec: VariableSpec, available: list[str], is_time: bool) -> list[str] | None:
    """Expand a selection to explicit value codes, or ``None`` if it cannot be expanded.

    Aggregations and value sets (``agg:…``, ``vs:…``) are defined on the
    server and are passed on as they are.
    """
    if spec.filter.startswith(("agg:", "vs:")):
        return None
    if spec.filter == "all":
        return _match(["*"], available, spec.code)
    if spec.filter == "top":
        n = int(spec.values[0]) if spec.values else 1
        return available[-n:] if is_time else available[:n]
    return _match(list(spec.values) or ["*"], available, spec.code, is_time)


def _match(
    patterns: list[str], available: list[str], code: str, is_time: bool = False
) -> list[str]:
    chosen: list[str] = []
    for pattern in patterns:
        m = _EXPR.match(pattern.strip())
        if m:
            chosen.extend(_expression(m.group(1).lower(), m.group(2), available, is_time, code))
        elif any(ch in pattern for ch in "*?"):
            chosen.extend(v for v in available if fnmatch.fnmatchcase(v, pattern))
        elif pattern in available:
            chosen.append(pattern)
        else:
            raise SourceError(f"variable {code!r} has no value {pattern!r} in the table")
    return list(dict.fromkeys(chosen))


def _expression(kind: str, args: str, available: list[str], is_time: bool, code: str) -> list[str]:
    parts = [a.strip() for a in args.split(",") if a.strip()]
    try:
        if kind in ("top", "bottom"):
            n = int(parts[0])
            offset = int(parts[1]) if len(parts) > 1 else 0
            # For time the newest periods come first in PxWeb's TOP.
            ordered = list(reversed(available)) if (kind == "top") == is_time else list(available)
            return ordered[offset : offset + n]
        if kind == "range":
            lo, hi = available.index(parts[0]), available.index(parts[1])
            return available[lo : hi + 1]
        if kind == "from":
            return available[available.index(parts[0]) :]
        return available[: available.index(parts[0]) + 1]
    except (IndexError, ValueError) as exc:
        raise SourceError(f"variable {code!r}: cannot apply {kind}({args}) to its values") from exc


def split_selection(
    selection: dict[str, list[str]], max_cells: int, fixed: Iterable[str] = ()
) -> list[dict[str, list[str]]]:
    """Split a selection into parts of at most ``max_cells`` cells each.

    The variable whose split needs the fewest calls is split first; ``fixed`` names
    variables whose selections may not be split (server-side aggregations).
    """
    frozen = set(fixed)
    cells = prod(len(v) for v in selection.values()) if selection else 1
    if cells <= max_cells:
        return [selection]
    splittable = [k for k, v in selection.items() if k not in frozen and len(v) > 1]
    if not splittable:
        raise SourceError(
            f"the query selects {cells} cells in one piece but the service allows {max_cells}; "
            "select fewer values"
        )

    def calls_if_split(name: str) -> tuple[int, int]:
        others = cells // len(selection[name])
        size = max(1, max_cells // others)
        fits = others <= max_cells
        return (0 if fits else 1, -(-len(selection[name]) // size))

    # Prefer a variable whose split alone fits, then the fewest calls.
    largest = min(splittable, key=calls_if_split)
    values = selection[largest]
    size = max(1, max_cells // (cells // len(values)))
    parts = []
    for i in range(0, len(values), size):
        part = dict(selection)
        part[largest] = values[i : i + size]
        parts.extend(split_selection(part, max_cells, frozen))
    return parts


def v1_body(query: PxQuery, selection: dict[str, list[str]]) -> dict[str, Any]:
    """The POST body of a PxWeb v1 data request."""
    items = []
    for spec in query.variables:
        values = selection.get(spec.code)
        if values is None:
            continue
        filt = spec.filter if spec.filter.startswith(("agg:", "vs:")) else "item"
        items.append({"code": spec.code, "selection": {"filter": filt, "values": values}})
    return {"query": items, "response": {"format": query.format}}


def v2_body(query: PxQuery, selection: dict[str, list[str]]) -> dict[str, Any]:
    """The POST body of a PxWebApi 2 data request."""
    items = []
    for spec in query.variables:
        values = selection.get(spec.code)
        if values is None:
            continue
        item: dict[str, Any] = {"variableCode": spec.code, "valueCodes": values}
        if spec.codelist:
            item["codelist"] = spec.codelist
        items.append(item)
    return {"selection": items}


def v2_params(query: PxQuery, selection: dict[str, list[str]]) -> dict[str, str]:
    """The query parameters of a PxWebApi 2 GET data request."""
    params = {"lang": query.lang, "outputFormat": "json-stat2"}
    for spec in query.variables:
        values = selection.get(spec.code)
        if values is None:
            continue
        params[f"valuecodes[{spec.code}]"] = ",".join(values)
        if spec.codelist:
            params[f"codelist[{spec.code}]"] = spec.codelist
    return params


def default_source(endpoint: PxEndpoint) -> str:
    """A human source label such as ``"SCB, TAB6471"``."""
    return f"{_KNOWN_SOURCES.get(endpoint.host, endpoint.host)}, {endpoint.table}"


def cells_to_observations(cells: Iterable[Cell], query: PxQuery, source: str) -> list[Observation]:
    """Map decoded cells onto observations using the query's variable roles."""
    area = query.by_role(VariableRole.AREA)[0]
    period = query.by_role(VariableRole.PERIOD)[0]
    breakdown = next(iter(query.by_role(VariableRole.BREAKDOWN)), None)
    measure = next(iter(query.by_role(VariableRole.MEASURE)), None)
    indicator_var = next(iter(query.by_role(VariableRole.INDICATOR)), None)
    mentioned = {v.code for v in query.variables}
    extra_codes: dict[str, set[str]] = {}
    rows: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
    cells = list(cells)
    for cell in cells:
        for name, code in cell.codes.items():
            if name not in mentioned:
                extra_codes.setdefault(name, set()).add(code)
    ambiguous = {k: v for k, v in extra_codes.items() if len(v) > 1}
    if ambiguous:
        name = sorted(ambiguous)[0]
        raise SourceError(
            f"the answer varies over variable {name!r} ({len(ambiguous[name])} values) that the "
            "query does not map; add it to the query with a role"
        )
    for cell in cells:
        try:
            area_code = cell.codes[area.code]
            period_code = cell.codes[period.code]
        except KeyError as exc:
            raise SourceError(
                f"the answer has no variable {exc.args[0]!r} named in the query"
            ) from exc
        area_id = area.mapping.get(area_code) or normalise_area_code(area_code)
        try:
            period_label = parse_period(period_code).label
        except ValueError:
            period_label = period_code
        dim, cat = TOTAL, TOTAL
        if breakdown is not None:
            code = cell.codes.get(breakdown.code, "")
            name = breakdown.mapping.get(code, code)
            if name != TOTAL:
                dim, cat = breakdown.dimension, name
        target = "value"
        if measure is not None:
            target = measure.mapping.get(cell.codes.get(measure.code, ""), "ignore")
            if target == "ignore":
                continue
        indicator = query.indicator
        if indicator_var is not None:
            code = cell.codes.get(indicator_var.code, "")
            indicator = indicator_var.mapping.get(code, "")
            if not indicator:
                continue
        key = (indicator, area_id, period_label, dim, cat)
        row = rows.setdefault(key, {"notes": []})
        if target in row:
            raise SourceError(
                f"two cells give the {target} of {key}; give every table variable a role "
                "(a variable with several selected values needs 'breakdown', 'measure' or 'indicator')"
            )
        row[target] = cell.value
        if cell.symbol:
            what = "missing" if cell.value is None else "flagged"
            row["notes"].append(f"{target} {what} in source (symbol '{cell.symbol}')")
    return [
        Observation(
            indicator=key[0],
            area=key[1],
            period=key[2],
            breakdown=key[3],
            category=key[4],
            numerator=row.get("numerator"),
            denominator=row.get("denominator"),
            value=row.get("value"),
            lower=row.get("lower"),
            upper=row.get("upper"),
            note="; ".join(row["notes"]),
            source=source,
        )
        for key, row in rows.items()
    ]


class PxWebClient:
    """Fetch a PxWeb table as observations, honouring the service's limits."""

    def __init__(self, http: JsonHttp | None = None) -> None:
        self.http = http or JsonHttp("PxWeb")

    def fetch(self, query: PxQuery, url: str = "") -> PxResult:
        """Fetch the cells ``query`` selects from the table at ``url`` (or ``query.url``)."""
        table_url = url or query.url
        if not table_url:
            raise SourceError("no table URL: pass one or set 'url' in the query file")
        endpoint = parse_endpoint(table_url, query.api)
        self.http.service = _KNOWN_SOURCES.get(endpoint.host, endpoint.host) + " PxWeb"
        limits = read_limits(self.http, endpoint)
        warnings = []
        if not limits.from_config:
            warnings.append(
                f"{endpoint.config_url} did not answer; using cautious limits "
                f"({limits.max_cells} cells, {limits.max_calls} calls per {limits.window:g} s)"
            )
        self.http.throttle = Throttle(limits.max_calls, limits.window, sleep=self.http.sleep)
        meta = read_metadata(self.http, endpoint, query)
        selection: dict[str, list[str]] = {}
        opaque: list[str] = []
        for spec in query.variables:
            if spec.code not in meta.codes:
                raise SourceError(
                    f"table {endpoint.table} has no variable {spec.code!r}; "
                    f"it has {', '.join(meta.codes)}"
                )
            resolved = resolve_selection(
                spec, meta.codes[spec.code], spec.code in meta.time_variables
            )
            if resolved is None:
                opaque.append(spec.code)
                resolved = list(spec.values)
            selection[spec.code] = resolved
        source = query.source or default_source(endpoint)
        observations: list[Observation] = []
        calls = 0
        for part in split_selection(selection, limits.max_cells, opaque):
            calls += 1
            observations.extend(
                cells_to_observations(self._data(endpoint, query, part), query, source)
            )
        return PxResult(observations, calls, limits, warnings)

    def _data(
        self, endpoint: PxEndpoint, query: PxQuery, part: dict[str, list[str]]
    ) -> Iterator[Cell]:
        if endpoint.api == "v1":
            body = self.http.post(endpoint.data_url, v1_body(query, part))
        elif query.method == "get":
            body = self.http.get(endpoint.data_url, params=v2_params(query, part))
        else:
            params = {"lang": query.lang, "outputFormat": "json-stat2"}
            body = self.http.post(endpoint.data_url, v2_body(query, part), params=params)
        if not isinstance(body, dict):
            raise SourceError(
                f"{endpoint.data_url} answered with something other than a JSON object"
            )
        if endpoint.api == "v1" and query.format == "json":
            return decode_px_json(body)
        if "dataset" in body and isinstance(body["dataset"], dict):
            body = body["dataset"]
        return decode_jsonstat2(body)

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from math import prod
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from jamlik.sources.areas import normalise_area_code
from jamlik.sources.errors import QueryFileError, SourceError, SourceOfflineError
from jamlik.sources.http import JsonHttp, Throttle
from jamlik.sources.jsonstat import (
    Cell,
    SourceNote,
    decode_jsonstat2,
    decode_px_json,
    dimension_labels,
    jsonstat2_notes,
    px_json_notes,
)
from jamlik.sources.observations import Observation, compose_breakdown, status_for
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
    #: The source's notes on the table (mandatory ones go with every figure shown).
    notes: list[SourceNote] = field(default_factory=list)


#: How a user points the client elsewhere (named when a service cannot be reached).
SETTING = "--base-url or JAMLIK_PXWEB_URL"


def rebase_url(url: str, base: str, redirect: bool = False) -> str:
    """The table URL to call, given a base URL.

    A URL without a host (``tables/TAB638``) is resolved against ``base``.
    With ``redirect`` an absolute URL keeps its path but is sent to ``base``'s
    scheme and host, ``base``'s path in front (a mirror, a proxy or a local
    replay server); without it an absolute URL is used as given.
    """
    url = url.strip()
    if not base:
        return url
    root = urlsplit(base.strip())
    if not root.scheme or not root.netloc:
        raise SourceError(f"base URL {base!r} is not absolute; expected e.g. https://host/api/v2")
    parts = urlsplit(url)
    if parts.scheme and parts.netloc:
        if not redirect:
            return url
        path = root.path.rstrip("/") + parts.path
        return urlunsplit((root.scheme, root.netloc, path, parts.query, parts.fragment))
    return urljoin(base.strip().rstrip("/") + "/", url.lstrip("/"))


def parse_endpoint(url: str, api: str = "") -> PxEndpoint:
    """Work out the API version and the config/metadata/data URLs of a table URL."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        raise SourceError(
            f"{url!r} is not an absolute PxWeb table URL; give the full URL or a base URL "
            f"({SETTING})"
        )
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
        config = http.metadata(endpoint.config_url)
    except SourceOfflineError:
        raise  # no point guessing limits for a service that cannot be reached
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
        body = http.metadata(endpoint.metadata_url)
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
    body = http.metadata(endpoint.metadata_url, params=params)
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


@dataclass(frozen=True, slots=True)
class Answer:
    """One decoded data answer: its cells, the source's notes, and value labels."""

    cells: list[Cell]
    notes: list[SourceNote]
    labels: dict[str, dict[str, str]]


def decode_answer(body: dict[str, Any], api: str, format: str) -> Answer:
    """Decode a data answer (json-stat2, or v1's ``json``) with its notes."""
    if api == "v1" and format == "json":
        return Answer(list(decode_px_json(body)), px_json_notes(body), {})
    if "dataset" in body and isinstance(body["dataset"], dict):
        body = body["dataset"]
    cells = list(decode_jsonstat2(body))
    return Answer(cells, jsonstat2_notes(body), dimension_labels(body))


def unique_notes(notes: Iterable[SourceNote]) -> list[SourceNote]:
    """Notes of several answers (a query split in parts), each text once."""
    seen: dict[str, bool] = {}
    for note in notes:
        seen[note.text] = seen.get(note.text, False) or note.mandatory
    return [SourceNote(text, mandatory) for text, mandatory in seen.items()]


_MAPPING_KEY = {
    VariableRole.BREAKDOWN: "categories",
    VariableRole.MEASURE: "measures",
    VariableRole.INDICATOR: "indicators",
}


def _shown(codes: Iterable[str], labels: dict[str, str], limit: int = 12) -> str:
    ordered = sorted(codes)
    parts = [
        f"{code!r} ({labels[code]})" if labels.get(code, code) != code else repr(code)
        for code in ordered[:limit]
    ]
    more = f" and {len(ordered) - limit} more" if len(ordered) > limit else ""
    return ", ".join(parts) + more


def _check_variables(cells: list[Cell], query: PxQuery, labels: dict[str, dict[str, str]]) -> None:
    """Every variable the query maps is in the answer; none it does not map varies."""
    present: dict[str, set[str]] = {}
    for cell in cells:
        for name, code in cell.codes.items():
            present.setdefault(name, set()).add(code)
    for spec in query.variables:
        if spec.role is VariableRole.FIXED or spec.code in present:
            continue
        how = (
            f"with filter {spec.filter!r} give the aggregated codes in 'values'"
            if spec.filter.startswith(("agg:", "vs:"))
            else 'give the codes you want, or ["*"] for all of them'
        )
        raise QueryFileError(
            f"the answer has no variable {spec.code!r}, which the query gives role "
            f"{spec.role.value!r}; the answer has {', '.join(sorted(present)) or 'no variables'}. "
            "A variable selected with no values is eliminated by the service (added up over "
            f"all its values) and left out of the answer: in the query file set "
            f"variables.{spec.code}.values ({how})"
        )
    mentioned = {v.code for v in query.variables}
    varying = sorted(n for n, codes in present.items() if n not in mentioned and len(codes) > 1)
    if varying:
        name = varying[0]
        raise QueryFileError(
            f"the answer varies over variable {name!r} "
            f"({_shown(present[name], labels.get(name, {}))}), which the query does not "
            f"mention; add variables.{name} to the query file with a role: 'breakdown' "
            "(with 'dimension' and 'categories'), 'measure', 'indicator', or 'fixed' "
            "with one value"
        )


def _check_mapped(cells: list[Cell], query: PxQuery, labels: dict[str, dict[str, str]]) -> None:
    """Every value of a mapped variable has a mapping: nothing is dropped unasked."""
    problems = []
    for spec in query.variables:
        key = _MAPPING_KEY.get(spec.role)
        if key is None or not spec.mapping or spec.role is VariableRole.MEASURE:
            continue
        seen = {cell.codes[spec.code] for cell in cells if spec.code in cell.codes}
        unmapped = seen - spec.mapping.keys()
        if unmapped:
            problems.append(
                f"variables.{spec.code}.{key} has no entry for "
                f"{_shown(unmapped, labels.get(spec.code, {}))}"
            )
    if problems:
        raise QueryFileError(
            "the answer has values the query file does not map: "
            + "; ".join(problems)
            + ". Map each one (a breakdown value to a category name or 'total', a measure "
            "to value, lower, upper, numerator, denominator or 'ignore', an indicator "
            "value to an indicator id or 'ignore'), or select fewer values"
        )


def unmapped_measures(
    cells: Iterable[Cell], query: PxQuery, labels: dict[str, dict[str, str]] | None = None
) -> list[str]:
    """Warnings for kinds of number in the answer that the query does not store.

    A measure code left out of ``measures`` costs no row (the row keeps its
    value), only a number beside it, so it is not an error; but it is said.
    """
    found = []
    for spec in query.by_role(VariableRole.MEASURE):
        seen = {cell.codes[spec.code] for cell in cells if spec.code in cell.codes}
        unmapped = seen - spec.mapping.keys()
        if unmapped:
            shown = _shown(unmapped, (labels or {}).get(spec.code, {}))
            found.append(
                f"not stored: {shown} of variable {spec.code!r} (not in "
                f"variables.{spec.code}.measures; map them, or to 'ignore' to silence this)"
            )
    return found


def _periods(cells: list[Cell], code: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    bad: list[str] = []
    for raw in {cell.codes[code] for cell in cells}:
        try:
            labels[raw] = parse_period(raw).label
        except ValueError:
            bad.append(raw)
    if bad:
        raise SourceError(
            f"time variable {code!r} has values that are not periods: "
            f"{', '.join(repr(b) for b in sorted(bad)[:10])}; expected a year (2024), a span "
            "(2021-2024), a school year (2023/24), a month (2024M03) or a quarter (2024K1)"
        )
    return labels


def cells_to_observations(
    cells: Iterable[Cell],
    query: PxQuery,
    source: str,
    labels: dict[str, dict[str, str]] | None = None,
) -> list[Observation]:
    """Map decoded cells onto observations using the query's variable roles.

    Several breakdown variables make a composite breakdown (``age*sex``);
    every value of a mapped variable must be mapped and every varying
    variable must have a role, else :class:`QueryFileError` says what to add
    (``labels``, variable → {code: label}, make that message readable).
    Status symbols become ``status`` (:func:`jamlik.sources.observations.status_for`)
    and notes on the cell's values go to ``note``.
    """
    cells = list(cells)
    labels = labels or {}
    if not cells:
        return []
    _check_variables(cells, query, labels)
    _check_mapped(cells, query, labels)
    area = query.by_role(VariableRole.AREA)[0]
    period = query.by_role(VariableRole.PERIOD)[0]
    breakdowns = query.by_role(VariableRole.BREAKDOWN)
    measure = next(iter(query.by_role(VariableRole.MEASURE)), None)
    indicator_var = next(iter(query.by_role(VariableRole.INDICATOR)), None)
    periods = _periods(cells, period.code)
    rows: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
    for cell in cells:
        area_code = cell.codes[area.code]
        area_id = area.mapping.get(area_code) or normalise_area_code(area_code)
        groups = {
            b.dimension: b.mapping.get(cell.codes[b.code], cell.codes[b.code]) for b in breakdowns
        }
        try:
            dim, cat = compose_breakdown(groups)
        except ValueError as exc:
            raise SourceError(f"{exc}; map the value to a category name in the query file") from exc
        target = "value"
        if measure is not None:
            target = measure.mapping.get(cell.codes[measure.code], "ignore")
            if target == "ignore":
                continue
        indicator = query.indicator
        if indicator_var is not None:
            indicator = indicator_var.mapping.get(cell.codes[indicator_var.code], "ignore")
            if indicator == "ignore":
                continue
        key = (indicator, area_id, periods[cell.codes[period.code]], dim, cat)
        row = rows.setdefault(key, {"notes": [], "status": None})
        if target in row:
            raise SourceError(
                f"two cells give the {target} of {key}; give every table variable a role "
                "(a variable with several selected values needs 'breakdown', 'measure' or 'indicator')"
            )
        row[target] = cell.value
        if target == "value" or row["status"] is None:
            row["status"] = status_for(cell.symbol, cell.value)
        if cell.symbol:
            what = "missing" if cell.value is None else "flagged"
            row["notes"].append(f"{target} {what} in source (symbol '{cell.symbol}')")
        row["notes"].extend(cell.notes)
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
            note="; ".join(dict.fromkeys(row["notes"])),
            source=source,
            status=row["status"] or "",
        )
        for key, row in rows.items()
    ]


class PxWebClient:
    """Fetch a PxWeb table as observations, honouring the service's limits."""

    def __init__(
        self,
        http: JsonHttp | None = None,
        *,
        base_url: str = "",
        redirect: bool = False,
        cache_dir: Path | None = None,
    ) -> None:
        """``base_url`` resolves table URLs without a host; with ``redirect`` it also
        receives absolute ones (see :func:`rebase_url`).  ``cache_dir`` keeps metadata."""
        self.http = http or JsonHttp("PxWeb", cache_dir=cache_dir, setting=SETTING)
        self.base_url = base_url
        self.redirect = redirect

    def fetch(self, query: PxQuery, url: str = "") -> PxResult:
        """Fetch the cells ``query`` selects from the table at ``url`` (or ``query.url``)."""
        table_url = url or query.url
        if not table_url:
            raise SourceError("no table URL: pass one or set 'url' in the query file")
        endpoint = parse_endpoint(rebase_url(table_url, self.base_url, self.redirect), query.api)
        # Named after the service the table belongs to, even when a mirror answers.
        named = parse_endpoint(table_url, query.api) if urlsplit(table_url).netloc else endpoint
        self.http.service = _KNOWN_SOURCES.get(named.host, named.host) + " PxWeb"
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
        source = query.source or default_source(named)
        observations: list[Observation] = []
        notes: list[SourceNote] = []
        calls = 0
        for part in split_selection(selection, limits.max_cells, opaque):
            calls += 1
            answer = self._data(endpoint, query, part)
            labels = {**meta.labels, **answer.labels}
            observations.extend(cells_to_observations(answer.cells, query, source, labels))
            notes.extend(answer.notes)
            warnings.extend(
                w for w in unmapped_measures(answer.cells, query, labels) if w not in warnings
            )
        return PxResult(observations, calls, limits, warnings, unique_notes(notes))

    def _data(self, endpoint: PxEndpoint, query: PxQuery, part: dict[str, list[str]]) -> Answer:
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
        return decode_answer(body, endpoint.api, query.format)

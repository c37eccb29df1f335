"""Carry the shipped KPI series forward with SCB's later annual averages.

Jämlik ships SCB's KPI (1980=100, fastställda tal, årsmedeltal) up to the last
year that could be verified (``data/kpi_1980.csv``).  ``jamlik fetch-kpi``
asks SCB's Statistikdatabasen for the same series through the project's one
PxWeb/HTTP layer (:class:`jamlik.sources.http.JsonHttp`: retries, back-off,
clear offline errors), checks the answer and writes the extended series to the
data folder, where :func:`jamlik.economics.price_index.scb_kpi` picks it up.

The answer is refused as a whole, and nothing is written, when a year is not
an integer, a level is not a positive finite number, years go backwards or
repeat, a year is missing inside the series, or a year the shipped file
already holds differs from it at 2 decimals (SCB revises nothing in
fastställda tal, so a difference means a wrong table or a wrong content code).

The table is **not confirmed** from the reference material at hand: the
default, ``PR0101L/KPIFastAmed`` on PxWeb API v1, is the path other projects
use for "KPI, fastställda årsmedeltal, 1980=100".  Both the table URL and the
content code are options (``--url``, ``--contents-code``); without a content
code every content is asked for and the answer must hold exactly one.
"""

from __future__ import annotations

import csv
import math
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jamlik.sources.errors import SourceError
from jamlik.sources.http import JsonHttp
from jamlik.sources.pxweb import decode_answer

#: SCB's KPI annual averages, 1980=100 (PxWeb API v1; see the module docstring).
DEFAULT_URL = "https://api.scb.se/OV0104/v1/doris/sv/ssd/START/PR/PR0101/PR0101L/KPIFastAmed"
#: The file name in the data folder; the same name as the shipped file.
FILE_NAME = "kpi_1980.csv"
FIELDS = ("year", "level", "source", "fetched")
_YEAR = re.compile(r"^\d{4}$")


class KpiUpdateError(ValueError):
    """SCB's answer cannot extend the index; the message says why and nothing was written."""


@dataclass(frozen=True)
class KpiUpdate:
    """The checked result of a fetch: the whole series and which years are new."""

    values: dict[int, float]
    new_years: list[int]
    source: str
    fetched: date


def request_body(url: str, contents_code: str) -> tuple[dict[str, Any], dict[str, str] | None]:
    """The POST body (and query parameters) asking for every year as json-stat2.

    PxWeb v1 takes ``{"query": [...], "response": {"format": "json-stat2"}}``; PxWebApi 2
    (a ``/tables/TAB…`` URL) takes ``{"selection": [...]}`` with ``outputFormat`` in the
    query string (docs: apis.md §2.1, §2.2).
    """
    contents = [contents_code] if contents_code else ["*"]
    if "/tables/" in url:
        body: dict[str, Any] = {
            "selection": [
                {"variableCode": "ContentsCode", "valueCodes": contents},
                {"variableCode": "Tid", "valueCodes": ["*"]},
            ]
        }
        return body, {"lang": "sv", "outputFormat": "json-stat2"}
    filter_ = "item" if contents_code else "all"
    return {
        "query": [
            {"code": "ContentsCode", "selection": {"filter": filter_, "values": contents}},
            {"code": "Tid", "selection": {"filter": "all", "values": ["*"]}},
        ],
        "response": {"format": "json-stat2"},
    }, None


def parse_answer(body: Any, url: str) -> list[tuple[int, float]]:
    """The (year, level) pairs of a json-stat2 answer, in the order SCB sent them."""
    if not isinstance(body, dict):
        raise KpiUpdateError(f"SCB's answer from {url} is not a json-stat2 dataset")
    try:
        answer = decode_answer(body, "v1", "json-stat2")
    except (SourceError, TypeError, ValueError, AttributeError) as exc:
        raise KpiUpdateError(
            f"SCB's answer from {url} cannot be read as json-stat2: {exc}"
        ) from exc
    dataset = body.get("dataset", body)
    role = dataset.get("role") if isinstance(dataset, dict) else None
    time_codes = role.get("time") if isinstance(role, dict) else None
    time = time_codes[0] if isinstance(time_codes, list) and time_codes else "Tid"
    contents = sorted({c.codes.get("ContentsCode", "") for c in answer.cells} - {""})
    if len(contents) > 1:
        labels = answer.labels.get("ContentsCode", {})
        shown = "; ".join(f"{code} ({labels.get(code, '')})" for code in contents)
        raise KpiUpdateError(
            f"SCB's answer holds {len(contents)} contents ({shown}); "
            "choose the 1980=100 annual average with --contents-code"
        )
    pairs: list[tuple[int, float]] = []
    for cell in answer.cells:
        code = cell.codes.get(time)
        if code is None or not _YEAR.match(code):
            raise KpiUpdateError(
                f"SCB's answer has the time period {code!r}; expected a year such as 2024"
            )
        if cell.value is None or not math.isfinite(cell.value) or cell.value <= 0:
            level = cell.symbol or cell.value
            raise KpiUpdateError(
                f"SCB's answer gives {code} the level {level!r}; expected a positive number"
            )
        pairs.append((int(code), float(cell.value)))
    if not pairs:
        raise KpiUpdateError(f"SCB's answer from {url} holds no years")
    return pairs


def extend(shipped: Mapping[int, float], fetched: list[tuple[int, float]]) -> dict[int, float]:
    """The shipped series with the fetched years after it; refuse any disagreement."""
    previous: int | None = None
    for year, _level in fetched:
        if previous is not None and year <= previous:
            raise KpiUpdateError(
                f"SCB's answer goes backwards or repeats a year: {year} after {previous}"
            )
        previous = year
    values = dict(shipped)
    for year, level in fetched:
        if year in shipped and round(level, 2) != round(shipped[year], 2):
            raise KpiUpdateError(
                f"SCB gives {year} the level {level:.2f} but the shipped series has "
                f"{shipped[year]:.2f}; refusing to mix two different series (wrong table or "
                "content code?). Nothing was written."
            )
        if year > max(shipped):
            values[year] = level
    years = sorted(values)
    missing = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    if missing:
        raise KpiUpdateError(
            f"SCB's answer leaves a gap in the series: no level for {', '.join(map(str, missing))}"
        )
    return values


def fetch(
    http: JsonHttp, shipped: Mapping[int, float], *, url: str = DEFAULT_URL, contents_code: str = ""
) -> KpiUpdate:
    """Ask SCB for the series and check it against ``shipped``; raise on any problem."""
    body, params = request_body(url, contents_code)
    try:
        answer = http.post(url, body, params=params)
    except SourceError as exc:
        raise KpiUpdateError(f"{str(exc).rstrip('.')}. Nothing was written.") from exc
    values = extend(shipped, parse_answer(answer, url))
    new = sorted(set(values) - set(shipped))
    return KpiUpdate(values=values, new_years=new, source=url, fetched=date.today())


def write(update: KpiUpdate, data_dir: Path, shipped: Mapping[int, float]) -> Path:
    """Write the series to ``data_dir/kpi_1980.csv`` atomically (all or nothing)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / FILE_NAME
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=data_dir, suffix=".tmp", delete=False
    ) as handle:
        temporary = Path(handle.name)
        try:
            writer = csv.writer(handle)
            writer.writerow(FIELDS)
            for year in sorted(update.values):
                source = "shipped" if year in shipped else update.source
                writer.writerow(
                    [year, f"{update.values[year]:.2f}", source, update.fetched.isoformat()]
                )
        except BaseException:
            handle.close()
            temporary.unlink(missing_ok=True)
            raise
    os.replace(temporary, target)
    return target


def client() -> JsonHttp:
    """The HTTP layer for SCB (values are never cached)."""
    return JsonHttp("SCB PxWeb", setting="--url")

"""Kolada API v3 connector (RKA's database of municipal key figures).

Facts the client relies on (see the project's API notes):

* data are addressed in the path, ``/v3/data/kpi/{ids}/municipality/{ids}/year/{years}``,
  each segment a comma-separated list of **at most 25** items, and at least
  two of the three segments must be given;
* answers are paged: ``{"values": [...], "count": n, "next_url": ...}``
  (v2 called it ``next_page``; both are followed);
* each row carries up to three ``values`` entries with ``gender`` ``T``
  (total), ``K`` (kvinnor) or ``M`` (män); ``value`` may be ``null``;
* riket is ``0000`` and a region ``00`` + länskod.

Nothing is dropped silently: a null value becomes an observation without a
value and with a note, so a page can say "no value published".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

from jamlik.config import DEFAULT_KOLADA_URL
from jamlik.sources.areas import normalise_area_code, to_kolada_area
from jamlik.sources.errors import SourceError
from jamlik.sources.http import JsonHttp, Throttle
from jamlik.sources.observations import (
    FEMALE,
    MALE,
    SEX,
    STATUS_UNAVAILABLE,
    STATUS_VALUE,
    TOTAL,
    Observation,
)

KOLADA_V3 = DEFAULT_KOLADA_URL
#: Kolada publishes no call limit; well-behaved clients keep to five calls a second.
CALLS_PER_SECOND = 5
#: How a user points the client elsewhere (named when Kolada cannot be reached).
SETTING = "--base-url or JAMLIK_KOLADA_URL"
#: Kolada refuses path segments with more than 25 comma-separated items.
MAX_SEGMENT = 25
#: Largest (and default) page size Kolada serves.
MAX_PAGE = 5000
SOURCE = "Kolada"

_GENDER = {"T": (TOTAL, TOTAL), "K": (SEX, FEMALE), "M": (SEX, MALE)}


@dataclass(frozen=True, slots=True)
class KoladaArea:
    """One row of Kolada's ``/municipality`` list: its id, name and type (K kommun, L region)."""

    id: str
    title: str
    type: str


def chunked(items: Sequence[str], size: int = MAX_SEGMENT) -> list[list[str]]:
    """Split ``items`` into lists of at most ``size`` (order kept, duplicates removed)."""
    unique = list(dict.fromkeys(items))
    return [unique[i : i + size] for i in range(0, len(unique), size)]


class KoladaClient:
    """Fetch Kolada KPI values as :class:`Observation` rows."""

    def __init__(
        self,
        http: JsonHttp | None = None,
        *,
        base_url: str = KOLADA_V3,
        per_page: int = MAX_PAGE,
        cache_dir: Path | None = None,
    ) -> None:
        """``base_url`` is the API root (``…/v3``); ``cache_dir`` keeps metadata answers."""
        self.http = http or JsonHttp(
            "Kolada",
            cache_dir=cache_dir,
            setting=SETTING,
            throttle=Throttle(CALLS_PER_SECOND, 1.0),
        )
        self.base_url = (base_url or KOLADA_V3).rstrip("/")
        self.per_page = min(per_page, MAX_PAGE)

    # -- URLs -------------------------------------------------------------
    def data_urls(
        self, kpis: Sequence[str], areas: Sequence[str], years: Sequence[int]
    ) -> list[str]:
        """All data URLs needed, each path segment within Kolada's 25-item limit.

        ``areas`` are SCB-style codes (``00``, ``01``, ``0180``); they are
        translated to Kolada ids here.
        """
        given = sum(bool(x) for x in (kpis, areas, years))
        if given < 2:
            raise ValueError("Kolada needs at least two of: KPI ids, area codes, years")
        segments: list[tuple[str, list[list[str]]]] = []
        if kpis:
            segments.append(("kpi", chunked([k.strip() for k in kpis])))
        if areas:
            segments.append(("municipality", chunked([to_kolada_area(a) for a in areas])))
        if years:
            segments.append(("year", chunked([str(y) for y in years])))
        urls = []
        for combo in product(*(chunks for _, chunks in segments)):
            path = "/".join(
                f"{name}/{','.join(ids)}" for (name, _), ids in zip(segments, combo, strict=True)
            )
            urls.append(f"{self.base_url}/data/{path}")
        return urls

    # -- paging -----------------------------------------------------------
    def pages(self, url: str, *, metadata: bool = False) -> Iterator[dict[str, Any]]:
        """Yield every page of a paged Kolada answer, following ``next_url``.

        ``metadata`` pages (KPI and area lists) may come from the HTTP cache;
        data pages never do.
        """
        params: dict[str, str] | None = {"per_page": str(self.per_page)}
        seen: set[str] = set()
        next_url: str | None = url
        get = self.http.metadata if metadata else self.http.get
        while next_url:
            if next_url in seen:
                raise SourceError(f"Kolada paging loops back to {next_url}")
            seen.add(next_url)
            page = get(next_url, params=params)
            if not isinstance(page, dict) or "values" not in page:
                raise SourceError(f"Kolada answer for {next_url} has no 'values' list")
            yield page
            params = None  # next_url already carries the paging parameters
            next_url = page.get("next_url") or page.get("next_page")

    # -- public API -------------------------------------------------------
    def fetch(
        self,
        kpis: Sequence[str],
        areas: Sequence[str] = (),
        years: Sequence[int] = (),
    ) -> list[Observation]:
        """Fetch values for the given KPIs, areas and years."""
        observations: list[Observation] = []
        for url in self.data_urls(kpis, areas, years):
            for page in self.pages(url):
                observations.extend(parse_data_rows(page["values"]))
        return observations

    def kpi_metadata(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """Return Kolada's catalogue entries (id, title, description...) for ``ids``."""
        entries: list[dict[str, Any]] = []
        for chunk in chunked(list(ids)):
            for page in self.pages(f"{self.base_url}/kpi/{','.join(chunk)}", metadata=True):
                entries.extend(page["values"])
        return entries

    def check_kpis(self, ids: Sequence[str]) -> dict[str, str]:
        """Titles of ``ids`` by id; a KPI Kolada does not know is an error naming it.

        Kolada answers an unknown id with no row rather than an error, so
        without this check a typo would fetch nothing without a word.
        """
        titles = {str(e.get("id")): str(e.get("title", "")) for e in self.kpi_metadata(ids)}
        unknown = [k for k in dict.fromkeys(ids) if k not in titles]
        if unknown:
            raise SourceError(
                f"Kolada has no KPI {', '.join(unknown)}; check the id at "
                "https://www.kolada.se (ids look like N00957 or U01405)"
            )
        return titles

    def municipalities(self) -> dict[str, KoladaArea]:
        """Kolada's areas (``/municipality``: kommuner, regioner, riket) by Jämlik area code."""
        areas: dict[str, KoladaArea] = {}
        for page in self.pages(f"{self.base_url}/municipality", metadata=True):
            for row in page["values"]:
                try:
                    kolada_id, title, kind = str(row["id"]), str(row["title"]), str(row["type"])
                except KeyError as exc:
                    raise SourceError(
                        f"Kolada area lacks the field {exc.args[0]!r}: {row}"
                    ) from exc
                areas[normalise_area_code(kolada_id)] = KoladaArea(kolada_id, title, kind)
        return areas

    def check_areas(self, codes: Sequence[str]) -> None:
        """Refuse area codes Kolada does not publish for, naming them."""
        known = self.municipalities()
        unknown = [c for c in dict.fromkeys(codes) if normalise_area_code(c) not in known]
        if unknown:
            raise SourceError(
                f"Kolada has no area {', '.join(unknown)} (it publishes riket 00, "
                "the 21 län and the 290 kommuner)"
            )


def parse_data_rows(rows: Iterable[dict[str, Any]]) -> Iterator[Observation]:
    """Turn Kolada data rows into observations, one per gender entry."""
    for row in rows:
        try:
            kpi = str(row["kpi"])
            area = normalise_area_code(str(row.get("municipality") or row["ou"]))
            period = str(row["period"])
            entries = row["values"]
        except KeyError as exc:
            raise SourceError(f"Kolada data row lacks the field {exc.args[0]!r}: {row}") from exc
        for entry in entries:
            gender = str(entry.get("gender", "T"))
            if gender not in _GENDER:
                raise SourceError(
                    f"Kolada row {kpi}/{area}/{period} has gender {gender!r}; expected T, K or M"
                )
            breakdown, category = _GENDER[gender]
            notes = []
            value = entry.get("value")
            if entry.get("isdeleted") or entry.get("is_deleted"):
                notes.append("withdrawn by Kolada (isdeleted)")
                value = None
            elif value is None:
                notes.append("no value published in Kolada")
            status = str(entry.get("status") or "").strip()
            if status:
                notes.append(f"Kolada status {status!r}")
            yield Observation(
                indicator=kpi,
                area=area,
                period=period,
                breakdown=breakdown,
                category=category,
                value=None if value is None else float(value),
                note="; ".join(notes),
                source=SOURCE,
                status=STATUS_VALUE if value is not None else STATUS_UNAVAILABLE,
            )

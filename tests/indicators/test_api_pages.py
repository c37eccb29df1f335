"""/api/v1/observations read a page at a time in SQL: the same rows as the whole-frame
reader (:func:`jamlik.indicators.public.public_observations`, on ``observation_frame``)
for the public and for readers who see staged rows, in a bounded number of queries."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from jamlik.indicators.api_pages import Plan

# --- the plan's arithmetic (pure) ---------------------------------------------------------

PLAN = Plan(segments=((1, 1), (1, 2), (2, 1), (2, 2)), starts=(0, 3, 3, 8, 10), areas={})


@pytest.mark.parametrize(
    ("offset", "limit", "expected"),
    [
        (0, 2, (0, 1, 0)),  # inside the first segment
        (0, 3, (0, 1, 0)),  # exactly the first segment
        (2, 2, (0, 3, 2)),  # across the empty second segment into the third
        (3, 1, (2, 3, 0)),  # the empty segment is skipped
        (9, 100, (3, 4, 1)),  # past the end: the last segment only
        (10, 5, (0, 0, 0)),  # nothing left
    ],
)
def test_window_finds_the_segments_of_a_page(offset: int, limit: int, expected: tuple) -> None:
    assert PLAN.window(offset, limit) == expected


def test_batches_are_whole_segments_in_order() -> None:
    assert list(PLAN.batches(4)) == [((1, 1), (1, 2)), ((2, 1),), ((2, 2),)]
    assert [s for batch in PLAN.batches(1) for s in batch] == list(PLAN.segments)


# --- the same rows as the whole-frame reader -----------------------------------------------

UPLOADS = (
    # Botkyrka replaces a published cell and adds new ones; Lidingö adds one.
    "indikator;område;period;indelning;kategori;värde\n"
    "N03937;0127;{public_period};;;1111\nN03937;0127;2030;;;2222\nN03937;0186;2030;;;3333\n",
    # A later run of the same cell wins over the earlier one.
    "indikator;område;period;indelning;kategori;värde\nN03937;0127;2030;;;4444\n",
)


@pytest.fixture
def staged(demo) -> None:  # noqa: ANN001
    """Two unpublished file imports overlapping each other and the public table."""
    from jamlik.geo.models import Area
    from jamlik.indicators.models import PublicObservation
    from jamlik.indicators.services import import_file

    period = (
        PublicObservation.objects.filter(
            indicator__code="N03937", area=Area.objects.get(code="0127"), breakdown="total"
        )
        .order_by("period_end")
        .values_list("period", flat=True)
        .first()
    )
    for number, text in enumerate(UPLOADS):
        data = text.format(public_period=period).encode("cp1252")
        run = import_file(Path(f"upload{number}.csv"), data=data)
        assert not run.published


def _periods() -> dict[str, tuple[int, int]]:
    from jamlik.indicators.models import Observation

    return {
        p: (end, start)
        for p, start, end in Observation.objects.values_list(
            "period", "period_start", "period_end"
        ).distinct()
    }


def _expected(user: Any, **filters: Any) -> list[dict[str, Any]]:
    """The whole-frame reader's rows in the API's full order (its own order leaves ties)."""
    from jamlik.indicators.public import public_observations

    periods = _periods()
    rows = public_observations(filters.pop("codes"), user=user, **filters)
    return sorted(
        rows,
        key=lambda r: (
            r["indicator"],
            r["area"],
            periods[r["period"]][0],
            r["breakdown"],
            r["category"],
            periods[r["period"]][1],
            r["period"],
        ),
    )


def _query(codes: list[str], areas: list[str] | None, **filters: str) -> str:
    params = {"indicator": ",".join(codes), **filters}
    if areas:
        params["area"] = ",".join(areas)
    return "&".join(f"{k}={v}" for k, v in params.items())


def _all_pages(client: Client, query: str, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """Every page of ``query``, each checked against the declared response schema."""
    from jamlik.indicators.api import ObservationPage

    rows: list[dict[str, Any]] = []
    offset, count = 0, None
    while count is None or offset < count:
        response = client.get(f"/api/v1/observations?{query}&limit={limit}&offset={offset}")
        assert response["Content-Type"] == "application/json; charset=utf-8"
        page = response.json()
        assert ObservationPage.model_validate(page).model_dump(mode="json") == page
        count = page["count"]
        assert len(page["results"]) == min(limit, count - offset)
        rows += page["results"]
        offset += limit
    return count, rows


CASES = [
    (["N03937"], ["0127", "0186", "0114"], {}),
    (["N03937", "U01405"], ["0127"], {"breakdown": "education"}),
    (["N03937"], None, {"breakdown": "total", "category": "total"}),
]


@pytest.mark.parametrize("reader", [None, "botkyrka", "viewer", "admin"])
def test_pages_hold_exactly_the_whole_frame_readers_rows(staged, users, reader) -> None:  # noqa: ANN001
    """Public, an editor of one kommun, a county viewer and a national administrator:
    every page, laid end to end, is the whole-frame reader's list (staged rows included)."""
    user = users[reader] if reader else None
    client = Client()
    if user:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    for codes, areas, filters in CASES:
        expected = _expected(user, codes=codes, areas=areas, **filters)
        assert expected
        count, rows = _all_pages(client, _query(codes, areas, **filters), limit=37)
        assert count == len(expected) and rows == expected, (codes, areas, filters)
    staged_values = {
        r["value"]
        for r in _all_pages(client, _query(["N03937"], ["0127", "0186"], period="2030"), 50)[1]
    }
    sees = {None: set(), "botkyrka": {4444.0}, "viewer": {4444.0, 3333.0}}
    assert staged_values == sees.get(reader, {4444.0, 3333.0})


def test_csv_is_streamed_with_the_same_bytes_as_a_whole_file(staged, users, client_for) -> None:  # noqa: ANN001
    from jamlik.core.exports import csv_response
    from jamlik.indicators.api import CSV_COLUMNS

    client = client_for("viewer")
    query = _query(["N03937", "U01405"], ["0127", "0186"])
    response = client.get(f"/api/v1/observations?{query}&format=csv")
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    streamed = b"".join(response.streaming_content)
    expected = _expected(users["viewer"], codes=["N03937", "U01405"], areas=["0127", "0186"])
    whole = csv_response("observations.csv", CSV_COLUMNS, expected, demo=True).content
    assert streamed == whole
    rows = list(csv.DictReader(io.StringIO(streamed.decode("utf-8-sig"))))
    assert len(rows) == len(expected) and {r["published"] for r in rows} == {"True", "False"}


# --- bounded queries -----------------------------------------------------------------------

TEN = "N03937,U01405,N00923,N00925,N00938,N00956,N00957,N00997,N01481,U01424"


def _count_queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def test_a_page_costs_the_same_queries_whatever_its_depth_or_width(staged, client_for) -> None:  # noqa: ANN001
    """Public: indicators, unpublished runs, the publication token and the page's rows,
    plus the segment counts, area codes and runs with source notes once per publication; an editor who sees
    staged rows (two more for the session and user, a few for their roles) counts and
    reads the staged table too, on every call."""
    cache.clear()
    public = Client()
    wide = f"/api/v1/observations?indicator={TEN}"
    first, deep = f"{wide}&limit=5", f"{wide}&offset=9000&limit=500"
    assert _count_queries(public, first) == 7  # counted once per publication
    assert public.get(wide).json()["count"] > 10_000
    assert _count_queries(public, first) == _count_queries(public, deep) == 4
    assert _count_queries(public, f"{wide}&format=csv") == 4 + 3  # is any demo; 3 batches
    narrow = "/api/v1/observations?indicator=N03937&area=0127"
    assert _count_queries(public, narrow) == 8  # + the area filter; not yet counted
    editor = client_for("botkyrka")
    assert _count_queries(editor, first) == _count_queries(editor, deep) == 15
    assert _count_queries(editor, narrow) == 16

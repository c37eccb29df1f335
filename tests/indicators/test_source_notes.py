"""The sources' mandatory notes go with the figures: pages, CSV exports and the API.

SCB marks some notes on a table as mandatory (PxWeb's ``noteMandatory``); they
are kept on the import run and shown wherever a figure of that run is shown.
Status symbols (``..`` not available, ``-`` nothing to report) are stored per
row and published, and shown apart from a suppressed cell.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import httpx
import pytest
import respx
from django.test import Client
from tests.responses import body as response_body

from jamlik.indicators.models import ImportRun, PublicObservation
from jamlik.indicators.services import fetch_pxweb, store_observations
from jamlik.indicators.source_notes import mandatory_notes, mandatory_texts
from jamlik.sources import Observation, PxWebClient
from jamlik.sources.http import JsonHttp, RetryPolicy
from jamlik.sources.observations import STATUS_NONE, STATUS_UNAVAILABLE

FIXTURES = Path(__file__).resolve().parents[1] / "sources" / "fixtures" / "pxweb"
NOISE = "Från och med 2024 har slumpmässigt brus lagts till för att skydda enskilda."
SCB_V2 = "https://statistikdatabasen.scb.se/api/v2"


def test_mandatory_texts_reads_only_well_formed_mandatory_notes() -> None:
    stored = [
        {"text": "A", "mandatory": True},
        {"text": "B", "mandatory": False},
        {"text": " ", "mandatory": True},
        "not a note",
        {"mandatory": True},
    ]
    assert mandatory_texts(stored) == ["A"]
    assert mandatory_texts(None) == [] and mandatory_texts({"text": "A"}) == []


@pytest.fixture
def noted_run(demo) -> ImportRun:  # noqa: ANN001
    rows = [
        Observation("U01405", "0127", "2031", value=61.0),
        Observation("U01405", "0127", "2031", "sex", "female", status=STATUS_UNAVAILABLE),
        Observation("U01405", "0127", "2031", "sex", "male", status=STATUS_NONE),
    ]
    return store_observations(
        rows,
        kind=ImportRun.Kind.PXWEB,
        description="PxWeb test table",
        notes=[{"text": NOISE, "mandatory": True}, {"text": "Optional.", "mandatory": False}],
    )


def test_status_is_published(noted_run: ImportRun) -> None:
    public = {
        o.category: o.status
        for o in PublicObservation.objects.filter(
            indicator__code="U01405", area__code="0127", period="2031"
        )
    }
    assert public == {"total": "", "female": STATUS_UNAVAILABLE, "male": STATUS_NONE}


def test_mandatory_notes_for_the_indicators_that_show_them(noted_run: ImportRun) -> None:
    indicator = noted_run.observations.first().indicator
    assert mandatory_notes([indicator.pk]) == [NOISE]
    assert mandatory_notes([indicator.pk], area_ids=[noted_run.observations.first().area_id])
    others = PublicObservation.objects.exclude(indicator=indicator).values_list(
        "indicator_id", flat=True
    )[:1]
    assert mandatory_notes(list(others)) == []
    noted_run.published = False
    noted_run.save(update_fields=["published"])
    assert mandatory_notes([indicator.pk]) == []  # an unpublished run's notes are not public


def test_indicator_page_profile_and_csv_show_the_mandatory_note(
    noted_run: ImportRun, client: Client
) -> None:
    page = client.get("/lagesbild/indikator/U01405/?area=0127").content.decode()
    assert NOISE in page and "Optional." not in page
    profile = client.get("/lagesbild/kommun/0127/").content.decode()
    assert NOISE in profile
    for url in ("/lagesbild/indikator/U01405/csv/?part=compare", "/lagesbild/kommun/0127/csv/"):
        text = response_body(client.get(url)).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows and all(r["source_notes"] == NOISE for r in rows), url


def test_indicator_page_without_notes_has_no_notes_box(demo, client: Client) -> None:  # noqa: ANN001
    page = client.get("/lagesbild/indikator/U01405/?area=0127").content.decode()
    assert "ind-source-notes" not in page


def test_api_gives_status_and_source_notes(noted_run: ImportRun, client: Client) -> None:
    data = client.get("/api/v1/observations?indicator=U01405&area=0127&period=2031").json()
    rows = {r["category"]: r for r in data["results"]}
    assert rows["male"]["status"] == STATUS_NONE and rows["male"]["value"] is None
    assert rows["female"]["status"] == STATUS_UNAVAILABLE
    assert rows["total"]["source_notes"] == NOISE
    other = client.get("/api/v1/observations?indicator=U01405&area=0127&period=2024").json()
    assert all(r["source_notes"] == "" for r in other["results"])


@respx.mock
def test_fetch_pxweb_keeps_the_table_notes_on_the_run(demo, tmp_path: Path) -> None:  # noqa: ANN001
    raw = tomllib.loads((FIXTURES / "scb_tab6471.toml").read_text(encoding="utf-8"))
    query = tmp_path / "tab6471.json"
    query.write_text(json.dumps({**raw, "indicator": "U01405"}), encoding="utf-8")
    load = lambda name: json.loads((FIXTURES / name).read_text(encoding="utf-8"))  # noqa: E731
    respx.get(f"{SCB_V2}/config").mock(
        return_value=httpx.Response(200, json=load("scb_v2_config.json"))
    )
    respx.get(f"{SCB_V2}/tables/TAB6471/metadata").mock(
        return_value=httpx.Response(200, json=load("scb_tab6471_metadata.json"))
    )
    respx.post(f"{SCB_V2}/tables/TAB6471/data").mock(
        return_value=httpx.Response(200, json=load("scb_tab6471_data.json"))
    )
    http = JsonHttp("Test", retry=RetryPolicy(attempts=1, backoff=0), sleep=lambda _s: None)
    run, _warnings = fetch_pxweb("", query, client=PxWebClient(http))
    assert run.rows == 48
    assert {"text": NOISE, "mandatory": True} in run.notes
    assert {"text": "Uppgifterna är preliminära.", "mandatory": False} in run.notes
    stored = run.observations.get(area__code="0180", period="2024M02", category="85+*female")
    assert (stored.value, stored.status, stored.breakdown) == (None, "unavailable", "age*sex")


def test_matrix_cells_show_source_symbols_apart_from_suppression() -> None:
    import numpy as np
    from django.utils import translation

    from jamlik.indicators.presentation import MatrixCells, status_marker

    with translation.override("en"):
        cells = MatrixCells(["similar"])
    nan = float("nan")
    html = cells.row(
        np.array([nan, nan, nan, nan, nan]),
        np.zeros(5, dtype=int),
        np.array([False, False, False, True, False]),
        np.ones(5, dtype=bool),
        ["unavailable", "none", "confidential", "", ""],
    )
    parts = html.split("</td>")[:-1]
    assert '<span aria-hidden="true">..</span>' in parts[0]
    assert "not available" in parts[0]
    assert '<span aria-hidden="true">–</span>' in parts[1] and "nothing to report" in parts[1]
    assert '<span aria-hidden="true">.</span>' in parts[2] and "withheld" in parts[2]
    assert '<span aria-hidden="true">*</span>' in parts[3]  # our own suppression
    assert "no value" in parts[4]
    assert status_marker("") is None and status_marker("none")[0] == "–"
    # without statuses the row is what it was
    plain = cells.row(np.array([nan]), np.zeros(1, dtype=int), np.array([False]), np.array([True]))
    assert "no value" in plain

"""``jamlik fetch pxweb`` against the local replay server: notes, status and a missing region.

Real HTTP to 127.0.0.1 (tests/sources/replay.py) with SCB TAB6471-shaped
answers: one with mandatory notes and status symbols, stored whole (two
breakdowns), and one where the query left the region variable without values,
so SCB's answer has no Region dimension: the command must say which variable,
what the answer had and what to change in which query file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.sources.replay import CASES, ReplayServer, serving
from typer.testing import CliRunner

from jamlik.cli import app

runner = CliRunner()
WIDE = {"COLUMNS": "400"}  # rich wraps console output at the terminal's width
NOISE = "Från och med 2024 har slumpmässigt brus lagts till för att skydda enskilda."


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    with serving() as server:
        yield server


@pytest.fixture(autouse=True)
def _data_in_tmp(settings, tmp_path: Path) -> None:  # noqa: ANN001 - pytest-django settings
    settings.DATA_DIR = tmp_path


@pytest.mark.django_db
def test_answer_with_mandatory_notes_is_stored_whole_with_its_notes(replay: ReplayServer) -> None:
    from jamlik.indicators.models import ImportRun, Observation

    replay.load("scb_tab6471")
    table = f"{replay.url}/api/v2/tables/TAB6471"
    query = CASES / "scb_tab6471" / "query.toml"
    result = runner.invoke(app, ["fetch", "pxweb", table, "--query", str(query)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "Stored 48 observations" in result.output
    run = ImportRun.objects.latest("pk")
    assert {"text": NOISE, "mandatory": True} in run.notes
    assert {
        "text": "Stockholm: Stockholms kommun: gränsen ändrades 2024-01-01.",
        "mandatory": True,
    } in run.notes
    rows = Observation.objects.filter(import_run=run)
    assert set(rows.values_list("breakdown", flat=True)) == {"total", "age", "sex", "age*sex"}
    cell = rows.get(area__code="0127", period="2024M01", category="85+*male")
    assert (cell.value, cell.status) == (None, "none")
    assert rows.get(area__code="0180", period="2024M02", category="85+*female").status == (
        "unavailable"
    )
    assert replay.unmatched == []


@pytest.mark.django_db
def test_answer_without_the_region_variable_says_what_to_change(replay: ReplayServer) -> None:
    from jamlik.indicators.models import ImportRun

    replay.load("scb_tab6471_no_region")
    table = f"{replay.url}/api/v2/tables/TAB6471"
    query = CASES / "scb_tab6471_no_region" / "query.toml"
    before = ImportRun.objects.count()
    result = runner.invoke(app, ["fetch", "pxweb", table, "--query", str(query)], env=WIDE)
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "Nothing was stored." in text
    assert str(query) in text  # which file
    assert "no variable 'Region'" in text  # which variable
    assert "Alder, ContentsCode, Kon, Tid" in text  # what the answer had
    assert "variables.Region.values" in text and "vs:vs_CKM03Kommun" in text  # what to change
    assert ImportRun.objects.count() == before

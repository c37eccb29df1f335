"""Notes and status symbols in PxWeb answers, on real recorded answers and their exact shapes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from jamlik.sources import Observation
from jamlik.sources.jsonstat import (
    decode_jsonstat2,
    decode_px_json,
    jsonstat2_notes,
    px_json_notes,
)
from jamlik.sources.observations import (
    STATUS_CONFIDENTIAL,
    STATUS_NONE,
    STATUS_UNAVAILABLE,
    STATUS_VALUE,
    ObservationBatch,
    status_for,
)

RECORDED = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "recorded"


def _recorded(name: str) -> dict:
    path = RECORDED / name
    if not path.exists():
        pytest.skip(f"recorded answer {path} not present")
    return json.loads(path.read_text(encoding="utf-8"))


def test_recorded_v1_json_stat2_status_and_dataset_notes() -> None:
    body = _recorded("v1_jsonstat2_no.json")
    cells = list(decode_jsonstat2(body))
    missing = [c for c in cells if c.value is None]
    assert len(missing) == len(body["status"]) == 24
    assert {status_for(c.symbol, c.value) for c in missing} == {STATUS_UNAVAILABLE}
    notes = jsonstat2_notes(body)
    texts = [n.text for n in notes]
    assert texts[0].startswith("Tallene f.o.m. 1. kvartal 2020")
    assert not any(n.mandatory for n in notes)  # no noteMandatory in this answer
    assert any(t.startswith("region: ") for t in texts)  # the Region dimension's own note


def test_recorded_pxwebapi_category_note() -> None:
    body = _recorded("pxwebapi_ref_MetadataById_tab004_js2.json")
    notes = {n.text: n.mandatory for n in jsonstat2_notes(body)}
    assert notes["Footnote text"] is False
    assert notes[".. = Data not available"] is False
    assert notes["sector: Footnote text"] is False
    # a category note is not a table note unless it is mandatory
    assert not any(t.startswith("SF6") for t in notes)


def test_mandatory_flags_at_every_level() -> None:
    body = {
        "version": "2.0",
        "class": "dataset",
        "id": ["Region", "Tid"],
        "size": [2, 1],
        "note": ["Preliminära uppgifter.", "Brus har lagts till."],
        "extension": {"noteMandatory": {"1": True}},
        "dimension": {
            "Region": {
                "label": "region",
                "note": ["Indelning 2024."],
                "extension": {
                    "noteMandatory": {"0": True},
                    "categoryNoteMandatory": {"01": {"1": True}},
                },
                "category": {
                    "index": {"01": 0, "03": 1},
                    "label": {"01": "Stockholms län", "03": "Uppsala län"},
                    "note": {"01": ["Valfri not.", "Obligatorisk not."], "03": ["Bara info."]},
                },
            },
            "Tid": {"label": "år", "category": {"index": {"2024": 0}, "label": {"2024": "2024"}}},
        },
        "value": [1.5, None],
        "status": {"1": "-"},
    }
    notes = {n.text: n.mandatory for n in jsonstat2_notes(body)}
    assert notes == {
        "Preliminära uppgifter.": False,
        "Brus har lagts till.": True,
        "region: Indelning 2024.": True,
        "Stockholms län: Obligatorisk not.": True,
    }
    cells = list(decode_jsonstat2(body))
    assert cells[0].notes == ("Valfri not.", "Obligatorisk not.")
    assert cells[1].notes == ("Bara info.",)
    assert status_for(cells[1].symbol, cells[1].value) == STATUS_NONE


def test_v1_json_symbols_and_comments() -> None:
    body = {
        "columns": [
            {"code": "Region", "text": "region", "type": "d", "comment": "Kommunindelning 2024."},
            {"code": "Tid", "text": "år", "type": "t"},
            {"code": "Antal", "text": "antal", "type": "c"},
        ],
        "comments": [{"variable": "Region", "value": "0180", "comment": "Gränsändring."}],
        "data": [
            {"key": ["0127", "2022"], "values": [".."]},
            {"key": ["0127", "2023"], "values": ["-"]},
            {"key": ["0180", "2022"], "values": ["."]},
            {"key": ["0180", "2023"], "values": ["12"]},
        ],
        "metadata": [{"label": "Test", "source": "SCB"}],
    }
    cells = list(decode_px_json(body))
    assert [status_for(c.symbol, c.value) for c in cells] == [
        STATUS_UNAVAILABLE,
        STATUS_NONE,
        STATUS_CONFIDENTIAL,
        STATUS_VALUE,
    ]
    assert cells[2].notes == ("Gränsändring.",) and cells[0].notes == ()
    notes = {n.text: n.mandatory for n in px_json_notes(body)}
    # v1 json has no mandatory flag: every note is kept as one that must be shown
    assert notes == {"region: Kommunindelning 2024.": True, "region 0180: Gränsändring.": True}


@pytest.mark.parametrize(
    ("symbol", "value", "status"),
    [
        ("..", None, STATUS_UNAVAILABLE),
        ("...", None, STATUS_UNAVAILABLE),
        ("-", None, STATUS_NONE),
        (".", None, STATUS_CONFIDENTIAL),
        ("", None, STATUS_UNAVAILABLE),
        ("x", None, STATUS_UNAVAILABLE),
        ("*", 3.0, STATUS_VALUE),
        ("", 0.0, STATUS_VALUE),
    ],
)
def test_status_for(symbol: str, value: float | None, status: str) -> None:
    assert status_for(symbol, value) == status


def test_status_travels_through_a_batch_and_positional_construction_still_works() -> None:
    plain = Observation("X", "0127", "2024", "total", "total", None, None, 1.0)
    assert plain.status == STATUS_VALUE
    none = Observation("X", "0180", "2024", value=None, status=STATUS_NONE)
    batch = ObservationBatch.from_observations([plain, none])
    assert batch.statuses() == ["", "none"]
    assert [o.status for o in batch.observations()] == ["", "none"]
    nan = np.array([np.nan])
    old_style = ObservationBatch(
        ["X"], ["0127"], ["2024"], ["total"], ["total"], nan, nan, nan, nan, nan, [""], [""]
    )
    assert old_style.statuses() == [""]
    assert old_style.observations()[0].status == ""


def test_kolada_missing_values_are_unavailable() -> None:
    from jamlik.sources.kolada import parse_data_rows

    rows = [
        {
            "kpi": "U01405",
            "municipality": "0186",
            "period": 2022,
            "values": [
                {"gender": "T", "count": 1, "status": "", "value": None, "isdeleted": False},
                {"gender": "K", "count": 1, "status": "", "value": 70.0, "isdeleted": True},
                {"gender": "M", "count": 1, "status": "", "value": 74.5, "isdeleted": False},
            ],
        }
    ]
    status = {o.category: o.status for o in parse_data_rows(rows)}
    assert status == {"total": STATUS_UNAVAILABLE, "female": STATUS_UNAVAILABLE, "male": ""}

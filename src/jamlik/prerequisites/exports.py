"""Export of every response in a round, with scores, as CSV or XLSX."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse

from jamlik.core.exports import DEMO_LABEL, csv_response
from jamlik.core.spreadsheets import without_formulas
from jamlik.prerequisites.models import Round
from jamlik.prerequisites.results import score_response
from jamlik.prerequisites.specs import framework


def _raw(value: Any) -> Any:
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    return value


def table(round_: Round) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """Columns and rows: one row per response, answers as stored keys, then scores."""
    items = list(round_.instrument.items.all())
    fw = framework(round_.county)
    columns = [
        ("kommun_code", "kommun_code"),
        ("kommun", "kommun"),
        ("status", "status"),
        ("submitted_at", "submitted_at"),
    ]
    columns += [(f"q_{i.key}", i.key) for i in items]
    prerequisite_keys, dimension_keys = fw.prerequisites.keys(), fw.dimensions.keys()
    columns += [(f"p_{k}", f"score_{k}") for k in prerequisite_keys]
    columns += [(f"d_{k}", f"dimension_{k}") for k in dimension_keys]
    columns += [("index", "index"), ("level", "level")]
    rows = []
    for response in round_.responses.select_related("municipality").order_by("municipality__code"):
        row: dict[str, Any] = {
            "kommun_code": response.municipality.code,
            "kommun": response.municipality.name,
            "status": response.status,
            "submitted_at": response.submitted_at.isoformat() if response.submitted_at else "",
        }
        for item in items:
            row[f"q_{item.key}"] = _raw(response.answers.get(item.key))
        scores = score_response(round_, response, items)
        for key, score in scores.prerequisites.items():
            row[f"p_{key}"] = score.value
        for key, score in scores.dimensions.items():
            row[f"d_{key}"] = score.value
        row["index"], row["level"] = scores.index.value, scores.index.level.value
        rows.append(row)
    return columns, rows


def responses_csv(round_: Round) -> HttpResponse:
    columns, rows = table(round_)
    name = f"forutsattningar-{round_.county.code}-{round_.year}.csv"
    return csv_response(name, columns, rows, demo=round_.is_demo)


def responses_xlsx(round_: Round) -> HttpResponse:
    from openpyxl import Workbook

    columns, rows = table(round_)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Svar {round_.year}"
    header = [label for _key, label in columns] + (["data_status"] if round_.is_demo else [])
    sheet.append(header)
    for row in rows:
        sheet.append(
            [row.get(key) for key, _label in columns] + ([DEMO_LABEL] if round_.is_demo else [])
        )
    buffer = io.BytesIO()
    without_formulas(workbook)  # free-text answers never run as formulas
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"forutsattningar-{round_.county.code}-{round_.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

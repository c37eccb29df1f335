"""CSV downloads that Swedish spreadsheet users can open, labelled when data are invented."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.http import HttpResponse

from jamlik.core.spreadsheets import csv_safe

DEMO_LABEL = "Påhittade demonstrationsdata / invented demonstration data"


def csv_response(
    filename: str,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[Mapping[str, Any]],
    *,
    demo: bool = False,
    notes: Sequence[str] = (),
) -> HttpResponse:
    """A UTF-8 (with BOM, so Excel reads å ä ö) comma-separated download.

    Text that a spreadsheet would run as a formula is written as text
    (:func:`jamlik.core.spreadsheets.csv_safe`).

    ``columns`` are ``(key, header)`` pairs. When ``demo`` is true a ``data_status``
    column marks every row as invented, so a copied file cannot pass for real data.
    ``notes`` (the sources' mandatory notes, :mod:`jamlik.indicators.source_notes`)
    go in a ``source_notes`` column on every row, so they travel with any copied row.
    """
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    noted = [csv_safe(" | ".join(notes))] if notes else []
    header = [label for _key, label in columns] + (["data_status"] if demo else [])
    writer.writerow(header + (["source_notes"] if notes else []))
    for row in rows:
        values = ["" if row.get(key) is None else csv_safe(row.get(key)) for key, _label in columns]
        writer.writerow(values + ([DEMO_LABEL] if demo else []) + noted)
    return response

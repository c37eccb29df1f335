"""CSV downloads written while they are read, for exports too large to hold in memory.

The bytes are those of :func:`jamlik.core.exports.csv_response` (UTF-8 with BOM,
formula-like text written as text, the ``data_status`` column on invented
data), but rows are formatted as the client reads them, so memory stays bounded
by what the row iterator holds, not by the size of the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.http import StreamingHttpResponse

from jamlik.core.exports import DEMO_LABEL
from jamlik.core.spreadsheets import csv_safe

#: Rows formatted per chunk sent: few enough to stay small, enough to keep writes few.
ROWS_PER_CHUNK = 500


def csv_lines(
    columns: Sequence[tuple[str, str]],
    rows: Iterable[Mapping[str, Any]],
    *,
    demo: bool = False,
) -> Iterator[str]:
    """The file's text in chunks: BOM and header first, then ``ROWS_PER_CHUNK`` rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _key, label in columns] + (["data_status"] if demo else []))
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    extra = [DEMO_LABEL] if demo else []
    keys = [key for key, _label in columns]
    chunk: list[list[Any]] = []
    for row in rows:
        values = [row.get(key) for key in keys]
        chunk.append(
            ["" if v is None else csv_safe(v) if isinstance(v, str) else v for v in values] + extra
        )
        if len(chunk) == ROWS_PER_CHUNK:
            writer.writerows(chunk)
            chunk.clear()
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if chunk:
        writer.writerows(chunk)
        yield buffer.getvalue()


def streaming_csv_response(
    filename: str,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[Mapping[str, Any]],
    *,
    demo: bool = False,
) -> StreamingHttpResponse:
    """A download of ``rows`` streamed to the client (see :func:`csv_lines`)."""
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in csv_lines(columns, rows, demo=demo)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

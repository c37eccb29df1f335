"""How much an uploaded table may hold, checked before anything large is built in memory.

An import runs inside a web request on a small server (2 cores, a few GiB shared with
the database): a file must be refused while it is still only bytes, not after a parser
has grown it a hundredfold.  An XLSX workbook is a zip archive, so its size on disk says
little: a 1 MB workbook can declare a sheet of 1 GB of XML, which openpyxl took 17 s and
944 MB to refuse.  The zip's central directory lists every member's compressed and
uncompressed size; :func:`check_workbook_archive` reads only that directory and refuses a
workbook whose members add up to more than ``max_xlsx_bytes`` uncompressed, or one
member that expands more than ``max_ratio`` times (the mark of a "zip bomb": ordinary
sheet XML compresses 5-30 times; OWASP's guidance on zip bombs is to check both totals and
ratios before extracting).

The limits come from Django settings when they are configured (``JAMLIK_IMPORT_MAX_MB``,
``JAMLIK_IMPORT_MAX_ROWS``, ``JAMLIK_IMPORT_MAX_XLSX_MB``, ``JAMLIK_IMPORT_MAX_RATIO``
environment variables, see :mod:`jamlik.settings`) and from the defaults here otherwise
(the CLI and pure-Python callers).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from jamlik.sources.errors import ImportProblem, ImportValidationError

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """What one import file may hold."""

    #: The file itself, as uploaded (CSV, text or XLSX).
    max_bytes: int = 200 * MIB
    #: Data rows (a table of every kommun, year, sex and age group is well below).
    max_rows: int = 2_000_000
    #: All members of an XLSX archive, uncompressed, as its central directory declares.
    max_xlsx_bytes: int = 300 * MIB
    #: How many times one archive member may expand (checked for members over 1 MiB).
    max_ratio: int = 100
    #: One field of a CSV file: the :mod:`csv` module's own limit.  A longer field is
    #: nearly always a quote that was never closed and swallowed the rest of the file.
    max_field: int = 128 * 1024


def current_limits() -> ReadLimits:
    """The limits in force: Django's settings when configured, else the defaults."""
    defaults = ReadLimits()
    try:
        from django.conf import settings

        if not settings.configured:
            return defaults
        return ReadLimits(
            max_bytes=int(getattr(settings, "JAMLIK_IMPORT_MAX_BYTES", defaults.max_bytes)),
            max_rows=int(getattr(settings, "JAMLIK_IMPORT_MAX_ROWS", defaults.max_rows)),
            max_xlsx_bytes=int(
                getattr(settings, "JAMLIK_IMPORT_MAX_XLSX_BYTES", defaults.max_xlsx_bytes)
            ),
            max_ratio=int(getattr(settings, "JAMLIK_IMPORT_MAX_RATIO", defaults.max_ratio)),
        )
    except ImportError:  # pragma: no cover - Django is always installed with Jämlik
        return defaults


def _megabytes(size: int) -> str:
    return f"{size / MIB:.1f} MB"


def check_file_size(file: str, size: int, limits: ReadLimits) -> None:
    """Refuse a file larger than ``max_bytes``."""
    if size > limits.max_bytes:
        raise ImportValidationError(
            [
                ImportProblem(
                    file,
                    0,
                    "",
                    _megabytes(size),
                    f"a file of at most {_megabytes(limits.max_bytes)} "
                    "(split it, or save it as CSV)",
                )
            ]
        )


def check_row_count(file: str, rows: int, limits: ReadLimits) -> None:
    """Refuse a file once it has more data rows than ``max_rows``."""
    if rows > limits.max_rows:
        raise ImportValidationError(
            [
                ImportProblem(
                    file,
                    0,
                    "",
                    f"more than {limits.max_rows} rows",
                    f"at most {limits.max_rows} data rows in one file (split it)",
                )
            ]
        )


def check_workbook_archive(file: str, data: bytes, limits: ReadLimits) -> None:
    """Refuse a workbook whose archive would expand too far, from its directory alone.

    Nothing is decompressed here: :class:`zipfile.ZipFile` reads the central directory
    at the end of the archive.  A file that is not a zip archive at all is refused too.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise ImportValidationError(
            [ImportProblem(file, 0, "", type(exc).__name__, "an Excel workbook (.xlsx) that opens")]
        ) from exc
    total = sum(member.file_size for member in members)
    if total > limits.max_xlsx_bytes:
        raise ImportValidationError(
            [
                ImportProblem(
                    file,
                    0,
                    "",
                    f"{_megabytes(total)} unpacked",
                    f"a workbook of at most {_megabytes(limits.max_xlsx_bytes)} unpacked "
                    "(split it, or save the sheet as CSV)",
                )
            ]
        )
    for member in members:
        if member.file_size <= MIB:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_ratio:
            raise ImportValidationError(
                [
                    ImportProblem(
                        file,
                        0,
                        "",
                        f"{member.filename} expands {ratio:.0f} times",
                        f"a workbook whose parts expand at most {limits.max_ratio} times "
                        "(this looks like a zip bomb, not a spreadsheet)",
                    )
                ]
            )

"""Builders for the shapes real tabular files come in (workbooks edited at the zip level,
zip bombs made in memory), shared by the reading-layer tests."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence
from typing import Any

import openpyxl


def workbook(
    rows: Sequence[Sequence[Any]],
    *,
    merged: Sequence[str] = (),
    title: str = "Blad1",
    extra_sheets: dict[str, Sequence[Sequence[Any]]] | None = None,
) -> bytes:
    """An .xlsx with ``rows`` on its first sheet (openpyxl writes formulas without results)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for ref in merged:
        sheet.merge_cells(ref)
    for name, more in (extra_sheets or {}).items():
        other = book.create_sheet(name)
        for row in more:
            other.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_dimension(data: bytes, ref: str) -> bytes:
    """The workbook with every sheet's ``<dimension ref=...>`` replaced, as some
    exporters write it (a wrong, smaller range)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), content
                )
            target.writestr(item, content)
    return out.getvalue()


def bomb_by_ratio(unpacked: int = 64 * 1024 * 1024) -> bytes:
    """A workbook-shaped zip whose sheet is ``unpacked`` bytes of one repeated character:
    some tens of kilobytes that expand a thousandfold (compressed in pieces, so building
    it takes little memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            piece = b" " * (1 << 20)
            for _ in range(unpacked // len(piece)):
                sheet.write(piece)
    return out.getvalue()


def bomb_by_declared_size(declared: int = 4 * 1024**3) -> bytes:
    """A small zip whose central directory declares a member of ``declared`` bytes
    (ZIP64 extra field), as a crafted bomb does: nothing is unpacked to find it."""
    payload = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = payload.compress(b"<worksheet/>") + payload.flush()
    name = b"xl/worksheets/sheet1.xml"
    crc = zlib.crc32(b"<worksheet/>")
    extra = struct.pack("<HHQQ", 1, 16, declared, len(body))
    local = struct.pack(
        "<IHHHHHIIIHH",
        0x04034B50,
        45,
        0,
        8,
        0,
        0,
        crc,
        0xFFFFFFFF,
        0xFFFFFFFF,
        len(name),
        len(extra),
    )
    local += name + extra + body
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50, 45, 45, 0, 8, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF,
        len(name), len(extra), 0, 0, 0, 0, 0,
    )  # fmt: skip
    central += name + extra
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local), 0)
    return local + central + end

"""Which text encoding an uploaded file is in: one answer for every importer.

Swedish offices produce, in order of frequency: Excel's "CSV (semikolonavgränsad)" in
Windows-1252, "CSV UTF-8" (with a byte-order mark), "Unicode-text" (UTF-16LE with a BOM,
tab-separated), and now and then a DOS (cp850) or Mac Roman export from an old system.

The order of the checks is deliberate:

1. A byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32).
2. NUL bytes without a BOM: UTF-16/32 without a mark, detected by charset-normalizer
   among those encodings only; anything else with NULs is not text.
3. Strict UTF-8 (read incrementally, so a large file is not held twice): ASCII and
   UTF-8 never need a guess.
4. Otherwise an 8-bit encoding.  charset-normalizer left to itself calls short Swedish
   Windows-1252 text "cp1250" or "cp1006" (``å`` becomes ``ĺ``), so it only chooses among
   the encodings Swedish files are actually in (``cp_isolation``), and a candidate
   must read as Swedish: its non-ASCII letters are mostly å ä ö é ü and common
   punctuation.  Windows-1252 is taken first when it decodes and reads so.

Bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D have no character in Windows-1252 (Python's codec
raises on them, which used to surface as an HTTP 500).  In a DOS file they are ü, ì, Å,
É and Ø, so such a file is read as cp850 when that reads as Swedish; otherwise the file is
refused with the row and the byte, never decoded into control characters.

Every encoding other than UTF-8 is reported as an :class:`ImportWarning` (kind
``encoding``) so that the user can see the guess before importing.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from jamlik.sources.errors import ImportProblem, ImportValidationError, ImportWarning

#: Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: 8-bit encodings Swedish files are in, most likely first.
EIGHT_BIT = ("cp1252", "cp850", "mac_roman", "iso8859_15")
_WIDE = ("utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be")
#: Characters outside ASCII that Swedish text is made of.
_SWEDISH = set("åäöÅÄÖéÉèÈüÜáÁàæÆøØ–—‘’“”„…°§½¼¾€£´·×µ²³«»\u00a0¤")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SAMPLE = 1 << 20  # bytes looked at when guessing
_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (with byte-order mark)",
    "utf-16": "UTF-16 (Excel's 'Unicode text')",
    "utf-32": "UTF-32",
    "utf_16_le": "UTF-16 LE (no byte-order mark)",
    "utf_16_be": "UTF-16 BE (no byte-order mark)",
    "utf_32_le": "UTF-32 LE",
    "utf_32_be": "UTF-32 BE",
    "cp1252": "Windows-1252",
    "cp850": "DOS (code page 850)",
    "mac_roman": "Mac Roman",
    "iso8859_15": "ISO 8859-15",
}


@dataclass(frozen=True, slots=True)
class Encoding:
    """The codec to read a file with (``utf-8-sig``/``utf-16`` consume the BOM)."""

    codec: str
    warnings: list[ImportWarning] = field(default_factory=list)

    @property
    def name(self) -> str:
        return _NAMES.get(self.codec, self.codec)


def _first_bad_utf8(data: bytes) -> int | None:
    """Where strict UTF-8 fails, read in pieces; ``None`` when the whole file is UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 1 << 20
    for start in range(0, len(data), step):
        try:
            decoder.decode(data[start : start + step], final=start + step >= len(data))
        except UnicodeDecodeError as exc:
            return start + exc.start
    return None


def _reads_as_swedish(text: str) -> bool:
    """Most non-ASCII characters are Swedish letters or common punctuation, none are
    C1 control characters (what an 8-bit file read with the wrong table is full of)."""
    others = _NON_ASCII.findall(text)
    if not others:
        return True
    if any("\x80" <= c <= "\x9f" or c == "\ufffd" for c in others):
        return False
    swedish = sum(c in _SWEDISH for c in others)
    return swedish >= 0.9 * len(others)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _row_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _warning(file: str, codec: str, detail: str = "") -> ImportWarning:
    name = _NAMES.get(codec, codec)
    return ImportWarning(
        file=file,
        row=0,
        column="",
        value=codec,
        kind="encoding",
        en=f"The file was read as {name}{detail}; check that å, ä and ö look right.",
        sv=f"Filen lästes som {name}{detail}; kontrollera att å, ä och ö ser rätt ut.",
    )


def detect_encoding(data: bytes, file: str) -> Encoding:
    """The encoding of ``data`` (see the module docstring), or a problem naming the row."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            warnings = [] if codec == "utf-8-sig" else [_warning(file, codec)]
            return Encoding(codec, warnings)
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        return _wide(data, sample, file)
    bad = _first_bad_utf8(data)
    if bad is None:
        return Encoding("utf-8")
    return _eight_bit(data, bad, file)


def _wide(data: bytes, sample: bytes, file: str) -> Encoding:
    import charset_normalizer

    best = charset_normalizer.from_bytes(
        sample[: len(sample) // 4 * 4], cp_isolation=list(_WIDE)
    ).best()
    if best is not None and _strict(data, best.encoding) is not None:
        return Encoding(best.encoding, [_warning(file, best.encoding)])
    raise ImportValidationError(
        [
            ImportProblem(
                file,
                _row_of(data, data.find(b"\x00")),
                "",
                "a NUL byte",
                "a text file (CSV or text); this looks like a binary file",
            )
        ]
    )


def _eight_bit(data: bytes, bad_utf8: int, file: str) -> Encoding:
    import charset_normalizer

    sample = data[:_SAMPLE]
    cp1252 = _strict(sample, "cp1252")
    if cp1252 is not None and _reads_as_swedish(cp1252) and _strict(data, "cp1252") is not None:
        return Encoding("cp1252", [_warning(file, "cp1252")])
    ranked = [
        m.encoding for m in charset_normalizer.from_bytes(sample, cp_isolation=list(EIGHT_BIT))
    ]
    for codec in [*ranked, *(c for c in EIGHT_BIT if c not in ranked)]:
        text = _strict(sample, codec)
        if text is not None and _reads_as_swedish(text) and _strict(data, codec) is not None:
            return Encoding(codec, [_warning(file, codec, " (detected)")])
    if cp1252 is not None and _strict(data, "cp1252") is not None:
        return Encoding("cp1252", [_warning(file, "cp1252")])
    position = _first_undefined_cp1252(data)
    if position is None:  # pragma: no cover - every byte is defined somewhere above
        position = bad_utf8
    byte = data[position]
    raise ImportValidationError(
        [
            ImportProblem(
                file,
                _row_of(data, position),
                "",
                f"byte 0x{byte:02X}",
                "text in UTF-8 or Windows-1252 (this byte is a character in neither; "
                "save the file as 'CSV UTF-8' in Excel)",
            )
        ]
    )


def _first_undefined_cp1252(data: bytes) -> int | None:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def decode_text(data: bytes, file: str) -> tuple[str, Encoding]:
    """The whole file as text, and how it was read."""
    encoding = detect_encoding(data, file)
    return data.decode(encoding.codec), encoding

"""Text out of uploaded "mål och budget" documents (no Django).

PDF via pypdf, Word (.docx) via python-docx, plain text in the encoding the reading
layer detects (:mod:`jamlik.sources.decoding`). A PDF
whose pages carry no text layer (a scan) is reported as :attr:`ExtractionStatus.NO_TEXT`
so the analysis can say "not analysable" instead of counting zero mentions.
"""

from __future__ import annotations

import enum
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_BYTES = 15 * 1024 * 1024
MIN_CHARS_PER_PAGE = 20
"""A PDF with fewer extracted characters than this per page is treated as scanned."""

ALLOWED_SUFFIXES = (".pdf", ".docx", ".txt")


class ExtractionStatus(enum.StrEnum):
    OK = "ok"
    NO_TEXT = "no_text"


class UploadError(ValueError):
    """An upload that cannot be used; the message says why and what is expected."""


@dataclass(frozen=True)
class Extracted:
    text: str
    status: ExtractionStatus
    pages: int | None
    file_type: str


def extract(filename: str, data: bytes, *, max_bytes: int | None = None) -> Extracted:
    """Extract text, refusing empty, oversized, wrongly typed or unreadable files."""
    max_bytes = max_bytes or MAX_BYTES
    name = filename.lower()
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadError(
            _(
                "%(file)s: the file type %(suffix)s is not accepted; upload a PDF (.pdf), "
                "Word document (.docx) or plain text (.txt)."
            )
            % {"file": filename, "suffix": suffix or _("(none)")}
        )
    if not data:
        raise UploadError(_("%(file)s: the file is empty (0 bytes).") % {"file": filename})
    if len(data) > max_bytes:
        raise UploadError(
            _("%(file)s: the file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "file": filename,
                "size": f"{len(data) / 1_048_576:.1f}",
                "limit": f"{max_bytes / 1_048_576:.0f}",
            }
        )
    if suffix == ".pdf":
        return _pdf(filename, data)
    if suffix == ".docx":
        return _docx(filename, data)
    return _text(filename, data)


def _pdf(filename: str, data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.startswith(b"%PDF"):
        raise UploadError(
            _("%(file)s: this is not a PDF file (it does not start with %%PDF).")
            % {"file": filename}
        )
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise UploadError(
            _("%(file)s: the PDF could not be read (%(error)s).") % {"file": filename, "error": exc}
        ) from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    chars = len("".join(text.split()))
    status = (
        ExtractionStatus.NO_TEXT
        if not pages or chars < MIN_CHARS_PER_PAGE * len(pages)
        else ExtractionStatus.OK
    )
    return Extracted(text, status, len(pages), "pdf")


def _docx(filename: str, data: bytes) -> Extracted:
    import docx

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UploadError(
            _("%(file)s: this is not a Word .docx file (not a zip package).") % {"file": filename}
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UploadError(
            _("%(file)s: the Word document could not be read (%(error)s).")
            % {"file": filename, "error": exc}
        ) from None
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.append(" ".join(cell.text for cell in row.cells))
    text = "\n\n".join(p.strip() for p in paragraphs if p.strip())
    status = ExtractionStatus.OK if text.strip() else ExtractionStatus.NO_TEXT
    return Extracted(text, status, None, "docx")


def _text(filename: str, data: bytes) -> Extracted:
    """Plain text in whatever encoding it was saved in, detected by the one reading layer
    (:mod:`jamlik.sources.decoding`): UTF-8 with or without BOM, UTF-16 (Word's and
    Notepad's "Unicode"), Windows-1252, an old DOS or Mac export."""
    from jamlik.sources.decoding import decode_text
    from jamlik.sources.errors import ImportValidationError

    try:
        text, _encoding = decode_text(data, filename)
    except ImportValidationError as exc:
        if any(p.value == "a NUL byte" for p in exc.problems):
            raise UploadError(
                _("%(file)s: this looks like a binary file, not plain text.") % {"file": filename}
            ) from None
        raise UploadError(
            _("%(file)s: the text is neither UTF-8 nor Windows-1252.") % {"file": filename}
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    status = ExtractionStatus.OK if text.strip() else ExtractionStatus.NO_TEXT
    return Extracted(text, status, None, "txt")

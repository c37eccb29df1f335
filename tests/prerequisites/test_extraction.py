"""Text extraction from uploads, and the refusals: wrong type, empty, too large, broken."""

from __future__ import annotations

import io

import docx
import pytest
from django.utils import translation
from pypdf import PdfWriter

from jamlik.prerequisites import extraction
from jamlik.prerequisites.extraction import ExtractionStatus, UploadError, extract

from .pdfs import pdf_with_text


@pytest.fixture(autouse=True)
def english():
    """Messages are pinned in English here; the Swedish catalogue is checked elsewhere."""
    with translation.override("en"):
        yield


def test_pdf_with_text_layer():
    data = pdf_with_text(["Kommunen ska verka for en god folkhalsa.", "Budgeten 2021."])
    result = extract("mal-och-budget.pdf", data)
    assert result.status == ExtractionStatus.OK
    assert "god folkhalsa" in result.text
    assert result.pages == 1 and result.file_type == "pdf"


def test_scanned_pdf_is_reported_as_no_text_not_as_empty():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    result = extract("skannad.PDF", buffer.getvalue())
    assert result.status == ExtractionStatus.NO_TEXT
    assert result.pages == 1


def test_docx_paragraphs_and_tables():
    document = docx.Document()
    document.add_paragraph("Folkhälsan ska förbättras.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Trygghet"
    table.rows[0].cells[1].text = "öka"
    buffer = io.BytesIO()
    document.save(buffer)
    result = extract("budget.docx", buffer.getvalue())
    assert result.status == ExtractionStatus.OK
    assert "Folkhälsan ska förbättras." in result.text and "Trygghet öka" in result.text


def test_text_in_windows_1252_and_utf8_bom():
    assert extract("a.txt", "Jämlik hälsa".encode("cp1252")).text == "Jämlik hälsa"
    assert extract("a.txt", "\ufeffJämlik hälsa".encode()).text == "Jämlik hälsa"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("budget.xlsx", b"PK\x03\x04", "the file type .xlsx is not accepted"),
        ("budget", b"text", r"the file type \(none\) is not accepted"),
        ("budget.pdf", b"", "the file is empty"),
        ("budget.pdf", b"<html>not a pdf</html>", "not a PDF file"),
        ("budget.docx", b"plain words", "not a Word .docx file"),
        ("budget.txt", b"\x00\x01\x02binary", "binary file"),
        ("budget.pdf", b"%PDF-1.4\ngarbage", "the PDF could not be read"),
    ],
)
def test_unusable_uploads_are_refused_with_a_clear_message(name, data, message):
    with pytest.raises(UploadError, match=message):
        extract(name, data)


def test_too_large_uploads_are_refused(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_BYTES", 1024 * 1024)
    with pytest.raises(UploadError, match=r"the file is 2\.0 MB; the limit is 1 MB"):
        extract("big.txt", b"a" * (2 * 1024 * 1024))

"""A :class:`~jamlik.reports.document.Document` laid out as PDF, XLSX and DOCX.

One document, three layouts, so the files always say the same thing:

* **PDF** (:func:`render_pdf`): HTML printed by WeasyPrint (:mod:`jamlik.reports.pdf`),
  with running headers, page numbers and a table of contents (CSS Paged Media
  ``target-counter``); long tables break across pages and repeat their header row
  (``thead`` is a table-header-group), cells wrap so nothing runs off the page.
* **XLSX** (:func:`render_xlsx`, openpyxl): a contents sheet, each table on a sheet
  named by its key with title, source and notes under it, numbers stored as numbers
  with Swedish-friendly formats (Excel shows the user's decimal comma and thousands
  space), and the narratives on a sheet of their own.
* **DOCX** (:func:`render_docx`, python-docx): headings, paragraphs, tables with a
  repeated header row, figures as PNG (SVG drawn by vl-convert's resvg).

Numbers in PDF and DOCX are written the Swedish way by the project's one formatter
(:func:`jamlik.core.templatetags.jamlik_format.fmt`, under the Swedish locale).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from jamlik.core.templatetags.jamlik_format import fmt
from jamlik.reports.document import Cell, Document, Figure, Narrative, Paragraph, Section, Table

#: How a missing value is shown (the document model's "..").
MISSING = ".."


def format_cell(value: Cell) -> str:
    """A cell as text the Swedish way: decimal comma, a space between thousands."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        with translation.override("sv"):
            if isinstance(value, float) and abs(value) >= 1000:
                return fmt(value, 0)
            return fmt(value)
    return str(value)


def is_number(value: Cell) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def walk(sections: Sequence[Section], depth: int = 1) -> Iterator[tuple[int, Section]]:
    for section in sections:
        yield depth, section
        yield from walk(section.subsections, depth + 1)


# ---------------------------------------------------------------- PDF
def render_pdf(doc: Document) -> bytes:
    """The document as a printable PDF (A4, contents, page numbers)."""
    from jamlik.reports.pdf import render_pdf as html_to_pdf
    from jamlik.reports.pdf import svg_data_uri

    outline = []
    for depth, section in walk(doc.sections):
        blocks = []
        for block in section.blocks:
            if isinstance(block, Paragraph):
                blocks.append({"kind": "paragraph", "text": block.text})
            elif isinstance(block, Narrative):
                blocks.append({"kind": "narrative", "block": block})
            elif isinstance(block, Table):
                blocks.append({"kind": "table", "table": _html_table(block)})
            elif isinstance(block, Figure):
                blocks.append(
                    {
                        "kind": "figure",
                        "figure": block,
                        "image": svg_data_uri(block.svg),
                        "table": _html_table(block.table) if block.table else None,
                    }
                )
        outline.append(
            {
                "depth": depth,
                "key": section.key,
                "title": section.title,
                "blocks": blocks,
                # a section with figures or tables starts a page; text-only ones follow on
                "data": any(b["kind"] in ("table", "figure") for b in blocks),
            }
        )
    html = render_to_string(
        "reports/document_print.html",
        {"doc": doc, "sections": outline, "generated": doc.generated.isoformat()},
    )
    return html_to_pdf(html)


def column_widths(table: Table) -> list[float]:
    """Each column's share of the printed width (per cent), from its text lengths.

    Printed tables use a fixed layout (WeasyPrint then measures no cell to size the
    columns: about half the rendering time of a long report), so the widths are set here,
    in characters: every column first gets room for its longest word (numbers keep their
    grouping spaces, which do not break), then the rest of the line is shared in
    proportion to how much more each column's typical text would take.
    """
    capacity = WIDE_LINE_CHARS if len(table.columns) > 7 else LINE_CHARS
    least, wanted = [], []
    for i, name in enumerate(table.columns):
        texts = [format_cell(r[i]) for r in table.rows[:300] if i < len(r)]
        word = max((len(w) for t in texts for w in t.split(" ")), default=3)
        # the header is bold: its letters are about a quarter wider
        word = max(word, max(len(w) for w in f"{name} ".split(" ")) * BOLD_WIDTH)
        typical = sorted(len(t) for t in texts)[len(texts) * 3 // 4] if texts else len(name)
        least.append(max(word, 3) + CELL_PADDING_CHARS)
        wanted.append(max(min(typical, 40) + CELL_PADDING_CHARS, least[-1]))
    spare = capacity - sum(least)
    extra = [w - m for w, m in zip(wanted, least, strict=True)]
    if spare <= 0 or not sum(extra):
        widths = least if spare <= 0 else wanted
    else:
        share = min(1.0, spare / sum(extra))
        widths = [m + e * share for m, e in zip(least, extra, strict=True)]
    total = sum(widths)
    return [round(100 * w / total, 2) for w in widths]


#: Characters on a printed table line at 8.5 pt (A4, the report's margins), and at 7 pt.
LINE_CHARS = 100
WIDE_LINE_CHARS = 118
#: How much wider a bold header letter is than a body letter.
BOLD_WIDTH = 1.25
#: A cell's padding, in characters.
CELL_PADDING_CHARS = 1.5


#: Rows per printed table chunk (about a page of 8.5 pt rows).
PRINT_CHUNK = 40


def _html_table(table: Table) -> dict[str, Any]:
    numeric = [
        any(is_number(row[i]) for row in table.rows if i < len(row))
        for i in range(len(table.columns))
    ]
    rows = [
        [(format_cell(c), numeric[i] if i < len(numeric) else False) for i, c in enumerate(row)]
        for row in table.rows
    ]
    return {
        "table": table,
        "widths": column_widths(table),
        "header": list(zip(table.columns, numeric, strict=True)),
        "rows": rows,
        # WeasyPrint lays out a table that runs over many pages far more slowly than
        # the same rows as several tables (measured: bench/bench_county_report.py), so
        # long tables are printed in chunks, each with the header row.
        "chunks": [rows[i : i + PRINT_CHUNK] for i in range(0, len(rows), PRINT_CHUNK)],
        "wide": len(table.columns) > 7,
    }


# ---------------------------------------------------------------- XLSX
#: Number formats: whole numbers with a thousands separator, decimals with one or two.
#: Excel's codes are locale-neutral: "," and "." in a code show as the reader's own
#: grouping and decimal marks, so a Swedish Excel shows 1 234 567 and 2,5.
INT_FORMAT = "#,##0"
DEC_FORMAT = "#,##0.0#"
#: Below this, whole numbers are written without grouping (years, counts), as by ``fmt``.
GROUPING_FROM = 10_000


def number_format(value: float) -> str:
    """The Excel format of a number: grouped from 10 000 (not a year), decimals kept."""
    if float(value).is_integer():
        return INT_FORMAT if abs(value) >= GROUPING_FROM else "0"
    return DEC_FORMAT


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(key: str, taken: set[str]) -> str:
    """An Excel sheet name for ``key`` (at most 31 characters, unique)."""
    base = _SHEET_BAD.sub("_", key)[:31] or "sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f"_{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def render_xlsx(doc: Document) -> bytes:
    """The document's tables as a workbook: contents, one sheet per table, the narratives."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    contents = wb.active
    contents.title = sheet_name("contents", set())
    taken = {contents.title.lower()}
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="E4E9EE")
    contents.append([doc.title])
    contents["A1"].font = Font(bold=True, size=14)
    contents.append([doc.subtitle])
    contents.append([_("Produced %(date)s by Jämlik") % {"date": doc.generated.isoformat()}])
    for note in doc.notes:
        contents.append([note])
    contents.append([])
    contents.append([_("Sheet"), _("Table"), _("Source")])
    for cell in contents[contents.max_row]:
        cell.font = bold
    for table in doc.tables():
        name = sheet_name(table.key, taken)
        contents.append([name, table.title, table.source])
        link = contents.cell(row=contents.max_row, column=1)
        link.hyperlink = f"#'{name}'!A1"
        link.style = "Hyperlink"
        ws = wb.create_sheet(name)
        ws.append([table.title])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append([])
        ws.append(list(table.columns))
        header_row = ws.max_row
        for cell in ws[header_row]:
            cell.font = bold
            cell.fill = head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            ws.append([MISSING if v is None else v for v in row])
            for cell in ws[ws.max_row]:
                if is_number(cell.value):
                    cell.number_format = number_format(cell.value)
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.append([])
        ws.append([_("Source"), table.source])
        ws.cell(row=ws.max_row, column=1).font = bold
        for note in table.notes:
            ws.append([_("Note"), note])
            ws.cell(row=ws.max_row, column=1).font = bold
        for i, column in enumerate(table.columns, start=1):
            longest = max(
                [len(str(column))]
                + [len(format_cell(r[i - 1])) for r in table.rows[:200] if i - 1 < len(r)]
            )
            ws.column_dimensions[get_column_letter(i)].width = min(max(10, longest + 2), 60)
    narratives = wb.create_sheet(sheet_name("narratives", taken))
    narratives.append([_("Section"), _("Text")])
    for cell in narratives[1]:
        cell.font = bold
        cell.fill = head_fill
    for _depth, section in walk(doc.sections):
        for block in section.blocks:
            if isinstance(block, Narrative):
                narratives.append([block.title, block.text or _("(not written)")])
                narratives.cell(row=narratives.max_row, column=2).alignment = Alignment(
                    wrap_text=True, vertical="top"
                )
    narratives.column_dimensions["A"].width = 40
    narratives.column_dimensions["B"].width = 100
    contents.append([sheet_name("narratives", set()), _("Narratives"), ""])
    contents.column_dimensions["A"].width = 24
    contents.column_dimensions["B"].width = 60
    contents.column_dimensions["C"].width = 80
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- DOCX
def svg_to_png(svg: str, *, scale: float = 2.0) -> bytes | None:
    """PNG bytes of an SVG (vl-convert's resvg), or None when it cannot be drawn."""
    try:
        import vl_convert as vlc

        return bytes(vlc.svg_to_png(svg, scale=scale))
    except Exception:  # noqa: BLE001 - the figure's table is used instead
        return None


def render_docx(doc: Document) -> bytes:
    """The document for Word: headings, paragraphs, tables with header rows, PNG figures."""
    from docx import Document as Docx
    from docx.enum.section import WD_ORIENT  # noqa: F401 - portrait kept
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    out = Docx()
    style = out.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10)
    for sec in out.sections:
        sec.left_margin = sec.right_margin = Cm(2)
        sec.top_margin = sec.bottom_margin = Cm(2)
    out.core_properties.title = doc.title
    out.add_heading(doc.title, level=0)
    if doc.subtitle:
        out.add_paragraph(doc.subtitle)
    out.add_paragraph(_("Produced %(date)s by Jämlik") % {"date": doc.generated.isoformat()})
    for note in doc.notes:
        out.add_paragraph(note)

    def add_table(table: Table) -> None:
        out.add_heading(table.title, level=3)
        t = out.add_table(rows=1, cols=len(table.columns))
        t.style = "Table Grid"
        header = t.rows[0]
        # Repeat the header row on every page the table runs over.
        tr_pr = header._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for cell, name in zip(header.cells, table.columns, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(name))
            run.bold = True
        for row in table.rows:
            cells = t.add_row().cells
            for i, value in enumerate(row[: len(cells)]):
                cells[i].text = format_cell(value)
                if is_number(value):
                    cells[i].paragraphs[0].alignment = 2  # right
        if table.source:
            p = out.add_paragraph()
            p.add_run(_("Source") + ": ").bold = True
            p.add_run(table.source)
        for note in table.notes:
            out.add_paragraph(note)

    for depth, section in walk(doc.sections):
        out.add_heading(section.title, level=min(depth, 3))
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.add_paragraph(block.text)
            elif isinstance(block, Narrative):
                if block.text:
                    for part in block.text.split("\n\n"):
                        out.add_paragraph(part.strip())
                else:
                    p = out.add_paragraph()
                    p.add_run(_("Not written yet.") + " " + block.guidance).italic = True
            elif isinstance(block, Table):
                add_table(block)
            elif isinstance(block, Figure):
                png = svg_to_png(block.svg)
                if png is not None:
                    out.add_heading(block.title, level=3)
                    out.add_picture(io.BytesIO(png), width=Cm(15))
                    caption = block.alt + (
                        f" {_('Source')}: {block.source}" if block.source else ""
                    )
                    out.add_paragraph(caption)
                    if block.table is not None:
                        add_table(block.table)
                elif block.table is not None:
                    add_table(block.table)
                    out.add_paragraph(
                        _("The figure “%(title)s” is shown as its table.") % {"title": block.title}
                    )
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()

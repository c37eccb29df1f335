"""A report as plain data, so one builder feeds every output format.

A builder (the county report, the national report) reads Jämlik and returns a
:class:`Document`; the renderers (PDF, XLSX, DOCX) only lay it out. Keeping the content
free of any format means the three files always say the same thing, and a test can check
a report's sections without opening a file.

Blocks are deliberately few: a paragraph, a table (with its source and notes, which the
XLSX keeps beside every table), a figure (SVG, drawn by the same code as the pages, with
a table alternative) and a narrative (text the county writes, kept per year in
:class:`jamlik.reports.models.ReportNarrative`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

Cell = str | int | float | None


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    """A titled table. ``key`` names it in the XLSX (sheet) and in reporting templates.

    Cells hold numbers as numbers (the renderers format them the Swedish way); ``None``
    is shown as "..", a suppressed value as the string "*" with the reason in ``notes``.
    """

    key: str
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    source: str = ""
    notes: Sequence[str] = ()


@dataclass(frozen=True)
class Figure:
    """A chart or map as SVG markup, with the table that carries the same figures."""

    title: str
    svg: str
    alt: str
    table: Table | None = None
    source: str = ""


@dataclass(frozen=True)
class Narrative:
    """A section the county writes; ``text`` is empty until someone has written it."""

    key: str
    title: str
    text: str
    guidance: str = ""


Block = Paragraph | Table | Figure | Narrative


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blocks: Sequence[Block]
    subsections: Sequence[Section] = ()


@dataclass(frozen=True)
class Document:
    """A whole report: ``area_code`` is the county's code, or "00" for Sweden."""

    title: str
    area_code: str
    area_name: str
    year: int
    generated: date
    sections: Sequence[Section]
    subtitle: str = ""
    notes: Sequence[str] = field(default_factory=tuple)

    def tables(self) -> list[Table]:
        """Every table in reading order, including the tables behind figures."""
        found: list[Table] = []

        def walk(sections: Sequence[Section]) -> None:
            for section in sections:
                for block in section.blocks:
                    if isinstance(block, Table):
                        found.append(block)
                    elif isinstance(block, Figure) and block.table is not None:
                        found.append(block.table)
                walk(section.subsections)

        walk(self.sections)
        return found

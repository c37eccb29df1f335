"""Errors raised by the data connectors, each with a message a user can act on."""

from __future__ import annotations

from dataclasses import dataclass


class SourceError(Exception):
    """A data source answered with something we cannot use (after retries)."""


class SourceOfflineError(SourceError):
    """The data source could not be reached at all (no network, DNS, proxy)."""


class QueryFileError(SourceError):
    """A PxWeb query file is malformed; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One problem found in an import file, located precisely enough to fix it.

    ``row`` is the line number as a spreadsheet program shows it (the header
    is row 1); ``row`` is 0 for problems with the file as a whole.
    """

    file: str
    row: int
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: got {self.value!r}, expected {self.expected}"

    @property
    def column_shown(self) -> str:
        """The column as the reader's template names it (``täljare`` on a Swedish page)."""
        from jamlik.sources.texts import column_label

        return column_label(self.column)

    @property
    def expected_shown(self) -> str:
        """What was expected, in the reader's language (see ``jamlik.sources.texts``)."""
        from jamlik.sources.texts import shown

        return shown(self.expected)


class ImportValidationError(SourceError):
    """An import file has problems; nothing from it may be written.

    All problems are collected (not just the first) so that a user can fix a
    file in one round.
    """

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the import file:\n{shown}{more}")


@dataclass(frozen=True, slots=True)
class ImportWarning:
    """Something a reader did or assumed that the user should see before importing.

    Unlike :class:`ImportProblem` a warning does not stop the import, but the
    preview shows every one, in both languages (``sv``/``en``), because the
    readers are pure Python and the page decides the language.  ``kind`` is a
    stable machine name (``encoding``, ``header_row``, ``area_name``,
    ``thousands_separator``...).  When the user must answer before the file
    can be imported (which kommun a misspelt name means, whether ``984,748``
    is a count or a decimal), ``choices`` lists the possible answers and
    ``question`` is true.  ``row`` 0 means the file as a whole.
    """

    file: str
    row: int
    column: str
    value: str
    kind: str
    en: str
    sv: str
    choices: tuple[str, ...] = ()
    question: bool = False

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.en}"

    def in_language(self, language: str | None) -> str:
        """The warning in ``language`` (a Django language code): English for ``en*``,
        else Swedish, the site's default."""
        return self.en if (language or "sv").startswith("en") else self.sv

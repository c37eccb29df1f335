"""Questions an import file raises, and the answers that decide how it is read.

Two things in a file cannot be settled by the file alone: which area a name
that is not exact means (``Upsala``: the kommun 0380 or Uppsala län?), and
whether ``984,748`` is a count or a decimal.  The template reader
(:mod:`jamlik.sources.template`) records them here while it streams the file
and, at the end, turns them into :class:`~jamlik.sources.errors.ImportWarning`
s: questions (``question=True``, with ``choices``) when the user must
answer, plain warnings when the reader decided and the user should know
(``Stockholm`` read as the kommun; ``1,234`` read as a thousand because other
cells in the column use ``,`` as thousands separator).

The web preview asks the questions with radio buttons and the CLI takes
``--area``/``--thousands``/``--accept-suggestions``; both hand the reader an
:data:`Answers` mapping keyed by :func:`question_key`.  A file imported with a
question still open is refused as a whole (:class:`UnansweredQuestions`),
never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from jamlik.sources.area_names import (
    AreaNames,
    AreaReading,
    choice_code,
    question_text,
    rows_en,
    rows_sv,
)
from jamlik.sources.errors import ImportProblem, ImportValidationError, ImportWarning
from jamlik.sources.numbers import (
    DECIMAL,
    THOUSANDS,
    ambiguous_separator,
    parse_number,
    separator_evidence,
)

AREA_NAME = "area_name"
THOUSANDS_SEPARATOR = "thousands_separator"

#: Answers by :func:`question_key`: an area code for an area question,
#: :data:`~jamlik.sources.numbers.THOUSANDS` or ``DECIMAL`` for a column of numbers.
Answers = Mapping[str, str]


def area_key(text: str) -> str:
    return f"{AREA_NAME}:{text.strip()}"


def thousands_key(column: str) -> str:
    return f"{THOUSANDS_SEPARATOR}:{column}"


def question_key(warning: ImportWarning) -> str:
    """The key under which a question's answer is given."""
    if warning.kind == THOUSANDS_SEPARATOR:
        return thousands_key(warning.column)
    return area_key(warning.value)


def answer_for_choice(warning: ImportWarning, choice: str) -> str:
    """The answer that picking ``choice`` gives (``ValueError`` if it is not one of them)."""
    if choice not in warning.choices:
        raise ValueError(f"{choice!r} is not one of {warning.choices}")
    if warning.kind == THOUSANDS_SEPARATOR:
        return (THOUSANDS, DECIMAL)[warning.choices.index(choice)]
    return choice_code(choice)


def suggested_answers(warnings: Iterable[ImportWarning]) -> dict[str, str]:
    """Every question answered with its first (suggested) choice."""
    return {
        question_key(w): answer_for_choice(w, w.choices[0])
        for w in warnings
        if w.question and w.choices
    }


def questions(warnings: Iterable[ImportWarning]) -> list[ImportWarning]:
    return [w for w in warnings if w.question]


class UnansweredQuestions(ImportValidationError):
    """A file still had questions when it was to be imported: nothing is stored.

    A subclass of :class:`ImportValidationError`, so every caller that lists
    problems lists these too; ``questions`` keeps the warnings for a caller
    that can explain how to answer them.
    """

    def __init__(self, questions: list[ImportWarning]) -> None:
        self.questions = questions
        super().__init__(
            [
                ImportProblem(
                    q.file,
                    q.row,
                    q.column,
                    q.value,
                    f"an answer to: {q.en} (choices: {' / '.join(q.choices)})",
                )
                for q in questions
            ]
        )


# --- areas -------------------------------------------------------------------------------


@dataclass
class _Seen:
    reading: AreaReading
    code: str
    answered: bool
    rows: int = 0
    first_row: int = 0


class AreaQuestions:
    """Area cells that are not plain codes, read with :class:`AreaNames`.

    ``allowed`` are the codes the file may use (the editor's areas): a
    question lists them first, so the suggestion is one the user may import.
    """

    def __init__(self, names: AreaNames, answers: Answers | None, allowed: Collection[str]) -> None:
        self.names = names
        self.answers = answers or {}
        self.allowed = allowed
        self.seen: dict[str, _Seen] = {}

    def code(self, text: str, plain: str) -> str:
        """The code for a cell whose text is ``text`` and plain code reading ``plain``."""
        if not text or plain in self.allowed:
            return plain
        reading = self.names.read(text)
        if reading.how == "code":
            return reading.code or plain
        answer = self.answers.get(area_key(text))
        if reading.question and not answer:
            candidates = sorted(reading.candidates, key=lambda a: a.code not in self.allowed)
            reading = AreaReading(
                reading.text, None, tuple(candidates), reading.how, reading.note_en, reading.note_sv
            )
        code = answer or reading.code or (reading.candidates[0].code if reading.candidates else "")
        if not code:
            return plain  # nothing fits: the reader reports the cell as it was written
        self.seen[text] = _Seen(reading, code, bool(answer))
        return code

    def tally(self, lines: list[int], texts: np.ndarray) -> None:
        """Count the rows of this block whose area was read from a name."""
        if not self.seen:
            return
        import pandas as pd

        counts = pd.Series(texts).value_counts(sort=False)
        for text, n in counts.items():
            seen = self.seen.get(str(text))
            if seen is None:
                continue
            if not seen.rows:
                seen.first_row = lines[int(np.flatnonzero(texts == text)[0])]
            seen.rows += int(n)

    def warnings(self, file: str) -> list[ImportWarning]:
        found: list[ImportWarning] = []
        plain: list[_Seen] = []
        for text, seen in self.seen.items():
            reading = seen.reading
            if not seen.rows:
                continue

            about = partial(ImportWarning, file, seen.first_row, "area", text, AREA_NAME)
            if seen.answered:
                area = self.names.areas.get(seen.code)
                label = area.label if area else seen.code
                found.append(
                    about(
                        f"'{text}' ({rows_en(seen.rows)}) was read as {label}, as answered.",
                        f"'{text}' ({rows_sv(seen.rows)}) lästes som {label}, enligt svaret.",
                    )
                )
            elif reading.question:
                en, sv = question_text(reading, seen.rows)
                choices = tuple(a.label for a in reading.candidates)
                found.append(about(en, sv, choices, question=True))
            elif reading.note_en:
                found.append(about(reading.note_en, reading.note_sv))
            else:
                plain.append(seen)
        if plain:
            examples = ", ".join(f"'{s.reading.text}' → {s.code}" for s in plain[:3])
            rows = sum(s.rows for s in plain)
            found.append(
                ImportWarning(
                    file,
                    0,
                    "area",
                    "",
                    AREA_NAME,
                    f"{len(plain)} area names ({rows_en(rows)}) were read as codes, e.g. {examples}.",
                    f"{len(plain)} områdesnamn ({rows_sv(rows)}) lästes som koder, t.ex. {examples}.",
                )
            )
        return sorted(found, key=lambda w: w.row)


# --- thousands separators ----------------------------------------------------------------

_MARKS = ",."


@dataclass
class _Column:
    evidence: set[tuple[str, str]] = field(default_factory=set)
    #: per mark: the readings applied (None: no evidence yet, read as decimal for now)
    applied: dict[str, set[str | None]] = field(default_factory=dict)
    cells: int = 0
    first_row: int = 0
    examples: list[str] = field(default_factory=list)
    memo: Any = None

    def decided(self, mark: str) -> str | None:
        """What the column's other cells show ``mark`` to be, if they agree."""
        other = "." if mark == "," else ","
        flip = {DECIMAL: THOUSANDS, THOUSANDS: DECIMAL}
        roles = {role for m, role in self.evidence if m == mark}
        roles |= {flip[role] for m, role in self.evidence if m == other}
        return roles.pop() if len(roles) == 1 else None


class SeparatorQuestions:
    """Numbers such as ``984,748`` in the number columns (see :mod:`jamlik.sources.numbers`).

    An ambiguous cell is read as the answer for its column says; else as the
    column's other cells so far show; else as a decimal for now, and the
    column becomes a question unless the rest of the column shows later that
    the comma (or point) is a decimal mark.  One question per column, however
    many cells.
    """

    def __init__(
        self, answers: Answers | None, memo: Callable[[Callable[[Any], int]], Any]
    ) -> None:
        self.answers = answers or {}
        self.make_memo = memo
        self.columns: dict[str, _Column] = {}

    def read(self, column: str, cells: np.ndarray, values: np.ndarray, lines: list[int]) -> None:
        """Correct ``values`` (parsed as decimals) where ``column``'s cells are thousands."""
        state = self.columns.get(column)
        if state is None:
            state = self.columns[column] = _Column()
            state.memo = self.make_memo(lambda cell: _classify(cell, state.evidence))
        kinds = state.memo(cells).astype(np.int8)
        where = np.flatnonzero(kinds)
        if not len(where):
            return
        answer = self.answers.get(thousands_key(column))
        if not state.cells:
            state.first_row = lines[int(where[0])]
        state.cells += len(where)
        for kind in np.unique(kinds[where]).tolist():
            mark = _MARKS[kind - 1]
            idx = where[kinds[where] == kind]
            if len(state.examples) < 3:
                import pandas as pd

                for cell in pd.unique(cells[idx])[:3].tolist():
                    text = str(cell).strip()
                    if len(state.examples) < 3 and text not in state.examples:
                        state.examples.append(text)
            reading = answer if answer in (THOUSANDS, DECIMAL) else state.decided(mark)
            state.applied.setdefault(mark, set()).add(reading)
            if reading == THOUSANDS:
                values[idx] = [
                    parse_number(str(cells[i]).strip(), thousands=mark) for i in idx.tolist()
                ]

    def warnings(self, file: str) -> list[ImportWarning]:
        found = []
        for column, state in self.columns.items():
            if not state.cells:
                continue
            example = state.examples[0]
            mark = ambiguous_separator(example) or ","
            as_count = example.replace(mark, "").replace("\u2212", "-")
            as_decimal = example.replace(mark, ".").replace("\u2212", "-")
            shown = ", ".join(f"'{e}'" for e in state.examples)
            answer = self.answers.get(thousands_key(column))
            finals = {m: state.decided(m) for m in state.applied}
            settled = all(
                finals[m] is not None
                and applied <= ({finals[m], None} if finals[m] == DECIMAL else {finals[m]})
                for m, applied in state.applied.items()
            )
            if answer in (THOUSANDS, DECIMAL) or settled:
                reading = answer if answer in (THOUSANDS, DECIMAL) else finals[mark]
                number = as_count if reading == THOUSANDS else as_decimal
                why_en = "as answered" if answer else "as the column's other numbers show"
                why_sv = "enligt svaret" if answer else "som kolumnens övriga tal visar"
                found.append(
                    ImportWarning(
                        file,
                        state.first_row,
                        column,
                        example,
                        THOUSANDS_SEPARATOR,
                        f"{state.cells} numbers such as {shown} were read with '{mark}' as "
                        f"{'thousands separator' if reading == THOUSANDS else 'decimal mark'} "
                        f"('{example}' = {number}), {why_en}.",
                        f"{state.cells} tal som {shown} lästes med '{mark}' som "
                        f"{'tusentalsavgränsare' if reading == THOUSANDS else 'decimaltecken'} "
                        f"('{example}' = {_sv_number(number)}), {why_sv}.",
                    )
                )
                continue
            found.append(
                ImportWarning(
                    file,
                    state.first_row,
                    column,
                    example,
                    THOUSANDS_SEPARATOR,
                    f"{state.cells} numbers such as {shown} have one '{mark}' followed by three "
                    f"digits. Is '{example}' {as_count} (a count, '{mark}' separating "
                    f"thousands) or {as_decimal} (a decimal)?",
                    f"{state.cells} tal som {shown} har ett '{mark}' följt av tre siffror. "
                    f"Är '{example}' {_sv_count(as_count)} (ett antal, '{mark}' skiljer "
                    f"tusental) eller {as_decimal.replace('.', ',')} (ett decimaltal)?",
                    (as_count, as_decimal),
                    question=True,
                )
            )
        return found


def _classify(cell: Any, evidence: set[tuple[str, str]]) -> int:
    """0, or 1/2 for a cell ambiguous in ``,``/``.``; adds what the cell shows to ``evidence``."""
    if not isinstance(cell, str):
        return 0
    mark = ambiguous_separator(cell)
    if mark is not None:
        return _MARKS.index(mark) + 1
    evidence.update(separator_evidence(cell))
    return 0


def _sv_count(text: str) -> str:
    """``984748`` as Swedish writes it: ``984 748`` (a non-breaking space between groups)."""
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sign + "\u00a0".join(groups)


def _sv_number(text: str) -> str:
    """A reading as Swedish writes it: a count grouped, a decimal with a comma."""
    return text.replace(".", ",") if "." in text else _sv_count(text)

"""Numbers as Swedish spreadsheets write them: ``1 234,5``, ``0,25``, ``12.5``.

One cell cannot always say how it is meant: ``984,748`` is 984 748 people in a
file written in English and 984.748 in one written in Swedish, and ``1.234``
the other way round.  :func:`ambiguous_separator` recognises such a cell
(one ``,`` or ``.`` followed by exactly three digits, a first group of one to
three digits not starting with 0, and no other separator), and
:func:`separator_evidence` what an unambiguous cell in the same column shows
(``5,5`` uses the comma as decimal mark, ``1,234,567`` as thousands
separator).  The import reader asks the user when a column's cells leave the
question open; :func:`parse_number` stays the one parser and reads the cell
either way (``thousands=``).
"""

from __future__ import annotations

import math
import re

_SPACES = (" ", "\u00a0", "\u202f", "\u2009", "'")


DECIMAL = "decimal"
THOUSANDS = "thousands"

_AMBIGUOUS = re.compile(r"[+\-\u2212]?[1-9]\d{0,2}([.,])\d{3}")
_GROUPED = {
    mark: re.compile(rf"[+\-\u2212]?\d{{1,3}}(?:{re.escape(mark)}\d{{3}})+") for mark in ",."
}


def ambiguous_separator(text: str) -> str | None:
    """``","`` or ``"."`` when ``text`` reads as well with that mark as a thousands
    separator as with it as a decimal mark (``984,748``, ``1.234``); else ``None``."""
    match = _AMBIGUOUS.fullmatch(text.strip())
    return match.group(1) if match else None


def separator_evidence(text: str) -> frozenset[tuple[str, str]]:
    """What an unambiguous cell shows about ``,`` and ``.``: pairs ``(mark, role)``
    with role :data:`DECIMAL` or :data:`THOUSANDS`.

    ``5,5``, ``0,345``, ``1234,567`` and ``1 234,567`` use the comma as decimal
    mark; ``1,234,567`` uses it as thousands separator; ``1.234,5`` shows both
    roles.  An ambiguous cell, or one without separators, shows nothing.
    """
    cleaned = text.strip()
    if not cleaned or (cleaned.isascii() and cleaned.isdigit()):
        return frozenset()
    spaced = any(space in cleaned for space in _SPACES)
    for space in _SPACES:
        cleaned = cleaned.replace(space, "")
    marks = [mark for mark in ",." if mark in cleaned]
    if len(marks) == 2:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        other = "." if decimal == "," else ","
        return frozenset({(decimal, DECIMAL), (other, THOUSANDS)})
    if len(marks) != 1:
        return frozenset()
    mark = marks[0]
    if cleaned.count(mark) > 1:
        return frozenset({(mark, THOUSANDS)}) if _GROUPED[mark].fullmatch(cleaned) else frozenset()
    if not spaced and _AMBIGUOUS.fullmatch(cleaned):
        return frozenset()
    return frozenset({(mark, DECIMAL)})


def parse_number(text: str, *, thousands: str | None = None) -> float:
    """Parse a decimal number written with a decimal comma or point.

    The rule is :func:`number_text`'s; this returns its value as a float.
    """
    if text.isascii() and text.isdigit():
        return float(text)  # the common case, a plain count: no separators to read
    return float(number_text(text, thousands=thousands))


def number_text(text: str, *, thousands: str | None = None) -> str:
    """The number in ``text`` in plain notation (``"1 234,5"`` -> ``"1234.5"``), for
    :class:`float` or :class:`decimal.Decimal` (forms keep the digits exact).

    Spaces (also non-breaking) are thousands separators.  When both ``,``
    and ``.`` occur, the last one is the decimal mark (``1.234,5`` and
    ``1,234.5``); several of one mark in groups of three are thousands
    separators (``1,234,567``).  An ambiguous cell (:func:`ambiguous_separator`) is read with
    its mark as decimal mark unless ``thousands`` names that mark, as the user
    answered or the rest of the column shows (``parse_number("984,748",
    thousands=",") == 984748``).  Raises ``ValueError`` for anything else,
    including text such as ``"n/a"``, several decimal commas, NaN and infinity.
    """
    if thousands is not None and ambiguous_separator(text) == thousands:
        text = text.replace(thousands, "")
    cleaned = text.strip()
    for space in _SPACES:
        cleaned = cleaned.replace(space, "")
    if cleaned.startswith("−"):  # Unicode minus, common when copying from reports
        cleaned = "-" + cleaned[1:]
    if "," in cleaned and "." in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        grouping = "." if decimal == "," else ","
        cleaned = cleaned.replace(grouping, "")
        cleaned = cleaned.replace(",", ".")
    elif any(cleaned.count(mark) > 1 and _GROUPED[mark].fullmatch(cleaned) for mark in ",."):
        cleaned = cleaned.replace(",", "").replace(".", "")  # 1,234,567 and 1.234.567
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    elif cleaned.count(",") > 1:
        raise ValueError(f"{text!r} has several decimal commas")
    if not cleaned or not any(ch.isdigit() for ch in cleaned):
        raise ValueError(f"{text!r} is not a number")
    number = float(cleaned)  # ValueError for what is still not a number (1200.5.3)
    if not math.isfinite(number):
        raise ValueError(f"{text!r} is not a finite number")
    return cleaned

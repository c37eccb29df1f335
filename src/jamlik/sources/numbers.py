"""Numbers as Swedish spreadsheets write them: ``1 234,5``, ``0,25``, ``12.5``."""

from __future__ import annotations

import math

_SPACES = (" ", "\u00a0", "\u202f", "\u2009", "'")


def parse_number(text: str) -> float:
    """Parse a decimal number written with a decimal comma or point.

    Spaces (also non-breaking) are thousands separators.  When both ``,``
    and ``.`` occur, the last one is the decimal mark (``1.234,5`` and
    ``1,234.5``).  Raises ``ValueError`` for anything else, including text
    such as ``"n/a"``, several decimal commas, NaN and infinity.
    """
    if text.isascii() and text.isdigit():
        return float(text)  # the common case, a plain count: no separators to read
    cleaned = text.strip()
    for space in _SPACES:
        cleaned = cleaned.replace(space, "")
    if cleaned.startswith("−"):  # Unicode minus, common when copying from reports
        cleaned = "-" + cleaned[1:]
    if "," in cleaned and "." in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        cleaned = cleaned.replace(thousands, "")
        cleaned = cleaned.replace(",", ".")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    elif cleaned.count(",") > 1:
        raise ValueError(f"{text!r} has several decimal commas")
    if not cleaned or not any(ch.isdigit() for ch in cleaned):
        raise ValueError(f"{text!r} is not a number")
    number = float(cleaned)
    if not math.isfinite(number):
        raise ValueError(f"{text!r} is not a finite number")
    return number

"""Area codes: one place that translates between Kolada's and SCB's spellings.

SCB and Folkhälsodata write riket as ``00`` and a län as ``01``..``25``;
Kolada writes riket as ``0000`` and a region as ``00`` + länskod
(``0001`` = Region Stockholm).  Kommun codes (four digits) agree.  Inside
Jämlik we use the SCB form, so ``0001`` becomes ``01`` on the way in and
``01`` becomes ``0001`` on the way out to Kolada.
"""

from __future__ import annotations

import re

_KOMMUN = re.compile(r"^\d{4}$")


def restore_leading_zero(text: str) -> str:
    """A code whose leading zero a number or spreadsheet dropped, restored: a län has
    two digits (``1`` → ``01``), a kommun four (``114`` → ``0114``); two and four digits
    stay as they are (``21`` is Gävleborgs län, not kommun ``0021``)."""
    text = text.strip()
    if text.isdigit() and len(text) in (1, 3):
        return "0" + text
    return text


def normalise_area_code(code: str) -> str:
    """Return the SCB-style code for a Kolada- or SCB-style area code."""
    code = code.strip()
    if code == "0000":
        return "00"
    if _KOMMUN.match(code) and code.startswith("00"):
        return code[2:]
    return code


def to_kolada_area(code: str) -> str:
    """Return Kolada's id for an SCB-style area code (riket, län or kommun)."""
    code = code.strip()
    if code == "00":
        return "0000"
    if re.fullmatch(r"\d{2}", code):
        return "00" + code
    return code

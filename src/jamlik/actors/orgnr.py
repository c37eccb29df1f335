"""Swedish organisation numbers (organisationsnummer): normalise and validate.

An organisation number has ten digits, written ``NNNNNN-NNNN``; the last digit is a
check digit computed with the Luhn (mod 10) algorithm over the first nine (Luhn 1960,
US patent 2,950,048; Skatteverket, SKV 709). The third digit is at least 2 — that is
what separates a legal person's number from a personnummer (month 01–12). Jämlik
refuses personal identity numbers on purpose: sole traders are people, and an actor map
must not hold data about private persons. A twelve-digit form with the century prefix
``16`` is accepted and shortened.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s\-+]")


class OrgNumberError(ValueError):
    """The text is not a valid Swedish organisation number; the message says why."""


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit for a string of digits (doubling every second from the left).

    For a nine-digit organisation-number stem the leftmost digit is doubled, which is
    the same as doubling every second digit counted from the right of the full number.
    """
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def normalise_org_number(text: str) -> str:
    """``"556016-0680"``, ``"5560160680"`` or ``"165560160680"`` → ``"556016-0680"``.

    Raises :class:`OrgNumberError` with a message naming the rule that failed.
    """
    raw = _SEPARATORS.sub("", str(text or ""))
    if not raw.isdigit():
        raise OrgNumberError(
            _(
                "An organisation number has only digits and an optional hyphen; "
                "“%(text)s” has other characters."
            )
            % {"text": text}
        )
    if len(raw) == 12:
        if not raw.startswith("16"):
            raise OrgNumberError(
                _("A 12-digit organisation number must start with 16; “%(text)s” does not.")
                % {"text": text}
            )
        raw = raw[2:]
    if len(raw) != 10:
        raise OrgNumberError(
            _("An organisation number has 10 digits (NNNNNN-NNNN); “%(text)s” has %(count)s.")
            % {"text": text, "count": len(raw)}
        )
    if int(raw[2]) < 2:
        raise OrgNumberError(
            _(
                "“%(text)s” looks like a personal identity number (its third digit is below 2); "
                "only organisations' numbers may be stored."
            )
            % {"text": text}
        )
    expected = luhn_check_digit(raw[:9])
    if int(raw[9]) != expected:
        raise OrgNumberError(
            _(
                "“%(text)s” is not a valid organisation number: the last digit (the check "
                "digit) should be %(expected)s. Check the number for a typing error."
            )
            % {"text": text, "expected": expected}
        )
    return f"{raw[:6]}-{raw[6:]}"


def is_valid_org_number(text: str) -> bool:
    try:
        normalise_org_number(text)
    except OrgNumberError:
        return False
    return True


def make_org_number(stem: str) -> str:
    """A valid number from a nine-digit stem (used to invent demo and test numbers)."""
    if len(stem) != 9 or not stem.isdigit():
        raise ValueError("stem must be nine digits")
    return f"{stem[:6]}-{stem[6:]}{luhn_check_digit(stem)}"

"""The survey item editor's text fields, parsed and checked.

A county administrator writes a question's answer options and scale as plain lines,
which is quicker than a nested form and copies well from a document:

* options, one per line: ``key; Svensk etikett; English label; points``
  (points 0–1 in the default instrument; any non-negative number is allowed);
* scale levels, one per line: ``value; Svensk etikett; English label``, whole numbers.

Parsing is pure and returns the stored JSON shapes (``Item.options``, ``Item.scale``);
errors name the line and say what was expected, so the editor can show them at the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _

from jamlik.sources.numbers import parse_number

#: The fields of a question the editor sets (the key only when a question is added).
ITEM_FIELDS = (
    "order", "kind", "prerequisite", "dimensions", "weight", "text_sv", "text_en",
    "options", "scale", "full_at", "unit_sv", "unit_en", "summary",
)  # fmt: skip
KEY_PATTERN = re.compile(r"^[a-z0-9_]+$")
CHOICE_KINDS = ("single_choice", "multiple_choice")


class ItemTextError(ValueError):
    """One or more lines of an option or scale field cannot be used."""


def _fields(line: str) -> list[str]:
    return [part.strip() for part in line.replace("\t", ";").split(";")]


def _rows(
    text: str, width: int, expected: str, errors: list[str]
) -> Iterator[tuple[int, list[str]]]:
    """Non-empty lines with ``width`` fields, numbered from 1; others become errors."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = _fields(line)
        if len(parts) == width:
            yield number, parts
        else:
            errors.append(
                _("line %(n)s: expected %(fields)s, got “%(text)s”")
                % {"n": number, "fields": expected, "text": line}
            )


def _check_labels(number: int, sv: str, en: str, errors: list[str]) -> None:
    if not sv or not en:
        errors.append(
            _("line %(n)s: both a Swedish and an English label are needed") % {"n": number}
        )


def parse_options(text: str) -> list[dict[str, Any]]:
    """``key; sv; en; points`` lines as ``[{"key", "sv", "en", "points"}]``."""
    options: list[dict[str, Any]] = []
    errors: list[str] = []
    for number, (key, sv, en, points_text) in _rows(
        text, 4, _("key; Swedish; English; points"), errors
    ):
        if not KEY_PATTERN.match(key):
            errors.append(
                _("line %(n)s: the key “%(key)s” may only hold a–z, 0–9 and _")
                % {"n": number, "key": key}
            )
        _check_labels(number, sv, en, errors)
        try:
            points = parse_number(points_text)
        except ValueError:
            errors.append(
                _("line %(n)s: points must be a number, got “%(text)s”")
                % {"n": number, "text": points_text}
            )
            continue
        if points < 0:
            errors.append(
                _("line %(n)s: points must not be negative, got %(text)s")
                % {"n": number, "text": points_text}
            )
        options.append({"key": key, "sv": sv, "en": en, "points": points})
    keys = [o["key"] for o in options]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        errors.append(_("keys used more than once: %(keys)s") % {"keys": ", ".join(repeated)})
    if errors:
        raise ItemTextError("; ".join(errors))
    return options


def parse_scale(text: str) -> list[list[str]]:
    """``value; sv; en`` lines as ``[[value, sv, en]]`` in ascending order of value."""
    levels: list[tuple[int, str, str]] = []
    errors: list[str] = []
    for number, (value_text, sv, en) in _rows(text, 3, _("value; Swedish; English"), errors):
        try:
            value = int(value_text)
        except ValueError:
            errors.append(
                _("line %(n)s: the value must be a whole number, got “%(text)s”")
                % {"n": number, "text": value_text}
            )
            continue
        _check_labels(number, sv, en, errors)
        levels.append((value, sv, en))
    values = [v for v, _sv, _en in levels]
    if len(set(values)) != len(values):
        errors.append(_("each scale value may appear only once"))
    if errors:
        raise ItemTextError("; ".join(errors))
    return [[str(v), sv, en] for v, sv, en in sorted(levels)]


def options_text(options: Sequence[dict[str, Any]]) -> str:
    """The editor's text for stored options (inverse of :func:`parse_options`)."""
    return "\n".join(
        f"{o['key']}; {o['sv']}; {o['en']}; {float(o.get('points', 1)):g}" for o in options
    )


def scale_text(scale: Sequence[Sequence[str]]) -> str:
    return "\n".join(f"{v}; {sv}; {en}" for v, sv, en in scale)


def kind_problems(
    kind: str,
    options: Sequence[dict[str, Any]],
    scale: Sequence[Sequence[str]],
    full_at: float | None,
    summary_options: Sequence[str],
) -> dict[str, str]:
    """What a question of ``kind`` lacks or must not have, by form field.

    Scoring (``scoring.item_points``) needs: options for choices, at least two scale
    levels, a positive ``full_at`` for numbers; free text is never scored.
    """
    problems: dict[str, str] = {}
    if kind in CHOICE_KINDS:
        if len(options) < 2:
            problems["options"] = _("a choice question needs at least two options")
        elif not any(o["points"] > 0 for o in options):
            problems["options"] = _("at least one option must give points")
    elif options:
        problems["options"] = _("only choice questions have options; leave this empty")
    if kind == "scale":
        if len(scale) < 2:
            problems["scale"] = _("a scale needs at least two levels")
    elif scale:
        problems["scale"] = _("only scale questions have levels; leave this empty")
    if kind == "number" and (full_at is None or full_at <= 0):
        problems["full_at"] = _("a number question needs the value that earns full marks (above 0)")
    if kind == "multiple_choice" and full_at is not None and full_at <= 0:
        problems["full_at"] = _("full marks must be above 0 (or empty: the sum of all points)")
    unknown = sorted(set(summary_options) - {o["key"] for o in options})
    if unknown:
        problems["summary_options"] = (
            _("not among the option keys: %(keys)s") % {"keys": ", ".join(unknown)}
            if options
            else _("only choice questions can be summarised by options")
        )
    return problems

"""Typed, path-aware access to a parsed TOML document.

``tomllib`` gives plain dicts and lists; this module turns them into checked
values while remembering where each value came from, so a schema violation
is reported as ``file: steps[2].checklist[0].name_en: expected a non-empty
string, got 42``. The loaders in :mod:`jamlik.frameworks.loaders` only use
these helpers, never raw indexing.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from jamlik.frameworks.errors import FrameworkError


def read_toml(path: Path) -> dict[str, Any]:
    """Parse ``path`` as TOML, turning every failure into a FrameworkError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FrameworkError(path, "(file)", f"a readable file ({exc.strerror})") from exc
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FrameworkError(path, "(file)", "UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise FrameworkError(path, "(syntax)", f"valid TOML ({exc})") from exc


def _describe(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


class Table:
    """A TOML table plus its dotted location, with checked getters."""

    def __init__(self, path: Path, data: dict[str, Any], where: str = "") -> None:
        self.path = path
        self.data = data
        self.where = where
        self._used: set[str] = set()

    def key_path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def fail(self, key: str, expected: str) -> FrameworkError:
        return FrameworkError(self.path, self.key_path(key), expected)

    def _get(self, key: str, expected: str) -> Any:
        self._used.add(key)
        if key not in self.data:
            raise self.fail(key, f"missing required key (expected {expected})")
        return self.data[key]

    def text(self, key: str, *, optional: bool = False) -> str:
        expected = "a non-empty string"
        if optional and key not in self.data:
            self._used.add(key)
            return ""
        value = self._get(key, expected)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected {expected}, got {_describe(value)}")
        return value.strip()

    def integer(self, key: str, *, minimum: int | None = None) -> int:
        expected = "an integer" if minimum is None else f"an integer >= {minimum}"
        value = self._get(key, expected)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"expected {expected}, got {_describe(value)}")
        if minimum is not None and value < minimum:
            raise self.fail(key, f"expected {expected}, got {value}")
        return value

    def choice(self, key: str, allowed: Iterable[str]) -> str:
        options = sorted(allowed)
        value = self.text(key)
        if value not in options:
            raise self.fail(key, f"expected one of {', '.join(options)}, got {value!r}")
        return value

    def text_list(
        self, key: str, *, allowed: Iterable[str] | None = None, what: str = "value"
    ) -> tuple[str, ...]:
        expected = "a non-empty list of strings"
        value = self._get(key, expected)
        if not isinstance(value, list) or not value:
            raise self.fail(key, f"expected {expected}, got {_describe(value)}")
        options = sorted(allowed) if allowed is not None else None
        seen: set[str] = set()
        for index, item in enumerate(value):
            item_key = f"{key}[{index}]"
            if not isinstance(item, str) or not item.strip():
                raise self.fail(item_key, f"expected a non-empty string, got {_describe(item)}")
            if options is not None and item not in options:
                raise self.fail(
                    item_key, f"unknown {what} {item!r}; expected one of {', '.join(options)}"
                )
            if item in seen:
                raise self.fail(item_key, f"duplicate {what} {item!r}")
            seen.add(item)
        return tuple(value)

    def tables(
        self, key: str, *, min_items: int = 1, max_items: int | None = None
    ) -> Iterator[Table]:
        """Yield each table of an array of tables (``[[key]]``) with its index."""
        bounds = f"at least {min_items}" if max_items is None else f"{min_items} to {max_items}"
        expected = f"an array of tables ([[{key}]]) with {bounds} entries"
        value = self._get(key, expected)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, f"expected {expected}, got {_describe(value)}")
        if len(value) < min_items or (max_items is not None and len(value) > max_items):
            raise self.fail(key, f"expected {expected}, got {len(value)}")
        for index, item in enumerate(value):
            yield Table(self.path, item, self.key_path(f"{key}[{index}]"))

    def finish(self) -> None:
        """Refuse keys the schema does not know: they are almost always typos."""
        for key in self.data:
            if key not in self._used:
                raise self.fail(key, "unexpected key (not part of this framework's schema)")


def check_unique(tables: Iterable[tuple[Table, str]], field: str = "key") -> None:
    """Refuse two entries with the same value of ``field`` in one list."""
    seen: dict[str, str] = {}
    for table, value in tables:
        if value in seen:
            raise table.fail(field, f"duplicate {field} {value!r} (already used at {seen[value]})")
        seen[value] = table.key_path(field)


def check_numbering(tables: Iterable[tuple[Table, int]]) -> None:
    """Numbers must run 1, 2, 3 ... in file order, because users cite them."""
    for expected, (table, number) in enumerate(tables, start=1):
        if number != expected:
            raise table.fail(
                "number", f"expected {expected} (entries are numbered 1..n in order), got {number}"
            )

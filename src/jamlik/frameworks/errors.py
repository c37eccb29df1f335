"""The one error a framework file can raise.

Every refusal names the file, the dotted key inside it (``steps[3].name_sv``)
and what was expected, so a county administrator who edits an override can
find and fix the problem without reading Python.
"""

from __future__ import annotations

from pathlib import Path


class FrameworkError(ValueError):
    """A framework file is missing, unreadable or does not follow its schema."""

    def __init__(self, path: Path | str | None, key: str, expected: str) -> None:
        self.path = Path(path) if path is not None else None
        self.key = key
        self.expected = expected
        where = str(self.path) if self.path is not None else "<framework>"
        super().__init__(f"{where}: {key}: {expected}")


class UnknownFrameworkError(FrameworkError, LookupError):
    """The requested framework name is not one of ``FRAMEWORK_NAMES``."""

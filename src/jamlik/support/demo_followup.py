"""Demo records for one issue-18 feature; filled in by the feature's helper."""

from __future__ import annotations

from collections.abc import Callable


def seed(progress: Callable[[str], None]) -> None:
    """Nothing yet."""

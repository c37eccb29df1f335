"""Helpers shared by the connector tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def load_json(relative: str) -> Any:
    """Decode a JSON fixture file under ``tests/sources/fixtures``."""
    return json.loads((FIXTURES / relative).read_text(encoding="utf-8"))

"""The preview of a web upload: what a file would store, before anything is stored.

An upload is kept on the server (never in a form field) under a random token
in ``DATA_DIR/import-previews``, bound to the user and the session that sent
it, for :data:`LIFETIME`; the preview page shows what reading it found (first
rows, counts per indicator, area and period, every warning and question) and
the confirmation imports exactly those bytes with the user's answers
(:func:`jamlik.indicators.services.import_file`).  Old uploads are removed
whenever a new one is kept.

The preview streams the file through the same reader as the import, a chunk
at a time, keeping only counts and the first :data:`FIRST_ROWS` rows, so a
million-row file is previewed in the memory of one chunk.
"""

from __future__ import annotations

import json
import math
import re
import secrets
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from jamlik.sources.errors import ImportProblem, ImportValidationError, ImportWarning
from jamlik.sources.observations import COLUMNS

#: How long an upload waits for its confirmation.
LIFETIME = 2 * 3600
#: Rows shown as they will be stored.
FIRST_ROWS = 20
#: At most this many lines in each count table (a national file names 312 areas).
MAX_COUNTED = 400

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
#: The columns a preview row shows: an observation's, less its source and status.
_ROW_FIELDS = tuple(c for c in COLUMNS if c not in ("source", "status"))


@dataclass
class Preview:
    """What reading an upload found; JSON-serialisable so the page can be shown again."""

    file: str
    rows: int = 0
    stored: int = 0
    first_rows: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[tuple[str, int]] = field(default_factory=list)
    areas: list[tuple[str, int]] = field(default_factory=list)
    periods: list[tuple[str, int]] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def questions(self) -> list[ImportWarning]:
        return [w for w in self.warnings if w.question]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["warnings"] = [asdict(w) for w in self.warnings]
        data["problems"] = [asdict(p) for p in self.problems]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Preview:
        data = dict(data)
        data["warnings"] = [
            ImportWarning(**{**w, "choices": tuple(w["choices"])}) for w in data["warnings"]
        ]
        data["problems"] = [ImportProblem(**p) for p in data["problems"]]
        for name in ("indicators", "areas", "periods"):
            data[name] = [tuple(item) for item in data[name]]
        return cls(**data)


def preview_file(name: str, data: bytes, *, user: Any, restrict_to_user: bool) -> Preview:
    """Read an upload as the import would, storing nothing."""
    from jamlik.indicators.services import template_reader

    preview = Preview(file=Path(name).name)
    counts: dict[str, Counter[str]] = {
        "indicator": Counter(),
        "area": Counter(),
        "period": Counter(),
    }
    reader = None
    try:
        reader = template_reader(name, user=user, data=data, restrict_to_user=restrict_to_user)
        preview.file = reader.file
        for batch in reader.chunks():
            wanted = FIRST_ROWS - len(preview.first_rows)
            if wanted > 0:
                preview.first_rows += _rows(batch, wanted)
            for column, counter in counts.items():
                counter.update(_value_counts(getattr(batch, column)))
    except ImportValidationError as exc:
        preview.problems = list(exc.problems)
    if reader is not None:
        preview.rows, preview.stored = reader.rows, reader.stored
        preview.warnings = list(reader.warnings)
    preview.indicators = sorted(counts["indicator"].items())
    preview.areas = sorted(counts["area"].items())
    preview.periods = sorted(counts["period"].items())
    return preview


def _value_counts(values: list[str]) -> dict[str, int]:
    import pandas as pd

    return {str(k): int(v) for k, v in pd.Series(values, dtype=object).value_counts().items()}


def _number(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _rows(batch: Any, wanted: int) -> list[dict[str, Any]]:
    rows = []
    for observation in batch.observations()[:wanted]:
        row = {name: getattr(observation, name) for name in _ROW_FIELDS}
        for name in ("numerator", "denominator", "value", "lower", "upper"):
            row[name] = _number(row[name])
        row["status"] = getattr(observation, "status", "") or ""
        rows.append(row)
    return rows


# --- keeping the upload between the two steps ---------------------------------------------


class PreviewNotFound(Exception):
    """No upload under this token for this user and session (or it expired)."""


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "import-previews"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def remove_expired(now: float | None = None) -> int:
    """Remove uploads older than :data:`LIFETIME`; returns how many files went."""
    now = time.time() if now is None else now
    removed = 0
    for path in _folder().iterdir():
        try:
            if now - path.stat().st_mtime > LIFETIME:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def keep_upload(chunks: Iterable[bytes], *, user_id: int, session_key: str) -> str:
    """Write an upload under a new token (after removing expired ones)."""
    remove_expired()
    token = secrets.token_urlsafe(32)
    folder = _folder()
    with (folder / f"{token}.data").open("xb") as out:
        for chunk in chunks:
            out.write(chunk)
    _write_meta(token, {"user": user_id, "session": session_key, "created": time.time()})
    return token


def save_preview(token: str, name: str, preview: Preview) -> None:
    meta = _meta(token)
    meta.update({"name": name, "preview": preview.to_json()})
    _write_meta(token, meta)


def _write_meta(token: str, meta: dict[str, Any]) -> None:
    path = _folder() / f"{token}.json"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(meta), encoding="utf-8")
    temporary.replace(path)


def _meta(token: str) -> dict[str, Any]:
    if not _TOKEN.match(token):
        raise PreviewNotFound(token)
    try:
        meta: dict[str, Any] = json.loads((_folder() / f"{token}.json").read_text("utf-8"))
    except (FileNotFoundError, ValueError) as exc:
        raise PreviewNotFound(token) from exc
    return meta


@dataclass(frozen=True)
class KeptUpload:
    token: str
    name: str
    preview: Preview
    path: Path

    def data(self) -> bytes:
        return self.path.read_bytes()


def load_upload(token: str, *, user_id: int, session_key: str | None) -> KeptUpload:
    """The upload under ``token`` if ``user_id`` sent it in this session and it is fresh."""
    meta = _meta(token)
    fresh = time.time() - float(meta.get("created", 0)) <= LIFETIME
    if (
        meta.get("user") != user_id
        or not session_key
        or not secrets.compare_digest(str(meta.get("session", "")), session_key)
        or not fresh
        or "preview" not in meta
    ):
        raise PreviewNotFound(token)
    path = _folder() / f"{token}.data"
    if not path.exists():
        raise PreviewNotFound(token)
    return KeptUpload(token, meta["name"], Preview.from_json(meta["preview"]), path)


def discard_upload(token: str) -> None:
    if not _TOKEN.match(token):
        return
    for suffix in (".data", ".json", ".tmp"):
        (_folder() / f"{token}{suffix}").unlink(missing_ok=True)


def kept_path(token: str) -> Path:
    """Where the bytes of the upload under ``token`` are kept."""
    if not _TOKEN.match(token):
        raise PreviewNotFound(token)
    return _folder() / f"{token}.data"

"""Find, read and cache framework files; apply county overrides.

The shipped defaults live in ``jamlik/frameworks/data/{name}.toml``. A county
administrator may publish its own version of any framework as
``{data_dir}/frameworks/{county}/{name}.toml``; when that file exists it
replaces the default completely (no merging: a half-merged framework would be
hard to reason about and to cite).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal, overload

from jamlik.frameworks.errors import FrameworkError, UnknownFrameworkError
from jamlik.frameworks.loaders import PARSERS, parse_document
from jamlik.frameworks.reader import read_toml
from jamlik.frameworks.types import (
    Forutsattningar,
    Framework,
    Kvalitetsmodell,
    Malomraden,
    Preventionsstjarna,
    Stodtrappa,
)

FRAMEWORK_NAMES: tuple[str, ...] = tuple(PARSERS)
DEFAULT_DIR = Path(__file__).resolve().parent / "data"
_COUNTY_CODE = re.compile(r"^[0-9]{2}$")

_cache: dict[tuple[str, str | None, str, int, int], Framework] = {}


def data_dir_default() -> Path:
    return Path(os.environ.get("JAMLIK_DATA_DIR") or ".jamlik")


def _check_name(name: str) -> None:
    if name not in PARSERS:
        raise UnknownFrameworkError(
            None,
            "name",
            f"unknown framework {name!r}; expected one of {', '.join(FRAMEWORK_NAMES)}",
        )


def default_path(name: str) -> Path:
    _check_name(name)
    return DEFAULT_DIR / f"{name}.toml"


def override_path(name: str, county: str, data_dir: Path | None = None) -> Path:
    _check_name(name)
    if not _COUNTY_CODE.match(county):
        raise FrameworkError(
            None, "county", f"expected a two-digit län code such as '01', got {county!r}"
        )
    base = data_dir if data_dir is not None else data_dir_default()
    return base / "frameworks" / county / f"{name}.toml"


def resolve(
    name: str, *, county: str | None = None, data_dir: Path | None = None
) -> tuple[Path, str | None]:
    """The file that ``load`` would read, and the county it belongs to (None = default)."""
    if county is not None:
        candidate = override_path(name, county, data_dir)
        if candidate.is_file():
            return candidate, county
    return default_path(name), None


def validate_file(path: Path | str, name: str) -> Framework:
    """Parse ``path`` as framework ``name``; raise FrameworkError if it is malformed."""
    _check_name(name)
    path = Path(path)
    return parse_document(path, read_toml(path), name, None)


@overload
def load(
    name: Literal["malomraden"], *, county: str | None = ..., data_dir: Path | None = ...
) -> Malomraden: ...
@overload
def load(
    name: Literal["kvalitetsmodell"], *, county: str | None = ..., data_dir: Path | None = ...
) -> Kvalitetsmodell: ...
@overload
def load(
    name: Literal["preventionsstjarna"], *, county: str | None = ..., data_dir: Path | None = ...
) -> Preventionsstjarna: ...
@overload
def load(
    name: Literal["stodtrappa"], *, county: str | None = ..., data_dir: Path | None = ...
) -> Stodtrappa: ...
@overload
def load(
    name: Literal["forutsattningar"], *, county: str | None = ..., data_dir: Path | None = ...
) -> Forutsattningar: ...
@overload
def load(name: str, *, county: str | None = ..., data_dir: Path | None = ...) -> Framework: ...
def load(name: str, *, county: str | None = None, data_dir: Path | None = None) -> Framework:
    """Load framework ``name``, preferring the county's override when one exists.

    Results are cached per file and its modification time, so an edited
    override is picked up without restarting the server.
    """
    path, owner = resolve(name, county=county, data_dir=data_dir)
    try:
        stat = path.stat()
    except OSError as exc:
        raise FrameworkError(path, "(file)", f"a readable file ({exc.strerror})") from exc
    cache_key = (name, owner, str(path), stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(cache_key)
    if cached is None:
        cached = parse_document(path, read_toml(path), name, owner)
        _cache[cache_key] = cached
    return cached

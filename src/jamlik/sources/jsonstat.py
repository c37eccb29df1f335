"""Decoding of JSON-stat 2.0 datasets and PxWeb v1's ``json`` format into cells.

A *cell* is one number of a cube: the category code of every dimension, the
value (``None`` when missing) and the status symbol the source gave for it.
JSON-stat stores the values of the Cartesian product of all dimensions in
row-major order over ``id`` (Bernal and others, JSON-stat 2.0 specification,
2016); missing values are ``null`` with a symbol such as ``".."`` in
``status``.  PxWeb v1's own ``json`` format instead lists ``key``/``values``
pairs with numbers written as strings and symbols in place of numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from typing import Any

from jamlik.sources.errors import SourceError


@dataclass(frozen=True, slots=True)
class Cell:
    """One number of a statistics cube, located by its dimension codes."""

    codes: dict[str, str]
    value: float | None
    symbol: str = ""


def _category_codes(dimension: dict[str, Any], name: str) -> list[str]:
    """Category codes of one dimension, in the order given by ``category.index``."""
    category = dimension.get("category") or {}
    index = category.get("index")
    if index is None:
        labels = category.get("label") or {}
        if len(labels) == 1:
            return list(labels)
        raise SourceError(f"json-stat dimension {name!r} has no category index")
    if isinstance(index, list):
        return [str(code) for code in index]
    return [str(code) for code, _ in sorted(index.items(), key=lambda item: item[1])]


def dimension_labels(dataset: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Map dimension id → {category code: label} (used for metadata answers)."""
    result: dict[str, dict[str, str]] = {}
    for name in dataset.get("id", []):
        dimension = dataset["dimension"][name]
        codes = _category_codes(dimension, name)
        labels = (dimension.get("category") or {}).get("label") or {}
        result[name] = {code: str(labels.get(code, code)) for code in codes}
    return result


def _lookup(container: Any, position: int) -> Any:
    """Read position ``position`` from a JSON-stat array or sparse object."""
    if container is None:
        return None
    if isinstance(container, list):
        return container[position] if position < len(container) else None
    if isinstance(container, dict):
        return container.get(str(position))
    return container  # a single status string applies to every value


def decode_jsonstat2(dataset: dict[str, Any]) -> Iterator[Cell]:
    """Yield every cell of a JSON-stat 2.0 dataset."""
    if dataset.get("class") not in (None, "dataset"):
        raise SourceError(f"expected a json-stat 'dataset', got class {dataset.get('class')!r}")
    try:
        ids: list[str] = list(dataset["id"])
        sizes: list[int] = [int(s) for s in dataset["size"]]
        dimensions = dataset["dimension"]
    except KeyError as exc:
        raise SourceError(f"json-stat dataset lacks {exc.args[0]!r}") from exc
    codes = [_category_codes(dimensions[name], name) for name in ids]
    for name, size, cats in zip(ids, sizes, codes, strict=True):
        if size != len(cats):
            raise SourceError(
                f"json-stat dimension {name!r} has size {size} but {len(cats)} categories"
            )
    values = dataset.get("value")
    status = dataset.get("status")
    for position, combination in enumerate(product(*codes)):
        raw = _lookup(values, position)
        symbol = _lookup(status, position)
        yield Cell(
            codes=dict(zip(ids, combination, strict=True)),
            value=None if raw is None else float(raw),
            symbol="" if symbol is None else str(symbol),
        )


def parse_px_number(text: str) -> tuple[float | None, str]:
    """Parse a PxWeb v1 json value: a number as text, or a missing-data symbol."""
    stripped = text.strip()
    try:
        return float(stripped), ""
    except ValueError:
        return None, stripped or ".."


def decode_px_json(body: dict[str, Any], contents_code: str = "ContentsCode") -> Iterator[Cell]:
    """Yield cells from PxWeb v1's ``json`` response (``columns`` + ``data``).

    Contents columns (type ``c``) are not part of ``key``; each becomes a cell
    with ``contents_code`` set to the column's code, so that a table with
    several measures (share, lower and upper limit) decodes like json-stat.
    """
    try:
        columns = body["columns"]
        rows = body["data"]
    except KeyError as exc:
        raise SourceError(f"PxWeb json answer lacks {exc.args[0]!r}") from exc
    key_columns = [c["code"] for c in columns if c.get("type") != "c"]
    value_columns = [c["code"] for c in columns if c.get("type") == "c"]
    for row in rows:
        key = row.get("key", [])
        if len(key) != len(key_columns):
            raise SourceError(f"PxWeb json row key {key} does not match columns {key_columns}")
        base = dict(zip(key_columns, (str(k) for k in key), strict=True))
        for column, raw in zip(value_columns, row.get("values", []), strict=True):
            value, symbol = parse_px_number(str(raw))
            codes = dict(base)
            if len(value_columns) > 1 or contents_code not in codes:
                codes[contents_code] = column
            yield Cell(codes=codes, value=value, symbol=symbol)

"""Decoding of JSON-stat 2.0 datasets and PxWeb v1's ``json`` format into cells.

A *cell* is one number of a cube: the category code of every dimension, the
value (``None`` when missing) and the status symbol the source gave for it.
JSON-stat stores the values of the Cartesian product of all dimensions in
row-major order over ``id`` (Bernal and others, JSON-stat 2.0 specification,
2016); missing values are ``null`` with a symbol such as ``".."`` in
``status``.  PxWeb v1's own ``json`` format instead lists ``key``/``values``
pairs with numbers written as strings and symbols in place of numbers.

Notes travel too, because SCB's terms of use require some of them to be shown
with the figures (PxWeb's "mandatory" notes, e.g. that random noise was added).
JSON-stat 2.0 from PxWeb puts the table's notes in ``note`` with
``extension.noteMandatory`` (``{"0": true}``: index of the note → mandatory), a
variable's in ``dimension.X.note`` / ``dimension.X.extension.noteMandatory`` and a
value's in ``dimension.X.category.note`` ({code: [text, …]}) with
``dimension.X.extension.categoryNoteMandatory`` ({code: {index: true}}), as
PxTools' JsonStat2 serializer writes them.  PxWeb v1's ``json`` format has the
variables' notes as ``columns[].comment`` and the values' as ``comments``
(``{"variable", "value", "comment"}``) but no mandatory flag at all, so those
are taken as mandatory: showing a note that was optional costs a line, leaving
out one that was not breaks the source's terms.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import product
from typing import Any

from jamlik.sources.errors import SourceError


@dataclass(frozen=True, slots=True)
class Cell:
    """One number of a statistics cube, located by its dimension codes.

    ``notes`` are the source's notes on the values the cell is classified by
    (a note on region "01" belongs to every cell of region 01).
    """

    codes: dict[str, str]
    value: float | None
    symbol: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceNote:
    """A note the source gives on a table, a variable or a value."""

    text: str
    mandatory: bool = False

    def as_dict(self) -> dict[str, str | bool]:
        """The shape stored in ``ImportRun.notes``."""
        return {"text": self.text, "mandatory": self.mandatory}


def _texts(raw: Any) -> list[str]:
    """A JSON-stat ``note``: a list of texts, or (loosely) one text."""
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw] if raw.strip() else []
    if isinstance(raw, list):
        return [str(t) for t in raw if t is not None and str(t).strip()]
    return []


def _flags(raw: Any) -> set[int]:
    """Indices marked mandatory in a ``noteMandatory`` object (``{"0": true}``)."""
    if not isinstance(raw, Mapping):
        return set()
    flagged = set()
    for index, on in raw.items():
        try:
            if on:
                flagged.add(int(index))
        except (TypeError, ValueError):
            continue
    return flagged


def _notes(raw: Any, mandatory: Any) -> list[SourceNote]:
    flags = _flags(mandatory)
    return [SourceNote(text, i in flags) for i, text in enumerate(_texts(raw))]


def category_notes(dataset: dict[str, Any]) -> dict[str, dict[str, list[SourceNote]]]:
    """Notes on values: dimension id → {category code: notes}."""
    result: dict[str, dict[str, list[SourceNote]]] = {}
    for name, dimension in (dataset.get("dimension") or {}).items():
        if not isinstance(dimension, dict):
            continue
        notes = (dimension.get("category") or {}).get("note")
        if not isinstance(notes, Mapping):
            continue
        flags = (dimension.get("extension") or {}).get("categoryNoteMandatory") or {}
        per_code = {
            str(code): _notes(texts, flags.get(str(code)) if isinstance(flags, Mapping) else None)
            for code, texts in notes.items()
        }
        per_code = {code: notes for code, notes in per_code.items() if notes}
        if per_code:
            result[name] = per_code
    return result


def jsonstat2_notes(dataset: dict[str, Any]) -> list[SourceNote]:
    """The notes that concern a whole table: the dataset's, each variable's, and the
    mandatory notes on values (prefixed with the value's label), since a mandatory
    note must reach every page showing the table's figures."""
    extension = dataset.get("extension") or {}
    found = _notes(dataset.get("note"), extension.get("noteMandatory"))
    dimensions = dataset.get("dimension") or {}
    for name in dataset.get("id", list(dimensions)):
        dimension = dimensions.get(name)
        if not isinstance(dimension, dict):
            continue
        label = str(dimension.get("label") or name)
        ext = dimension.get("extension") or {}
        for note in _notes(dimension.get("note"), ext.get("noteMandatory")):
            found.append(SourceNote(f"{label}: {note.text}", note.mandatory))
    labels = dimension_labels(dataset) if dataset.get("id") else {}
    for name, per_code in category_notes(dataset).items():
        for code, notes in per_code.items():
            value = labels.get(name, {}).get(code, code)
            found.extend(SourceNote(f"{value}: {n.text}", True) for n in notes if n.mandatory)
    return _unique(found)


def px_json_notes(body: dict[str, Any]) -> list[SourceNote]:
    """The notes of a PxWeb v1 ``json`` answer (no mandatory flag there: see the module)."""
    found = [
        SourceNote(f"{c.get('text') or c.get('code')}: {text}", True)
        for c in body.get("columns") or []
        if isinstance(c, dict)
        for text in _texts(c.get("comment"))
    ]
    texts = {c.get("code"): c.get("text") for c in body.get("columns") or [] if isinstance(c, dict)}
    for comment in body.get("comments") or []:
        if isinstance(comment, dict):
            variable = texts.get(comment.get("variable")) or comment.get("variable", "")
            for text in _texts(comment.get("comment")):
                found.append(SourceNote(f"{variable} {comment.get('value', '')}: {text}", True))
    return _unique(found)


def _unique(notes: list[SourceNote]) -> list[SourceNote]:
    """Each text once; mandatory if any copy is."""
    seen: dict[str, bool] = {}
    for note in notes:
        seen[note.text] = seen.get(note.text, False) or note.mandatory
    return [SourceNote(text, mandatory) for text, mandatory in seen.items()]


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
    noted = {
        name: {code: tuple(n.text for n in notes) for code, notes in per_code.items()}
        for name, per_code in category_notes(dataset).items()
        if name in ids
    }
    for position, combination in enumerate(product(*codes)):
        raw = _lookup(values, position)
        symbol = _lookup(status, position)
        located = dict(zip(ids, combination, strict=True))
        notes: tuple[str, ...] = ()
        for name, per_code in noted.items():
            notes += per_code.get(located[name], ())
        yield Cell(
            codes=located,
            value=None if raw is None else float(raw),
            symbol="" if symbol is None else str(symbol),
            notes=notes,
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
    noted: dict[tuple[str, str], tuple[str, ...]] = {}
    for comment in body.get("comments") or []:
        if isinstance(comment, dict):
            where = (str(comment.get("variable", "")), str(comment.get("value", "")))
            noted[where] = noted.get(where, ()) + tuple(_texts(comment.get("comment")))
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
            notes = tuple(n for item in base.items() for n in noted.get(item, ()))
            yield Cell(codes=codes, value=value, symbol=symbol, notes=notes)

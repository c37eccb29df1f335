"""The data-entry grid as a form: one row of number inputs per kommun.

Field names are ``<column>_<kommun code>`` (``numerator_0127``); numbers are read
the Swedish way by :mod:`jamlik.core.number_fields`.  The form also carries what
it showed (``shown``, signed so a changed page cannot pass off other numbers as
what was shown), which the save compares with what is stored then.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext as _

from jamlik.core.number_fields import FloatField, SwedishNumberInput
from jamlik.geo.models import Area
from jamlik.indicators.entry import (
    COLUMN_LABELS,
    EMPTY_CELL,
    EnteredRow,
    EntryShape,
    Numbers,
    StoredCell,
    preview,
    shown_numbers,
)

#: Posted field names of the grid: column and kommun code.
FIELD_NAME = re.compile(r"^(numerator|denominator|value)_(\d{4})$")
SALT = "jamlik.indicators.entry.shown"


def columns(shape: EntryShape) -> tuple[str, ...]:
    return ("numerator", "denominator") if shape == EntryShape.COUNTS else ("value",)


def posted_area_codes(data: Mapping[str, Any]) -> set[str]:
    """The kommun codes a POST has grid fields for (to refuse a crafted form)."""
    return {m.group(2) for key in data if (m := FIELD_NAME.match(key))}


def sign_shown(indicator_id: int, period: str, shown: Mapping[str, Numbers]) -> str:
    return signing.dumps(
        {"i": indicator_id, "p": period, "c": {k: list(v) for k, v in shown.items()}}, salt=SALT
    )


def read_shown(token: str, indicator_id: int, period: str) -> dict[str, Numbers] | None:
    """What the form showed, or None when the token is not this form's."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if data.get("i") != indicator_id or data.get("p") != period:
        return None
    return {k: (v[0], v[1], v[2]) for k, v in data.get("c", {}).items()}


@dataclass
class GridRow:
    """One kommun's row as the template draws it."""

    area: Area
    fields: list[forms.BoundField]
    stored: StoredCell
    state_label: str
    preview: float | None
    conflict: StoredCell | None = None


class EntryGridForm(forms.Form):
    """Number inputs for the kommuner (what was shown travels beside it, signed)."""

    def __init__(
        self,
        *args: Any,
        kommuner: Sequence[Area],
        shape: EntryShape,
        stored: Mapping[str, StoredCell],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kommuner = list(kommuner)
        self.shape = shape
        self.stored = dict(stored)
        for area in self.kommuner:
            cell = self.stored.get(area.code, EMPTY_CELL)
            numbers = dict(zip(("numerator", "denominator", "value"), cell.numbers, strict=True))
            for column in columns(shape):
                self.fields[f"{column}_{area.code}"] = FloatField(
                    required=False,
                    label=f"{area.name}, {COLUMN_LABELS[column]}",
                    initial=numbers[column],
                    widget=SwedishNumberInput({"class": "entry-number", "size": 9}),
                )

    def shown_numbers(self) -> dict[str, Numbers]:
        return {
            a.code: shown_numbers(self.stored.get(a.code, EMPTY_CELL), self.shape)
            for a in self.kommuner
        }

    def entered_rows(self) -> list[EnteredRow]:
        """The cleaned rows (call after ``is_valid``)."""
        rows = []
        for area in self.kommuner:
            get = self.cleaned_data.get
            rows.append(
                EnteredRow(
                    area.code,
                    area.name,
                    numerator=get(f"numerator_{area.code}"),
                    denominator=get(f"denominator_{area.code}"),
                    value=get(f"value_{area.code}"),
                )
            )
        return rows

    def add_problem(self, area: str, column: str, message: str) -> None:
        name = f"{column}_{area}"
        self.add_error(name if name in self.fields else None, message)

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, "kommun, column", message) for every field error, in grid order."""
        out = []
        for name, field in self.fields.items():
            for message in self.errors.get(name, []):
                out.append((self[name].id_for_label, str(field.label), str(message)))
        return out

    def grid(
        self, multiplier: int, conflicts: Mapping[str, StoredCell] | None = None
    ) -> list[GridRow]:
        rows = []
        for area in self.kommuner:
            cell = self.stored.get(area.code, EMPTY_CELL)
            fields = [self[f"{column}_{area.code}"] for column in columns(self.shape)]
            for bound in fields:
                if bound.errors:
                    bound.field.widget.attrs.update(
                        {"aria-invalid": "true", "aria-describedby": f"{bound.auto_id}-error"}
                    )
            rows.append(
                GridRow(
                    area=area,
                    fields=fields,
                    stored=cell,
                    state_label=cell.state_label,
                    preview=preview(self.shape, multiplier, cell),
                    conflict=(conflicts or {}).get(area.code),
                )
            )
        return rows


def column_headers(shape: EntryShape) -> list[str]:
    return [str(COLUMN_LABELS[c]).capitalize() for c in columns(shape)]


def no_change_message() -> str:
    return _("Nothing was changed, so nothing was stored.")

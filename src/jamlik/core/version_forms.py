"""Edit forms that know which version they were loaded from, and the page for a conflict.

:class:`VersionedForm` adds two hidden fields to an edit form: ``version`` (the record's
version when the page was opened) and ``loaded`` (the form's values at that moment, as
JSON). The view passes ``form.loaded_version()`` to the service, which refuses a stale one
with :class:`~jamlik.core.versioning.VersionConflict`. :func:`conflict_response` then shows
the same form again with status 409: a table of the fields someone else changed (what
the editor opened, what is stored now, and what the editor typed), the editor's input
kept in the form, and the hidden fields moved to the stored version, so that saving again
is a deliberate choice to replace the other change. The snippet
``core/_version_conflict.html`` renders the table; every edit template includes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jamlik.core.versioning import VERSION, VersionConflict

LOADED = "loaded"
HIDDEN = (VERSION, LOADED)
EMPTY = "—"


def _comparable(value: Any) -> Any:
    """One form for a field's value however it arrived (typed, from JSON, from the POST)."""
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value if v not in (None, ""))
    if value in (None, "", [], ()):
        return ""
    return str(value)


def _labels(field: forms.Field) -> dict[str, str]:
    labels: dict[str, str] = {}
    for key, label in getattr(field, "choices", None) or ():
        if isinstance(label, list | tuple):  # an option group
            labels.update({str(k): str(v) for k, v in label})
        else:
            labels[str(key)] = str(label)
    return labels


def display(field: forms.Field, value: Any) -> str:
    """A value as a person reads it: choice labels, yes/no, lists joined, "—" for nothing."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    values = value if isinstance(value, list | tuple | set) else [value]
    labels = _labels(field)
    shown = [labels.get(str(v), str(v)) for v in values if v not in (None, "")]
    return ", ".join(shown) or EMPTY


@dataclass(frozen=True)
class ChangedField:
    """One row of the conflict table."""

    name: str
    label: str
    loaded: str  # when the editor opened the form ("" when the form did not say)
    stored: str  # stored now, after the other save
    yours: str  # what the editor sent


@dataclass(frozen=True)
class Conflict:
    your_version: int | None
    current_version: int
    fields: list[ChangedField]


class VersionedForm:
    """Mixin for edit forms (before ``forms.Form``/``forms.ModelForm`` in the bases).

    ``version`` defaults to the model form's ``instance.version``; plain forms pass it.
    Both hidden fields are optional, so a POST without them (an old page, a test that
    posts only the fields) saves without a check.
    """

    conflict: Conflict | None = None

    def __init__(self, *args: Any, version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if version is None:
            version = getattr(getattr(self, "instance", None), VERSION, None)
        fields = self.fields  # type: ignore[attr-defined]
        fields[VERSION] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0, initial=version
        )
        # A callable initial is evaluated when the form is rendered, after the subclass
        # has set its own initial values (tags, choices) in its __init__.
        fields[LOADED] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=self.snapshot
        )

    def edited_fields(self) -> Iterable[tuple[str, forms.Field]]:
        return ((n, f) for n, f in self.fields.items() if n not in HIDDEN)  # type: ignore[attr-defined]

    def initial_values(self) -> dict[str, Any]:
        """The form's values before editing, as they would be sent, JSON-safe."""
        values = {
            name: field.prepare_value(self.get_initial_for_field(field, name))  # type: ignore[attr-defined]
            for name, field in self.edited_fields()
        }
        return json.loads(json.dumps(values, default=str))

    def snapshot(self) -> str:
        return json.dumps(self.initial_values(), sort_keys=True, ensure_ascii=False)

    def loaded_version(self) -> int | None:
        """The version the editor opened (None: not said, save without a check)."""
        return self.cleaned_data.get(VERSION)  # type: ignore[attr-defined]

    def _loaded_values(self) -> dict[str, Any] | None:
        try:
            loaded = json.loads(self.data.get(LOADED) or "null")  # type: ignore[attr-defined]
        except ValueError:
            return None
        return loaded if isinstance(loaded, dict) else None

    def show_conflict(self, conflict: VersionConflict, stored: VersionedForm) -> Conflict:
        """Fill ``self.conflict`` from the refused save; ``stored`` is an unbound form of the
        record as stored now. Keeps the editor's input and moves the hidden fields on."""
        loaded = self._loaded_values()
        now = stored.initial_values()
        rows = []
        for name, field in self.edited_fields():
            yours = self[name].value()  # type: ignore[index]
            base = loaded.get(name) if loaded is not None else yours
            if _comparable(base) == _comparable(now.get(name)):
                continue
            rows.append(
                ChangedField(
                    name=name,
                    label=str(field.label or name),
                    loaded=display(field, loaded.get(name)) if loaded is not None else "",
                    stored=display(field, now.get(name)),
                    yours=display(field, yours),
                )
            )
        data = self.data.copy()  # type: ignore[attr-defined]
        data[VERSION] = str(conflict.current_version)
        data[LOADED] = stored.snapshot()
        self.data = data
        self.conflict = Conflict(conflict.expected, conflict.current_version, rows)
        return self.conflict


def conflict_response(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    form: VersionedForm,
    conflict: VersionConflict,
    stored: VersionedForm,
) -> HttpResponse:
    """The edit page again, with status 409 and what the other person changed."""
    form.show_conflict(conflict, stored)
    return render(request, template, {**context, "form": form}, status=409)

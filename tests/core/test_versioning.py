"""Optimistic locking (jamlik.core.versioning and version_forms): a stale version can never
overwrite, a fresh one saves and bumps, and the conflict names what the other side changed.

The records here are plans (``prevention.Plan``): any model with a ``version_field()``
behaves the same.
"""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import pytest
from django import forms
from django.db import transaction
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from ninja import Schema
from ninja.responses import Status

from jamlik.core.version_forms import LOADED, VersionedForm, display
from jamlik.core.versioning import (
    VersionConflict,
    claim,
    etag,
    precondition,
    save_versioned,
    unchanged,
    versioned_put,
)
from jamlik.prevention import services
from jamlik.prevention.models import Plan


@pytest.fixture
def plan(geography) -> Plan:  # noqa: ANN001
    return services.create_plan(geography.get(code="0127"), title="Plan", start=date(2026, 1, 1))


# ---- the conditional UPDATE ---------------------------------------------------------------


def test_a_new_record_starts_at_version_one(plan) -> None:  # noqa: ANN001
    assert plan.version == 1 == Plan.objects.get(pk=plan.pk).version


def test_two_editors_the_first_saves_the_second_is_refused(plan) -> None:  # noqa: ANN001
    mine, theirs = Plan.objects.get(pk=plan.pk), Plan.objects.get(pk=plan.pk)
    mine.title = "Mine"
    save_versioned(mine, expected=1)
    assert mine.version == 2

    theirs.summary = "Theirs"
    with pytest.raises(VersionConflict) as refused:
        save_versioned(theirs, expected=1)
    conflict = refused.value
    assert (conflict.expected, conflict.current_version) == (1, 2)
    assert conflict.current.title == "Mine", "the conflict carries the record as stored now"
    stored = Plan.objects.get(pk=plan.pk)
    assert (stored.title, stored.summary, stored.version) == ("Mine", "", 2)
    assert not isinstance(conflict, ValueError), "form helpers must not swallow it"


@pytest.mark.parametrize("stale", [0, 1, 3, 99])
def test_a_stale_or_future_version_never_writes(plan, stale) -> None:  # noqa: ANN001
    Plan.objects.filter(pk=plan.pk).update(version=2)
    plan.title = "Overwrite"
    with pytest.raises(VersionConflict):
        save_versioned(plan, expected=stale)
    assert Plan.objects.get(pk=plan.pk).title == "Plan"
    assert Plan.objects.get(pk=plan.pk).version == 2


def test_a_fresh_version_saves_and_bumps_each_time(plan) -> None:  # noqa: ANN001
    for expected in (1, 2, 3):
        plan.summary = f"v{expected}"
        save_versioned(plan, expected=expected)
    stored = Plan.objects.get(pk=plan.pk)
    assert (stored.summary, stored.version) == ("v3", 4)


def test_without_a_version_the_save_is_unconditional_but_still_bumps(plan) -> None:  # noqa: ANN001
    Plan.objects.filter(pk=plan.pk).update(version=7)
    with transaction.atomic():
        assert claim(plan, None) == 8
        plan.save()
    assert Plan.objects.get(pk=plan.pk).version == 8


def test_the_claim_and_the_write_commit_together(plan) -> None:  # noqa: ANN001
    """A save that fails after its claim leaves the version where it was."""
    with pytest.raises(RuntimeError), transaction.atomic():
        claim(plan, 1)
        raise RuntimeError("the write failed")
    assert Plan.objects.get(pk=plan.pk).version == 1


def test_a_record_deleted_meanwhile_answers_404(plan) -> None:  # noqa: ANN001
    copy = Plan.objects.get(pk=plan.pk)
    Plan.objects.filter(pk=plan.pk).delete()
    with pytest.raises(Http404):
        save_versioned(copy, expected=1)


def test_unchanged_tells_a_save_that_would_write_nothing(plan) -> None:  # noqa: ANN001
    copy = Plan.objects.get(pk=plan.pk)
    assert unchanged(copy, ["title", "summary", "municipality"])
    copy.title = "Other"
    assert not unchanged(copy, ["title", "summary"])


def test_services_refuse_a_stale_version(plan) -> None:  # noqa: ANN001
    services.update_plan(Plan.objects.get(pk=plan.pk), version=1, title="A")
    with pytest.raises(VersionConflict):
        services.update_plan(Plan.objects.get(pk=plan.pk), version=1, title="B")
    assert Plan.objects.get(pk=plan.pk).title == "A"


# ---- HTTP: ETag and If-Match ------------------------------------------------------------


def test_etag_is_the_quoted_version() -> None:
    assert etag(3) == '"3"'


@pytest.mark.parametrize(
    ("header", "body", "expected"),
    [
        ('"4"', None, (4, "If-Match", 412)),
        ('W/"4"', None, (4, "If-Match", 412)),
        ('"4", "5"', 9, (4, "If-Match", 412)),  # the header wins; its first tag counts
        ('"abc"', None, (0, "If-Match", 412)),  # not one of ours: matches no version
        ("*", 6, (6, "version", 409)),  # "any version": the body may still say one
        ("", 6, (6, "version", 409)),
        ("", None, (None, "", 409)),
    ],
)
def test_precondition_reads_if_match_then_the_body(header, body, expected) -> None:  # noqa: ANN001
    headers = {"HTTP_IF_MATCH": header} if header else {}
    pre = precondition(RequestFactory().put("/", **headers), body)
    assert (pre.version, pre.source, pre.status) == expected


class TitleIn(Schema):
    title: str
    version: int | None = None


def _put_title(plan: Plan, title: str, if_match: str = "", version: int | None = None):  # noqa: ANN202
    """One PUT through versioned_put, as an API handler makes it: (answer, response)."""
    headers = {"HTTP_IF_MATCH": if_match} if if_match else {}
    response = HttpResponse()
    answer = versioned_put(
        RequestFactory().put("/", **headers),
        response,
        TitleIn(title=title, version=version),
        lambda v: services.update_plan(Plan.objects.get(pk=plan.pk), version=v, title=title),
        lambda p: {"title": p.title},
    )
    return answer, response


def test_versioned_put_saves_a_fresh_version_and_refuses_a_stale_one(plan) -> None:  # noqa: ANN001
    answer, response = _put_title(plan, "A", if_match='"1"')
    assert (answer, response["ETag"]) == ({"title": "A"}, '"2"')
    refused, response = _put_title(plan, "B", if_match='"1"')
    assert isinstance(refused, Status) and refused.status_code == 412
    assert response["ETag"] == '"2"', "the stored version, to send again with"
    body = refused.value
    assert (body.your_version, body.current_version) == (1, 2)
    assert (body.current, body.yours) == ({"title": "A"}, {"title": "B", "version": None})
    refused, _response = _put_title(plan, "C", version=1)
    assert refused.status_code == 409
    assert _put_title(plan, "D")[0] == {"title": "D"}, "neither: saved unconditionally"
    assert Plan.objects.get(pk=plan.pk).version == 3


# ---- forms: the hidden fields and the table of what changed -----------------------------


class NoteForm(VersionedForm, forms.Form):
    title = forms.CharField(label="Title")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "Alpha"), ("b", "Beta")])
    tags = forms.MultipleChoiceField(
        label="Tags", choices=[("x", "Ex"), ("y", "Why")], required=False
    )
    done = forms.BooleanField(label="Done", required=False)


def _stored(**values: object) -> NoteForm:
    initial = {"title": "T", "kind": "a", "tags": ["x"], "done": False} | values
    return NoteForm(initial=initial, version=2)


def test_the_form_renders_the_version_and_what_was_loaded() -> None:
    form = _stored()
    html = str(form)
    assert 'name="version"' in html and 'value="2"' in html and f'name="{LOADED}"' in html
    assert json.loads(form[LOADED].value()) == {
        "title": "T", "kind": "a", "tags": ["x"], "done": False,
    }  # fmt: skip


def test_the_conflict_lists_only_what_the_other_side_changed() -> None:
    loaded = _stored()
    post = {
        "version": "2",
        LOADED: loaded.snapshot(),
        "title": "My title",  # mine
        "kind": "a",
        "tags": ["x"],
    }
    form = NoteForm(post, version=2)
    assert form.is_valid() and form.loaded_version() == 2
    now = _stored(kind="b", tags=["x", "y"], done=True)  # theirs
    current = SimpleNamespace(pk=1, version=3)
    conflict = form.show_conflict(VersionConflict(current, 2), now)  # type: ignore[arg-type]
    rows = {r.name: r for r in conflict.fields}
    assert set(rows) == {"kind", "tags", "done"}
    assert (rows["kind"].loaded, rows["kind"].stored, rows["kind"].yours) == (
        "Alpha", "Beta", "Alpha",
    )  # fmt: skip
    assert rows["tags"].stored == "Ex, Why"
    assert (conflict.your_version, conflict.current_version) == (2, 3)
    # The form keeps the editor's input and now carries the stored version.
    assert form["title"].value() == "My title" and form["version"].value() == "3"
    assert json.loads(form[LOADED].value())["kind"] == "b"


def test_without_the_loaded_values_the_conflict_compares_with_the_input() -> None:
    form = NoteForm({"version": "2", "title": "Mine", "kind": "a"}, version=2)
    assert form.is_valid()
    current = SimpleNamespace(pk=1, version=3)
    conflict = form.show_conflict(VersionConflict(current, 2), _stored())  # type: ignore[arg-type]
    assert {r.name for r in conflict.fields} == {"title", "tags"}
    assert all(r.loaded == "" for r in conflict.fields)


def test_display_uses_labels_and_marks_nothing() -> None:
    field = NoteForm().fields["kind"]
    assert display(field, "b") == "Beta" and display(field, None) == "—"
    assert display(NoteForm().fields["tags"], ["y", "x"]) == "Why, Ex"

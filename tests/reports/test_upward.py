"""Reporting upward, the services: templates' sections, a county's draft, submission with
the tables' snapshot, return and accept, optimistic locking, and who may do what."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given
from hypothesis import strategies as st

from jamlik.core.versioning import VersionConflict
from jamlik.reports import upward
from jamlik.reports.document import Document, Section, Table
from jamlik.reports.models import ReportSubmission, SubmissionStatus, TemplateStatus

YEAR = 2091
TABLES = {"plans": "Plans", "support_ladder": "Ladder"}


def sections(**override: Any) -> list[dict[str, Any]]:
    base = [
        {
            "key": "lagesbild",
            "title_sv": "Lägesbild",
            "title_en": "Situation",
            "guidance_sv": "Beskriv.",
            "guidance_en": "Describe.",
            "required": True,
            "tables": ["plans"],
        },
        {"key": "ovrigt", "title_sv": "Övrigt", "title_en": "Other", "required": False},
    ]
    base[0].update(override)
    return base


def document(county_code: str = "01") -> Document:
    table = Table(
        key="plans",
        title="Plans and their progress",
        columns=["Kommun", "Steps"],
        rows=[["Botkyrka", 3], ["Lidingö", None]],
        source="Jämlik",
        notes=["A note."],
    )
    return Document(
        title="Länsrapport",
        area_code=county_code,
        area_name="Stockholms län",
        year=YEAR,
        generated=date(2091, 1, 1),
        sections=[Section(key="plans", title="Plans", blocks=[table])],
    )


@pytest.fixture
def tables(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setattr(upward, "available_tables", lambda: dict(TABLES))
    return TABLES


@pytest.fixture
def template(users, tables):  # noqa: ANN001, ANN201
    record = upward.save_template(
        users["admin"],
        year=YEAR,
        title="Länsrapportering 2091",
        introduction="",
        due=date(2092, 3, 31),
        sections=sections(),
    )
    return upward.set_template_status(users["admin"], record, TemplateStatus.OPEN, record.version)


# ---- validation (pure) --------------------------------------------------------------------


def test_valid_sections_come_back_as_specs() -> None:
    specs = upward.validate_sections(sections(), TABLES)
    assert [s.key for s in specs] == ["lagesbild", "ovrigt"]
    assert specs[0].required and specs[0].tables == ("plans",)
    assert specs[0].title("sv") == "Lägesbild" and specs[0].title("en") == "Situation"


def test_every_problem_is_named_at_once() -> None:
    raw = sections(key="Bad Key", title_en="", tables=["plans", "nonsense"])
    raw.append({"key": "ovrigt", "title_sv": "Igen", "title_en": "Again"})
    with pytest.raises(upward.TemplateError) as caught:
        upward.validate_sections(raw, TABLES)
    text = " ".join(caught.value.problems)
    assert "Bad Key" in text  # the key's form
    assert "nonsense" in text and "plans" not in text.split("nonsense")[0].split(":")[-1]
    assert any("ovrigt" in p and "3" in p for p in caught.value.problems)  # the duplicate
    assert len(caught.value.problems) == 4


def test_a_template_needs_a_section() -> None:
    with pytest.raises(upward.TemplateError):
        upward.validate_sections([], TABLES)


@given(st.lists(st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True), min_size=1, max_size=8))
def test_keys_are_unique_after_validation(keys: list[str]) -> None:
    raw = [{"key": k, "title_sv": "T", "title_en": "T"} for k in keys]
    if len(set(keys)) == len(keys):
        assert [s.key for s in upward.validate_sections(raw, {})] == keys
    else:
        with pytest.raises(upward.TemplateError, match="annat avsnitt"):
            upward.validate_sections(raw, {})


def test_table_keys_are_the_county_reports() -> None:
    """The templates offer exactly the county report's tables, by their keys."""
    from jamlik.reports.county_report import TABLE_KEYS

    assert set(upward.available_tables()) == set(TABLE_KEYS)
    key = next(iter(TABLE_KEYS))
    assert upward.validate_sections(sections(tables=[key]), upward.available_tables())


def test_snapshot_keeps_tables_and_names_missing_ones() -> None:
    snap = upward.snapshot_tables(document(), ["plans", "support_ladder"])
    assert snap["plans"]["rows"] == [["Botkyrka", 3], ["Lidingö", None]]
    assert snap["plans"]["source"] == "Jämlik" and snap["plans"]["notes"] == ["A note."]
    assert snap["support_ladder"] == {"key": "support_ladder", "missing": True}
    assert upward.snapshot_tables(None, ["plans"])["plans"]["missing"] is True


# ---- templates ----------------------------------------------------------------------------


def test_only_national_administrators_define_templates(users, tables) -> None:  # noqa: ANN001
    for who in ("lan01", "botkyrka", "viewer"):
        with pytest.raises(PermissionDenied):
            upward.save_template(
                users[who], year=YEAR, title="x", introduction="", due=None, sections=sections()
            )


def test_template_save_is_version_checked(users, template) -> None:  # noqa: ANN001
    stale = template.version
    upward.save_template(
        users["admin"],
        year=YEAR,
        title="Ny titel",
        introduction="",
        due=None,
        sections=sections(),
        instance=template,
        version=stale,
    )
    with pytest.raises(VersionConflict):
        upward.save_template(
            users["admin"],
            year=YEAR,
            title="Äldre",
            introduction="",
            due=None,
            sections=sections(),
            instance=template,
            version=stale,
        )
    template.refresh_from_db()
    assert template.title == "Ny titel"


def test_one_template_per_year(users, template) -> None:  # noqa: ANN001
    with pytest.raises(upward.NotEditable, match=str(YEAR)):
        upward.save_template(
            users["admin"], year=YEAR, title="x", introduction="", due=None, sections=sections()
        )


# ---- submissions --------------------------------------------------------------------------


def test_draft_submit_return_accept(users, county, template) -> None:  # noqa: ANN001
    lan01, admin = users["lan01"], users["admin"]
    sub = upward.start_submission(lan01, template, county)
    assert sub.status == SubmissionStatus.DRAFT
    sub = upward.save_answers(lan01, sub, {"ovrigt": "Text", "crafted": "x"}, sub.version)
    assert sub.answers == {"lagesbild": "", "ovrigt": "Text"}  # crafted key dropped

    with pytest.raises(upward.SubmissionIncomplete) as caught:
        upward.submit(lan01, sub, sub.answers, sub.version, build=lambda c, y: document())
    assert caught.value.sections == ["Lägesbild"]
    assert "Lägesbild" in str(caught.value)
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.DRAFT

    answers = {"lagesbild": "Skillnaderna minskar.", "ovrigt": "Text"}
    sub = upward.submit(lan01, sub, answers, sub.version, build=lambda c, y: document())
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED and sub.submitted_by == lan01
    assert sub.tables["plans"]["rows"][0] == ["Botkyrka", 3]
    with pytest.raises(upward.NotEditable):
        upward.save_answers(lan01, sub, answers, sub.version)

    with pytest.raises(upward.NotEditable, match="anteckning"):
        upward.return_submission(admin, sub, "  ", sub.version)
    sub = upward.return_submission(admin, sub, "Komplettera med planerna.", sub.version)
    assert sub.status == SubmissionStatus.RETURNED
    sub = upward.save_answers(lan01, sub, {**answers, "ovrigt": "Mer"}, sub.version)
    assert sub.status == SubmissionStatus.RETURNED
    sub = upward.submit(lan01, sub, sub.answers, sub.version, build=lambda c, y: document())
    sub = upward.accept(admin, sub, sub.version)
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.ACCEPTED


def test_submitted_tables_stay_as_they_were(users, county, template) -> None:  # noqa: ANN001
    sub = upward.start_submission(users["lan01"], template, county)
    answers = {"lagesbild": "Text"}
    sub = upward.submit(users["lan01"], sub, answers, sub.version, build=lambda c, y: document())
    before = ReportSubmission.objects.get(pk=sub.pk).tables
    changed = Document(
        title="x", area_code="01", area_name="x", year=YEAR, generated=date(2091, 2, 1),
        sections=[],
    )  # fmt: skip
    assert upward.snapshot_tables(changed, ["plans"])["plans"]["missing"]
    assert ReportSubmission.objects.get(pk=sub.pk).tables == before


def test_stale_draft_save_is_refused_and_nothing_lost(users, county, template) -> None:  # noqa: ANN001
    sub = upward.start_submission(users["lan01"], template, county)
    loaded = sub.version
    upward.save_answers(users["lan01"], sub, {"lagesbild": "Första"}, loaded)
    other = ReportSubmission.objects.get(pk=sub.pk)
    with pytest.raises(VersionConflict) as caught:
        upward.save_answers(users["lan01"], other, {"lagesbild": "Andra"}, loaded)
    assert caught.value.current.answers["lagesbild"] == "Första"
    assert ReportSubmission.objects.get(pk=sub.pk).answers["lagesbild"] == "Första"


def test_other_counties_and_roles_cannot_write(users, county, template, geography) -> None:  # noqa: ANN001
    from django.contrib.auth import get_user_model

    from jamlik.accounts.models import Role, RoleKind

    uppsala = geography.get(code="03")
    other = get_user_model().objects.create_user("lan03-test", email="lan03@example.se")
    Role.objects.create(user=other, kind=RoleKind.COUNTY_ADMIN, area=uppsala)
    for user in (other, users["botkyrka"], users["viewer"], users["admin"]):
        with pytest.raises(PermissionDenied):
            upward.start_submission(user, template, county)
    sub = upward.start_submission(users["lan01"], template, county)
    for user in (other, users["botkyrka"], users["viewer"]):
        with pytest.raises(PermissionDenied):
            upward.save_answers(user, sub, {"lagesbild": "x"}, sub.version)
    sub = upward.submit(
        users["lan01"], sub, {"lagesbild": "x"}, sub.version, build=lambda c, y: None
    )
    for user in (other, users["lan01"], users["botkyrka"]):
        with pytest.raises(PermissionDenied):
            upward.accept(user, sub, sub.version)


def test_closed_template_takes_no_answers(users, county, template) -> None:  # noqa: ANN001
    sub = upward.start_submission(users["lan01"], template, county)
    upward.set_template_status(users["admin"], template, TemplateStatus.CLOSED, template.version)
    sub.refresh_from_db()
    with pytest.raises(upward.NotEditable):
        upward.save_answers(users["lan01"], sub, {"lagesbild": "x"}, sub.version)


def test_status_lists_all_21_counties(users, county, template) -> None:  # noqa: ANN001
    upward.start_submission(users["lan01"], template, county)
    rows = upward.county_statuses(template)
    assert len(rows) == 21
    by_code = {r.county.code: r for r in rows}
    assert by_code["01"].status == SubmissionStatus.DRAFT
    assert by_code["03"].status == upward.NOT_STARTED and by_code["03"].outstanding

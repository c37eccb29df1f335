"""Web data entry: the rules a grid of numbers must meet, who may enter what, two people
at once, staging and publication, and the county's completeness view."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from jamlik.indicators.entry import (
    CellState,
    EnteredRow,
    EntryShape,
    PeriodPattern,
    StoredCell,
    build_batch,
    check_row,
    conflicts,
    edited_rows,
    entry_shape,
    period_pattern,
    period_problem,
    recent_periods,
)
from jamlik.indicators.models import ImportRun, Indicator, Observation, ValueType
from jamlik.sources.periods import PeriodKind

# ---- pure rules ------------------------------------------------------------------------


def _row(n: float | None = None, d: float | None = None, v: float | None = None) -> EnteredRow:
    return EnteredRow("0127", "Botkyrka", n, d, v)


def test_counts_or_value_by_value_type() -> None:
    assert entry_shape(ValueType.PROPORTION) == EntryShape.COUNTS
    assert entry_shape(ValueType.RATE) == EntryShape.COUNTS
    for kind in (ValueType.MEAN, ValueType.INDEX, ValueType.COUNT):
        assert entry_shape(kind) == EntryShape.VALUE


def test_a_share_larger_than_its_denominator_is_refused_naming_kommun_and_column() -> None:
    (problem,) = check_row(_row(41, 40), EntryShape.COUNTS, ValueType.PROPORTION)
    assert (problem.area, problem.column) == ("0127", "numerator")
    assert "Botkyrka" in str(problem)
    assert "41" in problem.message and "40" in problem.message


def test_a_rate_may_count_more_events_than_people() -> None:
    assert check_row(_row(41, 40), EntryShape.COUNTS, ValueType.RATE) == []


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (_row(-1, 40), "numerator"),
        (_row(1, 0), "denominator"),
        (_row(1, -5), "denominator"),
        (_row(None, 40), "numerator"),
        (_row(3, None), "denominator"),
    ],
)
def test_counts_rules(row: EnteredRow, column: str) -> None:
    problems = check_row(row, EntryShape.COUNTS, ValueType.PROPORTION)
    assert [p.column for p in problems] == [column]


def test_value_rules() -> None:
    assert check_row(_row(v=None, n=3), EntryShape.VALUE, ValueType.MEAN)[0].column == "value"
    assert check_row(_row(v=-2), EntryShape.VALUE, ValueType.COUNT)[0].column == "value"
    assert check_row(_row(v=2.5), EntryShape.VALUE, ValueType.COUNT)[0].column == "value"
    assert check_row(_row(v=-2.5), EntryShape.VALUE, ValueType.INDEX) == []
    assert check_row(_row(), EntryShape.VALUE, ValueType.MEAN) == []


@given(
    denominator=st.integers(min_value=1, max_value=10**7),
    fraction=st.floats(min_value=0, max_value=1),
)
def test_any_share_within_its_denominator_passes(denominator: int, fraction: float) -> None:
    numerator = int(denominator * fraction)
    assert check_row(_row(numerator, denominator), EntryShape.COUNTS, ValueType.PROPORTION) == []
    too_many = check_row(_row(denominator + 1, denominator), EntryShape.COUNTS, "proportion")
    assert [p.column for p in too_many] == ["numerator"]


def test_only_rows_that_differ_from_what_was_shown_are_stored() -> None:
    shown = {"0127": (3.0, 40.0, None), "0186": (None, None, None)}
    rows = [_row(3, 40), EnteredRow("0186", "Lidingö")]
    assert edited_rows(rows, shown, EntryShape.COUNTS) == []
    rows = [_row(4, 40), EnteredRow("0186", "Lidingö")]
    assert [r.area for r in edited_rows(rows, shown, EntryShape.COUNTS)] == ["0127"]


def test_a_cell_saved_by_someone_else_in_between_is_a_conflict() -> None:
    shown = {"0127": (3.0, 40.0, None)}
    edited = [_row(4, 40)]
    same = {"0127": StoredCell(3.0, 40.0, 7.5, CellState.STAGED)}
    other = {"0127": StoredCell(5.0, 40.0, 12.5, CellState.STAGED)}
    assert conflicts(edited, shown, same, EntryShape.COUNTS) == []
    assert conflicts(edited, shown, other, EntryShape.COUNTS) == edited


def test_periods_follow_the_indicator() -> None:
    assert period_pattern([]) == PeriodPattern()
    assert period_pattern(["2020-2023", "2016-2019", "2024"]) == PeriodPattern(PeriodKind.SPAN, 4)
    year = PeriodPattern()
    assert period_problem("2024", year, 2026) is None
    assert period_problem("2027", year, 2026) is not None  # the future
    assert period_problem("1980", year, 2026) is not None
    assert "2024" in (period_problem("2021-2024", year, 2026) or "")
    assert period_problem("abc", year, 2026) is not None
    span = PeriodPattern(PeriodKind.SPAN, 4)
    assert period_problem("2021-2024", span, 2026) is None
    assert period_problem("2022-2024", span, 2026) is not None
    assert recent_periods(year, 2026, 3) == ["2026", "2025", "2024"]
    assert recent_periods(PeriodPattern(PeriodKind.SCHOOL_YEAR), 2026, 2) == ["2025/26", "2024/25"]


def test_the_batch_carries_counts_and_leaves_the_value_to_be_computed() -> None:
    batch = build_batch("X", "2024", [_row(3, 40, 99)], EntryShape.COUNTS, source="s")
    (obs,) = batch.observations()
    assert (obs.numerator, obs.denominator, obs.value, obs.period) == (3.0, 40.0, None, "2024")


# ---- the pages -------------------------------------------------------------------------

PERIOD = "2024"


@pytest.fixture
def own(db, geography) -> Indicator:  # noqa: ANN001
    """Stockholms län's own web-entry proportion."""
    from jamlik.indicators.own import create_own

    return create_own(
        geography.get(code="01"),
        series="AB_TEST_ENTRY",
        name_sv="Testandel",
        name_en="Test share",
        value_type=ValueType.PROPORTION,
        multiplier=100,
        polarity="high",
        web_entry=True,
    )


def _url(indicator: Indicator, period: str = PERIOD) -> str:
    return f"/lagesbild/inmatning/{indicator.code}/{period}/"


def _token(response: Any) -> str:
    found = re.search(r'name="shown" value="([^"]+)"', response.content.decode())
    assert found, "the form carries what it showed"
    return found.group(1)


def _post(client: Client, indicator: Indicator, token: str, **cells: str) -> Any:
    return client.post(_url(indicator), {"shown": token, **cells})


def _entry_runs() -> list[ImportRun]:
    """The entry runs a test made: not the invented demo's, which a database seeded with
    the demo earlier in the same worker holds too."""
    return list(ImportRun.objects.filter(kind=ImportRun.Kind.ENTRY, is_demo=False).order_by("pk"))


def test_an_editor_sees_only_their_kommun_and_saves_it_staged(own, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    page = client.get(_url(own))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="numerator_0127"' in html
    assert 'name="numerator_0186"' not in html
    saved = _post(client, own, _token(page), numerator_0127="12", denominator_0127="1 200")
    assert saved.status_code == 302
    (run,) = _entry_runs()
    assert not run.published and run.rows == 1 and run.user.username == "botkyrka"
    assert own.code in run.description and PERIOD in run.description
    obs = Observation.objects.get(import_run=run)
    assert (obs.numerator, obs.denominator, obs.is_live) == (12.0, 1200.0, False)
    assert obs.value == pytest.approx(1.0)  # computed, as for a file
    again = client.get(_url(own))
    assert "12" in again.content.decode()
    assert "entry-state s-staged" in again.content.decode()
    assert "väntar på publicering" in again.content.decode()


def test_nothing_changed_stores_nothing(own, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    token = _token(client.get(_url(own)))
    assert _post(client, own, token, numerator_0127="", denominator_0127="").status_code == 302
    assert _entry_runs() == []


def test_a_bad_row_stores_nothing_and_says_where(own, client_for) -> None:  # noqa: ANN001
    client = client_for("lan01")
    token = _token(client.get(_url(own)))
    response = _post(
        client,
        own,
        token,
        numerator_0127="10",
        denominator_0127="100",
        numerator_0186="50",
        denominator_0186="40",
        numerator_0114="tolv",
        denominator_0114="40",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Lidingö" in html and "Upplands Väsby" in html
    assert 'aria-invalid="true"' in html
    assert _entry_runs() == []
    assert 'value="10"' in html  # the user's numbers are kept


def test_a_county_admin_gets_every_kommun_of_the_county(own, client_for) -> None:  # noqa: ANN001
    html = client_for("lan01").get(_url(own)).content.decode()
    assert html.count('name="numerator_01') == 26
    assert 'name="numerator_03' not in html


def test_a_crafted_form_for_another_kommun_is_refused(own, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    token = _token(client.get(_url(own)))
    response = _post(client, own, token, numerator_0186="5", denominator_0186="50")
    assert response.status_code == 403
    assert _entry_runs() == []


def test_viewer_and_anonymous_cannot_enter(own, client_for) -> None:  # noqa: ANN001
    assert client_for("viewer").get(_url(own)).status_code == 403
    assert client_for("viewer").post(_url(own), {"numerator_0127": "1"}).status_code == 403
    assert client_for("viewer").get("/lagesbild/inmatning/").status_code == 403
    anonymous = Client()
    response = anonymous.post(_url(own), {"numerator_0127": "1", "denominator_0127": "2"})
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    assert _entry_runs() == []


@pytest.fixture
def other_county_admin(db, geography) -> Client:  # noqa: ANN001
    from django.contrib.auth import get_user_model

    from jamlik.accounts.models import Role, RoleKind

    user = get_user_model().objects.create_user("lan03", password="x")
    Role.objects.create(user=user, kind=RoleKind.COUNTY_ADMIN, area=geography.get(code="03"))
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_another_countys_own_indicator_is_refused(own, other_county_admin) -> None:  # noqa: ANN001
    response = other_county_admin.get(_url(own))
    assert response.status_code == 403
    assert "Stockholms län" in response.content.decode()
    assert own.code not in other_county_admin.get("/lagesbild/inmatning/").content.decode()
    response = other_county_admin.post(
        _url(own), {"numerator_0127": "1", "denominator_0127": "2", "shown": "x"}
    )
    assert response.status_code == 403
    assert _entry_runs() == []


def test_a_shared_web_entry_indicator_gives_each_county_admin_their_county(
    own, other_county_admin, client_for
) -> None:  # noqa: ANN001
    own.owner = None
    own.save()
    html = other_county_admin.get(_url(own)).content.decode()
    assert 'name="numerator_0305"' in html and 'name="numerator_0127"' not in html
    assert own.code in client_for("lidingo").get("/lagesbild/inmatning/").content.decode()
    page = other_county_admin.get(_url(own))
    crafted = _post(other_county_admin, own, _token(page), numerator_0127="1", denominator_0127="2")
    assert crafted.status_code == 403  # a county administrator enters only for their county
    assert _entry_runs() == []


def test_an_older_definition_refuses_entry_and_names_the_current_one(own, client_for) -> None:  # noqa: ANN001
    newer = Indicator.objects.create(
        code=f"{own.series}.v2",
        series=own.series,
        series_version=2,
        previous=own,
        owner=own.owner,
        name_sv="Testandel, ny definition",
        name_en="Test share, new definition",
        value_type=ValueType.PROPORTION,
        polarity="high",
        web_entry=True,
    )
    Indicator.objects.filter(pk=own.pk).update(current=False)
    response = client_for("lan01").get(_url(own))
    assert response.status_code == 403
    assert newer.code in response.content.decode()


def test_an_indicator_not_entered_on_the_web_is_refused(own, client_for) -> None:  # noqa: ANN001
    Indicator.objects.filter(pk=own.pk).update(web_entry=False)
    assert client_for("lan01").get(_url(own)).status_code == 403


def test_periods_the_indicator_does_not_take(own, client_for) -> None:  # noqa: ANN001
    client = client_for("lan01")
    assert client.get(_url(own, "2021-2024")).status_code == 404
    assert client.get(_url(own, "2999")).status_code == 404


def test_two_people_at_once_the_second_save_is_refused_and_nothing_lost(own, client_for) -> None:  # noqa: ANN001
    editor, admin = client_for("botkyrka"), client_for("lan01")
    editor_token = _token(editor.get(_url(own)))
    admin_token = _token(admin.get(_url(own)))
    first = _post(admin, own, admin_token, numerator_0127="30", denominator_0127="300")
    assert first.status_code == 302
    second = _post(editor, own, editor_token, numerator_0127="31", denominator_0127="310")
    assert second.status_code == 409
    html = second.content.decode()
    assert "Botkyrka" in html and "300" in html  # the cell and its new value
    assert 'value="31"' in html and 'value="310"' in html  # the editor's numbers kept
    assert len(_entry_runs()) == 1
    # Saving again from the conflict page replaces the values deliberately.
    third = _post(editor, own, _token(second), numerator_0127="31", denominator_0127="310")
    assert third.status_code == 302
    runs = _entry_runs()
    # The newer unpublished entry replaced the older one for the same cell.
    assert len(runs) == 1 and runs[0].user.username == "botkyrka"
    stored = Observation.objects.get(import_run=runs[0])
    assert (stored.numerator, stored.denominator) == (31.0, 310.0)


def test_a_tampered_fingerprint_stores_nothing(own, client_for) -> None:  # noqa: ANN001
    client = client_for("botkyrka")
    response = _post(client, own, "forged", numerator_0127="1", denominator_0127="2")
    assert response.status_code == 400
    assert _entry_runs() == []


def test_published_by_the_county_and_then_shown_as_published(own, client_for) -> None:  # noqa: ANN001
    editor, admin = client_for("botkyrka"), client_for("lan01")
    token = _token(editor.get(_url(own)))
    _post(editor, own, token, numerator_0127="12", denominator_0127="40")
    (run,) = _entry_runs()
    assert editor.post(
        f"/lagesbild/lan/01/importer/{run.pk}/publicering/", {"action": "publish"}
    ).status_code in (403, 302)
    run.refresh_from_db()
    assert not run.published  # an editor may not publish
    response = admin.post(
        f"/lagesbild/lan/01/importer/{run.pk}/publicering/", {"action": "publish"}
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.published
    from jamlik.indicators.models import PublicObservation

    public = PublicObservation.objects.get(indicator=own, area__code="0127", period=PERIOD)
    assert public.value == pytest.approx(30.0)
    html = editor.get(_url(own)).content.decode()
    assert "s-published" in html


def test_completeness_counts_and_refusals(own, client_for, other_county_admin) -> None:  # noqa: ANN001
    editor, admin = client_for("botkyrka"), client_for("lan01")
    _post(editor, own, _token(editor.get(_url(own))), numerator_0127="1", denominator_0127="4")
    page = admin.get("/lagesbild/lan/01/fullstandighet/?period=2024")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html
    # this indicator's cells only (a database seeded with the demo has its entry indicator too)
    states = re.findall(
        rf'href="/lagesbild/inmatning/{own.code}/2024/[^"]*"><span class="entry-state s-(\w+)"',
        html,
    )
    assert states.count("staged") == 1 and states.count("empty") == 25 and len(states) == 26
    assert f"/lagesbild/inmatning/{own.code}/2024/" in html
    assert editor.get("/lagesbild/lan/01/fullstandighet/").status_code == 403
    assert other_county_admin.get("/lagesbild/lan/01/fullstandighet/").status_code == 403
    assert Client().get("/lagesbild/lan/01/fullstandighet/").status_code == 302


def test_menu_links_follow_the_roles(users) -> None:  # noqa: ANN001
    from jamlik.core.context_processors import nav_items

    def urls(name: str) -> list[str]:
        return [item["url"] for item in nav_items(users[name])]

    assert "/lagesbild/inmatning/" in urls("botkyrka")
    assert "/lagesbild/lan/01/fullstandighet/" not in urls("botkyrka")
    assert "/lagesbild/lan/01/fullstandighet/" in urls("lan01")
    assert "/lagesbild/inmatning/" not in urls("viewer")

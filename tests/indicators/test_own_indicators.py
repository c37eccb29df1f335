"""A county's own indicators: ids, versions by definition, where values may go, who may
do what (refusals first), concurrent edits, and that they show like the catalogue's on
the county's pages, the API and the CSV downloads, and nowhere else."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamlik.core.versioning import VersionConflict
from jamlik.indicators import own
from jamlik.indicators.models import ImportRun, Indicator, Observation
from jamlik.indicators.services import (
    import_file,
    set_published,
    store_observations,
    sync_catalogue,
)
from jamlik.sources import Observation as SourceObservation
from jamlik.sources.errors import ImportValidationError

LIST = "/lagesbild/lan/01/egna-indikatorer/"
NEW = LIST + "ny/"

FIELDS = {
    "name_sv": "Andel elever som känner sig trygga i skolan",
    "name_en": "Pupils who feel safe at school",
    "definition_sv": "Andel elever i årskurs 9 som svarat att de alltid eller oftast känner sig trygga.",
    "definition_en": "Share of pupils in year 9 who always or mostly feel safe.",
    "value_type": "proportion",
    "multiplier": 100,
    "polarity": "high",
    "target_areas": [2],
    "problem_areas": [],
    "factors": [],
    "source": "Länets elevenkät",
}


def _post(series: str = "LST_TRYGG", **changes: object) -> dict[str, object]:
    data = {
        "series": series,
        "name_sv": FIELDS["name_sv"],
        "name_en": FIELDS["name_en"],
        "definition_sv": FIELDS["definition_sv"],
        "definition_en": FIELDS["definition_en"],
        "value_type": "proportion",
        "multiplier": "100",
        "unit": "",
        "polarity": "high",
        "target_areas": ["2"],
        "source": "Länets elevenkät",
        "disclosure_threshold": "5",
        "denominator_threshold": "5",
    }
    data.update(changes)
    return data


def _edit_post(indicator: Indicator, **changes: object) -> dict[str, object]:
    data = _post(**changes)
    data.pop("series")
    data.setdefault("version", str(indicator.version))
    return data


@pytest.fixture
def other_admin(users, geography):  # noqa: ANN001, ANN201
    """The county administrator of Uppsala län (03)."""
    from jamlik.accounts.models import RoleKind
    from jamlik.accounts.services import create_user, grant_role

    user = create_user("lan03", "x-test-pass-03")
    grant_role(user, RoleKind.COUNTY_ADMIN, geography.get(code="03"))
    return user


@pytest.fixture
def made(county, users) -> Indicator:  # noqa: ANN001
    return own.create_own(county, series="LST_TRYGG", user=users["lan01"], **FIELDS)


def _values(indicator: Indicator, *areas: str, period: str = "2024") -> ImportRun:
    return store_observations(
        [
            SourceObservation(
                indicator=indicator.code, area=a, period=period, numerator=40 + i, denominator=80
            )
            for i, a in enumerate(areas)
        ],
        kind=ImportRun.Kind.FILE,
        description="test values",
    )


def _client(user) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# ---- refusals ------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(geography) -> None:  # noqa: ANN001
    for url in (LIST, NEW, "/lagesbild/egna-indikatorer/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/konto/" in response["Location"], url


@pytest.mark.parametrize("username", ["botkyrka", "lidingo", "viewer"])
def test_kommun_editors_and_viewers_are_refused(client_for, username: str) -> None:  # noqa: ANN001
    client = client_for(username)
    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _post()).status_code == 403
    assert client.get("/lagesbild/egna-indikatorer/").status_code == 403
    assert not Indicator.objects.filter(code="LST_TRYGG").exists()


def test_another_countys_admin_is_refused(other_admin, made) -> None:  # noqa: ANN001
    client = _client(other_admin)
    assert client.get(LIST).status_code == 403
    assert client.post(NEW, _post("LST_OTHER")).status_code == 403
    edit = f"{LIST}{made.pk}/"
    assert client.get(edit).status_code == 403
    assert client.post(edit, _edit_post(made, name_sv="Kapat")).status_code == 403
    # under their own county the indicator is not there at all
    assert client.get(f"/lagesbild/lan/03/egna-indikatorer/{made.pk}/").status_code == 404
    made.refresh_from_db()
    assert made.name_sv == FIELDS["name_sv"]
    assert not Indicator.objects.filter(code="LST_OTHER").exists()


def test_only_national_admins_promote(client_for, other_admin, made) -> None:  # noqa: ANN001
    url = f"{LIST}{made.pk}/katalog/"
    assert Client().post(url).status_code == 302
    assert client_for("lan01").post(url).status_code == 403
    assert _client(other_admin).post(url).status_code == 403
    assert client_for("botkyrka").post(url).status_code == 403
    made.refresh_from_db()
    assert made.owner_id is not None and made.promoted_at is None
    response = client_for("admin").post(url)
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.owner_id is None and made.promoted_at is not None
    assert made in own.indicators_for(None)  # the shared catalogue, also on riket's pages
    page = client_for("admin").get(f"/lagesbild/indikator/{made.code}/").content.decode()
    assert "Delad katalog" in page


def test_promote_service_refuses_others(made, users) -> None:  # noqa: ANN001
    with pytest.raises(PermissionError):
        own.promote(made, user=users["lan01"])


# ---- creating, ids ---------------------------------------------------------------------


def test_county_admin_creates_in_the_ui(client_for, users) -> None:  # noqa: ANN001
    client = client_for("lan01")
    page = client.get(NEW).content.decode()
    assert "Risk- och skyddsfaktorer den mäter" in page and "Målområden" in page
    response = client.post(NEW, _post())
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Indicator.objects.get(code="LST_TRYGG")
    assert made.owner.code == "01" and made.series == "LST_TRYGG" and made.series_version == 1
    assert made.current and made.created_by == users["lan01"] and made.target_areas == [2]
    listing = client.get(LIST).content.decode()
    assert "LST_TRYGG" in listing and FIELDS["name_sv"] in listing


def test_factor_and_problem_area_choices_come_from_the_star(client_for, county) -> None:  # noqa: ANN001
    from jamlik.indicators.own_forms import star_of

    star = star_of(county)
    factor = star.factors[0].key
    problem = star.problem_areas[0].key
    client = client_for("lan01")
    response = client.post(NEW, _post(problem_areas=[problem], factors=[factor]))
    assert response.status_code == 302
    made = Indicator.objects.get(code="LST_TRYGG")
    assert made.factors == [factor] and made.problem_areas == [problem]
    # a key the star does not know is refused, naming the field
    response = client.post(NEW, _post("LST_B", factors=["no-such-factor"]))
    assert response.status_code == 200 and not Indicator.objects.filter(code="LST_B").exists()
    assert "no-such-factor" in response.content.decode()


@pytest.mark.parametrize(
    ("series", "words"),
    [
        ("N03937", "används redan"),  # a catalogue (Kolada) id
        ("n03937", "används redan"),  # case ignored
        ("LST TRYGG", "bokstäver"),
        ("LST.v2", "bokstäver"),
        ("x" * 25, "högst 24"),
    ],
)
def test_bad_or_taken_ids_are_refused_clearly(client_for, series: str, words: str) -> None:  # noqa: ANN001
    before = Indicator.objects.count()  # a database seeded with the demo has own indicators
    response = client_for("lan01").post(NEW, _post(series))
    assert response.status_code == 200
    assert words in response.content.decode()
    assert Indicator.objects.count() == before


def test_an_id_taken_by_another_countys_indicator_is_refused(geography, made) -> None:  # noqa: ANN001
    with pytest.raises(own.OwnIndicatorError) as refused:
        own.create_own(geography.get(code="03"), series="lst_trygg", **FIELDS)
    assert refused.value.field == "series"


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_accepted_ids_fit_a_version_suffix(series: str) -> None:
    """Any id the pattern accepts leaves room for ``.v99`` in the 32 characters of a code."""
    if own.SERIES_PATTERN.match(series) and len(series) <= own.MAX_SERIES_LENGTH:
        assert len(f"{series}.v99") <= Indicator._meta.get_field("code").max_length
        assert "." not in series and " " not in series


# ---- versions --------------------------------------------------------------------------


def test_without_values_a_definition_changes_in_place(made) -> None:  # noqa: ANN001
    saved = own.save_own(made, {"definition_sv": "Ny definition"}, expected=made.version)
    assert not saved.new_version and saved.indicator.pk == made.pk
    assert Indicator.objects.filter(series="LST_TRYGG").count() == 1


def test_with_values_a_definition_change_starts_a_new_version(made, geography) -> None:  # noqa: ANN001
    _values(made, "0127", "0186")
    before = made.version
    saved = own.save_own(
        made,
        {"definition_sv": "Andel i årskurs 8", "name_sv": "Trygga elever åk 8"},
        expected=before,
    )
    new = saved.indicator
    assert saved.new_version and new.code == "LST_TRYGG.v2" and new.series_version == 2
    assert new.previous_id == made.pk and new.current and new.owner.code == "01"
    old = Indicator.objects.get(pk=made.pk)
    assert not old.current
    assert old.definition_sv == FIELDS["definition_sv"] and old.name_sv == FIELDS["name_sv"]
    assert Observation.objects.filter(indicator=old).count() == 2  # the values keep theirs
    assert not Observation.objects.filter(indicator=new).exists()
    assert own.versions(new) == [old, new] and own.current_of(old) == new
    # names and the like on the new version change in place
    again = own.save_own(new, {"name_en": "Safe pupils, year 8"}, expected=new.version)
    assert not again.new_version and again.indicator.pk == new.pk
    # a third definition once v2 has values
    _values(new, "0127")
    third = own.save_own(new, {"multiplier": 1000}, expected=new.version)
    assert third.indicator.code == "LST_TRYGG.v3" and third.indicator.previous_id == new.pk


def test_an_old_version_is_not_edited(made, geography) -> None:  # noqa: ANN001
    _values(made, "0127")
    new = own.save_own(made, {"unit": "andel"}, expected=made.version).indicator
    old = Indicator.objects.get(pk=made.pk)
    with pytest.raises(own.OwnIndicatorError, match=new.code):
        own.save_own(old, {"name_sv": "x"}, expected=old.version)


def test_a_definition_change_in_the_ui_says_a_new_version_began(client_for, made) -> None:  # noqa: ANN001
    _values(made, "0127")
    client = client_for("lan01")
    url = f"{LIST}{made.pk}/"
    assert "har värden" in client.get(url).content.decode()
    response = client.post(url, _edit_post(made, definition_sv="Ändrad definition"), follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "LST_TRYGG.v2" in text and "behåller sin definition" in text
    # the old version's edit page leads to the current one
    old_page = client.get(url, follow=True)
    assert old_page.redirect_chain and "LST_TRYGG.v2" in old_page.content.decode()


def test_concurrent_edits_conflict_and_nothing_is_lost(client_for, made) -> None:  # noqa: ANN001
    first, second = client_for("lan01"), client_for("admin")
    url = f"{LIST}{made.pk}/"
    loaded = made.version
    assert first.post(url, _edit_post(made, name_sv="Första namnet")).status_code == 302
    response = second.post(
        url, _edit_post(made, name_sv="Andra namnet", version=str(loaded), source="Annan källa")
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "Första namnet" in text and "Andra namnet" in text  # both shown
    made.refresh_from_db()
    assert made.name_sv == "Första namnet" and made.source == "Länets elevenkät"
    with pytest.raises(VersionConflict):
        own.save_own(made, {"name_sv": "Tredje"}, expected=loaded)


# ---- where values may go -------------------------------------------------------------


def _csv(rows: str) -> bytes:
    return ("indikator;område;period;täljare;nämnare\n" + rows).encode("cp1252")


def test_values_import_for_the_owner_county_only(made, users) -> None:  # noqa: ANN001
    run = import_file(
        "egna.csv", data=_csv("LST_TRYGG;0127;2024;41;80\nLST_TRYGG;01;2024;900;1500\n")
    )
    assert run.rows == 2
    with pytest.raises(ImportValidationError) as refused:
        import_file(
            "fel.csv",
            data=_csv("LST_TRYGG;0127;2023;41;80\nLST_TRYGG;0380;2023;12;40\n"),
        )
    (problem,) = refused.value.problems
    assert problem.row == 3 and problem.column == "area" and problem.value == "0380"
    assert "Stockholms län" in problem.expected and "LST_TRYGG" in problem.expected
    assert not Observation.objects.filter(indicator=made, period="2023").exists()  # all or nothing


def test_an_old_version_takes_no_new_values(made) -> None:  # noqa: ANN001
    _values(made, "0127")
    new = own.save_own(made, {"unit": "andel"}, expected=made.version).indicator
    with pytest.raises(ImportValidationError) as refused:
        import_file("gammal.csv", data=_csv("LST_TRYGG;0127;2025;41;80\n"))
    (problem,) = refused.value.problems
    assert problem.row == 2 and problem.column == "indicator" and new.code in problem.expected
    import_file("ny.csv", data=_csv(f"{new.code};0127;2025;41;80\n"))
    assert Observation.objects.filter(indicator=new).count() == 1


def test_every_store_path_keeps_the_limits(made) -> None:  # noqa: ANN001
    """Not only files: anything stored through store_batches (web entry, surveys)."""
    with pytest.raises(ImportValidationError) as refused:
        _values(made, "0380")
    assert "Stockholms län" in refused.value.problems[0].expected
    assert not Observation.objects.filter(indicator=made).exists()
    assert not ImportRun.objects.filter(description="test values").exists()


def test_sync_catalogue_never_touches_own_indicators(made) -> None:  # noqa: ANN001
    # a database seeded with the demo holds the catalogue's row: set aside under another
    # code in this test only (an update, not a delete that would cascade over its values)
    Indicator.objects.filter(code="N03937", owner__isnull=True).update(code="N03937-aside")
    Indicator.objects.filter(pk=made.pk).update(code="N03937", series="N03937")
    sync_catalogue()
    kept = Indicator.objects.get(pk=made.pk)
    assert kept.name_sv == FIELDS["name_sv"] and kept.owner.code == "01"


# ---- behaving like the catalogue's --------------------------------------------------------


@pytest.fixture
def published(made, users) -> Indicator:  # noqa: ANN001
    run = _values(made, "0127", "0186", "0180", "0184", "01")
    set_published(run, user=users["lan01"], published=True)
    return made


def test_county_pages_show_it_and_other_counties_do_not(published, client_for) -> None:  # noqa: ANN001
    public = Client()
    overview = public.get("/lagesbild/lan/01/").content.decode()
    assert FIELDS["name_sv"] in overview
    profile = public.get("/lagesbild/kommun/0127/").content.decode()
    assert FIELDS["name_sv"] in profile
    assert FIELDS["name_sv"] not in public.get("/lagesbild/lan/03/").content.decode()
    assert FIELDS["name_sv"] not in public.get("/lagesbild/kommun/0380/").content.decode()
    assert FIELDS["name_sv"] not in public.get("/lagesbild/riket/").content.decode()
    csv = public.get("/lagesbild/kommun/0127/csv/").content.decode("utf-8-sig")
    assert "LST_TRYGG" in csv
    assert "LST_TRYGG" in public.get("/lagesbild/lan/01/csv/").content.decode("utf-8-sig")
    assert "LST_TRYGG" not in public.get("/lagesbild/lan/03/csv/").content.decode("utf-8-sig")
    index = public.get("/lagesbild/").content.decode()
    assert "Länens egna indikatorer" in index and "LST_TRYGG" in index


def test_indicator_page_says_owner_and_versions(published, client_for) -> None:  # noqa: ANN001
    new = own.save_own(published, {"definition_sv": "Ny"}, expected=published.version).indicator
    old_page = Client().get("/lagesbild/indikator/LST_TRYGG/").content.decode()
    assert "Egen indikator för Stockholms län" in old_page
    assert "LST_TRYGG.v2" in old_page  # a link to the newer definition
    assert "Botkyrka" in old_page  # the county's kommuner, with their values
    new_page = client_for("lan01").get(f"/lagesbild/indikator/{new.code}/").content.decode()
    assert "Tidigare definition (LST_TRYGG)" in new_page
    assert f"/lagesbild/lan/01/egna-indikatorer/{new.pk}/" in new_page


def test_api_lists_owner_and_version(published) -> None:  # noqa: ANN001
    new = own.save_own(published, {"definition_sv": "Ny"}, expected=published.version).indicator
    client = Client()
    one = client.get(f"/api/v1/indicators/{new.code}").json()
    assert one["owner"] == "01" and one["series"] == "LST_TRYGG" and one["series_version"] == 2
    assert one["previous"] == "LST_TRYGG" and one["current"] is True
    mine = {i["code"] for i in client.get("/api/v1/indicators?county=01").json()}
    assert new.code in mine and "LST_TRYGG" not in mine
    theirs = {i["code"] for i in client.get("/api/v1/indicators?county=03").json()}
    assert new.code not in theirs
    assert client.get("/api/v1/indicators?county=99").status_code == 400
    rows = client.get("/api/v1/observations?indicator=LST_TRYGG&area=0127").json()
    assert rows["count"] == 1 and rows["results"][0]["value"] == pytest.approx(50.0)


#: One step of an editing history: change a defining field, change a describing one, or
#: store values for the current definition.
STEPS = st.lists(st.sampled_from(["define", "describe", "values", "stale"]), min_size=1, max_size=8)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=STEPS)
def test_any_editing_history_keeps_one_current_definition(county, steps: list[str]) -> None:  # noqa: ANN001
    """Whatever the order of edits and imports: one current row per series, versions
    1..n each linked to the one before, every value stays with the definition it was
    stored under, and a stale save changes nothing."""
    Indicator.objects.filter(series="LST_PROP").update(previous=None)
    Observation.objects.filter(indicator__series="LST_PROP").delete()
    Indicator.objects.filter(series="LST_PROP").delete()
    current = own.create_own(county, series="LST_PROP", **FIELDS)
    stored: dict[int, int] = {}
    year = 2000
    for n, step in enumerate(steps):
        before = Indicator.objects.filter(series="LST_PROP").count()
        if step == "values":
            year += 1
            _values(current, "0127", period=str(year))
            stored[current.pk] = stored.get(current.pk, 0) + 1
            continue
        if step == "stale":
            with pytest.raises(VersionConflict):
                own.save_own(current, {"name_sv": f"gammal {n}"}, expected=current.version - 1)
            assert Indicator.objects.filter(series="LST_PROP").count() == before
            continue
        field = {"define": "definition_sv", "describe": "name_sv"}[step]
        saved = own.save_own(current, {field: f"{field} {n}"}, expected=current.version)
        assert saved.new_version == (step == "define" and current.pk in stored)
        current = saved.indicator
    rows = own.versions(current)
    assert [r.series_version for r in rows] == list(range(1, len(rows) + 1))
    assert [r.current for r in rows] == [False] * (len(rows) - 1) + [True]
    assert all(r.previous_id == p.pk for p, r in zip(rows, rows[1:], strict=False))
    assert rows[0].code == "LST_PROP" and all(
        r.code == f"LST_PROP.v{r.series_version}" for r in rows[1:]
    )
    for pk, count in stored.items():
        assert Observation.objects.filter(indicator_id=pk).count() == count


def test_the_menu_leads_each_role_to_its_page(client_for, made) -> None:  # noqa: ANN001
    home = "/lagesbild/egna-indikatorer/"
    own_page = client_for("lan01").get(home)
    assert own_page.status_code == 200 and "LST_TRYGG" in own_page.content.decode()
    national = client_for("admin").get(home).content.decode()
    assert "Stockholms län" in national and "Uppsala län" in national
    mine = Indicator.objects.filter(owner__code="01", current=True).count()
    assert f"{mine} indikator" in national  # "1 indikator", "18 indikatorer"
    menu = client_for("lan01").get("/lagesbild/").content.decode()
    assert f'href="{home}"' in menu
    assert f'href="{home}"' not in client_for("botkyrka").get("/lagesbild/").content.decode()


def test_the_upload_page_names_the_refused_row_in_swedish(client_for, made) -> None:  # noqa: ANN001
    """A national administrator may load any area, but not another county's area for
    Stockholm's own indicator: the preview refuses and says why, in Swedish."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "fel.csv", _csv("LST_TRYGG;0127;2024;41;80\nLST_TRYGG;0380;2024;12;40\n"), "text/csv"
    )
    response = client_for("admin").post("/lagesbild/import/", {"file": upload})
    assert response.status_code == 200
    text = response.content.decode()
    assert "ett område i Stockholms län: LST_TRYGG är det länets egen indikator" in text
    assert "0380" in text
    assert not Observation.objects.filter(indicator=made).exists()

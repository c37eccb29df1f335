"""The youth-survey pages: who may import, what each reader sees, the prevention star's
suggestions from the survey."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.surveys.survey_files import make_csv

from jamlik.indicators.models import ImportRun, Indicator
from jamlik.indicators.staging import publish
from jamlik.surveys import services
from jamlik.surveys.models import ScaleDefinition, SurveyImport
from jamlik.surveys.scales import shipped_scale_text

COUNTY_PAGE = "/ungdomsenkat/lan/01/"
BOTKYRKA = "/ungdomsenkat/kommun/0127/"


@pytest.fixture
def lan03(geography) -> Client:  # noqa: ANN001
    """A county administrator of Uppsala län (03), who has nothing to say about län 01."""
    from django.contrib.auth import get_user_model

    from jamlik.accounts.models import Role, RoleKind

    user = get_user_model().objects.create_user("lan03", password="x")
    Role.objects.create(user=user, kind=RoleKind.COUNTY_ADMIN, area=geography.get(code="03"))
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _upload(client: Client, data: bytes, name: str = "enkat.csv", **extra: Any) -> Any:
    return client.post(COUNTY_PAGE, {"file": SimpleUploadedFile(name, data, "text/csv"), **extra})


def test_county_page_refuses_everyone_but_the_county_admin(client_for, lan03):  # noqa: ANN001
    assert Client().get(COUNTY_PAGE).status_code == 302  # anonymous: to the login page
    assert lan03.get(COUNTY_PAGE).status_code == 403
    assert client_for("botkyrka").get(COUNTY_PAGE).status_code == 403
    assert client_for("viewer").get(COUNTY_PAGE).status_code == 403
    data, _rows = make_csv(rows=30)
    assert _upload(lan03, data).status_code == 403
    assert _upload(client_for("botkyrka"), data).status_code == 403
    for path in ("skalor.toml", "demofil.csv"):
        assert lan03.get(COUNTY_PAGE + path).status_code == 403
    assert lan03.post(COUNTY_PAGE + "skalor/", {"action": "reset"}).status_code == 403
    assert not SurveyImport.objects.exists()
    page = client_for("lan01").get(COUNTY_PAGE)
    assert page.status_code == 200
    assert b"Scale definition" in page.content or b"Skaldefinition" in page.content


def test_upload_on_the_page_stores_and_lists_the_import(client_for):  # noqa: ANN001
    lan01 = client_for("lan01")
    data, rows = make_csv(rows=120)
    response = _upload(lan01, data)
    assert response.status_code == 302
    record = SurveyImport.objects.get()
    assert record.respondents == len(rows) and record.uploaded_by.username == "lan01"
    page = lan01.get(COUNTY_PAGE).content.decode()
    assert "enkat.csv" in page and "/lagesbild/lan/01/importer/" in page


def test_bad_file_lists_every_problem_and_stores_nothing(client_for):  # noqa: ANN001
    data, _rows = make_csv(rows=30, kommuner=("0127", "Uppsala"), extra={"e-post": ["a@b.se"]})
    response = _upload(client_for("lan01"), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "e-post" in text
    assert not SurveyImport.objects.exists()
    assert not ImportRun.objects.filter(kind=ImportRun.Kind.SURVEY).exists()
    # a kommun of another county (the file is otherwise fine)
    data, _rows = make_csv(rows=30, kommuner=("0127", "Uppsala"))
    text = _upload(client_for("lan01"), data).content.decode()
    assert "Uppsala" in text and "0380" in text
    assert not SurveyImport.objects.exists()


def test_scale_definition_save_errors_reset_and_download(client_for):  # noqa: ANN001
    lan01 = client_for("lan01")
    url = COUNTY_PAGE + "skalor/"
    bad = shipped_scale_text().replace("confidence = 0.95", 'confidence = "high"')
    response = lan01.post(url, {"action": "save", "text": bad})
    assert response.status_code == 400 and "confidence" in response.content.decode()
    assert not ScaleDefinition.objects.exists()
    own = shipped_scale_text().replace("min_respondents = 10", "min_respondents = 15")
    assert lan01.post(url, {"action": "save", "text": own}).status_code == 302
    stored = ScaleDefinition.objects.get()
    assert stored.text == own and stored.updated_by.username == "lan01"
    assert services.active_scales(stored.county).scales.min_respondents == 15
    download = lan01.get(COUNTY_PAGE + "skalor.toml")
    assert download.status_code == 200 and b"min_respondents = 15" in download.content
    # an editor who opened version 1 after someone else saved version 2 is stopped
    lan01.post(url, {"action": "save", "text": own.replace("= 15", "= 12"), "version": 1})
    stale = lan01.post(url, {"action": "save", "text": own, "version": 1})
    assert stale.status_code == 409
    assert lan01.post(url, {"action": "reset"}).status_code == 302
    assert not ScaleDefinition.objects.exists()


@pytest.fixture
def imported(county, users):  # noqa: ANN001
    """A survey file with Botkyrka skewed to every risk, imported by lan01 (staged)."""
    data, _rows = make_csv(
        rows=600, kommuner=("0127", "0184", "0186", "0180"), skewed="0127", seed=11
    )
    return services.import_survey(county, "enkat.csv", data, user=users["lan01"])


def test_kommun_profile_public_sees_published_only(imported, client_for):  # noqa: ANN001
    assert Client().get(BOTKYRKA).status_code == 404  # staged: the public sees nothing
    staged = client_for("viewer").get(BOTKYRKA)
    assert staged.status_code == 200
    text = staged.content.decode()
    assert "unpublished" in text or "opublicerad" in text
    publish(imported.import_run, user=None)
    public = Client().get(BOTKYRKA)
    assert public.status_code == 200
    text = public.content.decode()
    assert "/metoder/#ungdomsenkat" in text
    assert 'data-measure="ue01_family_conflict"' in text
    assert "sv-whisker" in text  # the interval is drawn
    # elevated against the county on a risk scale, protection lower on a protective one
    risk = text.split('data-measure="ue01_family_conflict"', 1)[1].split("</li>", 1)[0]
    assert "sv-flag-stands" in risk
    protective = text.split('data-measure="ue01_family_attachment"', 1)[1].split("</li>", 1)[0]
    assert "sv-flag-stands" in protective
    # choosers kept in the URL; a group too small for the threshold shows "*"
    girls = Client().get(BOTKYRKA + "?kon=female&arskurs=ak9")
    assert girls.status_code == 200
    assert 'value="female" selected' in girls.content.decode()


def test_small_groups_are_shown_as_stars(county, users):  # noqa: ANN001
    data, _rows = make_csv(rows=90, kommuner=("0127", "0184", "0186"), seed=5)
    record = services.import_survey(county, "small.csv", data, user=users["lan01"])
    publish(record.import_run, user=None)
    text = Client().get(BOTKYRKA + "?kon=female&arskurs=ak9").content.decode()
    # 30 Botkyrka respondents split four ways: under 10 per group, hidden
    assert "*" in text and "sv-whisker" not in text


def test_prevention_suggestions_come_from_the_survey(imported, client_for):  # noqa: ANN001
    from jamlik.geo.models import Area
    from jamlik.prevention.services import factor_suggestions

    botkyrka = Area.objects.get(code="0127")
    before = factor_suggestions(botkyrka)
    assert not before.survey and not before.covered  # unpublished: nothing changes
    publish(imported.import_run, user=None)
    after = factor_suggestions(botkyrka)
    factors = {s.factor for s in after.survey}
    assert {"family_conflict", "low_school_commitment", "family_attachment"} <= factors
    assert "low_school_commitment" in after.covered
    # no proxy for a factor the survey covers
    assert not any(s.factor in after.covered for s in after.suggestions)
    suggestion = next(s for s in after.survey if s.factor == "family_conflict")
    assert suggestion.year == 2024 and suggestion.lower > suggestion.county_value
    page = Client().get("/prevention/urval/?lan=01&suggest=0127").content.decode()
    assert "ue01_family_conflict" in page and "2024" in page


def test_kommun_page_links_from_the_situation_picture(imported, client_for):  # noqa: ANN001
    publish(imported.import_run, user=None)
    assert Indicator.objects.filter(owner=imported.county, is_survey=True).exists()
    page = Client().get("/lagesbild/kommun/0127/").content.decode()
    assert BOTKYRKA in page


def test_index_menu_and_kommun_section(imported, client_for):  # noqa: ANN001
    publish(imported.import_run, user=None)
    index = Client().get("/ungdomsenkat/").content.decode()
    assert "Stockholms län" in index and BOTKYRKA in index and COUNTY_PAGE not in index
    assert COUNTY_PAGE in client_for("lan01").get("/ungdomsenkat/").content.decode()
    # the menu leads a county administrator to the import page, and nobody else
    assert f'href="{COUNTY_PAGE}"' in client_for("lan01").get("/").content.decode()
    assert f'href="{COUNTY_PAGE}"' not in Client().get("/").content.decode()
    assert f'href="{COUNTY_PAGE}"' not in client_for("botkyrka").get("/").content.decode()
    # the kommun page's section links to the survey profile
    assert BOTKYRKA in Client().get("/omrade/0127/").content.decode()

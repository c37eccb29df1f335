"""What the public (and editors of other kommuner) must never see: suppressed small counts,
unpublished survey answers, draft plans and unpublished scenarios.

Each check names concrete demo records, asserts their distinctive content is absent from
the responses a stranger gets, and present for someone allowed to see it — so the test
fails if the content were never rendered at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

import pytest
from django.db.models import F
from tests.responses import body
from tests.uploads import upload_and_confirm

from .test_api import is_json_error

API = "/api/v1"


def leaks(
    as_user: Any, user: str | None, urls: Iterable[str], marker: str | tuple[str, ...]
) -> list[str]:
    """URLs whose response to ``user`` contains ``marker`` (any of several spellings) or
    that fail with 500."""
    markers = (marker,) if isinstance(marker, str) else marker
    client = as_user(user)
    found = []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            found.append(f"{url}: {response.status_code}")
            continue
        text = body(response).decode("utf-8", "replace")
        if any(m in text or m.encode("unicode_escape").decode() in text for m in markers):
            found.append(f"{url} ({response.status_code})")
    return found


def shows(as_user: Any, user: str, url: str, marker: str) -> bool:
    response = as_user(user).get(url)
    return response.status_code == 200 and marker in body(response).decode("utf-8", "replace")


# --- draft plans ------------------------------------------------------------------------


def test_draft_plan_is_hidden_from_the_public(as_user, demo) -> None:  # noqa: ANN001
    from jamlik.prevention.models import Plan, PlanStatus

    plan = Plan.objects.filter(status=PlanStatus.DRAFT, is_demo=True).order_by("pk").first()
    assert plan is not None, "the demo has a draft plan"
    code = plan.municipality.code
    urls = [
        "/prevention/",
        "/prevention/planer/",
        f"/prevention/planer/?kommun={code}",
        f"/prevention/planer/{plan.pk}/",
        f"/prevention/planer/{plan.pk}/steg/1/",
        f"/prevention/urval/?kommun={code}",
        f"/omrade/{code}/",
        "/omrade/01/",
        f"{API}/plans/?county=01",
        f"{API}/plans/?kommun={code}",
        f"{API}/plans/{plan.pk}",
        f"{API}/prevention/selection?kommun={code}",
        f"{API}/prevention/suggestions?kommun={code}",
    ]
    assert leaks(as_user, None, urls, plan.title) == []
    assert leaks(as_user, "botkyrka", urls, plan.title) == []
    assert shows(as_user, "lan01", f"/prevention/planer/{plan.pk}/", plan.title)


# --- unpublished scenarios --------------------------------------------------------------

SCENARIO_MARK = "Lidingö XQZ opublicerat scenario"


@pytest.fixture
def unpublished_scenario(demo) -> Any:  # noqa: ANN001
    """The demo's scenarios are all published; this is Botkyrka's, copied to Lidingö as a
    draft."""
    from jamlik.economics.models import Scenario
    from jamlik.geo.models import Area

    s = Scenario.objects.get(area__code="0127")
    s.pk = None
    s.area = Area.objects.get(code="0186")
    s.name = SCENARIO_MARK
    s.published = False
    s.save()
    return s


def test_unpublished_scenario_is_hidden(as_user, unpublished_scenario) -> None:  # noqa: ANN001
    pk = unpublished_scenario.pk
    urls = [
        "/ekonomi/",
        "/ekonomi/jamfor/",
        f"/ekonomi/jamfor/?a={pk}&b={pk}",
        f"/ekonomi/jamfor/?scenario={pk}",
        "/omrade/0186/",
        f"/ekonomi/scenario/{pk}/",
        f"/ekonomi/scenario/{pk}/per-ar.csv",
        f"{API}/economics/scenarios",
        f"{API}/economics/scenarios?kommun=0186",
        f"{API}/economics/scenarios/{pk}",
    ]
    assert leaks(as_user, None, urls, SCENARIO_MARK) == []
    assert leaks(as_user, "botkyrka", urls, SCENARIO_MARK) == []
    for user in (None, "botkyrka"):
        for suffix in ("scenario.xlsx", "scenario.pdf"):
            status = as_user(user).get(f"/ekonomi/scenario/{pk}/{suffix}").status_code
            assert status in (302, 403, 404), (user, suffix, status)
    assert shows(as_user, "lidingo", "/ekonomi/", SCENARIO_MARK)
    assert shows(as_user, "lidingo", f"/ekonomi/scenario/{pk}/", SCENARIO_MARK)


# --- unpublished prerequisite answers ---------------------------------------------------

ANSWER_MARK = "XQZ hemligt enkätsvar från Lidingö"


@pytest.fixture
def unpublished_answer(demo) -> Any:  # noqa: ANN001
    """Lidingö's answers in the demo's unpublished 2023 round, with a recognisable text."""
    from jamlik.prerequisites.models import Response

    response = Response.objects.get(municipality__code="0186", round__year=2023)
    assert not response.round.published
    response.answers = dict(response.answers) | {"coordination_description": ANSWER_MARK}
    response.save()
    return response


def test_unpublished_survey_answers_are_hidden(as_user, unpublished_answer) -> None:  # noqa: ANN001
    urls = [
        "/forutsattningar/",
        "/forutsattningar/kommun/0186/",
        "/forutsattningar/kommun/0186/?year=2023",
        "/forutsattningar/lan/01/",
        "/forutsattningar/lan/01/?year=2023",
        "/forutsattningar/lan/01/omgang/2023/",
        "/forutsattningar/lan/01/omgang/2023/export.csv",
        "/forutsattningar/kommun/0186/enkat/2023/",
        "/omrade/0186/",
        f"{API}/prerequisites/municipalities/0186/responses/2023",
        f"{API}/prerequisites/municipalities/0186/scores/2023",
        f"{API}/prerequisites/counties/01/rounds/2023/summary",
        f"{API}/prerequisites/counties/01/rounds/2023/scores",
        f"{API}/prerequisites/counties/01/rounds",
    ]
    assert leaks(as_user, None, urls, ANSWER_MARK) == []
    assert leaks(as_user, "botkyrka", urls, ANSWER_MARK) == []
    assert shows(as_user, "lidingo", "/forutsattningar/kommun/0186/enkat/2023/", ANSWER_MARK)


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/prerequisites/municipalities/0186/scores/2023",
        f"{API}/prerequisites/counties/01/rounds/2023/scores",
        f"{API}/prerequisites/counties/01/rounds/2023/summary",
        f"{API}/prerequisites/municipalities/0186/responses/2023",
    ],
)
def test_unpublished_round_figures_are_not_public(as_user, demo, url) -> None:  # noqa: ANN001
    response = as_user(None).get(url)
    assert response.status_code in (401, 403, 404), (url, response.status_code)
    assert is_json_error(response), body(response)[:200]
    assert as_user("botkyrka").get(url).status_code in (403, 404), "another kommun's editor"
    allowed = "lan01" if "/counties/" in url else "lidingo"
    assert as_user(allowed).get(url).status_code == 200


# --- suppressed small counts ------------------------------------------------------------


def small_counts(limit: int = 4) -> list[Any]:
    """Demo observations whose count is above zero and below the indicator's threshold."""
    from jamlik.indicators.models import Observation

    qs = Observation.objects.filter(
        numerator__gt=0,
        numerator__lt=F("indicator__disclosure_threshold"),
        breakdown="total",
        category="total",
    ).select_related("indicator", "area")
    picked = list(qs.filter(area__level="municipality").order_by("-period_end", "pk")[:limit])
    assert picked, "the demo data has small counts to suppress"
    return picked


def test_api_never_returns_a_small_count(as_user, demo) -> None:  # noqa: ANN001
    for obs in small_counts():
        for fmt in ("json", "csv"):
            url = (
                f"{API}/observations?indicator={obs.indicator.code}&period={obs.period}"
                f"&area={obs.area.code}&breakdown=total&format={fmt}"
            )
            response = as_user(None).get(url)
            assert response.status_code == 200
            if fmt == "json":
                rows = response.json()["results"]
            else:
                text = body(response).decode("utf-8-sig")
                rows = list(csv.DictReader(io.StringIO(text)))
            rows = [r for r in rows if r["category"] == "total"]
            assert rows, url
            for row in rows:
                assert row["numerator"] in (None, ""), (url, row)
                assert row["value"] in (None, ""), (url, row)
                assert row["suppressed"] in (True, "True", "true", "1"), (url, row)


def test_indicator_csv_never_shows_a_small_count(as_user, demo) -> None:  # noqa: ANN001
    for obs in small_counts():
        url = f"/lagesbild/indikator/{obs.indicator.code}/csv/"
        response = as_user(None).get(url)
        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
        mine = [r for r in rows if r.get("area") == obs.area.code and r.get("period") == obs.period]
        for row in mine:
            assert row.get("numerator", "") == "", (url, row)
            assert row.get("value", "") == "", (url, row)


def test_kommun_profile_csv_never_shows_a_small_count(as_user, demo) -> None:  # noqa: ANN001
    for obs in small_counts():
        url = f"/lagesbild/kommun/{obs.area.code}/csv/"
        response = as_user(None).get(url)
        assert response.status_code == 200
        text = body(response).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows, url
        key = next((k for k in rows[0] if k in ("indicator", "indicator_code", "code")), None)
        assert key, f"{url}: no indicator column in {list(rows[0])}"
        mine = [
            r
            for r in rows
            if r[key] == obs.indicator.code and r.get("period", obs.period) == obs.period
        ]
        for row in mine:
            for column in ("numerator", "value"):
                if column in row:
                    assert row[column] == "", (url, row)


# --- personal data: contact details and interview quotes --------------------------------


def test_actor_contact_details_are_not_public(as_user, demo) -> None:  # noqa: ANN001
    from jamlik.actors.models import Actor

    actor = Actor.objects.filter(area__code="0127").exclude(contact="").order_by("pk").first()
    urls = [
        "/aktorer/?county=01",
        f"/aktorer/aktor/{actor.pk}/",
        "/aktorer/natverk/",
        "/aktorer/export/01/csv/",
        "/aktorer/export/01/json/",
        f"{API}/actors?county=01&limit=500",
        f"{API}/actors/{actor.pk}",
        "/omrade/0127/",
    ]
    assert leaks(as_user, None, urls, actor.contact) == []
    assert leaks(as_user, None, urls, "@example.se") == []
    assert shows(as_user, "lan01", f"/aktorer/aktor/{actor.pk}/", actor.contact)


def test_interview_quotes_are_not_public(as_user, demo) -> None:  # noqa: ANN001
    from jamlik.prerequisites.models import InterviewExcerpt

    excerpt = InterviewExcerpt.objects.filter(municipality__code="0186").order_by("pk").first()
    quote = excerpt.text[:40]
    urls = [
        "/forutsattningar/kommun/0186/",
        "/forutsattningar/kommun/0186/intervjuer/",
        "/forutsattningar/lan/01/",
        "/forutsattningar/lan/01/utvardering/",
        "/omrade/0186/",
        f"{API}/prerequisites/counties/01/evaluation?baseline=2019&follow_up=2021",
    ]
    assert leaks(as_user, None, urls, quote) == []
    assert leaks(as_user, "botkyrka", urls, quote) == []
    assert shows(as_user, "lidingo", "/forutsattningar/kommun/0186/intervjuer/", quote)


def test_document_of_an_unpublished_year_is_hidden(as_user, demo) -> None:  # noqa: ANN001
    """A Lidingö document for the unpublished 2023 round (the demo has documents only for
    published years, so the test uploads one as Lidingö's editor)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jamlik.prerequisites.models import Document

    title = "XQZ Lidingö budget 2023 opublicerad"
    text = "Mål och budget. Folkhälsa, trygghet och jämlik hälsa för barn och unga.\n" * 20
    upload = SimpleUploadedFile("mal2023.txt", text.encode(), content_type="text/plain")
    url = "/forutsattningar/kommun/0186/dokument/"
    response = as_user("lidingo").post(url, {"year": "2023", "title": title, "file": upload})
    assert response.status_code == 302
    document = Document.objects.get(title=title)
    urls = [
        url,
        f"/forutsattningar/dokument/{document.pk}/",
        "/forutsattningar/kommun/0186/",
        "/forutsattningar/lan/01/",
        "/omrade/0186/",
        f"{API}/prerequisites/documents/{document.pk}",
    ]
    assert leaks(as_user, None, urls, title) == []
    assert leaks(as_user, "botkyrka", urls, title) == []
    for user in (None, "botkyrka"):
        status = as_user(user).get(f"{API}/prerequisites/documents/{document.pk}").status_code
        assert status in (401, 403, 404), (user, status)
    assert shows(as_user, "lidingo", f"/forutsattningar/dokument/{document.pk}/", title)


# --- unpublished indicator uploads ------------------------------------------------------

UPLOAD_VALUE = "12345.6"


def test_uploaded_indicator_data_stay_hidden_until_published(as_user, demo) -> None:  # noqa: ANN001
    """Lidingö uploads a value; nobody outside Lidingö/the county sees it until the county
    administrator publishes the run, and only the county administrator may publish."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jamlik.indicators.models import ImportRun, Indicator

    code = Indicator.objects.order_by("pk").first().code
    text = f"indikator;område;period;värde\n{code};0186;2031;12345,6\n"
    upload = SimpleUploadedFile("lidingo.csv", text.encode("cp1252"), content_type="text/csv")
    assert upload_and_confirm(as_user("lidingo"), upload).status_code == 302
    run = ImportRun.objects.get(description__contains="lidingo.csv")
    assert not run.published
    urls = [
        f"{API}/observations?indicator={code}&area=0186",
        f"{API}/observations?indicator={code}&area=0186&period=2031&format=csv",
        f"{API}/observations?indicator={code}",
        f"/lagesbild/indikator/{code}/csv/",
        "/lagesbild/kommun/0186/csv/",
        "/lagesbild/lan/01/csv/",
    ]
    pages = [
        "/lagesbild/kommun/0186/?period=2031",
        "/lagesbild/kommun/0186/",
        f"/lagesbild/indikator/{code}/?period=2031",
        f"/lagesbild/indikator/{code}/?area=0186",
        "/lagesbild/lan/01/",
        "/omrade/0186/",
    ]
    shown = (UPLOAD_VALUE, "12345,6", "12 345,6", "12\u00a0345,6", "12\u202f345,6")
    for user in (None, "botkyrka"):
        assert leaks(as_user, user, urls + pages, shown) == [], user

    publish = f"/lagesbild/lan/01/importer/{run.pk}/publicering/"
    anonymous = as_user(None).post(publish, {"action": "publish"})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/konto/logga-in/")
    for user in ("botkyrka", "lidingo", "viewer"):
        assert as_user(user).post(publish, {"action": "publish"}).status_code == 403, user
    run.refresh_from_db()
    assert not run.published

    assert as_user("lan01").post(publish, {"action": "publish"}).status_code == 302
    run.refresh_from_db()
    assert run.published
    published = leaks(as_user, None, urls[:1], UPLOAD_VALUE)
    assert published != [], "positive control: published data reach the API"


def test_kommun_pdf_never_shows_a_small_count(as_user, demo) -> None:  # noqa: ANN001
    """The printable profile: the suppressed period must not appear with its value."""
    import pypdf

    obs = small_counts(1)[0]
    response = as_user(None).get(f"/rapporter/kommun/{obs.area.code}/lagesbild.pdf")
    assert response.status_code == 200
    pages = pypdf.PdfReader(io.BytesIO(body(response))).pages
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert obs.indicator.name_sv.split()[0] in text, "the indicator is in the report"
    for digits in (1, 2, 3):
        shown = f"{obs.period} {obs.value:.{digits}f}".replace(".", ",")
        assert shown not in text, shown

"""The county overview, the national matrix and the indicator page ask the database a fixed
number of questions, however many areas and indicators they show, and their cached figures
are only ever served to readers who see the public table alone."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.uploads import upload_and_confirm

#: Queries on a cold cache (every figure computed) and on a warm one (figures read from
#: the cache), the site's state included (up to four while its row is first created).
#: The county overview shows 26 kommuner, the national one 290: the bounds are the same.
OVERVIEW = (14, 9)
#: The indicator page adds its gaps between groups (their own cached blocks).
INDICATOR = (17, 11)
PAGES = [
    ("/lagesbild/lan/01/", OVERVIEW),
    ("/lagesbild/lan/01/?bench=riket&sex=female&indicator=U01405", OVERVIEW),
    ("/lagesbild/riket/", OVERVIEW),
    ("/lagesbild/lan/01/csv/", OVERVIEW),
    ("/lagesbild/indikator/U01405/", INDICATOR),
    ("/lagesbild/indikator/N15507/?area=0127", INDICATOR),
    ("/lagesbild/indikator/N03937/?area=0127&bench=riket", INDICATOR),
]


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(("url", "bounds"), PAGES)
def test_queries_are_bounded_cold_and_warm(demo, url: str, bounds: tuple[int, int]) -> None:  # noqa: ANN001
    client = Client()
    cache.clear()
    cold = _count(client, url)
    warm = _count(client, url)
    assert cold <= bounds[0] and warm <= bounds[1], (url, cold, warm)
    assert warm < cold  # the figures came from the cache


def test_national_matrix_asks_as_often_as_a_county(demo) -> None:  # noqa: ANN001
    client = Client()
    counts = []
    for url in ("/lagesbild/lan/01/", "/lagesbild/riket/", "/lagesbild/lan/01/"):
        cache.clear()
        counts.append(_count(client, url))
    _first, national, county = counts
    # The national view looks up the country before the same page (one query more).
    assert national == county + 1


UPLOAD = "indikator;område;period;värde\nN03937;0127;2024;6543,21\n"
MARKS = ("6\xa0543,2", "6543,2")


@pytest.fixture
def staged(demo, client_for) -> Client:  # noqa: ANN001
    """Botkyrka's editor with an unpublished upload that replaces a public value."""
    editor = client_for("botkyrka")
    file = SimpleUploadedFile("botkyrka.csv", UPLOAD.encode("cp1252"), content_type="text/csv")
    assert upload_and_confirm(editor, file).status_code == 302
    return editor


@pytest.mark.parametrize(
    "url", ["/lagesbild/lan/01/?indicator=N03937", "/lagesbild/indikator/N03937/?area=0127"]
)
def test_staged_readers_never_get_or_fill_the_public_cache(staged: Client, url: str) -> None:
    anonymous = Client()
    cache.clear()
    first = anonymous.get(url).content.decode()
    assert not any(m in first for m in MARKS)
    # The public figures are cached now; the editor still sees the staged value ...
    seen = staged.get(url).content.decode()
    assert any(m in seen for m in MARKS)
    # ... and the public still does not (the editor's figures were not cached).
    cache.clear()
    assert not any(m in anonymous.get(url).content.decode() for m in MARKS)
    staged.get(url)
    assert not any(m in anonymous.get(url).content.decode() for m in MARKS)


def test_staged_readers_queries_are_bounded(staged: Client) -> None:
    for url in ("/lagesbild/lan/01/", "/lagesbild/riket/", "/lagesbild/indikator/N03937/"):
        first, second = _count(staged, url), _count(staged, url)
        # Computed afresh every time, with the staged rows: a few more queries (the
        # indicator page also reads the focus kommun's peers for the compare-with choice).
        assert first <= INDICATOR[0] + 8 and second <= INDICATOR[0] + 8, (url, first, second)

"""The kommun profile and its PDF: computed once per publication, a bounded number of queries.

The page's figures, gap blocks and rendered gap section, and the PDF's bytes, are
cached for public readers on :func:`jamlik.indicators.publication.public_version`
(:mod:`jamlik.indicators.figure_cache`). These tests count the computations and
the SQL queries, never time anything (timings are in ``bench/bench_profile.py``
and ``bench/bench_pdf.py``). WeasyPrint is replaced by a stub where the PDF's
content is not what is checked.
"""

from __future__ import annotations

import gc
import re

import pytest

PAGE = "/lagesbild/kommun/0127/"
PDF = "/rapporter/kommun/0127/lagesbild.pdf"
#: A cold page: area, unpublished runs, publication version, indicators, country,
#: the values of the kommun, its county and Sweden, the county's kommuner and their
#: values for the quintiles, site state (created on first read: three more), which
#: indicators have the breakdown, indicators, the gap values, the published runs with
#: source notes (cached with the figures); for the overview (spine chart, pyramid):
#: every kommun with its county and their latest values with the publication version
#: (cached once per publication for all profiles) and the population by age × sex;
#: the Delområden section for a kommun with districts (unpublished runs, the districts,
#: their values, the indicators with district values, the kommun's value: five);
#: none per indicator or district.
COLD_PAGE_QUERIES = 25
#: A warm page: area, unpublished runs, publication version, site state.
WARM_PAGE_QUERIES = 4
#: The PDF's county map (the county overview of the map's indicator: the kommuner with
#: their boundaries, indicators, periods, benchmark, publication; once per publication,
#: as the PDF is rendered once per publication).
PDF_MAP_QUERIES = 9


class Counter:
    """Wraps a function and counts its calls."""

    def __init__(self, function):  # noqa: ANN001
        self.function = function
        self.calls = 0

    def __call__(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN204
        self.calls += 1
        return self.function(*args, **kwargs)


@pytest.fixture
def fresh_cache():  # noqa: ANN201
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def counted(monkeypatch):  # noqa: ANN001, ANN201
    """Counters on the profile's figures, the gap blocks and the PDF rendering (stubbed)."""
    from jamlik.indicators import gap_blocks, profile
    from jamlik.reports import kommun_profile

    counters = {
        "figures": Counter(profile.profile_figures),
        "gaps": Counter(gap_blocks._gap_blocks),
        "pdf": Counter(lambda html: b"%PDF-stub " + str(len(html)).encode()),
    }
    monkeypatch.setattr(profile, "profile_figures", counters["figures"])
    monkeypatch.setattr(gap_blocks, "_gap_blocks", counters["gaps"])
    monkeypatch.setattr(kommun_profile, "render_pdf", counters["pdf"])
    return counters


def _page(client, url: str = PAGE) -> str:  # noqa: ANN001
    """The page without its per-request CSRF token."""
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _bump_publication() -> None:
    from django.utils import timezone

    from jamlik.indicators.models import Publication

    last = Publication.objects.order_by("-built_at").first()
    assert last is not None
    Publication.objects.filter(pk=last.pk).update(built_at=timezone.now())


def test_profile_is_computed_once_per_publication(demo, client, fresh_cache, counted) -> None:  # noqa: ANN001
    first, again = _page(client), _page(client)
    assert again == first
    assert (counted["figures"].calls, counted["gaps"].calls) == (1, 1)
    # Another benchmark is its own entry; another breakdown only its own gaps.
    client.get(PAGE + "?bench=riket")
    client.get(PAGE + "?breakdown=education")
    assert (counted["figures"].calls, counted["gaps"].calls) == (2, 2)
    # A new publication changes the key: the next reader gets the new table's numbers.
    _bump_publication()
    client.get(PAGE)
    assert (counted["figures"].calls, counted["gaps"].calls) == (3, 3)


def test_readers_of_staged_rows_are_never_served_cached_figures(
    demo, monkeypatch, fresh_cache, counted
) -> None:  # noqa: ANN001
    from jamlik.geo.models import Area
    from jamlik.indicators import profile
    from jamlik.indicators.queries import Visibility
    from jamlik.indicators.viewstate import ViewState

    area, state = Area.objects.get(code="0127"), ViewState()
    profile.profile_page(area, state).gaps  # noqa: B018 - fills the public cache
    staged = Visibility(frozenset({-1}), None)
    assert staged.sees_staged
    monkeypatch.setattr(profile, "visibility_for", lambda user: staged)
    for _ in range(2):
        page = profile.profile_page(area, state, user=object())
        assert page.gaps and page.gaps_html
    # Every staged page computed its own figures, blocks and section: none from the cache.
    assert (counted["figures"].calls, counted["gaps"].calls) == (3, 3)


def test_profile_queries_are_bounded(
    demo, client, fresh_cache, django_assert_max_num_queries
) -> None:  # noqa: ANN001
    with django_assert_max_num_queries(COLD_PAGE_QUERIES):
        cold = _page(client)
    assert cold.count("data-gap=") >= 10
    with django_assert_max_num_queries(WARM_PAGE_QUERIES):
        warm = _page(client)
    assert warm == cold


def test_pdf_reuses_the_page_and_is_rendered_once_per_publication(
    demo, client, fresh_cache, counted, django_assert_max_num_queries
) -> None:  # noqa: ANN001
    client.get(PAGE)
    # The area, the publication version; the page's unpublished runs and version.
    with django_assert_max_num_queries(4 + PDF_MAP_QUERIES):
        first = client.get(PDF)
    assert first["Content-Type"] == "application/pdf"
    # The PDF used the figures and gap blocks the page computed.
    assert (counted["figures"].calls, counted["gaps"].calls, counted["pdf"].calls) == (1, 1, 1)
    with django_assert_max_num_queries(2):  # the area and the publication version
        again = client.get(PDF)
    assert again.content == first.content and counted["pdf"].calls == 1
    client.get(PDF + "?breakdown=education")
    assert (counted["gaps"].calls, counted["pdf"].calls) == (2, 2)
    _bump_publication()
    client.get(PDF)
    assert (counted["figures"].calls, counted["pdf"].calls) == (2, 3)


def test_pdf_queries_are_bounded_without_the_page(
    demo, client, fresh_cache, counted, django_assert_max_num_queries
) -> None:  # noqa: ANN001
    with django_assert_max_num_queries(COLD_PAGE_QUERIES + PDF_MAP_QUERIES):
        response = client.get(PDF)
    assert response.status_code == 200 and counted["pdf"].calls == 1


def test_pdf_pauses_the_collector_and_restores_it() -> None:
    from jamlik.reports.pdf import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError
    assert gc.isenabled()

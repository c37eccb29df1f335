"""Every page, as every kind of user: no server errors, no edit forms for the public,
and headers/markup that a strict Content-Security-Policy can live with."""

from __future__ import annotations

import pytest

from .crawl import (
    LOGIN_PREFIX,
    CrawlResult,
    all_routes,
    edit_forms,
    event_handlers,
    inline_scripts,
    route_id,
)

ROUTE_IDS = [route_id(r) for r in all_routes()]

# Known defects in other engineers' code: (check, route id) -> reason. strict xfail, so a
# fix turns the test red until the marker is removed.
KNOWN: dict[tuple[str, str], str] = {}


def cases(check: str) -> list:
    return [
        pytest.param(rid, id=rid, marks=pytest.mark.xfail(strict=True, reason=KNOWN[(check, rid)]))
        if (check, rid) in KNOWN
        else pytest.param(rid, id=rid)
        for rid in ROUTE_IDS
    ]


@pytest.mark.django_db
def test_every_parametrised_route_has_sample_parameters(crawled: CrawlResult) -> None:
    assert crawled.missing_params == [], "add these URL names to crawl.PARAMS"


def test_crawl_found_the_apps(crawled: CrawlResult) -> None:
    names = set(crawled.hits)
    for expected in ("actors:actor-edit", "prevention:plan-edit", "economics:edit"):
        assert expected in names


@pytest.mark.parametrize("rid", cases("no_500"))
def test_no_server_error(crawled: CrawlResult, rid: str) -> None:
    broken = [
        f"{h.user or 'anonymous'} GET {h.url}\n{h.error}"
        for h in crawled.hits.get(rid, [])
        if h.status >= 500
    ]
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("rid", cases("anon_form"))
def test_anonymous_never_gets_an_edit_form(crawled: CrawlResult, rid: str) -> None:
    """The public gets no fillable POST form; a refusal is a login redirect, 403, 404 or 405."""
    if "login" in rid:
        return  # the login pages are the one form the public needs
    bad = []
    for h in crawled.hits.get(rid, []):
        if h.user is not None:
            continue
        if h.status == 200 and edit_forms(h.body):
            bad.append(f"{h.url}: 200 with {edit_forms(h.body)[0]}")
        if h.status == 302 and any(w in h.url for w in ("/andra/", "/ny", "/redigera/")):
            end = h.final_location or h.location
            if not end.startswith((LOGIN_PREFIX, "/admin/login/")) and not end.endswith(
                ("(403)", "(404)")
            ):
                bad.append(f"{h.url}: redirected to {end}, not to the login page")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("rid", cases("csp"))
def test_html_has_strict_csp(crawled: CrawlResult, rid: str) -> None:
    bad = []
    for h in crawled.hits.get(rid, []):
        if "html" not in h.content_type or h.url.startswith("/api/v1/docs"):
            continue
        if not h.csp:
            bad.append(f"{h.user} {h.url}: no Content-Security-Policy")
        elif "unsafe-eval" in h.csp:
            bad.append(f"{h.user} {h.url}: CSP allows 'unsafe-eval'")
        elif "script-src 'self'" not in h.csp:
            bad.append(f"{h.user} {h.url}: script-src is not 'self' only ({h.csp})")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("rid", cases("inline_script"))
def test_no_inline_scripts(crawled: CrawlResult, rid: str) -> None:
    bad = sorted(
        {f"{h.url}: {s}" for h in crawled.hits.get(rid, []) for s in inline_scripts(h.body)}
    )
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("rid", cases("event_handler"))
def test_no_inline_event_handlers(crawled: CrawlResult, rid: str) -> None:
    bad = sorted(
        {f"{h.url}: {s}" for h in crawled.hits.get(rid, []) for s in event_handlers(h.body)}
    )
    assert not bad, "\n".join(bad)


def test_crawl_saw_real_pages(crawled: CrawlResult) -> None:
    """Guard the guard: the crawl must actually render pages (not only redirects)."""
    ok = [h for hits in crawled.hits.values() for h in hits if h.status == 200 and h.body]
    assert len(ok) > 100
    assert all(len(h.body) > 200 for h in ok)

"""Replay every edit form the superuser is offered, as the public and as the county's
read-only viewer: nothing in any Jämlik table may change.

The crawl records each page's HTML; for every page where ``admin`` gets a POST form with
fields, its own payload (one text field changed) is posted by the other two. Views that
only accept POST (deletes, relations) get an empty POST. The check compares a fingerprint
of every row of every Jämlik model before and after.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urldefrag, urljoin

import pytest
from django.apps import apps
from django.db.models import Count, Sum
from django.test import Client

from .crawl import CrawlResult
from .forms import edit_form, with_marker

JAMLIK = {c.label for c in apps.get_app_configs() if c.name.startswith("jamlik.")}


def fingerprint() -> dict[str, str]:
    out = {}
    for model in apps.get_models():
        if model._meta.app_label not in JAMLIK or model._meta.proxy:
            continue
        if model.__name__ == "Observation":
            agg = model.objects.aggregate(n=Count("pk"), v=Sum("value"), d=Sum("numerator"))
            out[model._meta.label] = repr(sorted(agg.items()))
            continue
        rows = model.objects.order_by("pk").values_list()
        out[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return out


def replay_targets(
    crawled: CrawlResult, refused_for: str | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """(url, data) for every admin edit form and every POST-only page; with
    ``refused_for``, only pages whose GET that user was refused (403/404)."""
    refused = {
        h.url
        for hits in crawled.hits.values()
        for h in hits
        if refused_for and h.user == refused_for and h.status in (403, 404)
    }
    targets = []
    for hits in crawled.hits.values():
        for h in hits:
            if h.user != "admin" or h.url.startswith(("/admin/", "/konto/", "/i18n/")):
                continue
            if refused_for and h.url not in refused:
                continue
            if h.status == 405:
                targets.append((h.url, {}))
            elif h.status == 200 and h.body:
                try:
                    form = edit_form(h.body)
                except AssertionError:
                    continue
                data = {k: v for k, v in form["data"].items() if k != "csrfmiddlewaretoken"}
                if form["text"]:
                    data = with_marker(form, "Replay-test")
                # The action as the browser reads it: relative to the page, no fragment.
                action = urldefrag(urljoin(h.url, form["action"])).url
                targets.append((action, data))
    return targets


@pytest.mark.django_db
@pytest.mark.parametrize("user", [None, "viewer"])
def test_replayed_edit_forms_change_nothing(crawled, as_user, user) -> None:  # noqa: ANN001
    targets = replay_targets(crawled)
    assert len(targets) > 30, "the crawl found the edit forms"
    client: Client = as_user(user)
    before = fingerprint()
    statuses = []
    for url, data in targets:
        response = client.post(url, data)
        statuses.append((url, response.status_code, response.get("Location", "")))
    after = fingerprint()
    changed = sorted(k for k in before if before[k] != after[k])
    assert changed == [], f"{user or 'anonymous'} changed {changed}"
    bad = [
        s
        for s in statuses
        if not (
            s[1] in (403, 404, 405)
            or (s[1] == 302 and user is None and s[2].startswith("/konto/logga-in/"))
        )
    ]
    assert bad == [], "\n".join(f"{u}: {c} {loc}" for u, c, loc in bad)


@pytest.mark.django_db
def test_editor_refused_a_page_cannot_post_to_it(crawled, as_user) -> None:  # noqa: ANN001
    """County-level forms (rounds, themes, agreements, interventions, districts…) that
    Botkyrka's editor may not open must not accept Botkyrka's POST either."""
    targets = replay_targets(crawled, refused_for="botkyrka")
    assert len(targets) > 10, "the crawl found county-level forms"
    client: Client = as_user("botkyrka")
    before = fingerprint()
    bad = []
    for url, data in targets:
        response = client.post(url, data)
        if response.status_code not in (403, 404, 405):
            bad.append(f"{url}: {response.status_code} {response.get('Location', '')}")
    assert fingerprint() == before
    assert bad == [], "\n".join(bad)

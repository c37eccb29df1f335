"""Every message in Swedish and English: complete catalogues, no English on Swedish pages.

The page check renders the main pages as every demo role with the Swedish UI and looks
for English msgids in the visible text (see ``tests/core/untranslated.py``); each hit
is a string a page printed without translating it.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from urllib.parse import urlparse

import polib
import pytest
from django.test import Client
from django.utils import translation
from tests.core.untranslated import CATALOGUES, untranslated, visible_text

ROLES = [None, "viewer", "botkyrka", "lan01", "admin"]
SKIP = re.compile(
    r"(/csv/|\.(csv|pdf|xlsx|docx|json|zip)(\?|$)|/api/|/admin/|logga-ut|/i18n/|/export|/static/)"
)


# ---- the catalogues ----------------------------------------------------------------


def test_the_catalogues_are_found():
    names = {p.parts[-5] for p in CATALOGUES}
    assert {"jamlik", "core", "indicators", "actors", "support", "economics"} <= names


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_msgid_has_a_swedish_msgstr(path):
    problems = []
    seen: set[tuple[str | None, str]] = set()
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            problems.append(f"duplicate msgid {entry.msgid[:60]!r}")
        seen.add(key)
        if entry.fuzzy:
            problems.append(f"fuzzy: {entry.msgid[:60]!r}")
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not texts or not all(t.strip() for t in texts):
            problems.append(f"no translation: {entry.msgid[:60]!r}")
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_visible_text_skips_scripts_and_english_parts():
    page = (
        '<p title="Ett namn">Hej <b>där</b></p><script>var s = "Log out of it";</script>'
        '<button lang="en">In English please</button><img alt="En bild"><br>'
    )
    text = visible_text(page)
    assert "Hej där" in text and "Ett namn" in text and "En bild" in text
    assert "Log out" not in text and "In English" not in text


def test_an_untranslated_msgid_is_found():
    assert "The page was not found" in untranslated("<h1>The page was not found</h1>")
    assert untranslated("<h1>Sidan finns inte</h1>") == []


# ---- import problems: English in data, the reader's language on the page -------------


def test_import_problem_texts_are_shown_in_the_readers_language():
    from jamlik.sources.errors import ImportProblem
    from jamlik.sources.texts import Text

    expected = Text("at most the denominator (%(denominator)s)", denominator="1300")
    problem = ImportProblem("f.csv", 3, "numerator", "1400", expected)
    assert problem.expected == "at most the denominator (1300)"  # data, CLI and logs
    with translation.override("sv"):
        assert problem.expected_shown == "högst nämnaren (1300)"
        assert problem.column_shown == "täljare"
    with translation.override("en"):
        assert problem.expected_shown == "at most the denominator (1300)"
        assert problem.column_shown == "numerator"
    # Through the preview's JSON (a plain str again) a fixed text is still translated,
    # and one with values falls back to the English it holds.
    fixed = ImportProblem("f.csv", 2, "value", "", Text("a count of 0 or more"))
    for original, shown in [(fixed, "ett antal, 0 eller mer"), (problem, problem.expected)]:
        again = ImportProblem(**json.loads(json.dumps(asdict(original))))
        with translation.override("sv"):
            assert again.expected_shown == shown


def test_column_names_inside_messages_follow_the_language():
    from jamlik.sources.texts import Text

    text = Text("a column '%(column)s' in the header row", column="indicator")
    with translation.override("sv"):
        assert text.translated() == "en kolumn 'indikator' i rubrikraden"


def test_a_template_file_with_problems_reports_in_swedish(tmp_path):
    from jamlik.sources.errors import ImportValidationError
    from jamlik.sources.template import read_import_file

    path = tmp_path / "data.csv"
    path.write_text("indikator;område;period;täljare;nämnare\nN1;0127;2024;-3;10\n")
    with pytest.raises(ImportValidationError) as caught:
        read_import_file(path, known_areas={"0127"}, known_indicators={"N1"})
    problem = caught.value.problems[0]
    with translation.override("sv"):
        assert (problem.column_shown, problem.expected_shown) == (
            "täljare",
            "ett antal, 0 eller mer",
        )


# ---- the pages -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    """Every app's demo data, seeded once for this module and removed afterwards."""
    from tests.conftest import reset_database

    from jamlik.setup import seed_demo

    with django_db_blocker.unblock():
        seed_demo(lambda _m: None)
    yield
    with django_db_blocker.unblock():
        reset_database()


def main_pages() -> list[str]:
    from jamlik.economics.models import Scenario
    from jamlik.indicators.models import Indicator

    pages = [
        "/", "/lan/", "/lagesbild/", "/lagesbild/lan/01/", "/lagesbild/kommun/0127/",
        "/omrade/0127/", "/aktorer/?county=01", "/forutsattningar/",
        "/forutsattningar/lan/01/", "/forutsattningar/kommun/0127/", "/stod/",
        "/stod/kommun/0127/", "/prevention/", "/ekonomi/", "/metoder/",
    ]  # fmt: skip
    indicator = Indicator.objects.order_by("code").first()
    if indicator:
        pages.append(f"/lagesbild/indikator/{indicator.code}/")
    scenario = Scenario.objects.filter(published=True).order_by("pk").first()
    if scenario:
        pages.append(f"/ekonomi/scenario/{scenario.pk}/")
    return pages


def _links(html: str) -> list[str]:
    main = html.split("<main", 1)[-1]
    hrefs = re.findall(r'<a[^>]+href="(/[^"]*)"', main)
    return [h.replace("&amp;", "&").split("#")[0] for h in hrefs]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_swedish_pages_print_no_english_msgids(demo_site, db, users, role):
    client = Client()
    client.cookies["django_language"] = "sv"
    if role:
        client.force_login(users[role], backend="django.contrib.auth.backends.ModelBackend")
    queue = [(url, 0) for url in main_pages()]
    seen: set[str] = set()
    patterns: set[str] = set()
    found: dict[str, set[str]] = {}
    while queue:
        url, depth = queue.pop(0)
        pattern = re.sub(r"\d+", "N", urlparse(url).path)
        if not url or url in seen or SKIP.search(url) or (depth and pattern in patterns):
            continue
        seen.add(url)
        patterns.add(pattern)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        for phrase in untranslated(html):
            found.setdefault(url, set()).add(phrase)
        if depth == 0:
            queue += [(link, 1) for link in _links(html)]
    report = "\n".join(f"{url}: {sorted(phrases)}" for url, phrases in sorted(found.items()))
    assert not found, f"English on Swedish pages ({role or 'anonymous'}):\n{report}"

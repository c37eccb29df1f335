"""The site-wide walk: every role, both widths, every menu link and the main pages.

For each role (anonymous, viewer, botkyrka, lan01, admin) at 1366 and 390 px the walk
opens every link of the main menu and the main pages of the demo county and kommun
(county overview, kommun profile, an indicator, the area page, the actor map,
prerequisites, support, prevention, economics), and the first-level links in those
pages (one per URL pattern). Each page must answer 200 (not a refusal, not a
login page), fit the width (no sideways scrolling), log no console errors or warnings
and throw no page errors, show no bare "Forbidden", print no English msgid on the
Swedish UI (``tests/core/untranslated.py``) and pass axe-core (WCAG 2.1 A/AA).

Axe runs at 1366 px only, to keep the walk within minutes: its WCAG 2.1 A/AA rules
seldom depend on the width (what does, sideways scrolling, is checked at both), and on
the largest pages one run takes seconds. It runs once per URL pattern, for the first role
that opens the page, and on the home page (each role's menu) for every role; the markup
of a page differs between roles only by the menu and a few buttons. A first-level page
is rendered once per width (for the first role that reaches it); other roles only check
that it opens. The two widths are two tests, so they can run on two workers.

Every problem is collected and reported together at the end, grouped by kind and page,
so one run shows everything (also written to ``test-output/walk-report-<width>.txt``). The
main pages are saved as screenshots in ``test-output/screenshots/walk/`` for a person
to look at (the visual regression check).
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from urllib.parse import urljoin, urlparse

import pytest
from tests.core.untranslated import untranslated, visible_text
from tests.e2e.conftest import AXE_TAGS, DEMO_PASSWORD, ROOT, SCREENSHOTS

ROLES = ["anonymous", "viewer", "botkyrka", "lan01", "admin"]
WIDTHS = [1366, 390]
SHOTS = SCREENSHOTS / "walk"
REPORT = ROOT / "test-output" / "walk-report.txt"
#: The main pages of the demo county (Stockholms län) and kommun (Botkyrka).
MAIN_PAGES = {
    "county-overview": "/lagesbild/lan/01/",
    "kommun-profile": "/lagesbild/kommun/0127/",
    "area": "/omrade/0127/",
    "actor-map": "/aktorer/?county=01",
    "prerequisites": "/forutsattningar/lan/01/",
    "prevention": "/prevention/",
    "economics": "/ekonomi/",
}
#: Not pages: downloads, the API, the admin, logging out, the language switch.
SKIP = re.compile(
    r"(/csv/|\.(csv|pdf|xlsx|docx|json|zip)(\?|$)|/api/|/admin/|logga-ut|/i18n/|/export|/static/)"
)
FIRST_LEVEL_PER_ROLE = 20
#: The first elements that reach past the right edge (to name what overflows).
WIDEST = """() => { const cw = document.documentElement.clientWidth;
  return [...document.querySelectorAll('main *, header *, footer *')]
    .filter(e => e.getBoundingClientRect().right > cw + 1
      && getComputedStyle(e).position !== 'fixed')
    .slice(0, 3)
    .map(e => e.tagName.toLowerCase()
      + (typeof e.className === 'string' && e.className.trim()
         ? '.' + e.className.trim().split(/\\s+/).join('.') : '')); }"""
SHOT_HEIGHT = 6000
#: Seconds spent per step of the walk, written at the end of the report (where time goes).
TIMES: Counter[str] = Counter()


def _pattern(url: str) -> str:
    """Links that differ only in numbers or codes count as one (``/lagesbild/kommun/N/``)."""
    return re.sub(r"\d+|[A-Z][A-Z0-9-]+\d", "N", urlparse(url).path)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "home"


class Walk:
    """One role at one width: a browser context, its console, and the problems found."""

    def __init__(self, browser, base_url: str, axe, role: str, width: int) -> None:  # noqa: ANN001
        self.base_url, self.axe, self.role, self.width = base_url, axe, role, width
        self.context = browser.new_context(
            base_url=base_url, viewport={"width": width, "height": 900}, locale="sv-SE"
        )
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on(
            "console",
            lambda m: (
                self.console.append(f"{m.type}: {m.text[:300]}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {str(e)[:300]}"))
        self.problems: list[tuple[str, str, str]] = []  # (kind, url, detail)

    def login(self) -> None:
        if self.role == "anonymous":
            return
        self.page.goto("/konto/logga-in/")
        self.page.fill("#id_username", self.role)
        self.page.fill("#id_password", DEMO_PASSWORD)
        self.page.click("form.login-card button[type=submit]")
        self.page.wait_for_load_state("networkidle")

    def menu(self) -> list[str]:
        self.page.goto("/", wait_until="networkidle")
        return self.page.eval_on_selector_all(
            "nav.main-nav a[href]", "els => els.map(e => e.getAttribute('href'))"
        )

    def links(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "main a[href]", "els => els.map(e => e.getAttribute('href'))"
        )

    def visit(self, url: str, shot: str | None = None, *, axe: bool = True) -> bool:
        """Open ``url`` and check it; True if it opened (for following its links)."""
        problem = self.problems.append
        self.console.clear()
        started = time.perf_counter()
        try:
            response = self.page.goto(url, wait_until="networkidle", timeout=30_000)
        except Exception as exc:  # noqa: BLE001 - any failure to load is reported
            problem(("load", url, str(exc).splitlines()[0][:200]))
            return False
        self.page.wait_for_timeout(150)
        TIMES["open"] += time.perf_counter() - started
        started = time.perf_counter()
        status = response.status if response else 0
        final = urlparse(self.page.url).path
        if status != 200:
            problem(("status", url, str(status)))
        elif final.startswith("/konto/logga-in/") and not url.startswith("/konto/logga-in/"):
            problem(("refused (sent to log in)", url, ""))
        size = self.page.evaluate(
            "() => ({sw: document.documentElement.scrollWidth,"
            " cw: document.documentElement.clientWidth})"
        )
        if size["sw"] > size["cw"]:
            wide = self.page.evaluate(WIDEST)
            problem(("overflow", url, f"{size['sw']} > {size['cw']} px: {', '.join(wide)}"))
        for message in dict.fromkeys(self.console):
            problem(("console", url, message))
        html = self.page.content()
        text = visible_text(html)
        if re.search(r"\bForbidden\b", text):
            problem(("bare Forbidden", url, ""))
        if not url.startswith("/metoder/"):  # the methods document is English (lang="en")
            for phrase in untranslated(html):
                problem(("untranslated", url, phrase))
        TIMES["checks"] += time.perf_counter() - started
        started = time.perf_counter()
        if shot:
            SHOTS.mkdir(parents=True, exist_ok=True)
            height = self.page.evaluate("document.documentElement.scrollHeight")
            self.page.screenshot(
                path=str(SHOTS / f"{self.role}-{self.width}-{shot}.png"),
                full_page=True,
                clip={"x": 0, "y": 0, "width": self.width, "height": min(height, SHOT_HEIGHT)},
            )
        TIMES["screenshot"] += time.perf_counter() - started
        if not axe:
            return status == 200
        started = time.perf_counter()
        results = self.axe.run(self.page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        TIMES["axe"] += time.perf_counter() - started
        TIMES["axe runs"] += 1
        for violation in results.response.get("violations", []):
            targets = [", ".join(n.get("target", [])) for n in violation.get("nodes", [])][:3]
            problem(("axe", url, f"{violation['id']} ({len(violation['nodes'])}): {targets}"))
        return status == 200

    def close(self) -> None:
        self.context.close()


def _first_level(walk: Walk, found_on: dict[str, list[str]], known: set[str]) -> list[str]:
    """Links in the opened pages, one per URL pattern not already in ``known``."""
    found: list[str] = []
    host = urlparse(walk.base_url).netloc
    for url, hrefs in found_on.items():
        for href in hrefs:
            parts = urlparse(urljoin(walk.base_url + url, href.split("#")[0]))
            if parts.netloc and parts.netloc != host:
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not path or SKIP.search(path) or _pattern(path) in known:
                continue
            known.add(_pattern(path))
            found.append(path)
    return found[:FIRST_LEVEL_PER_ROLE]


def _check_status(walk: Walk, path: str) -> None:
    """The link opens for this role: 200 and not the login page (no rendering)."""
    response = walk.context.request.get(path)
    final = urlparse(response.url).path
    if response.status != 200:
        walk.problems.append(("status", path, str(response.status)))
    elif final.startswith("/konto/logga-in/"):
        walk.problems.append(("refused (sent to log in)", path, ""))
    response.dispose()


class Seen:
    """What the walk at one width has already checked, across roles.

    A page's markup barely changes between roles (the menu and a few buttons), so axe
    and the screenshot run once per URL pattern: for the first role that opens it. The
    home page, which carries each role's menu, is checked for every role; every role
    still opens every main page and menu page (status, overflow, console, wording), and
    first-level links already rendered for another role are only checked for status.
    """

    def __init__(self) -> None:
        self.rendered: set[str] = set()
        self.axed: set[str] = set()

    def first_axe(self, url: str) -> bool:
        pattern = "/" if url == "/" else _pattern(url)
        if url != "/" and pattern in self.axed:
            return False
        self.axed.add(pattern)
        return True


def _walk(browser, base_url: str, axe, role: str, width: int, seen: Seen) -> list[tuple]:  # noqa: ANN001
    """Walk one role at one width."""
    wide = width == WIDTHS[0]
    walk = Walk(browser, base_url, axe, role, width)
    try:
        walk.login()
        menu = [m for m in walk.menu() if not SKIP.search(m)]
        pages: dict[str, str] = {"home": "/", **MAIN_PAGES}
        support = [m for m in menu if m.startswith("/stod/")]
        if support:
            pages["support"] = support[0]
        for href in menu:  # each page once: a menu link to a main page is that page
            if href not in pages.values():
                pages["menu-" + _slug(urlparse(href).path)] = href
        found_on: dict[str, list[str]] = {}
        for name, url in pages.items():
            first = seen.first_axe(url) or url == "/"
            if walk.visit(url, shot=name if first else None, axe=wide and first):
                found_on[url] = walk.links()
        indicator = next(
            (u for u in found_on.get(MAIN_PAGES["kommun-profile"], [])
             if u.startswith("/lagesbild/indikator/")),
            None,
        )  # fmt: skip
        known = {_pattern(u) for u in pages.values()}
        links = ([indicator] if indicator else []) + _first_level(walk, found_on, known)
        for path in links:
            pattern = _pattern(path)
            if path.startswith("/lagesbild/indikator/"):
                first = seen.first_axe(path)
                walk.visit(path, shot="indicator" if first else None, axe=wide and first)
            elif pattern in seen.rendered:
                _check_status(walk, path)
            else:
                seen.rendered.add(pattern)
                walk.visit(path, axe=wide and seen.first_axe(path))
        return [(k, f"{role} {width}", url, d) for k, url, d in walk.problems]
    finally:
        walk.close()


def _report(problems: list[tuple]) -> str:
    by_kind: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for kind, who, url, detail in problems:
        by_kind[kind][url].append(f"{who}" + (f": {detail}" if detail else ""))
    lines = [f"{len(problems)} problems on the walk"]
    for kind in sorted(by_kind):
        pages = by_kind[kind]
        lines.append(f"\n== {kind} ({sum(len(v) for v in pages.values())})")
        for url in sorted(pages):
            lines.append(f"  {url}")
            for entry in sorted(set(pages[url])):
                lines.append(f"    - {entry}")
    return "\n".join(lines)


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_walk_every_role(browser, base_url, axe, width: int):  # noqa: ANN001
    """One test per width, so the two can run on different workers."""
    TIMES.clear()
    seen = Seen()
    problems: list[tuple] = []
    for role in ROLES:
        problems += _walk(browser, base_url, axe, role, width, seen)
    report = (
        _report(problems)
        + "\n\nseconds per step: "
        + ", ".join(f"{k} {v:.0f}" for k, v in TIMES.items())
    )
    path = REPORT.with_name(f"walk-report-{width}.txt")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report + "\n", encoding="utf-8")
    assert not problems, report

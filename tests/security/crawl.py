"""Walk every page of the URLconf with real demo objects and remember what came back.

The crawl is shared by the smoke tests (no server errors, anonymous users never get an
edit form) and the header tests (CSP, no inline scripts or event handlers). Path
parameters are filled from demo records through ``PARAMS`` below: a URL pattern with
parameters that has no entry there makes the suite fail, so a new page cannot slip
past the crawl unnoticed.
"""

from __future__ import annotations

import re
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

USERS: tuple[str | None, ...] = (None, "botkyrka", "lan01", "region", "admin")
LOGIN_PREFIX = "/konto/logga-in/"

# Forms every page carries (language switch, log out) — not edit forms.
# The participant follow-up of a support activity is answered without login by design.
HARMLESS_FORM_ACTIONS = ("/i18n/setlang/", "/konto/logga-ut/", "/konto/logga-in/", "/stod/svar/")
FORM_RE = re.compile(r"<form\b([^>]*)>", re.IGNORECASE)
METHOD_POST_RE = re.compile(r"""method\s*=\s*["']?post""", re.IGNORECASE)
ACTION_RE = re.compile(r"""action\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
SCRIPT_RE = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
SRC_RE = re.compile(r"""\bsrc\s*=""", re.IGNORECASE)
TYPE_RE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
TAG_RE = re.compile(r"<[a-zA-Z][a-zA-Z0-9-]*\b[^>]*>", re.DOTALL)
EVENT_ATTR_RE = re.compile(r"""\s(on[a-z]+)\s*=\s*["']""", re.IGNORECASE)
# Non-executable script blocks that CSP does not block (json_script, templates).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template", "text/html"}


@dataclass
class Route:
    """One URL pattern: its name, the route text and its converters."""

    name: str
    route: str
    params: list[str]

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/v1/")


@dataclass
class Hit:
    """One GET: who asked, for what, and the response's essentials."""

    user: str | None
    url: str
    status: int
    content_type: str = ""
    location: str = ""
    csp: str | None = None
    body: str = ""
    error: str = ""
    seconds: float = 0.0
    final_location: str = ""  # for the public: where a chain of local redirects ends


@dataclass
class CrawlResult:
    routes: list[Route]
    hits: dict[str, list[Hit]] = field(default_factory=dict)  # route name -> hits
    missing_params: list[str] = field(default_factory=list)


PARAM_RE = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _walk(resolver: URLResolver, prefix: str = "", ns: str = "") -> Iterator[Route]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            inner = ":".join(x for x in (ns, p.namespace or "") if x)
            yield from _walk(p, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            name = f"{ns}:{p.name}" if ns else str(p.name)
            yield Route(name, route, [m["name"] for m in PARAM_RE.finditer(route)])


def all_routes() -> list[Route]:
    """Every page pattern (API operations are covered through the OpenAPI document;
    Django's admin only where it needs no object id)."""
    out = []
    seen = set()
    for r in _walk(get_resolver()):
        if r.is_api and r.name not in ("api-v1:openapi-json", "api-v1:api-root"):
            continue
        if r.is_admin and r.params:
            continue
        key = (r.name, r.route)
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out


def route_id(route: Route) -> str:
    return route.name if not route.is_admin else route.route


def fill(route: str, values: dict[str, Any]) -> str:
    def sub(m: re.Match[str]) -> str:
        return str(values[m["name"]])

    text = PARAM_RE.sub(sub, route)
    return "/" + text.lstrip("^").rstrip("$").replace("\\Z", "")


def _first(model: Any, **filters: Any) -> Any:
    obj = model.objects.filter(**filters).order_by("pk").first()
    if obj is None:
        raise LookupError(f"no demo {model.__name__} with {filters}")
    return obj


def _params() -> dict[str, Callable[[], list[dict[str, Any]]]]:
    """URL name -> path-parameter sets, built from the demo data (0127 = Botkyrka)."""
    from jamlik.actors.models import Activity, Actor, InventoryRound, MergeCandidate, Network
    from jamlik.economics.models import Scenario
    from jamlik.indicators.models import ImportRun, Indicator
    from jamlik.prerequisites.models import Document, Instrument, Item
    from jamlik.prevention.models import (
        IndicatorTarget,
        Intervention,
        Plan,
        PlanIntervention,
        PlanStatus,
        StepComment,
    )
    from jamlik.reports.models import ReportTemplate
    from jamlik.support.models import (
        Agreement,
        Commitment,
        Expert,
        NeedComponentSetting,
        SupportActivity,
        ToolboxItem,
    )

    def pk(model: Any, **f: Any) -> Callable[[], list[dict[str, Any]]]:
        return lambda: [{"pk": _first(model, **f).pk}]

    kommun = lambda: [{"code": "0127"}]  # noqa: E731
    this_year = date.today().year
    county = lambda: [{"code": "01"}]  # noqa: E731

    def plans() -> list[dict[str, Any]]:
        return [
            {"pk": _first(Plan, municipality__code="0127").pk},
            {"pk": _first(Plan, status=PlanStatus.DRAFT).pk},
        ]

    return {
        "geo:area": lambda: [{"code": c} for c in ("00", "01", "0127", "0186", "0127S01")],
        "geo:district-add": kommun,
        "indicators:overview": county,
        "indicators:overview-csv": county,
        "indicators:profile": kommun,
        "indicators:profile-csv": kommun,
        "indicators:indicator": lambda: [{"code": _first(Indicator).code}],
        "indicators:indicator-csv": lambda: [{"code": _first(Indicator).code}],
        "indicators:import-runs": county,
        "indicators:import-run-publish": lambda: [{"code": "01", "pk": _first(ImportRun).pk}],
        # a well-formed token that was never issued: nobody may see or confirm it
        "indicators:import-preview": lambda: [{"token": "x" * 43}],
        "indicators:entry-form": lambda: [
            {"indicator": _first(Indicator, web_entry=True).code, "period": "2024"}
        ],
        "indicators:completeness": county,
        "indicators:own-list": county,
        "indicators:own-create": county,
        "indicators:own-edit": lambda: [
            {"code": "01", "pk": _first(Indicator, owner__code="01", web_entry=True).pk}
        ],
        "indicators:own-promote": lambda: [
            {"code": "01", "pk": _first(Indicator, owner__code="01", web_entry=True).pk}
        ],
        "geo:district-list": kommun,
        "geo:district-file": kommun,
        "geo:district-boundaries": kommun,
        "geo:district-edit": lambda: [{"code": "0127S01"}],
        "geo:district-delete": lambda: [{"code": "0127S01"}],
        "surveys:county": county,
        "surveys:scales": county,
        "surveys:scales-download": county,
        "surveys:demo-file": county,
        "surveys:kommun": kommun,
        "actors:actor": pk(Actor, area__code="0127"),
        "actors:actor-edit": pk(Actor, area__code="0127"),
        "actors:relation-add": pk(Actor, area__code="0127"),
        "actors:activity": pk(Activity, area__code="0127"),
        "actors:activity-edit": pk(Activity, area__code="0127"),
        "actors:network": pk(Network, county__code="01"),
        "actors:network-edit": pk(Network, county__code="01"),
        "actors:delete": lambda: [
            {"kind": "aktor", "pk": _first(Actor, area__code="0127").pk},
            {"kind": "insats", "pk": _first(Activity, area__code="0127").pk},
        ],
        "actors:round": pk(InventoryRound),
        "actors:export": lambda: [{"county": "01", "fmt": f} for f in ("csv", "json", "xlsx")],
        "actors:merge-decision": pk(MergeCandidate),
        "prerequisites:county": county,
        "prerequisites:evaluation": county,
        "prerequisites:method": county,
        "prerequisites:round-create": county,
        "prerequisites:round": lambda: [{"code": "01", "year": y} for y in (2021, 2023)],
        "prerequisites:export": lambda: [
            {"code": "01", "year": y, "fmt": f} for y in (2021, 2023) for f in ("csv", "xlsx")
        ],
        "prerequisites:document-themes": county,
        "prerequisites:interview-themes": county,
        "prerequisites:groups": lambda: [
            {"code": "01", "baseline": 2019, "follow_up": 2021},
            {"code": "01", "baseline": 2021, "follow_up": 2023},
        ],
        "prerequisites:profile": lambda: [{"code": "0127"}, {"code": "0186"}],
        "prerequisites:survey": lambda: [{"code": "0127", "year": y} for y in (2021, 2023)],
        "prerequisites:documents": kommun,
        "prerequisites:interviews": kommun,
        "prerequisites:document": pk(Document, municipality__code="0127"),
        "prerequisites:instrument": lambda: [
            {"code": "01", "pk": _first(Instrument, county__code="01").pk}
        ],
        "prerequisites:item-add": lambda: [
            {"code": "01", "pk": _first(Instrument, county__code="01").pk}
        ],
        "prerequisites:item-edit": lambda: [
            {
                "code": "01",
                "pk": (i := _first(Item, instrument__county__code="01")).instrument_id,
                "item_pk": i.pk,
            }
        ],
        "prerequisites:item-delete": lambda: [
            {
                "code": "01",
                "pk": (i := _first(Item, instrument__county__code="01")).instrument_id,
                "item_pk": i.pk,
            }
        ],
        "support:municipality": kommun,
        "support:activity": pk(SupportActivity),
        "support:activity-edit": pk(SupportActivity),
        "support:activity-delete": pk(SupportActivity),
        "support:agreement": pk(Agreement, municipality__code="0127"),
        "support:agreement-edit": pk(Agreement, municipality__code="0127"),
        "support:commitment-add": pk(Agreement, municipality__code="0127"),
        "support:follow-up-add": pk(Agreement, municipality__code="0127"),
        "support:commitment-status": pk(Commitment, agreement__municipality__code="0127"),
        "support:need-component": pk(NeedComponentSetting),
        # follow-up (h2): a demo link, and a well-formed key that was never issued
        "support:followup-answer": lambda: [
            {"token": _first(SupportActivity, follow_up_token__isnull=False).follow_up_token},
            {"token": "x" * 43},
        ],
        "support:followup-thanks": lambda: [
            {"token": _first(SupportActivity, follow_up_token__isnull=False).follow_up_token}
        ],
        "support:followup-results": pk(SupportActivity, follow_up_token__isnull=False),
        "support:followup-open": pk(SupportActivity),
        "support:followup-close": pk(SupportActivity, follow_up_token__isnull=False),
        # experts (h1): a demo expert of Stockholms län
        "support:expert": pk(Expert, county__code="01"),
        "support:expert-edit": pk(Expert, county__code="01"),
        # toolbox (h3): a county item of Stockholms län
        "support:toolbox-item": pk(ToolboxItem, county__code="01"),
        "support:toolbox-edit": pk(ToolboxItem, county__code="01"),
        "support:toolbox-delete": pk(ToolboxItem, county__code="01"),
        # shared plans (h5): Botkyrka's demo plan is shared with the county, a draft is not
        "prevention:shared-plan": plans,
        "prevention:plan-share": plans,
        # plan dialogue (h4): step 3 of the plans above, the demo's agreed message
        "prevention:plan-dialogue": lambda: [{**p, "number": 3} for p in plans()],
        "prevention:plan-dialogue-reply": lambda: [{**p, "number": 3} for p in plans()],
        "prevention:plan-dialogue-withdraw": lambda: [
            {
                "pk": (c := _first(StepComment, is_agreement=True)).step.plan_id,
                "number": c.step.number,
                "comment": c.pk,
            }
        ],
        "prevention:intervention": lambda: [{"key": _first(Intervention).key}],
        "prevention:intervention-edit": lambda: [{"key": _first(Intervention).key}],
        "prevention:plan-add": kommun,
        "prevention:plan": plans,
        "prevention:plan-edit": plans,
        "prevention:plan-step": lambda: [{**p, "number": 1} for p in plans()],
        "prevention:target-add": plans,
        "prevention:target-delete": pk(IndicatorTarget, plan__municipality__code="0127"),
        "economics:create": kommun,
        "economics:detail": pk(Scenario, area__code="0127"),
        "economics:edit": pk(Scenario, area__code="0127"),
        "economics:delete": pk(Scenario, area__code="0127"),
        "economics:csv": pk(Scenario, area__code="0127"),
        "economics:xlsx": pk(Scenario, area__code="0127"),
        "economics:pdf": pk(Scenario, area__code="0127"),
        "reports:kommun-profile-pdf": kommun,
        "reports:kommun-profile-xlsx": kommun,
        "reports:county-report": lambda: [{"code": "01", "year": this_year}],
        **{
            f"reports:county-report-{suffix}": lambda: [{"code": "01", "year": this_year}]
            for suffix in ("pdf", "xlsx", "docx")
        },
        "national:county-release": county,
        "national:report": lambda: [{"year": this_year}],
        "national:report-download": lambda: [
            {"year": this_year, "fmt": f} for f in ("pdf", "xlsx", "docx")
        ],
        "prevention:plan-intervention-add": plans,
        "prevention:plan-intervention-edit": lambda: [
            {
                "pk": (c := _first(PlanIntervention, plan__municipality__code="0127")).plan_id,
                "item": c.pk,
            }
        ],
        "prevention:plan-intervention-delete": lambda: [
            {
                "pk": (c := _first(PlanIntervention, plan__municipality__code="0127")).plan_id,
                "item": c.pk,
            }
        ],
        "economics:from-plan": plans,
        "upward:template": lambda: [{"year": _first(ReportTemplate).year}],
        "upward:template-edit": lambda: [{"year": _first(ReportTemplate).year}],
        "upward:submission": lambda: [
            {"year": _first(ReportTemplate).year, "code": c} for c in ("01", "03")
        ],
    }


def _client(username: str | None) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    if username:
        user = get_user_model().objects.get(username=username)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _get(client: Client, user: str | None, url: str) -> Hit:
    start = time.perf_counter()
    hit = _fetch(client, user, url)
    hit.seconds = time.perf_counter() - start
    if user is None and hit.status in (301, 302) and hit.location.startswith("/"):
        hit.final_location = _follow(client, hit.location)
    return hit


def _follow(client: Client, location: str, hops: int = 3) -> str:
    """Follow local redirects a few hops; the last Location (or the last URL)."""
    for _ in range(hops):
        if location.startswith((LOGIN_PREFIX, "/admin/login/")):
            return location
        response = client.get(location)
        if response.streaming:
            # Reading a static file's stream to the end closes it through the test client's
            # wrapper, which keeps the database connection open. ``response.close()`` would
            # fire request_finished, and on PostgreSQL that closes the connection mid-crawl.
            b"".join(response.streaming_content)
        if response.status_code not in (301, 302):
            return f"{location} ({response.status_code})"
        location = response.get("Location", "")
    return location


def _fetch(client: Client, user: str | None, url: str) -> Hit:
    try:
        response = client.get(url)
    except Exception:  # noqa: BLE001 - an unhandled exception is the 500 we look for
        return Hit(user, url, 500, error=traceback.format_exc(limit=-3))
    ctype = response.get("Content-Type", "")
    body = ""
    if "html" in ctype and not getattr(response, "streaming", False):
        body = response.content.decode("utf-8", "replace")
    return Hit(
        user,
        url,
        response.status_code,
        content_type=ctype,
        location=response.get("Location", ""),
        csp=response.get("Content-Security-Policy"),
        body=body,
    )


def crawl() -> CrawlResult:
    """GET every route as every user, inside a transaction that is rolled back."""
    routes = all_routes()
    result = CrawlResult(routes)
    params = _params()
    clients = {u: _client(u) for u in USERS}
    with transaction.atomic():
        for route in routes:
            if route.params:
                maker = params.get(route.name)
                if maker is None:
                    result.missing_params.append(f"{route.name} ({route.route})")
                    continue
                urls = [fill(route.route, v) for v in maker()]
            else:
                urls = [fill(route.route, {})]
            hits = result.hits.setdefault(route_id(route), [])
            for url in urls:
                for user in USERS:
                    if route.is_admin and user in ("botkyrka", "lan01", "region"):
                        continue
                    hits.append(_get(clients[user], user, url))
        transaction.set_rollback(True)
    return result


FIELD_RE = re.compile(
    r"<(?:textarea|select)\b|<input\b(?![^>]*type\s*=\s*[\"']?(?:hidden|submit)\b)", re.IGNORECASE
)


def edit_forms(html: str) -> list[str]:
    """POST forms with fields to fill, other than the language switch and log-out forms."""
    found = []
    for m in FORM_RE.finditer(html):
        end = html.find("</form>", m.end())
        if not FIELD_RE.search(html[m.end() : end if end >= 0 else None]):
            continue
        attrs = m.group(1)
        if not METHOD_POST_RE.search(attrs):
            continue
        action = ACTION_RE.search(attrs)
        if action and action.group(1).startswith(HARMLESS_FORM_ACTIONS):
            continue
        found.append(m.group(0))
    return found


def inline_scripts(html: str) -> list[str]:
    """``<script>`` tags without ``src`` that would execute (CSP blocks them)."""
    found = []
    for m in SCRIPT_RE.finditer(html):
        attrs = m.group(1)
        if SRC_RE.search(attrs):
            continue
        kind = TYPE_RE.search(attrs)
        if kind and kind.group(1).lower() in DATA_SCRIPT_TYPES:
            continue
        found.append(m.group(0))
    return found


def event_handlers(html: str) -> list[str]:
    """Inline ``on...=`` event-handler attributes (CSP blocks them)."""
    found = []
    for tag in TAG_RE.finditer(html):
        for m in EVENT_ATTR_RE.finditer(tag.group(0)):
            found.append(f"{m.group(1)} in {tag.group(0)[:120]}")
    return found

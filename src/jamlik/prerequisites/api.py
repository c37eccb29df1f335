"""JSON API for municipal prerequisites, mounted at /api/v1/prerequisites.

Published rounds are public; unpublished ones need a role in the county (Django session).
The one write operation, saving a kommun's answers, needs a logged-in editor of that kommun
(session with CSRF token). The same functions as the pages compute every number.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import django_auth

from jamlik.core.versioning import (
    CONFLICT_RESPONSES,
    VersionConflict,
    precondition,
    refuse,
    set_etag,
)
from jamlik.geo.models import Area, AreaLevel
from jamlik.prerequisites import evaluation_report, results, services
from jamlik.prerequisites.grouping import GroupingSource
from jamlik.prerequisites.models import Document, Instrument, Round

router = Router(tags=["prerequisites"])


class ItemOut(Schema):
    key: str
    kind: str
    prerequisite: str
    dimensions: list[str]
    weight: float
    text_sv: str
    text_en: str
    options: list[dict]
    scale: list[list]
    full_at: float | None


class InstrumentOut(Schema):
    version: str
    title_sv: str
    title_en: str
    caps: dict[str, float]
    strong_from: float
    developing_from: float
    items: list[ItemOut]


class RoundOut(Schema):
    year: int
    is_open: bool
    published: bool
    instrument_version: str
    responses_counted: int
    is_demo: bool


class ScoreOut(Schema):
    key: str
    value: float | None
    level: str
    coverage: float
    reason: str


class KommunScoresOut(Schema):
    code: str
    name: str
    year: int
    status: str
    prerequisites: list[ScoreOut]
    dimensions: list[ScoreOut]
    index: float | None
    index_level: str
    is_demo: bool


class AnswersIn(Schema):
    answers: dict[str, Any]
    submit: bool = False
    version: int | None = None  # the version these answers replace (or If-Match)


class ResponseOut(Schema):
    code: str
    year: int
    status: str
    answers: dict[str, Any]
    version: int


def _response_out(code: str, year: int, response: Any) -> dict[str, Any]:
    return {
        "code": code,
        "year": year,
        "status": response.status,
        "answers": response.answers,
        "version": response.version,
    }


class SentenceOut(Schema):
    count: int
    total: int
    text: str
    item: str
    option: str


class SummaryOut(Schema):
    year: int
    respondents: int
    sentences: list[SentenceOut]
    prioritised_areas: list[SentenceOut]
    median_prerequisites: dict[str, float | None]
    median_dimensions: dict[str, float | None]
    median_index: float | None
    is_demo: bool


def _county(code: str) -> Area:
    return get_object_or_404(Area, code=code, level=AreaLevel.COUNTY)


def _visible_round(request: HttpRequest, county: Area, year: int) -> Round:
    round_ = Round.objects.filter(county=county, year=year).select_related("instrument").first()
    if round_ is None or not results.round_visible(request.user, round_):
        raise HttpError(404, f"No visible {year} round for {county.name}.")
    return round_


def _scores_out(s: results.KommunScores, year: int, is_demo: bool) -> dict[str, Any]:
    def rows(scores: dict) -> list[dict]:
        return [
            {
                "key": k,
                "value": v.value,
                "level": v.level.value,
                "coverage": round(v.coverage, 3),
                "reason": v.reason,
            }
            for k, v in scores.items()
        ]

    return {
        "code": s.municipality.code,
        "name": s.municipality.name,
        "year": year,
        "status": s.response.status,
        "prerequisites": rows(s.prerequisites),
        "dimensions": rows(s.dimensions),
        "index": s.index.value,
        "index_level": s.index.level.value,
        "is_demo": is_demo,
    }


@router.get("/counties/{code}/instrument", response=InstrumentOut)
def instrument(request: HttpRequest, code: str) -> dict[str, Any]:
    """The instrument of the county's latest round (or its newest instrument)."""
    county = _county(code)
    latest = Round.objects.filter(county=county).select_related("instrument").first()
    newest = Instrument.objects.filter(county=county).order_by("-created_at").first()
    inst = latest.instrument if latest else newest
    if inst is None:
        raise HttpError(404, f"{county.name} has no survey instrument yet.")
    return {
        "version": inst.version,
        "title_sv": inst.title_sv,
        "title_en": inst.title_en,
        "caps": inst.caps,
        "strong_from": inst.strong_from,
        "developing_from": inst.developing_from,
        "items": list(inst.items.all()),
    }


@router.get("/counties/{code}/rounds", response=list[RoundOut])
def rounds(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    county = _county(code)
    return [
        {
            "year": r.year,
            "is_open": r.is_open,
            "published": r.published,
            "instrument_version": r.instrument.version,
            "responses_counted": len(results.counted_responses(r)),
            "is_demo": r.is_demo,
        }
        for r in results.visible_rounds(request.user, county)
    ]


@router.get("/counties/{code}/rounds/{year}/summary", response=SummaryOut)
def summary(request: HttpRequest, code: str, year: int) -> dict[str, Any]:
    """The county's "x of y kommuner …" sentences and medians for a round."""
    round_ = _visible_round(request, _county(code), year)
    scores = results.round_scores(round_)
    sentences, ranking = results.summary_sentences(round_)
    med = results.medians(scores)
    return {
        "year": year,
        "respondents": len(scores),
        "sentences": [s.__dict__ for s in sentences],
        "prioritised_areas": [s.__dict__ for s in ranking],
        "median_prerequisites": med.prerequisites,
        "median_dimensions": med.dimensions,
        "median_index": med.index,
        "is_demo": round_.is_demo,
    }


@router.get("/counties/{code}/rounds/{year}/scores", response=list[KommunScoresOut])
def county_scores(request: HttpRequest, code: str, year: int) -> list[dict[str, Any]]:
    round_ = _visible_round(request, _county(code), year)
    return [_scores_out(s, year, round_.is_demo) for s in results.round_scores(round_)]


@router.get("/municipalities/{code}/scores/{year}", response=KommunScoresOut)
def kommun_scores(request: HttpRequest, code: str, year: int) -> dict[str, Any]:
    kommun = get_object_or_404(Area, code=code, level=AreaLevel.MUNICIPALITY)
    round_ = Round.objects.filter(county=kommun.parent, year=year).first()
    if round_ is None or not results.round_visible(request.user, round_, kommun):
        raise HttpError(404, f"No visible {year} round for {kommun.name}.")
    for s in results.round_scores(round_):
        if s.municipality.pk == kommun.pk:
            return _scores_out(s, year, round_.is_demo)
    raise HttpError(404, f"{kommun.name} has no submitted answers in {year}.")


@router.get("/counties/{code}/evaluation")
def evaluation(
    request: HttpRequest,
    code: str,
    baseline: int,
    follow_up: int,
    grouping: str | None = None,
    compare: str = "others",
) -> dict[str, Any]:
    """Difference-in-differences per outcome with exact p-values, bootstrap intervals,
    effect sizes and the limits of the comparison."""
    county = _county(code)
    if baseline >= follow_up:
        raise HttpError(422, "follow_up must be a later year than baseline")
    if grouping not in (None, *GroupingSource):
        raise HttpError(422, f"grouping must be one of {[g.value for g in GroupingSource]}")
    try:
        mode = evaluation_report.ComparisonMode(compare)
    except ValueError:
        raise HttpError(422, "compare must be 'others' or 'none'") from None
    data = evaluation_report.build(
        county,
        _visible_round(request, county, baseline),
        _visible_round(request, county, follow_up),
        source=grouping,
        mode=mode,
    )
    outcomes = []
    for row in data["rows"]:
        c = row.comparison
        outcomes.append(
            {
                "key": row.key,
                "name": row.name,
                "kind": row.kind,
                "verdict": row.verdict.value,
                "note": row.note,
                **(
                    {}
                    if c is None
                    else {
                        "change_deepened": c.treated.change.__dict__,
                        "change_comparison": c.control.change.__dict__,
                        "n_deepened": c.treated.n,
                        "n_comparison": c.control.n,
                        "did": c.did.__dict__,
                        "permutation": c.permutation.__dict__,
                        "hedges_g": c.hedges_g,
                        "effect": c.effect_label,
                        "baseline_smd": c.baseline_smd,
                        "balanced": c.balanced,
                    }
                ),
            }
        )
    return {
        "baseline": baseline,
        "follow_up": follow_up,
        "grouping": data["source"].value if data["source"] else None,
        "compare": mode.value,
        "counts": data["counts"],
        "groups": data["groups"],
        "outcomes": outcomes,
        "limits": data["limits"],
    }


@router.get("/documents/{pk}")
def document(request: HttpRequest, pk: int) -> dict[str, Any]:
    doc = get_object_or_404(Document.objects.select_related("municipality__parent"), pk=pk)
    kommun = doc.municipality
    if not (
        results.year_published(kommun.parent, doc.year)
        or results.can_see_unpublished(request.user, kommun)
    ):
        raise HttpError(404, "No such document.")
    return {
        "id": doc.pk,
        "kommun": kommun.code,
        "year": doc.year,
        "title": doc.title,
        "status": doc.status,
        "file_type": doc.file_type,
        "pages": doc.pages,
        "analysis": services.analyse_document(doc),
        "is_demo": doc.is_demo,
    }


@router.get("/municipalities/{code}/responses/{year}", response=ResponseOut, auth=django_auth)
def get_response(request: HttpRequest, code: str, year: int, http: HttpResponse) -> dict[str, Any]:
    """A kommun's own answers, draft or not: for people with a role for that kommun.
    The `ETag` names their version, for `If-Match` on a later PUT."""
    kommun = get_object_or_404(Area, code=code, level=AreaLevel.MUNICIPALITY)
    if not request.user.has_perm("jamlik.view_area_unpublished", kommun):
        raise HttpError(403, f"You have no role for {kommun.name}.")
    round_ = get_object_or_404(Round, county=kommun.parent, year=year)
    response = round_.responses.filter(municipality=kommun).first()
    if response is None:
        raise HttpError(404, f"{kommun.name} has not started the {year} survey.")
    set_etag(http, response)
    return _response_out(code, year, response)


@router.put(
    "/municipalities/{code}/responses/{year}",
    response={200: ResponseOut, **CONFLICT_RESPONSES},
    auth=django_auth,
)
def put_response(
    request: HttpRequest, code: str, year: int, payload: AnswersIn, http: HttpResponse
) -> dict[str, Any] | Status:
    """Save (and optionally submit) a kommun's answers; only its editor or the county admin.

    Send the version you read (`If-Match` with the GET's `ETag`, or `version`): if someone
    saved in between, nothing is written and the answer is 412 (If-Match) or 409
    (`version`) with both versions and the stored answers. Without either the PUT saves
    unconditionally. A closed round or a submitted response is also 409, with only a
    `message`."""
    kommun = get_object_or_404(Area, code=code, level=AreaLevel.MUNICIPALITY)
    if not request.user.has_perm("jamlik.edit_area", kommun):
        raise HttpError(403, f"You may not change answers for {kommun.name}.")
    round_ = get_object_or_404(Round, county=kommun.parent, year=year)
    response = services.response_for(round_, kommun)
    pre = precondition(request, payload.version)
    try:
        response = services.save_answers(
            response, payload.answers, request.user, submit=payload.submit, version=pre.version
        )
    except VersionConflict as conflict:
        set_etag(http, conflict.current)
        return refuse(pre, conflict, _response_out(code, year, conflict.current), payload)
    except services.WorkflowError as exc:
        raise HttpError(409, str(exc)) from None
    except ValueError as exc:
        raise HttpError(422, str(exc)) from None
    set_etag(http, response)
    return _response_out(code, year, response)

"""Read-side queries: who may see which round, scores, county summaries, kommun profiles.

Nothing here changes data. Scores are computed on request from the stored answers with the
instrument's current weights (see :mod:`jamlik.prerequisites.scoring`), so a change of
weights is reflected everywhere at once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jamlik.geo.models import Area
from jamlik.prerequisites import scoring
from jamlik.prerequisites.models import (
    Document,
    InterviewExcerpt,
    Response,
    ResponseStatus,
    Round,
)
from jamlik.prerequisites.specs import answer_label, framework, item_spec


def lang() -> str:
    return get_language() or "sv"


# ---- visibility --------------------------------------------------------------------


def can_see_unpublished(user: Any, area: Area) -> bool:
    return bool(user.is_authenticated and user.has_perm("jamlik.view_area_unpublished", area))


def visible_rounds(user: Any, county: Area) -> list[Round]:
    rounds = Round.objects.filter(county=county).select_related("instrument")
    if not can_see_unpublished(user, county):
        rounds = rounds.filter(published=True)
    return list(rounds.order_by("-year"))


def round_visible(user: Any, round_: Round, area: Area | None = None) -> bool:
    """Published rounds are public; others need a role for the area (or the county)."""
    return round_.published or can_see_unpublished(user, area or round_.county)


def year_published(county: Area, year: int) -> bool:
    return Round.objects.filter(county=county, year=year, published=True).exists()


# ---- scores -------------------------------------------------------------------------


@dataclass
class KommunScores:
    municipality: Area
    response: Response
    prerequisites: dict[str, scoring.Score]
    dimensions: dict[str, scoring.Score]
    index: scoring.IndexResult


def thresholds(round_: Round) -> tuple[float, float]:
    return (round_.instrument.strong_from, round_.instrument.developing_from)


def score_response(round_: Round, response: Response, items: list | None = None) -> KommunScores:
    items = items if items is not None else list(round_.instrument.items.all())
    specs = [item_spec(i) for i in items]
    fw = framework(round_.county)
    limits = thresholds(round_)
    pre = scoring.prerequisite_scores(specs, response.answers, fw.prerequisites.keys(), limits)
    dims = scoring.dimension_scores(specs, response.answers, fw.dimensions.keys(), limits)
    names = {p.key: p.name(lang()) for p in fw.prerequisites}
    index = scoring.overall_index(pre, round_.instrument.caps, limits, names)
    return KommunScores(response.municipality, response, pre, dims, index)


def counted_responses(round_: Round) -> list[Response]:
    return list(
        round_.responses.filter(status__in=[ResponseStatus.SUBMITTED, ResponseStatus.LOCKED])
        .select_related("municipality")
        .order_by("municipality__code")
    )


def round_scores(round_: Round) -> list[KommunScores]:
    items = list(round_.instrument.items.all())
    return [score_response(round_, r, items) for r in counted_responses(round_)]


@dataclass
class Medians:
    prerequisites: dict[str, float | None]
    dimensions: dict[str, float | None]
    index: float | None


def medians(scores: list[KommunScores]) -> Medians:
    if not scores:
        return Medians({}, {}, None)
    first = scores[0]
    return Medians(
        {k: scoring.median(s.prerequisites[k].value for s in scores) for k in first.prerequisites},
        {k: scoring.median(s.dimensions[k].value for s in scores) for k in first.dimensions},
        scoring.median(s.index.value for s in scores),
    )


# ---- county summaries -----------------------------------------------------------------


@dataclass
class SummarySentence:
    count: int
    total: int
    text: str
    item: str
    option: str = ""


def _phrase(spec: dict, language: str) -> str:
    return str(spec.get("en" if language.startswith("en") else "sv", ""))


def summary_sentences(round_: Round) -> tuple[list[SummarySentence], list[SummarySentence]]:
    """("x of y kommuner …" sentences, the prioritised areas ranked), from counted answers."""
    responses = counted_responses(round_)
    total = len(responses)
    language = lang()
    sentences: list[SummarySentence] = []
    ranking: list[SummarySentence] = []
    if not total:
        return sentences, ranking
    for item in round_.instrument.items.all():
        answers = [r.answers.get(item.key) for r in responses]
        if item.summary:
            wanted = set(item.summary.get("options", []))
            count = sum(1 for a in answers if a in wanted)
            sentences.append(
                SummarySentence(
                    count,
                    total,
                    _("%(count)s of %(total)s municipalities %(phrase)s.")
                    % {"count": count, "total": total, "phrase": _phrase(item.summary, language)},
                    item.key,
                )
            )
        if item.option_summary:
            counter: Counter[str] = Counter()
            for a in answers:
                for option in a or []:
                    counter[option] += 1
            for option in item.options:
                key = option["key"]
                phrase = _phrase(item.option_summary.get(key, {}), language)
                if not phrase:
                    continue
                ranking.append(
                    SummarySentence(
                        counter[key],
                        total,
                        _("%(count)s of %(total)s municipalities %(phrase)s.")
                        % {"count": counter[key], "total": total, "phrase": phrase},
                        item.key,
                        key,
                    )
                )
    ranking.sort(key=lambda s: (-s.count, s.option))
    return sentences, ranking


@dataclass
class Progress:
    municipality: Area
    status: str
    status_label: str
    response: Response | None
    reminded_at: datetime | None = None


def round_progress(round_: Round) -> list[Progress]:
    """Every kommun in the county and where its response stands."""
    by_code = {r.municipality.code: r for r in round_.responses.select_related("municipality")}
    rows = []
    for kommun in Area.objects.municipalities(round_.county.code):
        response = by_code.get(kommun.code)
        if response is None:
            rows.append(Progress(kommun, "missing", _("Not started"), None))
        else:
            rows.append(Progress(kommun, response.status, response.get_status_display(), response))
    return rows


# ---- kommun profile ------------------------------------------------------------------


@dataclass
class EvidenceItem:
    question: str
    answer: str
    points: float | None
    weight: float
    free_text: bool


@dataclass
class ProfileRow:
    key: str
    name: str
    description: str
    score: scoring.Score
    median: float | None
    difference: float | None
    comparison: str
    items: list[EvidenceItem] = field(default_factory=list)
    interview_count: int = 0
    quotes: list[InterviewExcerpt] = field(default_factory=list)
    document_notes: list[str] = field(default_factory=list)


def compare_to_median(value: float | None, median_value: float | None) -> tuple[float | None, str]:
    """Difference and a word: within ±5 points counts as similar (a judgement, stated)."""
    if value is None or median_value is None:
        return None, "none"
    diff = round(value - median_value, 1)
    if diff > 5:
        return diff, "better"
    if diff < -5:
        return diff, "worse"
    return diff, "similar"


DOCUMENT_PREREQUISITES = ("motivated_decision_makers", "long_term_priority")
"""Mål och budget speaks to the political voice and to long-term priority."""


def profile(
    round_: Round, municipality: Area, *, show_quotes: bool, show_county: bool = True
) -> dict[str, Any]:
    """A kommun against the county median per prerequisite, with the evidence behind it.

    ``show_county=False`` leaves out the county medians (for an editor looking at their own
    kommun in a round that is not published: the other kommuner's answers are not theirs
    to see, not even as a median)."""
    language = lang()
    fw = framework(round_.county)
    items = list(round_.instrument.items.all())
    all_scores = round_scores(round_)
    med = medians(all_scores) if show_county else Medians({}, {}, None)
    mine = next((s for s in all_scores if s.municipality.pk == municipality.pk), None)
    response = Response.objects.filter(round=round_, municipality=municipality).first()
    excerpts = list(
        InterviewExcerpt.objects.filter(municipality=municipality, year=round_.year).select_related(
            "theme__parent"
        )
    )
    documents = list(Document.objects.filter(municipality=municipality, year=round_.year))
    doc_notes = _document_notes(documents)
    rows: list[ProfileRow] = []
    if mine is not None:
        for prerequisite in fw.prerequisites:
            score = mine.prerequisites[prerequisite.key]
            diff, word = compare_to_median(score.value, med.prerequisites.get(prerequisite.key))
            evidence = []
            for item in items:
                if item.prerequisite != prerequisite.key:
                    continue
                value = mine.response.answers.get(item.key)
                if item.kind == "text" and not show_quotes:
                    continue
                points = next((e.points for e in score.evidence if e.key == item.key), None)
                evidence.append(
                    EvidenceItem(
                        item.text(language),
                        answer_label(item, value, language) or _("(not answered)"),
                        None if points is None else round(points * 100),
                        item.weight,
                        item.kind == "text",
                    )
                )
            linked = [
                e
                for e in excerpts
                if prerequisite.key in e.theme.prerequisites
                or (e.theme.parent and prerequisite.key in e.theme.parent.prerequisites)
            ]
            rows.append(
                ProfileRow(
                    prerequisite.key,
                    prerequisite.name(language),
                    prerequisite.description(language),
                    score,
                    med.prerequisites.get(prerequisite.key),
                    diff,
                    word,
                    evidence,
                    len(linked),
                    linked[:3] if show_quotes else [],
                    doc_notes if prerequisite.key in DOCUMENT_PREREQUISITES else [],
                )
            )
    dimension_rows = []
    if mine is not None:
        for dimension in fw.dimensions:
            value = mine.dimensions[dimension.key].value
            diff, word = compare_to_median(value, med.dimensions.get(dimension.key))
            dimension_rows.append(
                {
                    "name": dimension.name(language),
                    "value": value,
                    "median": med.dimensions.get(dimension.key),
                    "difference": diff,
                    "comparison": word,
                }
            )
    return {
        "scores": mine,
        "response": response,
        "medians": med,
        "rows": rows,
        "dimension_rows": dimension_rows,
        "documents": documents,
        "respondents": len(all_scores) if show_county else None,
        "show_county": show_county,
    }


def _document_notes(documents: list[Document]) -> list[str]:
    notes = []
    for document in documents:
        if document.status != "ok":
            notes.append(
                _("%(title)s: no text could be extracted (a scanned PDF?), so it was not analysed.")
                % {"title": document.title}
            )
            continue
        analysis = document.analysis or {}
        themes = {t["key"]: t for t in analysis.get("themes", [])}
        health = themes.get("health", {})
        notes.append(
            _(
                "%(title)s: %(count)s mentions of health terms (%(rate)s per 1,000 words); "
                "goal sentences about public health or equity: %(goals)s."
            )
            % {
                "title": document.title,
                "count": health.get("count", 0),
                "rate": "–"
                if health.get("per_1000_words") is None
                else number_format(round(health["per_1000_words"], 1), 1),
                "goals": len(analysis.get("goal_sentences", [])),
            }
        )
    return notes


# ---- documents across the county ------------------------------------------------------


@dataclass
class ThemeSummary:
    key: str
    name: str
    documents: int
    mean_count: float
    mean_per_1000: float | None
    kommuner_without: int


def document_summary(county: Area, year: int) -> dict[str, Any]:
    """Theme counts over the county's analysed documents for one year, and how many
    kommuner do not use the word "folkhälsa" (any form or compound) at all."""
    documents = list(
        Document.objects.filter(municipality__parent=county, year=year).select_related(
            "municipality"
        )
    )
    analysed = [d for d in documents if d.status == "ok" and d.analysis]
    unreadable = [d for d in documents if d.status != "ok"]
    themes: list[ThemeSummary] = []
    if analysed:
        first = analysed[0].analysis["themes"]
        for index, theme in enumerate(first):
            counts = [d.analysis["themes"][index]["count"] for d in analysed]
            rates = [
                d.analysis["themes"][index]["per_1000_words"]
                for d in analysed
                if d.analysis["themes"][index]["per_1000_words"] is not None
            ]
            by_kommun: dict[str, int] = {}
            for d, c in zip(analysed, counts, strict=True):
                by_kommun[d.municipality.code] = by_kommun.get(d.municipality.code, 0) + c
            themes.append(
                ThemeSummary(
                    theme["key"],
                    theme["name"],
                    len(analysed),
                    round(sum(counts) / len(counts), 1),
                    round(sum(rates) / len(rates), 2) if rates else None,
                    sum(1 for v in by_kommun.values() if v == 0),
                )
            )
    folkhalsa: dict[str, int] = {}
    for d in analysed:
        words = next((t["words"] for t in d.analysis["themes"] if t["key"] == "health"), {})
        hits = sum(n for form, n in words.items() if "folkhäls" in form)
        folkhalsa[d.municipality.code] = folkhalsa.get(d.municipality.code, 0) + hits
    return {
        "year": year,
        "themes": themes,
        "analysed": len(analysed),
        "kommuner": len(folkhalsa),
        "unreadable": [d.municipality.name for d in unreadable],
        "without_folkhalsa": sum(1 for v in folkhalsa.values() if v == 0),
        "mean_folkhalsa": round(sum(folkhalsa.values()) / len(analysed), 1) if analysed else None,
        "demo": any(d.is_demo for d in documents),
    }

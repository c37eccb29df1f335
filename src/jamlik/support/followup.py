"""The participant follow-up of a support activity: the questionnaire and its summaries.

The questionnaire is fixed and short (three 1–5 scale questions and one optional free
text), so it lives here as data rather than as an editable instrument. Its items have the
shape of :class:`jamlik.prerequisites.models.Item` (``key``, ``kind``, ``text(lang)``,
``scale``, ``options``, ``unit_sv``/``unit_en``), so the survey machinery's
:class:`~jamlik.prerequisites.forms.SurveyForm` renders them.

Summaries are pure functions over plain rows. A scale question is summarised by its
number of answers, its mean and the share answering 4 or 5 ("to a great extent" or more)
with a Wilson (1927) score interval (:func:`jamlik.stats.proportions.wilson_limits`, the
interval used for proportions throughout Jämlik). Results from fewer than
:data:`MIN_ANSWERS` answers are suppressed: a mean of three people's answers can point at
one person, and it says little anyway.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

import numpy as np

from jamlik.prerequisites.models import ItemKind
from jamlik.stats.proportions import METHOD as CI_METHOD
from jamlik.stats.proportions import wilson_limits
from jamlik.support.models import ParticipantRole

MIN_ANSWERS = 5
"""Results from fewer answers than this are not shown as numbers."""
CONFIDENCE = 0.95
HIGH_FROM = 4
"""Answers of this value or more count as "to a great extent" (the top two of five)."""
OPEN_DAYS = 30
"""The follow-up link stays open this many days after the activity, by default."""
OTHER_KOMMUN = "other"
"""The kommun choice for a participant from outside the activity's kommuner."""

MANAGEMENT_ROLES = frozenset(str(r) for r in (ParticipantRole.POLITICIAN, ParticipantRole.MANAGER))
"""Ledningsnivå: the political and managerial level the process measure asks about."""
MANAGEMENT = "management"
OTHERS = "others"

SCALE_LEVELS = (
    (1, "Inte alls", "Not at all"),
    (2, "I liten grad", "To a small extent"),
    (3, "I viss grad", "To some extent"),
    (4, "I hög grad", "To a great extent"),
    (5, "I mycket hög grad", "To a very great extent"),
)
SCALE_VALUES = frozenset(v for v, _sv, _en in SCALE_LEVELS)
SCALE = cast(str, ItemKind.SCALE)  # the survey machinery's kinds (str enums)
TEXT = cast(str, ItemKind.TEXT)


@dataclass(frozen=True)
class FollowUpItem:
    """One question, shaped like a survey ``Item`` so ``SurveyForm`` can render it."""

    key: str
    kind: str
    text_sv: str
    text_en: str
    scale: tuple[tuple[int, str, str], ...] = ()
    options: tuple[dict[str, str], ...] = ()
    unit_sv: str = ""
    unit_en: str = ""
    required: bool = True

    def text(self, lang: str = "sv") -> str:
        return self.text_en if lang.startswith("en") else self.text_sv


USEFULNESS = "usefulness"
KNOWLEDGE = "knowledge"
INTENTION = "intention"
ACTIONS = "actions"

ITEMS: tuple[FollowUpItem, ...] = (
    FollowUpItem(
        USEFULNESS,
        SCALE,
        "Hur användbar var aktiviteten för ditt arbete?",
        "How useful was the activity for your work?",
        scale=SCALE_LEVELS,
    ),
    FollowUpItem(
        KNOWLEDGE,
        SCALE,
        "I vilken grad fick du ny kunskap genom aktiviteten?",
        "To what extent did you gain new knowledge from the activity?",
        scale=SCALE_LEVELS,
    ),
    FollowUpItem(
        INTENTION,
        SCALE,
        "I vilken grad tänker du använda det du fick med dig i ditt arbete?",
        "To what extent do you intend to use what you took away in your work?",
        scale=SCALE_LEVELS,
    ),
    FollowUpItem(
        ACTIONS,
        TEXT,
        "Vad kommer du att göra? (frivilligt)",
        "What will you do? (optional)",
        required=False,
    ),
)
SCALE_ITEMS = tuple(i for i in ITEMS if i.kind == ItemKind.SCALE)
ITEM_BY_KEY = {i.key: i for i in ITEMS}


def default_closes(activity_day: date, today: date) -> date:
    """When a newly opened link closes: 30 days after the activity, or, for an activity
    already more than 30 days past, 30 days from today (a link closed on opening helps
    no one)."""
    return max(activity_day, today) + timedelta(days=OPEN_DAYS)


def is_open(token: str | None, closes: date | None, today: date) -> bool:
    """Whether answers are taken: a link exists and its last day has not passed."""
    return bool(token) and closes is not None and today <= closes


def role_group(role: str) -> str:
    """``management`` for politicians and managers, ``others`` for everyone else."""
    return MANAGEMENT if role in MANAGEMENT_ROLES else OTHERS


def clean_answers(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The stored form of one participant's answers, or ``ValueError`` naming the item.

    Scale answers must be whole numbers 1–5 and are required; the free text is optional
    and trimmed. Keys that are not items are refused rather than dropped silently.
    """
    unknown = sorted(set(raw) - set(ITEM_BY_KEY))
    if unknown:
        raise ValueError(f"unknown follow-up items: {', '.join(unknown)}")
    out: dict[str, Any] = {}
    for item in ITEMS:
        value = raw.get(item.key)
        if item.kind == ItemKind.SCALE:
            try:
                number = int(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise ValueError(
                    f"{item.key}: expected a whole number 1–5, got {value!r}"
                ) from None
            if number not in SCALE_VALUES or str(value).strip() not in {str(number), f"{number}.0"}:
                raise ValueError(f"{item.key}: expected a whole number 1–5, got {value!r}")
            out[item.key] = number
        else:
            text = str(value or "").strip()
            if text:
                out[item.key] = text[:4000]
    return out


@dataclass(frozen=True)
class Row:
    """One stored answer, as the summaries need it."""

    answers: Mapping[str, Any]
    role: str = ""
    kommun: str = ""  # kommun code, "" when the participant chose "other"
    year: int = 0


@dataclass(frozen=True)
class ScaleResult:
    """One scale question over a set of answers; numbers are None when suppressed."""

    key: str
    n: int
    mean: float | None = None
    high: int | None = None  # answers of 4 or 5
    share: float | None = None  # percent
    lower: float | None = None
    upper: float | None = None

    @property
    def suppressed(self) -> bool:
        return self.n < MIN_ANSWERS


def scale_result(key: str, values: Sequence[int]) -> ScaleResult:
    """n, mean and the share answering 4–5 with its Wilson 95 % interval (in percent).

    Fewer than :data:`MIN_ANSWERS` values: only ``n`` is kept, everything else is None.
    """
    n = len(values)
    if n < MIN_ANSWERS:
        return ScaleResult(key, n)
    high = sum(1 for v in values if v >= HIGH_FROM)
    lower, upper = wilson_limits(np.array([float(high)]), np.array([float(n)]), CONFIDENCE)
    return ScaleResult(
        key,
        n,
        mean=sum(values) / n,
        high=high,
        share=100 * high / n,
        lower=100 * float(lower[0]),
        upper=100 * float(upper[0]),
    )


def _values(rows: Iterable[Row], key: str) -> list[int]:
    return [int(r.answers[key]) for r in rows if isinstance(r.answers.get(key), int | float)]


def summarise(rows: Sequence[Row]) -> list[ScaleResult]:
    """One result per scale question, in questionnaire order."""
    return [scale_result(item.key, _values(rows, item.key)) for item in SCALE_ITEMS]


def labelled(results: Sequence[ScaleResult], lang: str) -> list[tuple[str, ScaleResult]]:
    """Each result with its question's text in ``lang``, for a page's table."""
    return [(ITEM_BY_KEY[r.key].text(lang), r) for r in results]


@dataclass(frozen=True)
class Summary:
    """An activity's (or any set's) results: all answers and by role group."""

    n: int
    overall: list[ScaleResult]
    groups: dict[str, list[ScaleResult]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.n < MIN_ANSWERS


def summary(rows: Sequence[Row]) -> Summary:
    """All answers, then ledningsnivå and others; the free texts in answer order.

    The texts are returned for whoever may read them (county administrators); callers
    decide, the summary does not.
    """
    by_group: dict[str, list[Row]] = {MANAGEMENT: [], OTHERS: []}
    for row in rows:
        by_group[role_group(row.role)].append(row)
    return Summary(
        n=len(rows),
        overall=summarise(rows),
        groups={g: summarise(members) for g, members in by_group.items()},
        texts=[str(r.answers[ACTIONS]) for r in rows if r.answers.get(ACTIONS)],
    )


def by_kommun_and_year(
    rows: Iterable[Row], key: str = KNOWLEDGE
) -> tuple[list[int], dict[str, dict[int, ScaleResult]]]:
    """Years (sorted) and, per kommun code ("" = other), the result of ``key`` per year."""
    values: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    years: set[int] = set()
    for row in rows:
        value = row.answers.get(key)
        if not isinstance(value, int | float):
            continue
        values[row.kommun][row.year].append(int(value))
        years.add(row.year)
    table = {
        kommun: {year: scale_result(key, vals) for year, vals in per_year.items()}
        for kommun, per_year in values.items()
    }
    return sorted(years), table


@dataclass(frozen=True)
class YearMeasure:
    """The process measure of one year: increased knowledge, all and at ledningsnivå."""

    year: int
    overall: ScaleResult
    management: ScaleResult


def process_measure(rows: Iterable[Row], key: str = KNOWLEDGE) -> list[YearMeasure]:
    """Per year, the share answering 4–5 on ``key`` overall and among politicians and
    managers ("ökad kunskap … på ledningsnivå"), oldest year first."""
    overall: dict[int, list[int]] = defaultdict(list)
    management: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        value = row.answers.get(key)
        if not isinstance(value, int | float):
            continue
        overall[row.year].append(int(value))
        if role_group(row.role) == MANAGEMENT:
            management[row.year].append(int(value))
    return [
        YearMeasure(year, scale_result(key, overall[year]), scale_result(key, management[year]))
        for year in sorted(overall)
    ]


__all__ = [
    "CI_METHOD",
    "ITEMS",
    "MIN_ANSWERS",
    "Row",
    "ScaleResult",
    "Summary",
    "by_kommun_and_year",
    "clean_answers",
    "default_closes",
    "is_open",
    "process_measure",
    "role_group",
    "scale_result",
    "summary",
]

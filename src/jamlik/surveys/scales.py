"""The youth survey's scale definition: which questions make which scale or indicator.

A definition is a TOML file like the frameworks (:mod:`jamlik.frameworks`): the
shipped one, :data:`SHIPPED_SCALES`, is Jämlik's own Communities That Care-style
set; a county may replace it with its own text (``surveys.ScaleDefinition``).

* ``[[questions]]`` - one column of the microdata: its answer codes (``codes``) and
  the codes that mean "no answer" (``missing``, e.g. 9 or 99).  Any other value is
  refused by :mod:`jamlik.surveys.microdata`.
* ``[[scales]]`` - a risk or protective factor scale in the Communities That Care
  (CTC) tradition (Hawkins, Catalano & Miller 1992; Arthur et al. 2002, "Measuring
  risk and protective factors for use in prevention assessment", Evaluation Review
  26(6), 575-601), as the Stockholmsenkäten uses them: the mean of its items
  (``reverse`` items recoded min+max-x) when at least ``min_items`` of them are
  answered, compared with ``cutpoint`` (see :mod:`jamlik.surveys.scoring`).
* ``[[indicators]]`` - one question read as a yes/no share (``yes`` codes).

Scale ``factor`` keys name factors of the prevention star's knowledge base
(``frameworks/data/preventionsstjarna.toml``); that cross-reference needs the
framework registry and is checked by a test and by the integration, not here, so
that this module stays pure.

:func:`ScaleSet.definition_digest` fingerprints one measure's scoring (items, codes,
reverse items, cut-point, rule), not its wording, so the integration can tell when a
county's edit changes what a figure means (a new indicator version) and when it only
corrects a text.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from jamlik.frameworks.errors import FrameworkError
from jamlik.frameworks.reader import Table

SHIPPED_SCALES: Path = Path(__file__).parent / "data" / "ungdomsenkat.toml"
SCHEMA_VERSION = 1
#: The target areas (målområden) of the national public health policy, numbered 1-8.
TARGET_AREAS = range(1, 9)
KINDS = ("risk", "protective")
POLARITIES = ("low", "high")


class ScaleFileError(ValueError):
    """A scale definition that cannot be used; the message names source, entry and field."""

    def __init__(self, source: str, entry: str, field: str, expected: str) -> None:
        self.source = source
        self.entry = entry
        self.field = field
        self.expected = expected
        where = f"{source}: {entry}" if entry else source
        super().__init__(f"{where}: {field}: {expected}" if field else f"{where}: {expected}")


@dataclass(frozen=True)
class Question:
    """One question (one microdata column) and its answer codes."""

    id: str
    text_sv: str
    text_en: str
    codes: tuple[int, ...]
    missing: tuple[int, ...]

    @property
    def low(self) -> int:
        return min(self.codes)

    @property
    def high(self) -> int:
        return max(self.codes)


@dataclass(frozen=True)
class Scale:
    """A risk or protective factor scale: mean of its items against a cut-point."""

    id: str
    factor: str
    kind: Literal["risk", "protective"]
    name_sv: str
    name_en: str
    items: tuple[str, ...]
    reverse: tuple[str, ...]
    cutpoint: float
    min_items: float
    definition_sv: str
    definition_en: str

    @property
    def polarity(self) -> str:
        """``low`` for a risk scale (a high share at risk is bad), ``high`` for protective."""
        return "low" if self.kind == "risk" else "high"

    def required_items(self) -> int:
        """How many items a respondent must answer to be scored (``min_items`` share)."""
        return max(1, math.ceil(self.min_items * len(self.items) - 1e-9))


@dataclass(frozen=True)
class SurveyIndicator:
    """One question read as the share answering one of the ``yes`` codes."""

    id: str
    name_sv: str
    name_en: str
    question: str
    yes: tuple[int, ...]
    polarity: str
    factors: tuple[str, ...]
    target_areas: tuple[int, ...]
    problem_areas: tuple[str, ...]
    definition_sv: str
    definition_en: str


@dataclass(frozen=True)
class ScaleSet:
    """A whole definition: questions, scales, indicators and the disclosure rule."""

    survey_sv: str
    survey_en: str
    code_prefix: str
    min_respondents: int
    confidence: float
    questions: Mapping[str, Question]
    scales: tuple[Scale, ...]
    indicators: tuple[SurveyIndicator, ...]
    digest: str
    source: str

    def measures(self) -> list[str]:
        """The ids of the scales, then of the indicators (each becomes one indicator)."""
        return [s.id for s in self.scales] + [i.id for i in self.indicators]

    def measure(self, measure_id: str) -> Scale | SurveyIndicator:
        for scale in self.scales:
            if scale.id == measure_id:
                return scale
        for indicator in self.indicators:
            if indicator.id == measure_id:
                return indicator
        raise KeyError(measure_id)

    def definition_digest(self, measure_id: str) -> str:
        """sha256 of what decides this measure's numbers (not its names or texts)."""
        measure = self.measure(measure_id)
        if isinstance(measure, Scale):
            content: dict[str, Any] = {
                "type": "scale",
                "kind": measure.kind,
                "items": [self._question_key(q) for q in measure.items],
                "reverse": sorted(measure.reverse),
                "cutpoint": measure.cutpoint,
                "min_items": measure.min_items,
            }
        else:
            content = {
                "type": "indicator",
                "question": self._question_key(measure.question),
                "yes": sorted(measure.yes),
            }
        text = json.dumps(content, sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def _question_key(self, question_id: str) -> dict[str, Any]:
        question = self.questions[question_id]
        return {
            "id": question.id,
            "codes": sorted(question.codes),
            "missing": sorted(question.missing),
        }


def shipped_scale_text() -> str:
    """The shipped definition's text (what a county starts from when it overrides it)."""
    return SHIPPED_SCALES.read_text(encoding="utf-8")


def _is_key(value: str) -> bool:
    return value.isascii() and value.lower() == value and value.replace("_", "").isalnum()


class _Reader:
    """Checked getters over one entry, failing as :class:`ScaleFileError`."""

    def __init__(self, source: str, entry: str, table: Table) -> None:
        self.source = source
        self.entry = entry
        self.table = table

    def fail(self, field: str, expected: str) -> ScaleFileError:
        return ScaleFileError(self.source, self.entry, field, expected)

    def _wrap(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except FrameworkError as exc:
            field = exc.key.rsplit(".", 1)[-1] if "." in exc.key else exc.key
            raise self.fail(field, exc.expected) from exc

    def text(self, field: str, *, optional: bool = False) -> str:
        return self._wrap(self.table.text, field, optional=optional)

    def key(self, field: str) -> str:
        value = self.text(field)
        if not _is_key(value):
            raise self.fail(field, f"expected lowercase letters, digits and _, got {value!r}")
        return value

    def choice(self, field: str, allowed: tuple[str, ...]) -> str:
        return self._wrap(self.table.choice, field, allowed)

    def integer(self, field: str, *, minimum: int | None = None) -> int:
        return self._wrap(self.table.integer, field, minimum=minimum)

    def number(self, field: str, *, default: float | None = None) -> float:
        self.table._used.add(field)
        if field not in self.table.data:
            if default is None:
                raise self.fail(field, "missing required key (expected a number)")
            return default
        value = self.table.data[field]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise self.fail(field, f"expected a number, got {value!r}")
        return float(value)

    def ints(self, field: str, *, optional: bool = False) -> tuple[int, ...]:
        self.table._used.add(field)
        if field not in self.table.data:
            if optional:
                return ()
            raise self.fail(field, "missing required key (expected a list of integers)")
        value = self.table.data[field]
        if not isinstance(value, list) or (not value and not optional):
            raise self.fail(field, f"expected a non-empty list of integers, got {value!r}")
        if any(isinstance(v, bool) or not isinstance(v, int) for v in value):
            raise self.fail(field, f"expected integers, got {value!r}")
        if len(set(value)) != len(value):
            raise self.fail(field, f"expected no code twice, got {value!r}")
        return tuple(value)

    def keys(self, field: str, *, optional: bool = False) -> tuple[str, ...]:
        if optional and field not in self.table.data:
            self.table._used.add(field)
            return ()
        values = self._wrap(self.table.text_list, field)
        for value in values:
            if not _is_key(value):
                raise self.fail(
                    field, f"expected keys of lowercase letters, digits and _, got {value!r}"
                )
        return tuple(values)

    def finish(self) -> None:
        self._wrap(self.table.finish)


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text.lstrip("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise ScaleFileError(source, "", "", f"valid TOML ({exc})") from exc


def _question(reader: _Reader) -> Question:
    codes = reader.ints("codes")
    if len(codes) < 2:
        raise reader.fail("codes", f"expected at least two answer codes, got {list(codes)}")
    missing = reader.ints("missing", optional=True)
    both = sorted(set(codes) & set(missing))
    if both:
        raise reader.fail("missing", f"a code cannot both be an answer and missing: {both}")
    return Question(
        id=reader.key("id"),
        text_sv=reader.text("text_sv"),
        text_en=reader.text("text_en"),
        codes=codes,
        missing=missing,
    )


def _scale(reader: _Reader, questions: Mapping[str, Question]) -> Scale:
    items = reader.keys("items")
    for item in items:
        if item not in questions:
            raise reader.fail("items", f"unknown question {item!r}; expected ids of [[questions]]")
    reverse = reader.keys("reverse", optional=True)
    for item in reverse:
        if item not in items:
            raise reader.fail("reverse", f"{item!r} is not one of this scale's items")
    cutpoint = reader.number("cutpoint")
    low = min(questions[i].low for i in items)
    high = max(questions[i].high for i in items)
    if not low <= cutpoint <= high:
        raise reader.fail("cutpoint", f"expected a value between {low} and {high}, got {cutpoint}")
    min_items = reader.number("min_items", default=0.5)
    if not 0 < min_items <= 1:
        raise reader.fail(
            "min_items", f"expected a share of items above 0 and at most 1, got {min_items}"
        )
    return Scale(
        id=reader.key("id"),
        factor=reader.key("factor"),
        kind=reader.choice("kind", KINDS),  # type: ignore[arg-type]
        name_sv=reader.text("name_sv"),
        name_en=reader.text("name_en"),
        items=items,
        reverse=reverse,
        cutpoint=cutpoint,
        min_items=min_items,
        definition_sv=reader.text("definition_sv"),
        definition_en=reader.text("definition_en"),
    )


def _indicator(reader: _Reader, questions: Mapping[str, Question]) -> SurveyIndicator:
    question_id = reader.key("question")
    if question_id not in questions:
        raise reader.fail(
            "question", f"unknown question {question_id!r}; expected an id of [[questions]]"
        )
    question = questions[question_id]
    yes = reader.ints("yes")
    outside = [c for c in yes if c not in question.codes]
    if outside:
        raise reader.fail(
            "yes", f"codes {outside} are not answer codes of {question_id!r} {list(question.codes)}"
        )
    if set(yes) == set(question.codes):
        raise reader.fail("yes", "expected some of the answer codes, not all of them")
    areas = reader.ints("target_areas", optional=True)
    for area in areas:
        if area not in TARGET_AREAS:
            raise reader.fail("target_areas", f"expected target area numbers 1-8, got {area}")
    return SurveyIndicator(
        id=reader.key("id"),
        name_sv=reader.text("name_sv"),
        name_en=reader.text("name_en"),
        question=question_id,
        yes=yes,
        polarity=reader.choice("polarity", POLARITIES),
        factors=reader.keys("factors", optional=True),
        target_areas=areas,
        problem_areas=reader.keys("problem_areas", optional=True),
        definition_sv=reader.text("definition_sv"),
        definition_en=reader.text("definition_en"),
    )


def _entries(root: _Reader, key: str, *, minimum: int) -> list[tuple[str, Table]]:
    if minimum == 0 and key not in root.table.data:
        root.table._used.add(key)
        return []
    tables = root._wrap(lambda: list(root.table.tables(key, min_items=minimum)))
    entries = []
    for index, table in enumerate(tables):
        raw = table.data.get("id")
        label = f"{key}[{index}]" + (f" '{raw}'" if isinstance(raw, str) and raw else "")
        entries.append((label, table))
    return entries


def load_scale_set(text: str, *, source: str = "ungdomsenkat.toml") -> ScaleSet:
    """Parse and check a scale definition; every refusal is a :class:`ScaleFileError`."""
    data = _parse(text, source)
    root = _Reader(source, "", Table(Path(source), data))
    version = root.integer("schema_version", minimum=1)
    if version != SCHEMA_VERSION:
        raise root.fail("schema_version", f"expected {SCHEMA_VERSION}, got {version}")
    confidence = root.number("confidence", default=0.95)
    if not 0.9 <= confidence <= 0.999:  # the range jamlik.stats accepts
        raise root.fail(
            "confidence", f"expected a level from 0.90 to 0.999 such as 0.95, got {confidence}"
        )
    survey_sv, survey_en = root.text("survey_sv"), root.text("survey_en")
    code_prefix = root.key("code_prefix")
    min_respondents = root.integer("min_respondents", minimum=1)
    questions: dict[str, Question] = {}
    for label, table in _entries(root, "questions", minimum=1):
        reader = _Reader(source, label, table)
        question = _question(reader)
        reader.finish()
        if question.id in questions:
            raise reader.fail("id", f"duplicate question id {question.id!r}")
        questions[question.id] = question
    seen: set[str] = set()
    scales = []
    for label, table in _entries(root, "scales", minimum=0):
        reader = _Reader(source, label, table)
        scale = _scale(reader, questions)
        reader.finish()
        if scale.id in seen:
            raise reader.fail("id", f"duplicate measure id {scale.id!r}")
        seen.add(scale.id)
        scales.append(scale)
    indicators = []
    for label, table in _entries(root, "indicators", minimum=0):
        reader = _Reader(source, label, table)
        indicator = _indicator(reader, questions)
        reader.finish()
        if indicator.id in seen:
            raise reader.fail("id", f"duplicate measure id {indicator.id!r}")
        seen.add(indicator.id)
        indicators.append(indicator)
    if not seen:
        raise root.fail("scales", "expected at least one scale or indicator")
    root.finish()
    return ScaleSet(
        survey_sv=survey_sv,
        survey_en=survey_en,
        code_prefix=code_prefix,
        min_respondents=min_respondents,
        confidence=confidence,
        questions=questions,
        scales=tuple(scales),
        indicators=tuple(indicators),
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source=source,
    )

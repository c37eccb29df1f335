"""Counting themed terms in Swedish municipal documents (no Django).

Karolinska Institutet's baseline study of municipal prerequisites (Leifman, Pettersson &
Wärngård 2021) counted words and concepts in "mål och budget" documents, including their
inflected forms and compounds, in five themes. Swedish builds compounds freely
("folkhälsoarbetet", "brottsförebyggande") and inflects by suffix ("folkhälsan"), so a
plain word list misses most occurrences. This module matches *stems*:

* a stem matches a word that **starts** with it (inflections and the stem as compound head:
  ``häls`` → "hälsan", "hälsofrämjande");
* and a word in which it appears **after a modifier of at least** ``MIN_MODIFIER`` letters
  (the stem as compound tail: ``häls`` → "folkhälsa", "elevhälsan"), optionally after a
  hyphen ("ANDT-prevention").

Dictionary syntax (one entry per line, editable by the county):

* ``stem`` — as above;
* ``=word`` — that exact word only (for short words where a stem would over-match);
* ``two words`` — a phrase: consecutive words, the first matched as a stem, the others
  as prefixes (words of one or two letters exactly: "skillnader i hälsa");
* ``-stem`` — exclusion: words starting with this are never counted for the theme
  (``-hälsning`` keeps greetings out of "hälsa").

A word counts at most once per theme, however many of the theme's stems it matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

MIN_MODIFIER = 3
"""Letters a compound modifier needs before a stem counts as its tail.

Three keeps "folk|häls", "elev|häls", "brotts|förebygg" while refusing accidental
matches inside short words ("av|brott")."""

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*-?|\d+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'”»(]?[A-ZÅÄÖÉ0-9])|\n\s*[-•*]\s*|\n(?=\s*\n)")
_PARAGRAPH = re.compile(r"\n\s*\n")

GOAL_MARKERS: tuple[str, ...] = (
    "mål",
    "målet",
    "målen",
    "målsättning",
    "ska",
    "skall",
    "syftar",
    "sträva",
    "strävar",
    "prioritera",
    "prioriterar",
    "prioriterat",
    "prioriterade",
    "ambition",
    "ambitionen",
    "vision",
    "visionen",
    "uppdrag",
    "uppdraget",
)
"""Words that turn a sentence into a statement of intent (whole words, lower case)."""


@dataclass(frozen=True)
class Term:
    """One dictionary entry, parsed."""

    raw: str
    parts: tuple[str, ...]
    exact: bool = False

    @property
    def label(self) -> str:
        return self.raw


@dataclass(frozen=True)
class ThemeDictionary:
    """A theme's stems and exclusions."""

    key: str
    name: str
    terms: tuple[Term, ...]
    exclusions: tuple[str, ...] = ()

    @classmethod
    def parse(cls, key: str, name: str, entries: Iterable[str]) -> ThemeDictionary:
        """Build from dictionary lines; blank lines and ``#`` comments are skipped."""
        terms: list[Term] = []
        exclusions: list[str] = []
        for line_no, line in enumerate(entries, start=1):
            entry = line.strip().lower()
            if not entry or entry.startswith("#"):
                continue
            if entry.startswith("-"):
                stem = entry[1:].strip()
                if not stem:
                    raise ValueError(f"theme {key!r}, line {line_no}: an exclusion needs a word")
                exclusions.append(stem)
            elif entry.startswith("="):
                word = entry[1:].strip()
                if not word or " " in word:
                    raise ValueError(f"theme {key!r}, line {line_no}: '=' takes one word")
                terms.append(Term(raw=entry, parts=(word,), exact=True))
            else:
                parts = tuple(entry.split())
                if len(parts[0]) < 2:
                    raise ValueError(
                        f"theme {key!r}, line {line_no}: stem {entry!r} is too short "
                        "(at least 2 letters, or use '=word')"
                    )
                terms.append(Term(raw=entry, parts=parts))
        if not terms:
            raise ValueError(f"theme {key!r} has no terms")
        return cls(key=key, name=name, terms=tuple(terms), exclusions=tuple(exclusions))


def tokenize(text: str) -> list[str]:
    """Lower-case words and numbers; hyphenated compounds stay one word, a trailing hyphen
    ("folkhälso- och trygghetsarbete") is dropped."""
    return [t.rstrip("-") for t in _WORD.findall(text.lower()) if t.rstrip("-")]


def word_count(text: str) -> int:
    """Words with at least one letter (numbers are not words here)."""
    return sum(1 for t in tokenize(text) if not t.isdigit())


def stem_matches(word: str, stem: str, min_modifier: int = MIN_MODIFIER) -> bool:
    """Whether ``stem`` is the head (prefix) or a compound tail of ``word``."""
    if word.startswith(stem):
        return True
    for part in word.split("-")[1:]:  # "andt-prevention"
        if part.startswith(stem):
            return True
    start = word.find(stem, min_modifier)
    while start != -1:
        if word[start - 1] != "-":  # hyphen parts were handled above
            return True
        start = word.find(stem, start + 1)
    return False


def _excluded(word: str, exclusions: Sequence[str]) -> bool:
    return any(word.startswith(e) for e in exclusions)


def _term_hits(tokens: Sequence[str], term: Term, exclusions: Sequence[str]) -> list[int]:
    """Indices of the first token of each occurrence of ``term``."""
    hits: list[int] = []
    n = len(term.parts)
    for i in range(len(tokens) - n + 1):
        window = tokens[i : i + n]
        if _excluded(window[0], exclusions):
            continue
        if term.exact:
            ok = window[0] == term.parts[0]
        else:
            ok = stem_matches(window[0], term.parts[0]) and all(
                (w == p if len(p) <= 2 else w.startswith(p))
                for w, p in zip(window[1:], term.parts[1:], strict=True)
            )
        if ok:
            hits.append(i)
    return hits


@dataclass
class ThemeCount:
    key: str
    name: str
    count: int
    per_1000_words: float | None
    by_term: dict[str, int]
    words: dict[str, int]
    """Which word forms matched, and how often (to check the dictionary does what you mean)."""


def count_theme(tokens: Sequence[str], theme: ThemeDictionary, total_words: int) -> ThemeCount:
    """Occurrences of a theme; a token matched by several of its terms counts once."""
    positions: set[int] = set()
    by_term: dict[str, int] = {}
    words: dict[str, int] = {}
    for term in theme.terms:
        hits = _term_hits(tokens, term, theme.exclusions)
        by_term[term.label] = len(hits)
        for i in hits:
            if i not in positions:
                positions.add(i)
                form = " ".join(tokens[i : i + len(term.parts)])
                words[form] = words.get(form, 0) + 1
    count = len(positions)
    rate = round(1000 * count / total_words, 2) if total_words else None
    return ThemeCount(theme.key, theme.name, count, rate, by_term, dict(sorted(words.items())))


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _PARAGRAPH.split(text) if p.strip()]


def split_sentences(text: str) -> list[str]:
    """Sentences (rough: ends at . ! ? before a capital, at bullets and blank lines)."""
    out: list[str] = []
    for paragraph in split_paragraphs(text):
        for sentence in _SENTENCE_END.split(paragraph):
            cleaned = " ".join(sentence.split())
            if cleaned:
                out.append(cleaned)
    return out


def themes_in(text: str, themes: Sequence[ThemeDictionary]) -> set[str]:
    tokens = tokenize(text)
    return {
        t.key for t in themes if any(_term_hits(tokens, term, t.exclusions) for term in t.terms)
    }


@dataclass
class CoOccurrence:
    """How often two themes appear in the same sentence and in the same paragraph."""

    a: str
    b: str
    sentences: int
    paragraphs: int
    jaccard_sentences: float | None
    """Sentences with both / sentences with either (Jaccard 1901), 0–1."""


def co_occurrence(text: str, themes: Sequence[ThemeDictionary]) -> list[CoOccurrence]:
    sentence_sets = [themes_in(s, themes) for s in split_sentences(text)]
    paragraph_sets = [themes_in(p, themes) for p in split_paragraphs(text)]
    result = []
    for a, b in combinations([t.key for t in themes], 2):
        both = sum(1 for s in sentence_sets if a in s and b in s)
        either = sum(1 for s in sentence_sets if a in s or b in s)
        result.append(
            CoOccurrence(
                a,
                b,
                both,
                sum(1 for p in paragraph_sets if a in p and b in p),
                round(both / either, 3) if either else None,
            )
        )
    return result


@dataclass
class GoalSentence:
    sentence: str
    before: str
    after: str
    themes: list[str]


def goal_sentences(
    text: str,
    themes: Sequence[ThemeDictionary],
    about: Sequence[str],
    markers: Sequence[str] = GOAL_MARKERS,
) -> list[GoalSentence]:
    """Sentences that state an intent (a goal marker word) about one of the ``about`` themes,
    each with the sentence before and after for context."""
    wanted = [t for t in themes if t.key in about]
    marker_set = set(markers)
    sentences = split_sentences(text)
    found = []
    for i, sentence in enumerate(sentences):
        tokens = tokenize(sentence)
        if not marker_set.intersection(tokens):
            continue
        hit = [t.key for t in wanted if any(_term_hits(tokens, x, t.exclusions) for x in t.terms)]
        if hit:
            found.append(
                GoalSentence(
                    sentence,
                    sentences[i - 1] if i > 0 else "",
                    sentences[i + 1] if i + 1 < len(sentences) else "",
                    hit,
                )
            )
    return found


@dataclass
class DocumentAnalysis:
    words: int
    themes: list[ThemeCount]
    co_occurrence: list[CoOccurrence]
    goal_sentences: list[GoalSentence] = field(default_factory=list)

    def to_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


def analyse(
    text: str, themes: Sequence[ThemeDictionary], goal_about: Sequence[str] = ()
) -> DocumentAnalysis:
    """Everything about one document: theme counts, rates, co-occurrence and goal sentences."""
    tokens = tokenize(text)
    total = sum(1 for t in tokens if not t.isdigit())
    return DocumentAnalysis(
        words=total,
        themes=[count_theme(tokens, theme, total) for theme in themes],
        co_occurrence=co_occurrence(text, themes),
        goal_sentences=goal_sentences(text, themes, goal_about),
    )


def themes_from_mapping(spec: Mapping[str, tuple[str, Sequence[str]]]) -> list[ThemeDictionary]:
    """``{key: (name, lines)}`` → parsed dictionaries, in the mapping's order."""
    return [ThemeDictionary.parse(key, name, lines) for key, (name, lines) in spec.items()]

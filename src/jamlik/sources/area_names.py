"""What people write in an area column, read as an area code.

Offices' files name areas in many ways: SCB codes (``0180``, ``01``, ``00``),
Kolada's (``0001`` for Region Stockholm, ``0000`` for riket), a code whose
leading zero a spreadsheet ate (``180``), names with or without "kommun" or
"län" (``Upplands Väsby``, ``Malung-Sälens kommun``, ``Stockholms län``,
``Region Skåne``), SCB's "code name" labels (``0180 Stockholm``), words for
the whole country (``Riket``, ``Sverige``, ``Hela landet``) and, of course,
misspellings.  :class:`AreaNames` reads them all against the list of known
areas (riket, län, kommuner and the districts a county has defined), which
the caller supplies, so this module stays pure Python.

A reading is either *exact* (one code, no doubt: a code, an official name,
or a spelling that differs only in case, spaces, dashes or the words
"kommun"/"län"/"stad"/"Region") or a *question* with candidate codes, best
first, that the user confirms on the import preview; nothing is guessed
silently.  One deliberate rule: a bare name that is both a kommun and the
stem of a län ("Stockholm", "Uppsala", "Gotland") means the kommun, because
the kommun is written that way officially and the län never is; the reading
says so (:attr:`AreaReading.note_en`), so the user sees it on the preview.

Misspellings are ranked by edit distance (rapidfuzz's optimal string alignment,
a swap of two letters counts as one edit), first with
Swedish letters folded (``Goteborg`` ~ ``Göteborg``) and then on the text as
written, so ``Haboo`` suggests Habo before Håbo.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from jamlik.sources.areas import normalise_area_code, restore_leading_zero

COUNTRY = "country"
COUNTY = "county"
MUNICIPALITY = "municipality"
DISTRICT = "district"

#: Order of levels when several areas fit equally well: kommun first (see the module docstring).
_LEVEL_ORDER = {MUNICIPALITY: 0, COUNTY: 1, COUNTRY: 2, DISTRICT: 3}

#: Words for the whole country (compared after :func:`name_key`).
COUNTRY_WORDS = ("riket", "sverige", "hela landet", "hela riket", "sweden", "whole country")

#: Regions whose name is not "Region" + the län's stem (Kolada's titles, SKR's names).
COUNTY_ALIASES: dict[str, tuple[str, ...]] = {
    "04": ("Sörmland", "Region Sörmland"),
    "14": ("Västra Götalandsregionen", "VGR"),
    "23": ("Jämtland Härjedalen", "Region Jämtland Härjedalen"),
}

#: How a spelling relates to the area it names: lower is stronger.
_OFFICIAL, _VARIANT, _STEM = 0, 1, 2

#: At most this many candidates in a question.
MAX_CANDIDATES = 5

_DASHES = re.compile(r"[\u2010-\u2015\u2212_-]")
_SPACES = re.compile(r"\s+")
_CODE_FIRST = re.compile(
    r"^(?P<code>\d[\dA-Za-z]*)\s*(?:[-\u2013\u2014:,.]\s*|\s+)(?P<name>.*\D.*)$"
)
_CODE_LAST = re.compile(r"^(?P<name>.*\D.*?)\s*[(\[](?P<code>\d[\dA-Za-z]*)[)\]]$")


@dataclass(frozen=True, slots=True)
class KnownArea:
    """An area a file may name: its code, official name, level and parent's code."""

    code: str
    name: str
    level: str
    parent: str | None = None

    @property
    def label(self) -> str:
        """``0180 Stockholm``: how a choice is shown and answered."""
        return f"{self.code} {self.name}"


@dataclass(frozen=True, slots=True)
class AreaReading:
    """How one cell's text was read.

    ``code`` is set when the reading is exact; otherwise ``candidates`` (best
    first) are what the user is asked to choose from, or nothing fits at all.
    ``note_en``/``note_sv`` explain an exact reading that could surprise
    ("Stockholm" is the kommun, not the län).
    """

    text: str
    code: str | None
    candidates: tuple[KnownArea, ...] = ()
    how: str = ""
    note_en: str = ""
    note_sv: str = ""

    @property
    def exact(self) -> bool:
        return self.code is not None

    @property
    def question(self) -> bool:
        return self.code is None and bool(self.candidates)


def name_key(text: str) -> str:
    """A name as compared: NFC, case-folded, dashes as spaces, spaces collapsed."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = _DASHES.sub(" ", text)
    return _SPACES.sub(" ", text).strip(" .\"'")


def folded(key: str) -> str:
    """A key without diacritics (å, ä, ö, é...), for ranking misspellings."""
    decomposed = unicodedata.normalize("NFD", key)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def code_key(text: str) -> str:
    """A cell as an SCB-style code: a leading zero that a spreadsheet removed is
    restored (``180`` → ``0180``, ``1`` → ``01``) and Kolada's forms are translated
    (``0001`` → ``01``, ``0000`` → ``00``)."""
    text = restore_leading_zero(text)
    return normalise_area_code(text) if text.isdigit() else text


def _genitive(name: str) -> str:
    """``Stockholm`` → ``Stockholms``; names ending in s, x or z take no extra s."""
    return name if name[-1:].lower() in ("s", "x", "z") else name + "s"


def _spellings(area: KnownArea) -> Iterable[tuple[str, int]]:
    """Every accepted spelling of ``area`` with its strength."""
    name = area.name.strip()
    yield name, _OFFICIAL
    if area.level == MUNICIPALITY:
        for word in ("kommun", "stad"):
            yield f"{name} {word}", _VARIANT
            yield f"{_genitive(name)} {word}", _VARIANT
    elif area.level == COUNTY:
        stem = name[: -len(" län")] if name.lower().endswith(" län") else name
        bare = stem[:-1] if stem.endswith("s") else stem  # "Stockholms" → "Stockholm"
        yield f"Region {name}", _VARIANT  # "Region Jönköpings län"
        yield f"Region {bare}", _VARIANT
        yield f"{bare} län", _VARIANT
        yield f"{bare}s län", _VARIANT
        yield f"Landstinget i {name}", _VARIANT
        for alias in COUNTY_ALIASES.get(area.code, ()):
            yield alias, _VARIANT
        yield bare, _STEM
    elif area.level == COUNTRY:
        for word in COUNTRY_WORDS:
            yield word, _VARIANT
    elif area.level == DISTRICT:
        yield f"{name} stadsdel", _VARIANT
        yield f"{name} stadsdelsområde", _VARIANT


class AreaNames:
    """Reads area cells against a list of known areas (see the module docstring).

    Readings are cached per distinct text: a column of a million rows names a
    few hundred areas.
    """

    def __init__(self, areas: Iterable[KnownArea]) -> None:
        self.areas: dict[str, KnownArea] = {}
        for area in areas:
            self.areas[area.code] = area
        self._upper = {code.upper(): code for code in self.areas}
        #: spelling key → strength → codes
        self._keys: dict[str, dict[int, set[str]]] = {}
        for area in self.areas.values():
            for spelling, strength in _spellings(area):
                key = name_key(spelling)
                if key:
                    self._keys.setdefault(key, {}).setdefault(strength, set()).add(area.code)
        self._folded: dict[str, list[str]] = {}
        for key in self._keys:
            self._folded.setdefault(folded(key), []).append(key)
        self._fuzzy_keys = list(self._folded)
        self._cache: dict[str, AreaReading] = {}

    def read(self, text: str) -> AreaReading:
        """The reading of one cell's text (cached)."""
        try:
            return self._cache[text]
        except KeyError:
            pass
        reading = self._read(text.strip())
        if len(self._cache) < 100_000:
            self._cache[text] = reading
        return reading

    # --- the steps -------------------------------------------------------------------

    def _read(self, text: str) -> AreaReading:
        if not text:
            return AreaReading(text, None, how="empty")
        code = self._code(text)
        if code is not None:
            return AreaReading(text, code, how="code")
        match = _CODE_FIRST.match(text) or _CODE_LAST.match(text)
        if match:
            return self._code_and_name(text, match["code"], match["name"])
        return self._name(text)

    def _code(self, text: str) -> str | None:
        key = code_key(text)
        if key in self.areas:
            return key
        return self._upper.get(key.upper())

    def _code_and_name(self, text: str, code_text: str, name: str) -> AreaReading:
        code = self._code(code_text)
        by_name = self._name(name)
        if code is not None:
            if by_name.code == code or any(a.code == code for a in by_name.candidates):
                return AreaReading(text, code, how="code_and_name")
            named = (self.areas[by_name.code],) if by_name.code else by_name.candidates
            candidates = _unique((self.areas[code], *named))
            return AreaReading(text, None, candidates, how="code_name_differ")
        if by_name.code is not None:
            return AreaReading(text, None, (self.areas[by_name.code],), how="unknown_code")
        return AreaReading(text, None, by_name.candidates, how="unknown_code")

    def _name(self, text: str) -> AreaReading:
        key = name_key(text)
        found = self._keys.get(key)
        if found:
            best = min(found)
            codes = found[best]
            if len(codes) == 1:
                (code,) = codes
                others = sorted({c for s, cs in found.items() if s != best for c in cs} - {code})
                if not others:
                    return AreaReading(text, code, how="name")
                return self._noted(text, code, others)
            return AreaReading(text, None, self._ordered(codes), how="ambiguous")
        return self._misspelt(text, key)

    def _noted(self, text: str, code: str, others: list[str]) -> AreaReading:
        area = self.areas[code]
        other = ", ".join(f"{self.areas[c].name} ({c})" for c in others)
        return AreaReading(
            text,
            code,
            how="name_over_stem",
            note_en=(
                f"'{text}' was read as {area.name} ({code}), not {other}: a bare name is "
                f"the {_LEVEL_EN.get(area.level, area.level)}. Write the full name or the "
                "code to mean the other."
            ),
            note_sv=(
                f"'{text}' lästes som {area.name} ({code}), inte {other}: ett namn utan "
                f"tillägg är {_LEVEL_SV.get(area.level, area.level)}. Skriv hela namnet eller "
                "koden för att mena det andra."
            ),
        )

    def _misspelt(self, text: str, key: str) -> AreaReading:
        target = folded(key)
        limit = max(1, len(target) // 3)
        ranked: list[tuple[int, int, int, int, str]] = []
        for spelling, distance, _index in process.extract(
            target,
            self._fuzzy_keys,
            scorer=OSA.distance,
            score_cutoff=limit,
            limit=40,
        ):
            for original in self._folded[spelling]:
                exact_distance = OSA.distance(key, original)
                for strength, codes in self._keys[original].items():
                    for code in codes:
                        level = _LEVEL_ORDER.get(self.areas[code].level, 9)
                        ranked.append((int(distance), exact_distance, strength, level, code))
        ranked.sort()
        best = list(dict.fromkeys(r[4] for r in ranked))[:MAX_CANDIDATES]
        how = "misspelt" if best else "unknown"
        return AreaReading(text, None, tuple(self.areas[c] for c in best), how=how)

    def _ordered(self, codes: Iterable[str]) -> tuple[KnownArea, ...]:
        areas = [self.areas[c] for c in codes]
        areas.sort(key=lambda a: (_LEVEL_ORDER.get(a.level, 9), a.code))
        return tuple(areas[:MAX_CANDIDATES])


_LEVEL_EN = {MUNICIPALITY: "kommun", COUNTY: "län", COUNTRY: "country", DISTRICT: "district"}
_LEVEL_SV = {MUNICIPALITY: "kommunen", COUNTY: "länet", COUNTRY: "riket", DISTRICT: "stadsdelen"}


def _unique(areas: Iterable[KnownArea]) -> tuple[KnownArea, ...]:
    return tuple({a.code: a for a in areas}.values())[:MAX_CANDIDATES]


def rows_en(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def rows_sv(n: int) -> str:
    return f"{n} rad" if n == 1 else f"{n} rader"


def question_text(reading: AreaReading, rows: int) -> tuple[str, str]:
    """The question a preview asks about ``reading`` (English, Swedish)."""
    first = reading.candidates[0]
    en_rows, sv_rows = rows_en(rows), rows_sv(rows)
    if reading.how == "ambiguous":
        en = f"'{reading.text}' names more than one area ({en_rows}). Which one is meant?"
        sv = f"'{reading.text}' är namnet på flera områden ({sv_rows}). Vilket avses?"
    elif reading.how == "code_name_differ":
        en = (
            f"In '{reading.text}' ({en_rows}) the code and the name point to different "
            "areas. Which one is meant?"
        )
        sv = (
            f"I '{reading.text}' ({sv_rows}) pekar koden och namnet på olika områden. Vilket avses?"
        )
    elif reading.how == "unknown_code":
        en = f"'{reading.text}' ({en_rows}) has an unknown code. Did you mean {first.label}?"
        sv = f"'{reading.text}' ({sv_rows}) har en okänd kod. Menade du {first.label}?"
    else:
        en = (
            f"'{reading.text}' ({en_rows}) is not an area name we know. Did you mean {first.label}?"
        )
        sv = (
            f"'{reading.text}' ({sv_rows}) är inget områdesnamn vi känner till. "
            f"Menade du {first.label}?"
        )
    return en, sv


def choice_code(choice: str) -> str:
    """The code in a choice as :attr:`KnownArea.label` writes it (``0180 Stockholm`` → ``0180``)."""
    return choice.split(" ", 1)[0]


def shipped_areas() -> list[KnownArea]:
    """Riket, the län and the kommuner as shipped with Jämlik (no districts): for
    callers without a database, such as tests."""
    from jamlik.frameworks import geography

    areas = [KnownArea(geography.COUNTRY_CODE, geography.COUNTRY_NAME, COUNTRY)]
    areas += [
        KnownArea(c.code, c.name, COUNTY, geography.COUNTRY_CODE) for c in geography.counties()
    ]
    areas += [
        KnownArea(m.code, m.name, MUNICIPALITY, m.county_code) for m in geography.municipalities()
    ]
    return areas


def as_area_names(areas: AreaNames | Iterable[KnownArea] | None) -> AreaNames | None:
    """An :class:`AreaNames` for what a caller passed (already built, a list, or nothing)."""
    if areas is None or isinstance(areas, AreaNames):
        return areas
    return AreaNames(areas)

"""Organisation names made comparable: normalisation and a similarity score (pure).

Names of the same organisation differ between counties' files in case, punctuation,
legal-form words ("AB", "ideell förening") and word order. We normalise those away and
compare with difflib's ratio (Ratcliff & Obershelp 1988, "Pattern matching: the gestalt
approach", Dr. Dobb's Journal) on the whole string and on the sorted words ("token sort",
as in record-linkage practice; Christen 2012, *Data Matching*, ch. 5), taking the larger.
Place names are a strong signal the other way: "Fritidsgården Botkyrka" and
"Fritidsgården Sigtuna" share most letters but are two organisations, so differing
kommun names cap the score below the review threshold's reach.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher

# Words that say what legal form an organisation has, not which organisation it is.
LEGAL_FORM_WORDS = frozenset(
    {
        "ab",
        "aktiebolag",
        "aktiebolaget",
        "publ",
        "hb",
        "handelsbolag",
        "kb",
        "kommanditbolag",
        "ek",
        "för",
        "ekonomisk",
        "ekonomiska",
        "ideell",
        "ideella",
        "förening",
        "föreningen",
        "stiftelse",
        "stiftelsen",
        "kommun",
        "kommuns",
        "stad",
        "region",
        "regionen",
        "ekf",
        "if",
        "the",
    }
)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SPACES = re.compile(r"\s+")

# Scores at or above AUTO are merged without review; between REVIEW and AUTO a person decides.
AUTO_THRESHOLD = 0.93
REVIEW_THRESHOLD = 0.80
# A pair naming two different places can at most reach this (below REVIEW: never merged).
DIFFERENT_PLACE_CAP = 0.6


def normalise_name(name: str) -> str:
    """Lower case, no accents beyond å ä ö, no punctuation, no legal-form words."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = text.replace("&", " och ").replace("+", " och ")
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    words = [w for w in _SPACES.split(text) if w and w not in LEGAL_FORM_WORDS]
    return " ".join(words)


def normalise_place(name: str) -> str:
    """A kommun or län name in the form normalise_name produces (genitive -s kept apart)."""
    return normalise_name(name)


def places_in(normalised: str, places: Iterable[str]) -> frozenset[str]:
    """Which of the (normalised) place names occur as whole words in a normalised name.

    A genitive ("botkyrkas") counts as the place.
    """
    padded = f" {normalised} "
    found = set()
    for place in places:
        if place and (f" {place} " in padded or f" {place}s " in padded):
            found.add(place)
    return frozenset(found)


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def name_similarity(a: str, b: str, places: Iterable[str] = ()) -> float:
    """Similarity in [0, 1] of two raw names; 1.0 when they normalise to the same text."""
    na, nb = normalise_name(a), normalise_name(b)
    return normalised_similarity(na, nb, frozenset(places))


def normalised_similarity(na: str, nb: str, places: frozenset[str] = frozenset()) -> float:
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    score = max(_ratio(na, nb), _ratio(" ".join(sorted(na.split())), " ".join(sorted(nb.split()))))
    if places:
        pa, pb = places_in(na, places), places_in(nb, places)
        if pa and pb and pa != pb:
            score = min(score, DIFFERENT_PLACE_CAP)
    return score

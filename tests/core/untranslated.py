"""Find English the Swedish pages printed without translating (shared by the
Django-client check in ``test_translations.py`` and the browser walk in ``tests/e2e``).

A msgid whose Swedish msgstr differs from it, and that is long enough to be
distinctive (12 characters or more, with a space), must not appear in the visible text
of a page served in Swedish: if it does, the page printed the msgid without
translating it (a missing ``{% trans %}``, a ``gettext`` evaluated at import time, a
string built from an English constant). Text inside ``lang="en"`` elements (the
language switch) is English on purpose and is skipped, and so is text marked
``translate="no"`` (HTML's own mark for content not to translate: a data file shown
for editing, such as a bilingual scale definition).
"""

from __future__ import annotations

import html
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted((ROOT / "src" / "jamlik").glob("**/locale/sv/LC_MESSAGES/django.po"))
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdf]|\{\{[^}]*\}\}|\{[\w.]*\}")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
MIN_LENGTH = 12
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
SKIPPED = {"script", "style", "template", "noscript"}
SHOWN_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


def _fragments(msgid: str) -> list[str]:
    """The literal pieces of a msgid that must not be shown as they are."""
    text = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", msgid))).strip()
    pieces = [p.strip(" .,:;()–-") for p in _PLACEHOLDER.split(text)]
    return [p for p in pieces if len(p) >= MIN_LENGTH and " " in p]


@cache
def english_phrases() -> dict[str, str]:
    """Distinctive English phrase → its Swedish translation."""
    import polib

    phrases: dict[str, str] = {}
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.obsolete or entry.msgid_plural:
                continue
            if not entry.msgstr or entry.msgstr.strip() == entry.msgid.strip():
                continue
            translated = _SPACE.sub(" ", entry.msgstr)
            for piece in _fragments(entry.msgid):
                if piece not in translated:  # a name kept in Swedish is not a miss
                    phrases.setdefault(piece, translated)
    return phrases


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, hidden from this check)

    def _hidden(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        hidden = (
            self._hidden()
            or tag in SKIPPED
            or (values.get("lang") or "").startswith("en")
            or values.get("translate") == "no"
        )
        if not hidden:
            self.parts += [str(values[a]) for a in SHOWN_ATTRIBUTES if values.get(a)]
        if tag not in VOID:
            self._stack.append((tag, hidden))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._hidden():
            values = dict(attrs)
            self.parts += [str(values[a]) for a in SHOWN_ATTRIBUTES if values.get(a)]

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            self.parts.append(data)


def visible_text(page_html: str) -> str:
    parser = _VisibleText()
    parser.feed(page_html)
    parser.close()
    return _SPACE.sub(" ", " ".join(parser.parts))


def untranslated(page_html: str) -> list[str]:
    """English msgid phrases found in the page's visible text (sorted, distinct).

    A phrase given in brackets after its own Swedish translation ("Påhittad demopost
    (invented demo record)", a bilingual label in data) is not a miss.
    """
    text = visible_text(page_html)
    found = []
    for phrase, swedish in english_phrases().items():
        if phrase not in text:
            continue
        glossed = f"{swedish.rstrip('.')} ({phrase}".lower()
        if phrase.lower() in text.lower().replace(glossed, ""):
            found.append(phrase)
    return sorted(found)

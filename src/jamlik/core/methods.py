"""The methods document (``docs/methods.md``) rendered for the web.

Headings get stable ids (slugs) so each figure can link to the method behind it,
e.g. ``/metoder/#wilson``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt

METHODS_FILE = Path(__file__).resolve().parents[3] / "docs" / "methods.md"


def _add_heading_ids(md: MarkdownIt) -> None:
    def rule(state) -> None:  # type: ignore[no-untyped-def]
        tokens = state.tokens
        # Ids written by hand in the document (``<a id="wilson"></a>``) win; slugs that
        # would repeat one get a suffix, so every id on the page is unique.
        used = set(re.findall(r'id="([^"]+)"', state.src))
        for i, token in enumerate(tokens):
            if token.type == "heading_open" and not token.attrGet("id"):
                text = tokens[i + 1].content
                match = re.search(r"\{#([\w-]+)\}\s*$", text)
                if match:
                    tokens[i + 1].children[-1].content = re.sub(
                        r"\s*\{#[\w-]+\}\s*$", "", tokens[i + 1].children[-1].content
                    )
                    token.attrSet("id", match.group(1))
                else:
                    slug, n = slugify(text) or "section", 2
                    while slug in used:
                        slug, n = f"{slugify(text)}-{n}", n + 1
                    used.add(slug)
                    token.attrSet("id", slug)

    md.core.ruler.push("heading_ids", rule)


@cache
def methods_html() -> SafeString | None:
    if not METHODS_FILE.exists():
        return None
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    _add_heading_ids(md)
    return mark_safe(md.render(METHODS_FILE.read_text(encoding="utf-8")))

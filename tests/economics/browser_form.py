"""Read a rendered HTML form the way a browser would submit it (stdlib parser only)."""

from __future__ import annotations

from html.parser import HTMLParser


class FormValues(HTMLParser):
    """Collects the values a browser submits: text inputs, checked boxes, textareas and
    each select's selected option (or its first option when none is selected)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._selected = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[name] = a.get("value") or "on"
            else:
                self.values[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select, self._selected = name, False
            self.values.pop(name, None)
        elif tag == "option" and self._select:
            if "selected" in a:
                self.values[self._select] = a.get("value", "")
                self._selected = True
            elif not self._selected and self._select not in self.values:
                self.values[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def form_values(html: str, start_marker: str = 'class="stack scenario-editor"') -> dict[str, str]:
    """Values of the form that starts at ``start_marker`` in ``html``."""
    start = html.index(start_marker)
    end = html.index("</form>", start)
    parser = FormValues()
    parser.feed(html[start:end])
    return parser.values

"""Read the edit form a page offers, so a refused POST carries a realistic payload.

A refusal test that posts an empty body proves little: the view might reject the data
before it ever checks permissions. These helpers take the owner's own form (every field
with its current value), change one text field, and let the test post that.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

SKIP_ACTIONS = ("/i18n/setlang/", "/konto/logga-ut/")


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_multiple = False
        self._first_option: str | None = None
        self._selected_any = False

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: (v or "") for k, v in attrs_list}
        if tag == "form":
            self._form = {
                "action": attrs.get("action", ""),
                "method": attrs.get("method", "get").lower(),
                "fields": [],
                "text": [],
            }
            return
        form = self._form
        if form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    form["fields"].append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                form["fields"].append((name, attrs.get("value", "")))
                if kind in ("text", "search", "") and name != "csrfmiddlewaretoken":
                    form["text"].append(name)
        elif tag == "textarea" and name:
            self._textarea = name
            form["fields"].append((name, ""))
            form["text"].append(name)
        elif tag == "select" and name:
            self._select = name
            self._select_multiple = "multiple" in attrs
            self._first_option = None
            self._selected_any = False
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None and value:
                self._first_option = value  # the first real choice, not a "---" placeholder
            if "selected" in attrs and value:  # a selected "---" counts as no choice
                form["fields"].append((self._select, value))
                self._selected_any = True

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select and self._form is not None:
            if not self._selected_any and not self._select_multiple and self._first_option:
                self._form["fields"].append((self._select, self._first_option))
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def edit_form(html: str) -> dict[str, Any]:
    """The page's main POST form: ``{"action", "data" (dict of lists), "text" (names)}``."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form["method"] != "post" or form["action"].startswith(SKIP_ACTIONS):
            continue
        data: dict[str, list[str]] = {}
        for name, value in form["fields"]:
            data.setdefault(name, []).append(value)
        if set(data) - {"csrfmiddlewaretoken"}:
            return {"action": form["action"], "data": data, "text": form["text"]}
    raise AssertionError("the page has no POST form with fields")


def with_marker(form: dict[str, Any], marker: str, field: str | None = None) -> dict[str, Any]:
    """The form's data with ``marker`` written into a text field (the first, or ``field``)."""
    data = {k: list(v) for k, v in form["data"].items() if k != "csrfmiddlewaretoken"}
    target = field or next(n for n in form["text"] if n in data)
    data[target] = [marker]
    return data

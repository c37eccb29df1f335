"""The overview's cells, built in one pass, are the HTML the per-cell ``format_html`` gave."""

from __future__ import annotations

import numpy as np
import pytest
from django.utils import translation
from django.utils.html import format_html
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.core.templatetags.jamlik_format import fmt
from jamlik.indicators.analysis import MARKER_KEYS
from jamlik.indicators.presentation import MatrixCells, comparison_marker, number_formatter

FAST = settings(max_examples=300, deadline=None)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=False),
    st.floats(min_value=-1e6, max_value=1e6),
    st.integers(-(10**7), 10**7).map(float),
    st.integers(-(10**7), 10**7).map(lambda n: n / 100),
)


@pytest.mark.parametrize("language", ["sv", "en"])
@FAST
@given(x=numbers)
def test_number_formatter_is_fmt(language: str, x: float) -> None:
    with translation.override(language):
        assert number_formatter()(x) == fmt(x)


def _reference_cell(value: float, key: str, suppressed: bool, published: bool) -> str:
    """The cell as the page built it before: one ``format_html`` per cell."""
    marker = comparison_marker(key)
    if suppressed:
        html = format_html(
            '<span aria-hidden="true">*</span><span class="ind-sr">{}</span>',
            "suppressed: too few cases to publish",
        )
    elif value != value:
        html = format_html(
            '<span aria-hidden="true">–</span><span class="ind-sr">{}</span>', "no value"
        )
    else:
        html = format_html(
            '{}<span class="ind-sym" aria-hidden="true">{}</span><span class="ind-sr">, {}</span>',
            fmt(value),
            marker.symbol,
            str(marker.label),
        )
    if not published:
        html = format_html('{} <span class="ind-unpublished">{}</span>', html, "unpublished")
    return f'<td class="ind-cell c-{marker.key}">{html}</td>'


cells = st.tuples(
    st.one_of(st.just(float("nan")), st.floats(-1e5, 1e5)),
    st.integers(0, len(MARKER_KEYS) - 1),
    st.booleans(),
    st.booleans(),
)


@FAST
@given(st.lists(cells, max_size=12))
def test_matrix_row_is_the_per_cell_html(row: list[tuple[float, int, bool, bool]]) -> None:
    with translation.override("en"):
        built = MatrixCells(MARKER_KEYS).row(
            np.array([c[0] for c in row], dtype=float),
            np.array([c[1] for c in row], dtype=np.int16),
            np.array([c[2] for c in row], dtype=bool),
            np.array([c[3] for c in row], dtype=bool),
        )
        expected = "".join(_reference_cell(v, MARKER_KEYS[m], s, p) for v, m, s, p in row)
    assert built == expected


def test_cell_words_are_escaped_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from jamlik.indicators import presentation

    monkeypatch.setattr(presentation, "gettext_now", lambda text: f"<b>{text}</b>")
    built = MatrixCells(MARKER_KEYS).row(
        np.array([np.nan]), np.array([0]), np.array([True]), np.array([False])
    )
    assert "<b>" not in built and "&lt;b&gt;suppressed" in built

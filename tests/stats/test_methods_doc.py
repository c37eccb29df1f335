"""docs/methods.md must keep the anchors the web app links to, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
METHODS = ROOT / "docs" / "methods.md"

ANCHORS = [
    "confidence", "wilson", "byar", "mean", "dsr", "isr", "life-expectancy", "sii",
    "quantiles", "funnel", "compare", "trend", "suppression", "inequality",
    "ineq-d", "ineq-r", "ineq-aci", "ineq-rci", "ineq-bgv", "ineq-bgsd", "ineq-idis",
    "ineq-md", "ineq-mld", "ineq-ti", "ineq-paf", "ineq-par", "ineq-sii", "ineq-cov",
    "gap-directions", "gap-trend",
]  # fmt: skip


def test_every_method_has_a_swedish_and_an_english_anchor():
    ids = re.findall(r'<a id="([a-z0-9-]+)"></a>', METHODS.read_text(encoding="utf-8"))
    assert len(ids) == len(set(ids)), "anchors must be unique"
    for anchor in ANCHORS:
        assert anchor in ids, f"missing Swedish anchor #{anchor}"
        assert f"en-{anchor}" in ids, f"missing English anchor #en-{anchor}"


def test_each_anchor_is_followed_by_a_heading():
    lines = METHODS.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if line.startswith("<a id="):
            assert lines[number + 1].startswith("#"), f"anchor on line {number + 1} has no heading"

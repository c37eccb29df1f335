"""The methods page: every id unique, the stable anchors present."""

from __future__ import annotations

import re
from collections import Counter


def test_methods_page_ids_are_unique(client, geography):
    html = client.get("/metoder/").content.decode()
    counts = Counter(re.findall(r'\bid="([^"]+)"', html))
    assert not [i for i, n in counts.items() if n > 1]
    for anchor in [
        "wilson",
        "byar",
        "dsr",
        "isr",
        "sii",
        "compare",
        "trend",
        "suppression",
        "en-wilson",
    ]:
        assert counts[anchor] == 1, anchor

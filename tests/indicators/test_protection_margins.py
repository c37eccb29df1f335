"""A cross table is linked to every lower-order margin that is published, not only the
one a level down: a three-way table published with the sex margin but without its
two-way tables must not give a hidden cell back as that margin minus the visible cells."""

from __future__ import annotations

import pandas as pd

from jamlik.indicators.protection import build_relations, protect


def test_a_three_way_table_without_two_way_margins_keeps_its_hidden_cell() -> None:
    rows = [("total", "total", 1000.0), ("sex", "female", 500.0), ("sex", "male", 500.0)]
    female, male = [2.0, 150.0, 160.0, 188.0], [120.0, 130.0, 140.0, 110.0]
    cells = [(a, e) for a in ("16-29", "30-44") for e in ("high", "low")]
    for (age, education), f, m in zip(cells, female, male, strict=True):
        rows.append(("age*education*sex", f"{age}*{education}*female", f))
        rows.append(("age*education*sex", f"{age}*{education}*male", m))
    frame = pd.DataFrame(rows, columns=["breakdown", "category", "n"])
    relations = build_relations(frame.assign(area=1, parent=-1, start=2024, end=2024))
    result = protect(frame["n"].to_numpy(), 5, relations)
    frame["hidden"] = result.hidden
    women = frame[frame["category"].str.endswith("*female")]
    assert women["hidden"].any()
    # The outsider's attack: the sex margin minus the visible cells of women.
    assert women["hidden"].sum() >= 2, "one hidden cell = margin - visible cells"
    assert result.safe

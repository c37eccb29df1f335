"""The outsider's tool shared by the disclosure attack tests: solving by subtraction."""

from __future__ import annotations

Cell = tuple[str, str, str, str]  # area code, period, breakdown, category


def solve(known: dict[Cell, float], relations: list[tuple[Cell, list[Cell]]]) -> dict[Cell, float]:
    """Everything that follows from ``known`` by subtraction along ``total = Σ parts``
    relations, repeated until nothing new is learnt."""
    known = dict(known)
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            unknown = [m for m in (total, *parts) if m not in known]
            if len(unknown) != 1:
                continue
            (cell,) = unknown
            rest = sum(known[p] for p in parts if p in known)
            known[cell] = rest if cell == total else known[total] - rest
            changed = True
    return known

"""Invented microdata files for the integration tests (never real answers)."""

from __future__ import annotations

import random

from jamlik.surveys.scales import load_scale_set, shipped_scale_text

SCALES = load_scale_set(shipped_scale_text())


def _worst(scales_for_item: list, item: str) -> int | None:
    """The answer that pushes a respondent to risk (or away from protection) on the first
    scale that uses ``item``."""
    for scale in scales_for_item:
        q = SCALES.questions[item]
        high_is_risky = (scale.kind == "risk") != (item in scale.reverse)
        return q.high if high_is_risky else q.low
    return None


def make_csv(
    rows: int = 240,
    *,
    kommuner: tuple[str, ...] = ("0127", "Solna", "0186"),
    district: dict[str, str] | None = None,
    seed: int = 3,
    weights: bool = True,
    extra: dict[str, list[str]] | None = None,
    skewed: str | None = None,
) -> tuple[bytes, list[dict[str, object]]]:
    """An invented microdata file and its rows (as written).

    ``skewed`` names a kommun value whose respondents all give the risky answer on every
    scale item, so that kommun is elevated on every risk scale and has lower protection.
    """
    rng = random.Random(seed)
    questions = list(SCALES.questions.values())
    users = {q.id: [s for s in SCALES.scales if q.id in s.items] for q in questions}
    header = ["kommun", "stadsdel", "år", "årskurs", "kön", "vikt", *(q.id for q in questions)]
    if extra:
        header += list(extra)
    written = []
    for index in range(rows):
        kommun = kommuner[index % len(kommuner)]
        turn = index // len(kommuner)  # groups vary within each kommun
        row: dict[str, object] = {
            "kommun": kommun,
            "stadsdel": (district or {}).get(kommun, ""),
            "år": 2024,
            "årskurs": "åk 9" if turn % 2 else "gy 2",
            "kön": "flicka" if turn % 4 < 2 else "pojke",
            "vikt": (1.5 if turn % 3 else 3.0) if weights else "",
        }
        for q in questions:
            worst = _worst(users[q.id], q.id) if kommun == skewed else None
            if worst is not None:
                row[q.id] = worst
            else:
                row[q.id] = rng.choice(q.codes + q.missing[:1]) if rng.random() < 0.95 else ""
        for name, values in (extra or {}).items():
            row[name] = values[index % len(values)]
        written.append(row)
    lines = [";".join(header)]
    lines += [";".join(str(r.get(h, "")) for h in header) for r in written]
    return ("\n".join(lines) + "\n").encode("utf-8"), written

"""Invented demo of web data entry: Stockholms län's own measure, entered per kommun.

One own indicator of län 01, entered on the web (``web_entry``): the share of pupils
in year 8 reached by an (invented) county programme on mental health.  For the last
two full years about half of the kommuner have entered their numbers; the older
year's entries are published, the latest year's partly published and partly awaiting
the county's publication, so the completeness view shows a real mix.  Botkyrka has
entered nothing for the latest year, which the browser test then does.  Every number
here is invented.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from jamlik.geo.models import Area
from jamlik.indicators.demo import POPULATION, SCORES
from jamlik.indicators.entry import EnteredRow, EntryShape, build_batch
from jamlik.indicators.entry_services import ENTRY_SOURCE, latest_year
from jamlik.indicators.models import ImportRun, Indicator, Polarity, ValueType
from jamlik.indicators.own import create_own
from jamlik.indicators.services import store_batches
from jamlik.indicators.staging import publish

SERIES = "AB_ELEVPROGRAM"
#: Kommuner left empty in the latest year whatever the draw (the browser test enters Botkyrka).
LEFT_FOR_THE_TEST = ("0127",)


def _indicator() -> Indicator:
    found = Indicator.objects.filter(series=SERIES).order_by("-series_version").first()
    if found is not None:
        return found
    return create_own(
        Area.objects.get(code="01"),
        series=SERIES,
        name_sv="Elever i årskurs 8 nådda av länets program för psykisk hälsa, andel (påhittad)",
        name_en="Pupils in year 8 reached by the county's mental-health programme, share (invented)",
        definition_sv=(
            "Påhittat demoexempel: andel elever i årskurs 8 som deltagit i minst tre av "
            "programmets fyra träffar under läsåret. Kommunerna matar in antalen på webben."
        ),
        definition_en=(
            "Invented demo example: share of pupils in year 8 who took part in at least three "
            "of the programme's four sessions in the school year. The kommuner enter the "
            "counts on the web."
        ),
        numerator_definition="Pupils in year 8 who took part in at least three sessions",
        denominator_definition="Pupils in year 8 in the kommun's schools",
        value_type=ValueType.PROPORTION,
        multiplier=100,
        polarity=Polarity.HIGH_IS_GOOD,
        source="Stockholms län (invented demo)",
        web_entry=True,
    )


def _rows(year: int, codes: list[str], rng: np.random.Generator) -> list[EnteredRow]:
    names = dict(Area.objects.filter(code__in=codes).values_list("code", "name"))
    rows = []
    for code in codes:
        pupils = max(40, int(POPULATION[code] * 0.011))
        share = float(np.clip(0.45 + 0.25 * SCORES[code] + rng.normal(0, 0.06), 0.1, 0.95))
        reached = int(round(pupils * share))
        rows.append(EnteredRow(code, names[code], float(reached), float(pupils)))
    return rows


def _store(indicator: Indicator, period: str, rows: list[EnteredRow], *, published: bool) -> None:
    run = store_batches(
        [build_batch(indicator.code, period, rows, EntryShape.COUNTS, source=ENTRY_SOURCE)],
        kind=ImportRun.Kind.ENTRY,
        description=(f"Inmatning: {indicator.code} {period}, {len(rows)} kommuner (invented demo)"),
        actor="jamlik demo",
        is_demo=True,
    )
    if published:
        publish(run, user=None)


def seed_entry(progress: Callable[[str], None]) -> None:
    """Create the indicator (once) and its invented entries; the demo seeder removed
    earlier demo runs and rows before calling this."""
    progress("web data entry: an own indicator of Stockholms län, half entered")
    indicator = _indicator()
    rng = np.random.default_rng(20_16)
    kommuner = sorted(c for c in SCORES if c.startswith("01"))
    latest = latest_year() - 1
    older = [c for c in kommuner if rng.random() < 0.55]
    rows = _rows(latest - 1, older, rng)
    half = len(rows) // 2
    _store(indicator, str(latest - 1), rows[:half], published=True)
    _store(indicator, str(latest - 1), rows[half:], published=True)
    newer = [c for c in kommuner if rng.random() < 0.5 and c not in LEFT_FOR_THE_TEST]
    rows = _rows(latest, newer, rng)
    half = len(rows) // 2
    _store(indicator, str(latest), rows[:half], published=True)
    _store(indicator, str(latest), rows[half:], published=False)

"""Invented demo records for Stockholms län: two years of support, four agreements.

Everything here is made up for demonstration and marked ``is_demo``. The four
kommuner with agreements are those that had deepened collaboration with the county board
in the real 2019–2020 pilot (Botkyrka, Lidingö, Norrtälje, Sigtuna), but the dates,
activities and commitments below are invented. Deterministic (fixed seed and dates) and
idempotent (earlier demo rows are removed first).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction

from jamlik.geo.models import Area
from jamlik.support import services
from jamlik.support.models import (
    ActivityKind,
    Agreement,
    AgreementStatus,
    Commitment,
    CommitmentStatus,
    FollowUpMeeting,
    NeedComponentSetting,
    NeedComponentSource,
    ParticipantRole,
    Party,
    Phase,
    SupportActivity,
)
from jamlik.support.services import ParticipationInput

SEED = 20190101
FIRST = date(2024, 11, 1)
LAST = date(2026, 10, 31)
AGREEMENT_KOMMUNER = ["0127", "0186", "0188", "0191"]
NOTE = "Påhittad demopost (invented demo record)."

THEMES = [
    ("Tidiga insatser för barn och unga", ["public_health", "parenting_support"], [1, 2]),
    ("Lokal lägesbild med Stockholmsenkäten", ["andts", "crime_prevention"], [6, 7]),
    ("Våld i nära relationer", ["mens_violence", "violence_prevention"], [7]),
    ("Trygghet i närmiljön", ["crime_prevention"], [5, 7]),
    ("Föräldraskapsstöd i hela kommunen", ["parenting_support"], [1]),
    ("Spel om pengar bland unga", ["andts"], [6]),
    ("Friluftsliv och rörelse för alla", ["outdoor_life", "public_health"], [6, 5]),
    ("Nyanländas etablering och hälsa", ["integration", "public_health"], [3, 4, 7]),
]
TRAINING_MATERIALS = [
    "Demofilm: Risk- och skyddsfaktorer på tolv minuter (påhittad)",
    "Demokurs: Kvalitetsmodellens åtta steg (påhittad)",
    "Demofilm: Tillsyn av alkoholservering (påhittad)",
]


def _spread(rng: random.Random, count: int) -> list[date]:
    span = (LAST - FIRST).days
    return sorted(FIRST + timedelta(days=rng.randrange(span)) for _ in range(count))


def _participants(
    rng: random.Random, kommuner: list[Area], low: int, high: int
) -> list[ParticipationInput]:
    chosen = rng.sample(kommuner, rng.randint(low, high))
    result = []
    for kommun in sorted(chosen, key=lambda k: k.code):
        result.append(ParticipationInput(kommun, ParticipantRole.OFFICIAL, rng.randint(1, 4)))
        if rng.random() < 0.4:
            result.append(ParticipationInput(kommun, ParticipantRole.MANAGER, rng.randint(1, 2)))
        if rng.random() < 0.15:
            result.append(ParticipationInput(kommun, ParticipantRole.POLITICIAN, 1))
    return result


def _activity(
    county: Area, kind: str, title: str, on: date, theme: tuple, parts, **extra
) -> SupportActivity:
    values = {
        "kind": kind,
        "title": title,
        "date": on,
        "end_date": extra.pop("end_date", None),
        "theme": theme[0],
        "description": NOTE,
        "materials": extra.pop("materials", ""),
        "subject_areas": theme[1],
        "target_areas": theme[2],
        "agreement": extra.pop("agreement", None),
        "is_demo": True,
    }
    return services.save_activity(county, values, parts)


@transaction.atomic
def seed(progress: Callable[[str], None]) -> None:
    county = Area.objects.get(code="01")
    rng = random.Random(SEED)
    progress("support: removing earlier demo records")
    SupportActivity.objects.filter(county=county, is_demo=True).delete()
    # A demo agreement a user's activity was delivered under stays (and is reused below).
    used = SupportActivity.objects.filter(county=county, agreement__isnull=False).values(
        "agreement"
    )
    Agreement.objects.filter(county=county, is_demo=True).exclude(pk__in=used).delete()
    kommuner = list(Area.objects.municipalities("01"))
    by_code = {k.code: k for k in kommuner}

    progress("support: network meetings, seminars, conferences and trainings")
    for i, on in enumerate(_spread(rng, 12)):
        theme = THEMES[i % len(THEMES)]
        _activity(
            county,
            ActivityKind.NETWORK_MEETING,
            f"Nätverksträff: {theme[0]}",
            on,
            theme,
            _participants(rng, kommuner, 8, 18),
        )
    for i, on in enumerate(_spread(rng, 6)):
        theme = THEMES[(i + 3) % len(THEMES)]
        _activity(
            county,
            ActivityKind.SEMINAR,
            f"Seminarium: {theme[0]}",
            on,
            theme,
            _participants(rng, kommuner, 6, 14),
        )
    for year in (2025, 2026):
        theme = THEMES[0]
        _activity(
            county,
            ActivityKind.CONFERENCE,
            f"Länskonferens om jämlik hälsa {year}",
            date(year, 10, 8),
            theme,
            _participants(rng, kommuner, 15, 24),
        )
    for i, on in enumerate(_spread(rng, 6)):
        theme = THEMES[(i + 1) % len(THEMES)]
        _activity(
            county,
            ActivityKind.TRAINING,
            f"Utbildning: {theme[0]}",
            on,
            theme,
            _participants(rng, kommuner, 3, 10),
            materials=TRAINING_MATERIALS[i % len(TRAINING_MATERIALS)],
        )

    progress("support: kommundialoger, leadership visits and development projects")
    dialogue_kommuner = sorted(
        set(rng.sample([k.code for k in kommuner], 14)) | set(AGREEMENT_KOMMUNER)
    )
    for code, on in zip(dialogue_kommuner, _spread(rng, len(dialogue_kommuner)), strict=True):
        kommun = by_code[code]
        theme = rng.choice(THEMES)
        parts = [
            ParticipationInput(kommun, ParticipantRole.OFFICIAL, rng.randint(2, 5)),
            ParticipationInput(kommun, ParticipantRole.MANAGER, rng.randint(1, 2)),
        ]
        _activity(
            county, ActivityKind.DIALOGUE, f"Kommundialog med {kommun.name}", on, theme, parts
        )
    visit_kommuner = sorted(
        set(rng.sample([c for c in dialogue_kommuner if c not in AGREEMENT_KOMMUNER], 4))
        | set(AGREEMENT_KOMMUNER)
    )
    for code in visit_kommuner:
        kommun = by_code[code]
        on = FIRST + timedelta(days=rng.randrange(60, 300))
        parts = [
            ParticipationInput(kommun, ParticipantRole.POLITICIAN, rng.randint(1, 3)),
            ParticipationInput(kommun, ParticipantRole.MANAGER, rng.randint(1, 3)),
        ]
        _activity(
            county,
            ActivityKind.LEADERSHIP_VISIT,
            f"Besök hos kommunledningen i {kommun.name}",
            on,
            THEMES[0],
            parts,
        )
    for i, code in enumerate(rng.sample(dialogue_kommuner, 3)):
        kommun = by_code[code]
        start = FIRST + timedelta(days=120 + 90 * i)
        theme = THEMES[(i + 2) % len(THEMES)]
        _activity(
            county,
            ActivityKind.DEVELOPMENT_PROJECT,
            f"Utvecklingsprojekt i {kommun.name}: {theme[0].lower()}",
            start,
            theme,
            [ParticipationInput(kommun, ParticipantRole.OFFICIAL, rng.randint(2, 6))],
            end_date=start + timedelta(days=365),
        )

    progress("support: four agreements on deepened collaboration")
    for i, code in enumerate(AGREEMENT_KOMMUNER):
        _agreement(county, by_code[code], i, rng)

    progress("support: need composition")
    _need_composition(county)


def _agreement(county: Area, kommun: Area, index: int, rng: random.Random) -> None:
    start = date(2025, 2 + index, 1)
    end = date(2027, 1 + index, 28)
    title = f"Överenskommelse om fördjupad samverkan – {kommun.name}"
    kept = Agreement.objects.filter(
        county=county, municipality=kommun, title=title, is_demo=True
    ).first()
    agreement = kept or Agreement.objects.create(
        county=county,
        municipality=kommun,
        title=title,
        parties=f"Länsstyrelsen i Stockholms län (enheten för social hållbarhet)\n{kommun.name} kommun (kommunstyrelsen)",
        start=start,
        end=end,
        goals=(
            f"{NOTE}\nStärka {kommun.name}s förutsättningar för främjande och förebyggande arbete: "
            "en gemensam lokal lägesbild, prioriterade risk- och skyddsfaktorer och en plan genom kvalitetsmodellens steg."
        ),
        agreed_support="Lägesbild och analys av lokala data; kartläggning av förutsättningar; utbildning för politiker och chefer; workshoppar.",
        status=AgreementStatus.ACTIVE,
        is_demo=True,
    )
    items = [
        (Phase.BEFORE, Party.BOTH, "Gemensamt startmöte med kommunledningen", 0, True),
        (Phase.BEFORE, Party.MUNICIPALITY, "Utse kontaktperson och styrgrupp", 20, True),
        (Phase.BEFORE, Party.COUNTY, "Sammanställa lokal lägesbild", 45, True),
        (Phase.DURING, Party.COUNTY, "Utbildning för politiker och chefer", 150, True),
        (
            Phase.DURING,
            Party.MUNICIPALITY,
            "Kartlägga förutsättningar med enkät och intervjuer",
            240,
            index != 1,
        ),
        (
            Phase.DURING,
            Party.BOTH,
            "Workshop: prioritera risk- och skyddsfaktorer",
            420,
            index in (0, 3),
        ),
        (
            Phase.DURING,
            Party.MUNICIPALITY,
            "Anta en plan genom kvalitetsmodellens åtta steg",
            560,
            index == 0,
        ),
        (Phase.DURING, Party.COUNTY, "Stöd i analys av Stockholmsenkäten", 640, False),
        (
            Phase.DURING,
            Party.BOTH,
            "Halvtidsuppföljning av överenskommelsen",
            650 + 10 * index,
            False,
        ),
        (Phase.AFTER, Party.MUNICIPALITY, "Föra in arbetet i ordinarie mål och budget", 760, False),
        (Phase.AFTER, Party.BOTH, "Gemensam slututvärdering och spridning", 720, False),
    ]
    if kept is not None:
        items = []  # its commitments and meetings are still there
    for phase, party, text, offset, done in items:
        due = start + timedelta(days=offset)
        Commitment.objects.create(
            agreement=agreement,
            phase=phase,
            party=party,
            text=text,
            due=due,
            status=CommitmentStatus.DONE if done else CommitmentStatus.OPEN,
            done_on=due - timedelta(days=rng.randint(0, 10)) if done else None,
        )
    for months in () if kept is not None else (6, 12, 18, 24):
        on = start + timedelta(days=30 * months)
        FollowUpMeeting.objects.create(
            agreement=agreement,
            date=on,
            purpose=f"Uppföljning efter {months} månader",
            minutes="Påhittat protokoll: genomgång av åtaganden och nästa steg."
            if on < LAST
            else "",
        )
    for offset, title in (
        (100, "Workshop om lokal lägesbild"),
        (300, "Workshop om prioriterade faktorer"),
    ):
        on = start + timedelta(days=offset)
        if on <= LAST:
            _activity(
                county,
                ActivityKind.FOLLOW_UP_MEETING,
                f"{title} i {kommun.name}",
                on,
                THEMES[1],
                [ParticipationInput(kommun, ParticipantRole.OFFICIAL, rng.randint(4, 9))],
                agreement=agreement,
            )


def _need_composition(county: Area) -> None:
    """Prerequisite score plus up to three situation-picture indicators with data.

    The composition is the county administrator's to change, so it is only set when the
    county has none (components carry no demo mark).
    """
    if NeedComponentSetting.objects.filter(county=county).exists():
        return
    services.add_prerequisite_component(county)
    from django.apps import apps

    try:
        indicator_model = apps.get_model("indicators", "Indicator")
    except LookupError:
        return
    chosen = 0
    for indicator in indicator_model.objects.exclude(polarity="neutral").order_by(
        "sort_order", "code"
    ):
        if chosen == 3:
            break
        if not indicator.observations.filter(area__parent=county, value__isnull=False).exists():
            continue
        NeedComponentSetting.objects.create(
            county=county,
            source=NeedComponentSource.INDICATOR,
            reference=indicator.code,
            label=indicator.name_sv,
            weight=1.0,
            higher_is_worse=indicator.polarity == "low",
        )
        chosen += 1

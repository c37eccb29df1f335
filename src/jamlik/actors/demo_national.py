"""A second invented county, Uppsala län, imported as a county package for the national picture.

It shows what the national roll-up does: some organisations are also in Stockholms län's
map (same organisation number, or the same name written differently) and are merged; a
few similar names wait in the review queue. Everything is invented and marked as demo.
"""

from __future__ import annotations

import random
from typing import Any

from django.utils import timezone

from jamlik.actors.choices import ActorLevel, ActorType
from jamlik.actors.models import Actor
from jamlik.actors.orgnr import make_org_number
from jamlik.geo.models import Area

COUNTY = "03"
SEED = 20260303

LOCAL = [
    ("{k} kommun, socialförvaltningen", ActorType.MUNICIPAL, False),
    ("{k} kommun, barn- och ungdomsförvaltningen", ActorType.MUNICIPAL, False),
    ("Föreningsalliansen {k} (påhittad)", ActorType.CIVIL_SOCIETY, True),
]
ACTIVITIES = [
    (
        "Föräldrastöd i grupp",
        [1, 7],
        ["violence"],
        ["parents"],
        ["family"],
        "prevention",
        "universal",
    ),
    (
        "Öppen fritidsverksamhet",
        [6, 7],
        ["exclusion"],
        ["young_people"],
        ["leisure"],
        "promotion",
        "",
    ),
    ("Läxhjälp", [2], ["exclusion"], ["young_people"], ["school"], "prevention", "selective"),
    (
        "Trygghetsvandringar",
        [5, 7],
        ["crime"],
        ["population"],
        ["neighbourhood"],
        "prevention",
        "universal",
    ),
    (
        "Hälsosamtal för nyanlända",
        [7, 8],
        ["mental_ill_health"],
        ["newly_arrived"],
        ["health_care"],
        "promotion",
        "",
    ),
    (
        "Feriearbete för unga",
        [3, 4],
        ["exclusion"],
        ["young_people"],
        ["workplace"],
        "promotion",
        "",
    ),
]

# Which of a kommun's actors (LOCAL, by position) would run each activity: parenting
# support the social services, homework help and leisure the youth administration or the
# associations, and so on.
LEADS = {
    "Föräldrastöd i grupp": (0,),
    "Öppen fritidsverksamhet": (1, 2),
    "Läxhjälp": (1, 2),
    "Trygghetsvandringar": (0, 2),
    "Hälsosamtal för nyanlända": (0,),
    "Feriearbete för unga": (0, 1),
}


def _stockholm_twins() -> list[tuple[str, str, str, str]]:
    """(name as Uppsala writes it, org number, type, level) for organisations also in 01."""
    twins = []
    known = {
        a.name: a
        for a in Actor.objects.filter(county__code="01", is_demo=True, level=ActorLevel.NATIONAL)
    }
    same_number = known.get("Nationella folkhälsoverket (påhittat)")
    if same_number is not None:
        twins.append(
            (
                "Nationella Folkhälsoverket, Uppsalakontoret (påhittat)",
                same_number.org_number,
                ActorType.STATE_AGENCY,
                ActorLevel.NATIONAL,
            )
        )
    spelled = known.get("Riksförbundet för trygg uppväxt (påhittat)")
    if spelled is not None:
        twins.append(
            (
                "RIKSFÖRBUNDET FÖR TRYGG UPPVÄXT (påhittat)",
                "",
                ActorType.CIVIL_SOCIETY,
                ActorLevel.NATIONAL,
            )
        )
    twins.append(
        (
            "Nationellt kunskapscentrum för föräldraskapsstöd (påhittat)",
            "",
            ActorType.ACADEMIA,
            ActorLevel.NATIONAL,
        )
    )
    twins.append(
        (
            "Centrum för preventionsforskning, Uppsala (påhittat)",
            "",
            ActorType.ACADEMIA,
            ActorLevel.REGIONAL,
        )
    )
    return twins


def uppsala_package() -> dict[str, Any]:
    """The invented Uppsala län package (deterministic apart from its export time)."""
    from jamlik.actors.services.packages import FORMAT, FORMAT_VERSION, content_checksum

    rng = random.Random(SEED)
    kommuner = list(Area.objects.municipalities(COUNTY))
    actors: list[dict[str, Any]] = []
    by_kommun: dict[str, list[str]] = {}

    def add(name: str, org: str, kind: str, level: str, area: str) -> str:
        ref = f"U{len(actors) + 1:03d}"
        actors.append(
            {
                "ref": ref,
                "name": name,
                "org_number": org,
                "type": kind,
                "level": level,
                "area": area,
                "areas_served": [area],
                "contact": f"info.u{len(actors) + 1}@example.se",
                "website": "",
            }
        )
        return ref

    for kommun in kommuner:
        by_kommun[kommun.code] = [
            add(
                name.format(k=kommun.name),
                make_org_number(f"80{rng.randrange(2, 10)}{rng.randrange(0, 999999):06d}")
                if numbered
                else "",
                kind,
                ActorLevel.LOCAL,
                kommun.code,
            )
            for name, kind, numbered in LOCAL
        ]
    regional = [
        add(
            "Länsstyrelsen i Uppsala län, social hållbarhet",
            "",
            ActorType.COUNTY_BOARD,
            ActorLevel.REGIONAL,
            COUNTY,
        ),
        add(
            "Region Uppsalas folkhälsoenhet (påhittad)",
            "",
            ActorType.REGION,
            ActorLevel.REGIONAL,
            COUNTY,
        ),
    ]
    regional += [
        add(name, org, kind, level, COUNTY) for name, org, kind, level in _stockholm_twins()
    ]
    activities = []
    for index in range(60):
        kommun = rng.choice(kommuner)
        title, areas, problems, groups, settings, orientation, level = rng.choice(ACTIVITIES)
        partners = {by_kommun[kommun.code][rng.choice(LEADS[title])]}
        if rng.random() < 0.4:  # the county board or the region, not a twin from Stockholm
            partners.add(rng.choice(regional[:2]))
        activities.append(
            {
                "ref": f"UI{index + 1:03d}",
                "title": f"{title} – {kommun.name} ({index + 1})",
                "description": "Påhittad demonstrationsinsats i Uppsala län.",
                "actors": sorted(partners),
                "malomraden": areas,
                "problem_areas": problems,
                "orientation": orientation,
                "prevention_level": level,
                "age_min": None,
                "age_max": None,
                "target_groups": groups,
                "settings": settings,
                "area": kommun.code,
                "districts": [],
                "start_year": rng.randrange(2018, 2026),
                "end_year": None,
                "funding": "Kommunal budget",
                "method": "",
                "evidence": "unknown",
                "status": "ongoing",
            }
        )
    networks = [
        {
            "ref": "UN01",
            "name": "Folkhälsonätverket i Uppsala län (påhittat)",
            "convenor": regional[0],
            "members": sorted(
                {regional[0], regional[1], *(refs[0] for refs in by_kommun.values())}
            ),
            "purpose": "Påhittat nätverk.",
            "meeting_frequency": "quarterly",
            "malomraden": [1, 2, 6, 7],
            "area": COUNTY,
        }
    ]
    # The county board itself, holding its social-sustainability unit (added last, so the
    # seeded rows above stay as they were; its own number keeps it apart from Stockholm's).
    board = add(
        "Länsstyrelsen i Uppsala län",
        make_org_number("202199903"),
        ActorType.COUNTY_BOARD,
        ActorLevel.REGIONAL,
        COUNTY,
    )
    for row in actors:
        if row["ref"] == regional[0]:
            row["type"], row["part_of"] = ActorType.COUNTY_BOARD_UNIT, board
    content = {"actors": actors, "activities": activities, "networks": networks, "relations": []}
    now = timezone.now()
    checksum = content_checksum(content)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "county": COUNTY,
        "county_name": "Uppsala län",
        "version": f"{now:%Y-%m-%d}.{checksum[:8]}",
        "exported_at": now.isoformat(timespec="seconds"),
        "demo": True,
        "data_status": "Påhittade demonstrationsdata / invented demonstration data",
        "checksum": checksum,
        **content,
    }

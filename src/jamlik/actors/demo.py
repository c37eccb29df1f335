"""An invented actor map for Stockholms län: about 150 actors, 400 activities, 20 networks.

Everything here is made up for demonstration — organisation names are generic or invented,
organisation numbers are invented (valid check digits only), and no person is named. The
map is built as import rows and loaded through the ordinary import service, so the demo
also exercises the import path. Deterministic (seeded RNG); a second run finds the demo map
present and changes nothing. After loading, an inventory round is opened and a few changes
are made, so the round view has something to show.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model

from jamlik.actors.choices import ActivityStatus, ActorLevel, ActorType, RelationKind
from jamlik.actors.models import Activity, Actor, InventoryRound
from jamlik.actors.orgnr import make_org_number
from jamlik.actors.tabular import SheetRows
from jamlik.geo.models import Area, AreaLevel

COUNTY = "01"
SEED = 20260101
PILOT = ("0127", "0186", "0188", "0191")  # deepened collaboration 2019–2020
# Relative weight of each kommun's share of activities (invented; larger kommuner do more).
WEIGHT = {
    "0180": 9,
    "0127": 4,
    "0126": 3,
    "0181": 3,
    "0182": 3,
    "0136": 2,
    "0123": 2,
    "0188": 2,
    "0191": 2,
    "0186": 2,
}
FALLBACK_DISTRICTS = {
    "0127": [
        ("0127S01", "Alby"),
        ("0127S02", "Fittja"),
        ("0127S03", "Hallunda-Norsborg"),
        ("0127S04", "Tumba"),
    ]
}

# Each actor has a role: what kind of work it would plausibly run (see RUNNERS).
MUNICIPAL_UNITS = [
    ("socialförvaltningen", "social"),
    ("utbildningsförvaltningen", "education"),
    ("kultur- och fritidsförvaltningen", "leisure"),
    ("samhällsbyggnadsförvaltningen", "planning"),
]
LOCAL_CIVIL = [
    ("Föreningen Trygga Grannar {k}", "safety"),
    ("Idrottsalliansen {k}", "sports"),
    ("Studieförbundet Lärande {k}", "study"),
    ("Föräldranätverket {k}", "parents"),
    ("Kvinnojouren {k}", "shelter"),
    ("Ungdomens Hus {k}", "youth"),
]
LOCAL_OTHER = [
    ("Fastighetsbolaget {k}hem AB", ActorType.BUSINESS, "housing"),
    ("Församlingen i {k}", ActorType.CIVIL_SOCIETY, "church"),
    ("Näringslivsrådet {k}", ActorType.BUSINESS, "business"),
    ("Folkhögskolan {k}", ActorType.OTHER, "study"),
]
REGIONAL = [
    (
        "Länsstyrelsen i Stockholms län, enheten för social hållbarhet",
        ActorType.COUNTY_BOARD_UNIT,
        ActorLevel.REGIONAL,
    ),
    (
        "Länsstyrelsen i Stockholms län, brottsförebyggande samordning",
        ActorType.COUNTY_BOARD_UNIT,
        ActorLevel.REGIONAL,
    ),
    (
        "Länsstyrelsen i Stockholms län, ANDTS-samordning",
        ActorType.COUNTY_BOARD_UNIT,
        ActorLevel.REGIONAL,
    ),
    ("Regionens folkhälsoenhet", ActorType.REGION, ActorLevel.REGIONAL),
    ("Regionens barn- och ungdomspsykiatri", ActorType.REGION, ActorLevel.REGIONAL),
    ("Regionens primärvård, levnadsvanemottagningar", ActorType.REGION, ActorLevel.REGIONAL),
    ("Regionens mödra- och barnhälsovård", ActorType.REGION, ActorLevel.REGIONAL),
    ("Regionens ungdomsmottagningar", ActorType.REGION, ActorLevel.REGIONAL),
    ("Kommunförbundet i länet", ActorType.MUNICIPAL, ActorLevel.REGIONAL),
    ("Polisregionen, brottsförebyggande enheten", ActorType.STATE_AGENCY, ActorLevel.REGIONAL),
    ("Arbetsförmedlingen, regionkontoret", ActorType.STATE_AGENCY, ActorLevel.REGIONAL),
    ("Försäkringskassan, lokalkontoret", ActorType.STATE_AGENCY, ActorLevel.REGIONAL),
    ("Institutet för folkhälsovetenskap (påhittat)", ActorType.ACADEMIA, ActorLevel.REGIONAL),
    ("Centrum för preventionsforskning (påhittat)", ActorType.ACADEMIA, ActorLevel.REGIONAL),
    (
        "Högskolans institution för socialt arbete (påhittad)",
        ActorType.ACADEMIA,
        ActorLevel.REGIONAL,
    ),
    ("Länets idrottsförbund", ActorType.CIVIL_SOCIETY, ActorLevel.REGIONAL),
    ("Länsföreningen för föräldrastöd", ActorType.CIVIL_SOCIETY, ActorLevel.REGIONAL),
    ("Regionala nykterhetsförbundet", ActorType.CIVIL_SOCIETY, ActorLevel.REGIONAL),
    (
        "Friluftsfrämjandet i länet (påhittad avdelning)",
        ActorType.CIVIL_SOCIETY,
        ActorLevel.REGIONAL,
    ),
    ("Stiftelsen Unga Röster (påhittad)", ActorType.CIVIL_SOCIETY, ActorLevel.REGIONAL),
    ("Handelskammarens arbetsgrupp för unga (påhittad)", ActorType.BUSINESS, ActorLevel.REGIONAL),
]
REGIONAL_ROLES = [
    "county",
    "crime",
    "andts",
    "public_health",
    "child_psychiatry",
    "primary_care",
    "child_health",
    "youth_clinic",
    "municipal_association",
    "police",
    "employment",
    "social_insurance",
    "research",
    "research",
    "research",
    "sports",
    "parents",
    "andts_civil",
    "outdoor",
    "youth",
    "business",
]
#: The county board itself and the units of its own public-health work (pillar 1) added
#: beside the three units above; refs of their own so the seeded map above stays the same.
BOARD_REF = "DL01"
BOARD = ("Länsstyrelsen i Stockholms län", "202199901")  # invented number
BOARD_UNITS = [
    ("DL02", "Länsstyrelsen i Stockholms län, enheten för regional tillväxt"),
    ("DL03", "Länsstyrelsen i Stockholms län, samhällsplaneringsenheten"),
]
#: (ref, unit ref, title, målområden, target groups, settings, orientation, start year)
BOARD_ACTIVITIES = [
    (
        "DL11",
        "DL02",
        "Kompetensförsörjning och unga utanför arbete i den regionala tillväxtstrategin",
        [2, 3, 4],
        ["neet", "young_people"],
        ["workplace"],
        "promotion",
        2024,
    ),
    (
        "DL12",
        "DL02",
        "Jämlik hälsa som bedömningsgrund för regionala projektmedel",
        [3, 4],
        ["professionals"],
        [],
        "promotion",
        2025,
    ),
    (
        "DL13",
        "DL02",
        "Arbetsintegrerande sociala företag – länsgemensamt stöd",
        [3, 7],
        ["adults", "newly_arrived"],
        ["workplace"],
        "both",
        2023,
    ),
    (
        "DL21",
        "DL03",
        "Hälsa och trygghet i yttranden över översiktsplaner",
        [5, 7],
        ["population"],
        ["neighbourhood"],
        "promotion",
        2022,
    ),
    (
        "DL22",
        "DL03",
        "Bostadsmarknadsanalys med trångboddhet och barnfamiljers boende",
        [1, 5],
        ["children", "parents"],
        ["neighbourhood"],
        "prevention",
        2025,
    ),
]

NATIONAL = [
    ("Nationella folkhälsoverket (påhittat)", ActorType.STATE_AGENCY),
    ("Nationella rådet för brottsprevention (påhittat)", ActorType.STATE_AGENCY),
    ("Riksförbundet för trygg uppväxt (påhittat)", ActorType.CIVIL_SOCIETY),
    ("Nationellt kunskapscentrum för föräldraskap (påhittat)", ActorType.ACADEMIA),
]

# title, målområden, problem areas, target groups, settings, orientation, prevention level,
# ages, method, evidence, weight (how common)
TEMPLATES: list[tuple[Any, ...]] = [
    (
        "Föräldrastöd i grupp",
        [1, 7],
        ["violence", "mental_ill_health"],
        ["parents"],
        ["family"],
        "prevention",
        "universal",
        (0, 12),
        "Strukturerat föräldraskapsprogram",
        "established",
        5,
    ),
    (
        "Familjecentral",
        [1, 8],
        ["mental_ill_health"],
        ["parents", "children"],
        ["health_care", "preschool"],
        "promotion",
        "universal",
        (0, 6),
        "",
        "promising",
        4,
    ),
    (
        "Utökade hembesök för nyblivna föräldrar",
        [1, 8],
        ["exclusion"],
        ["parents"],
        ["family", "health_care"],
        "promotion",
        "selective",
        (0, 1),
        "Hembesöksprogram",
        "promising",
        3,
    ),
    (
        "Språkstimulans i förskolan",
        [1, 2],
        ["exclusion"],
        ["children"],
        ["preschool"],
        "promotion",
        "universal",
        (1, 5),
        "",
        "not_evaluated",
        3,
    ),
    (
        "Läxhjälp och studiestöd",
        [2],
        ["exclusion"],
        ["young_people"],
        ["school", "leisure"],
        "prevention",
        "selective",
        (10, 18),
        "",
        "not_evaluated",
        5,
    ),
    (
        "Mentorprogram för unga",
        [2, 7],
        ["crime", "exclusion"],
        ["young_people"],
        ["leisure"],
        "prevention",
        "selective",
        (12, 20),
        "Mentorskap",
        "promising",
        3,
    ),
    (
        "Elevhälsans hälsosamtal",
        [2, 6, 8],
        ["mental_ill_health", "andts"],
        ["young_people"],
        ["school"],
        "promotion",
        "universal",
        (6, 18),
        "",
        "unknown",
        3,
    ),
    (
        "Skolnärvaroteam",
        [2],
        ["exclusion"],
        ["young_people"],
        ["school"],
        "prevention",
        "indicated",
        (7, 16),
        "",
        "promising",
        3,
    ),
    (
        "Sommarjobb för unga",
        [3, 4],
        ["exclusion", "crime"],
        ["young_people"],
        ["workplace"],
        "promotion",
        "universal",
        (15, 19),
        "",
        "not_evaluated",
        3,
    ),
    (
        "Vägledning till arbete eller studier",
        [3, 4],
        ["exclusion"],
        ["neet"],
        ["neighbourhood"],
        "prevention",
        "selective",
        (16, 29),
        "Kommunalt aktivitetsansvar",
        "unknown",
        2,
    ),
    (
        "Budget- och skuldrådgivning",
        [4],
        ["exclusion"],
        ["adults"],
        ["neighbourhood"],
        "prevention",
        "selective",
        (18, 99),
        "",
        "unknown",
        2,
    ),
    (
        "Språkcafé för nyanlända",
        [2, 7],
        ["exclusion"],
        ["newly_arrived"],
        ["leisure"],
        "promotion",
        "universal",
        (16, 99),
        "",
        "not_evaluated",
        3,
    ),
    (
        "Samhällsorientering med hälsokommunikatörer",
        [7, 8],
        ["exclusion", "mental_ill_health"],
        ["newly_arrived"],
        ["neighbourhood"],
        "promotion",
        "selective",
        (18, 99),
        "Hälsokommunikatörer",
        "promising",
        2,
    ),
    (
        "Trygghetsvandringar",
        [5, 7],
        ["crime", "violence"],
        ["population"],
        ["neighbourhood"],
        "prevention",
        "universal",
        None,
        "",
        "not_evaluated",
        3,
    ),
    (
        "Platssamverkan för tryggare centrum",
        [5],
        ["crime", "violence"],
        ["population"],
        ["neighbourhood"],
        "prevention",
        "universal",
        None,
        "Platssamverkan",
        "promising",
        2,
    ),
    (
        "Nattvandring",
        [5, 7],
        ["crime", "andts"],
        ["young_people"],
        ["neighbourhood"],
        "prevention",
        "universal",
        (13, 18),
        "",
        "not_evaluated",
        3,
    ),
    (
        "Öppen fritidsgård med mötesplats",
        [6, 7],
        ["exclusion", "crime"],
        ["young_people"],
        ["leisure"],
        "promotion",
        "universal",
        (12, 18),
        "",
        "not_evaluated",
        5,
    ),
    (
        "Lovaktiviteter för barn och unga",
        [6, 7],
        ["exclusion"],
        ["children", "young_people"],
        ["leisure"],
        "promotion",
        "universal",
        (6, 17),
        "",
        "not_evaluated",
        4,
    ),
    (
        "Rökfri skoltid",
        [6],
        ["andts"],
        ["young_people"],
        ["school"],
        "prevention",
        "universal",
        (13, 18),
        "Tobaksprevention i skolan",
        "promising",
        2,
    ),
    (
        "Tillsyn och ansvarsfull alkoholservering",
        [6],
        ["andts", "violence"],
        ["adults"],
        ["neighbourhood"],
        "prevention",
        "universal",
        None,
        "Ansvarsfull alkoholservering",
        "established",
        2,
    ),
    (
        "Spelprevention i skolan",
        [6],
        ["andts"],
        ["young_people"],
        ["school"],
        "prevention",
        "universal",
        (13, 18),
        "",
        "not_evaluated",
        1,
    ),
    (
        "Motion på recept",
        [6, 8],
        ["mental_ill_health"],
        ["adults", "older_people"],
        ["health_care"],
        "promotion",
        "selective",
        (18, 99),
        "Fysisk aktivitet på recept",
        "established",
        2,
    ),
    (
        "Mötesplats för äldre",
        [7],
        ["mental_ill_health", "exclusion"],
        ["older_people"],
        ["neighbourhood"],
        "promotion",
        "universal",
        (65, 99),
        "",
        "not_evaluated",
        1,
    ),
    (
        "Våldsförebyggande program i skolan",
        [2, 7],
        ["violence"],
        ["young_people"],
        ["school"],
        "prevention",
        "universal",
        (12, 18),
        "Mentorskap mot våld",
        "promising",
        2,
    ),
    (
        "Stöd till våldsutsatta",
        [7, 8],
        ["violence"],
        ["adults"],
        ["neighbourhood"],
        "prevention",
        "indicated",
        (18, 99),
        "",
        "unknown",
        2,
    ),
    (
        "Tidiga samordnade insatser för barn i riskzon",
        [1, 2],
        ["crime", "exclusion"],
        ["children", "parents"],
        ["family", "school"],
        "prevention",
        "indicated",
        (6, 15),
        "Samverkansteam",
        "promising",
        2,
    ),
    (
        "Unga vuxnas psykiska hälsa – samtalsgrupper",
        [7, 8],
        ["mental_ill_health"],
        ["young_people"],
        ["health_care"],
        "prevention",
        "indicated",
        (16, 25),
        "Kognitiv beteendeterapi i grupp",
        "established",
        2,
    ),
    (
        "Fritidsaktiviteter för barn med funktionsnedsättning",
        [6, 7],
        ["exclusion"],
        ["disability", "children"],
        ["leisure"],
        "promotion",
        "universal",
        (6, 20),
        "",
        "not_evaluated",
        1,
    ),
    (
        "Medborgardialog om närmiljön",
        [5, 7],
        ["exclusion"],
        ["population"],
        ["neighbourhood"],
        "promotion",
        "universal",
        None,
        "Medborgardialog",
        "unknown",
        2,
    ),
    (
        "Utbildning i suicidprevention för personal",
        [8],
        ["mental_ill_health"],
        ["professionals"],
        ["workplace"],
        "prevention",
        "universal",
        None,
        "",
        "promising",
        1,
    ),
]

# Who runs an activity: the roles that would lead it, in order of preference (a local actor
# first, then a regional one), and the roles that would take part.  School health talks are
# the school's, sport the associations', parenting support the social services' or a
# parents' organisation's; the Stockholm district administrations ("district") run
# the kommun's own services there.  A kommun without a fitting local actor falls back to its
# social services (the first municipal unit).
RUNNERS: dict[str, tuple[list[str], list[str]]] = {
    "Föräldrastöd i grupp": (["social", "district", "parents"], ["parents", "child_health"]),
    "Familjecentral": (["social", "district"], ["child_health", "education"]),
    "Utökade hembesök för nyblivna föräldrar": (["social", "district"], ["child_health"]),
    "Språkstimulans i förskolan": (["education"], ["culture", "study"]),
    "Läxhjälp och studiestöd": (["study", "youth", "education"], ["education", "church"]),
    "Mentorprogram för unga": (["youth", "sports", "study"], ["social", "business"]),
    "Elevhälsans hälsosamtal": (["education"], ["youth_clinic", "public_health"]),
    "Skolnärvaroteam": (["education"], ["social", "child_psychiatry"]),
    "Sommarjobb för unga": (["business", "housing", "social"], ["business", "employment"]),
    "Vägledning till arbete eller studier": (["education"], ["employment", "study", "social"]),
    "Budget- och skuldrådgivning": (["social", "district"], ["social_insurance", "housing"]),
    "Språkcafé för nyanlända": (["study", "church", "culture", "leisure"], ["study", "church"]),
    "Samhällsorientering med hälsokommunikatörer": (
        ["social", "district", "study"],
        ["public_health", "study"],
    ),
    "Trygghetsvandringar": (
        ["safety", "planning", "housing", "district"],
        ["police", "housing", "safety"],
    ),
    "Platssamverkan för tryggare centrum": (
        ["planning", "housing", "business", "district"],
        ["police", "housing", "business"],
    ),
    "Nattvandring": (["safety", "parents", "church"], ["police", "parents", "social"]),
    "Öppen fritidsgård med mötesplats": (["leisure", "youth", "district"], ["youth", "sports"]),
    "Lovaktiviteter för barn och unga": (
        ["leisure", "sports", "youth", "culture", "district"],
        ["sports", "outdoor", "study"],
    ),
    "Rökfri skoltid": (["education"], ["andts", "public_health"]),
    "Tillsyn och ansvarsfull alkoholservering": (["social", "district"], ["police", "andts"]),
    "Spelprevention i skolan": (["education"], ["andts", "andts_civil"]),
    "Motion på recept": (["sports", "leisure", "primary_care"], ["primary_care", "sports"]),
    "Mötesplats för äldre": (["church", "culture", "study", "district"], ["church", "study"]),
    "Våldsförebyggande program i skolan": (["education"], ["shelter", "crime", "social"]),
    "Stöd till våldsutsatta": (["shelter", "social", "district"], ["shelter", "police", "social"]),
    "Tidiga samordnade insatser för barn i riskzon": (
        ["social", "district"],
        ["education", "child_psychiatry", "police"],
    ),
    "Unga vuxnas psykiska hälsa – samtalsgrupper": (
        ["social", "district", "youth"],
        ["youth_clinic", "child_psychiatry"],
    ),
    "Fritidsaktiviteter för barn med funktionsnedsättning": (
        ["leisure", "sports", "district"],
        ["sports", "parents"],
    ),
    "Medborgardialog om närmiljön": (["planning", "district", "housing"], ["housing", "safety"]),
    "Utbildning i suicidprevention för personal": (
        ["social", "education", "district"],
        ["public_health", "child_psychiatry"],
    ),
    "Länsgemensam kompetensutveckling i ANDTS-prevention": (
        ["andts"],
        ["andts_civil", "public_health", "research"],
    ),
    "Regional satsning på föräldraskapsstöd": (["county", "parents"], ["child_health", "research"]),
    "Levnadsvaneuppföljning i primärvården": (["primary_care"], ["public_health", "research"]),
    "Länsövergripande brottsförebyggande lägesbild": (
        ["crime", "police"],
        ["police", "research", "municipal_association"],
    ),
}

REGIONAL_ACTIVITIES = [
    (
        "Länsgemensam kompetensutveckling i ANDTS-prevention",
        [6],
        ["andts"],
        ["professionals"],
        ["workplace"],
        "prevention",
        "universal",
        None,
        "",
        "not_evaluated",
        1,
    ),
    (
        "Regional satsning på föräldraskapsstöd",
        [1],
        ["violence", "mental_ill_health"],
        ["parents"],
        ["family"],
        "prevention",
        "universal",
        (0, 17),
        "Strukturerat föräldraskapsprogram",
        "established",
        1,
    ),
    (
        "Levnadsvaneuppföljning i primärvården",
        [6, 8],
        ["andts"],
        ["adults"],
        ["health_care"],
        "promotion",
        "universal",
        (18, 99),
        "",
        "promising",
        1,
    ),
    (
        "Länsövergripande brottsförebyggande lägesbild",
        [5],
        ["crime", "violence"],
        ["professionals"],
        ["neighbourhood"],
        "prevention",
        "universal",
        None,
        "",
        "unknown",
        1,
    ),
]


def _kommuner() -> list[Area]:
    return list(Area.objects.municipalities(COUNTY))


def _districts(kommuner: list[Area]) -> dict[str, list[str]]:
    """Districts to place activities in: existing ones, or a few for Botkyrka if none exist."""
    result: dict[str, list[str]] = {}
    for kommun in kommuner:
        codes = list(Area.objects.districts(kommun.code).values_list("code", flat=True))
        if not codes and kommun.code in FALLBACK_DISTRICTS:
            from jamlik.geo.services import add_district

            for code, name in FALLBACK_DISTRICTS[kommun.code]:
                add_district(kommun, code=code, name=name)
            codes = [c for c, _n in FALLBACK_DISTRICTS[kommun.code]]
        if codes:
            result[kommun.code] = codes
    return result


def build_rows(
    kommuner: list[Area], districts: dict[str, list[str]]
) -> dict[str, list[dict[str, Any]]]:
    """The invented map as import rows (pure given its inputs; seeded)."""
    rng = random.Random(SEED)
    actors: list[dict[str, Any]] = []
    by_kommun: dict[str, list[str]] = {}
    roles: dict[str, str] = {}
    number = 0

    def add_actor(
        name: str,
        actor_type: str,
        level: str,
        area: str,
        served: list[str],
        orgnr: bool = True,
        role: str = "",
    ) -> str:
        nonlocal number
        number += 1
        ref = f"DA{number:03d}"
        roles[ref] = role
        stem = f"{rng.choice(['80', '55', '71', '82'])}{rng.randrange(2, 10)}{rng.randrange(0, 999999):06d}"
        actors.append(
            {
                "ref": ref,
                "name": name,
                "org_number": make_org_number(stem) if orgnr else "",
                "type": actor_type,
                "level": level,
                "area": area,
                "areas_served": served,
                "contact": f"info{number}@example.se",
                "website": f"https://example.se/aktor/{number}",
            }
        )
        return ref

    for kommun in kommuner:
        k = kommun.name
        refs = []
        units = 3 if kommun.code in PILOT else 2
        for unit, role in MUNICIPAL_UNITS[:units]:
            refs.append(
                add_actor(
                    f"{k} kommun, {unit}",
                    ActorType.MUNICIPAL,
                    ActorLevel.LOCAL,
                    kommun.code,
                    [kommun.code],
                    orgnr=False,
                    role=role,
                )
            )
        for template, role in rng.sample(
            LOCAL_CIVIL, 2 if kommun.code in PILOT or kommun.code == "0180" else 1
        ):
            refs.append(
                add_actor(
                    template.format(k=k),
                    ActorType.CIVIL_SOCIETY,
                    ActorLevel.LOCAL,
                    kommun.code,
                    [kommun.code],
                    orgnr=rng.random() < 0.7,
                    role=role,
                )
            )
        name, kind, role = rng.choice(LOCAL_OTHER)
        refs.append(
            add_actor(
                name.format(k=k),
                kind,
                ActorLevel.LOCAL,
                kommun.code,
                [kommun.code],
                orgnr=rng.random() < 0.8,
                role=role,
            )
        )
        by_kommun[kommun.code] = refs
    regional = [
        add_actor(n, t, lvl, COUNTY, [COUNTY], role=role)
        for (n, t, lvl), role in zip(REGIONAL, REGIONAL_ROLES, strict=True)
    ]
    national = [add_actor(n, t, ActorLevel.NATIONAL, COUNTY, [COUNTY]) for n, t in NATIONAL]
    # Stockholm has more actors of its own.
    for index in range(8):
        by_kommun["0180"].append(
            add_actor(
                f"Stadsdelsförvaltning {index + 1}, Stockholm (påhittad)",
                ActorType.MUNICIPAL,
                ActorLevel.LOCAL,
                "0180",
                ["0180"],
                orgnr=False,
                role="district",
            )
        )
    for name, role in [
        ("Kulturföreningen Gemenskap", "culture"),
        ("Läxhjälpsföreningen Framåt", "study"),
        ("Unga Ledare", "youth"),
        ("Mammor i Samverkan", "parents"),
        ("Spontanidrott Stockholm", "sports"),
        ("Grannstöd Söder", "safety"),
    ]:
        by_kommun["0180"].append(
            add_actor(
                f"{name} (påhittad)",
                ActorType.CIVIL_SOCIETY,
                ActorLevel.LOCAL,
                "0180",
                ["0180"],
                role=role,
            )
        )

    activities: list[dict[str, Any]] = []
    weights = [WEIGHT.get(k.code, 1) for k in kommuner]
    template_weights = [t[-1] for t in TEMPLATES]
    for index in range(392):
        kommun = rng.choices(kommuner, weights=weights)[0]
        activities.append(
            _activity(
                rng,
                index,
                rng.choices(TEMPLATES, weights=template_weights)[0],
                kommun,
                by_kommun[kommun.code],
                regional,
                districts.get(kommun.code, []),
                roles,
            )
        )
    for index, template in enumerate(REGIONAL_ACTIVITIES * 2):
        activities.append(_activity(rng, 392 + index, template, None, [], regional, [], roles))
    seen: dict[str, int] = {}
    for activity in activities:  # a second "Familjecentral – Nacka" becomes "… (2)"
        seen[activity["title"]] = seen.get(activity["title"], 0) + 1
        if seen[activity["title"]] > 1:
            activity["title"] = f"{activity['title']} ({seen[activity['title']]})"

    networks = _networks(rng, kommuner, by_kommun, regional, national)
    relations = _relations(rng, kommuner, by_kommun, regional, national)
    board_actors, board_activities = board_rows()
    for row in actors:
        if row["type"] == ActorType.COUNTY_BOARD_UNIT:
            row["part_of"] = BOARD_REF
    return {
        "actors": actors + board_actors,
        "activities": activities + board_activities,
        "networks": networks,
        "relations": relations,
    }


def board_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The county board, its growth and planning units and their activities (no RNG: the
    random map above is the same with or without them)."""
    name, stem = BOARD
    common = {"level": ActorLevel.REGIONAL, "area": COUNTY, "areas_served": [COUNTY]}
    actors = [
        {
            "ref": BOARD_REF,
            "name": name,
            "org_number": make_org_number(stem),
            "type": ActorType.COUNTY_BOARD,
            **common,
            "contact": "lansstyrelsen@example.se",
            "website": "https://example.se/lansstyrelsen",
        }
    ] + [
        {
            "ref": ref,
            "name": unit,
            "org_number": "",
            "type": ActorType.COUNTY_BOARD_UNIT,
            **common,
            "contact": f"enhet.{ref.lower()}@example.se",
            "website": "",
            "part_of": BOARD_REF,
        }
        for ref, unit in BOARD_UNITS
    ]
    activities = [
        {
            "ref": ref,
            "title": title,
            "description": "Påhittad demonstrationsinsats i länsstyrelsens eget arbete.",
            "actors": [unit],
            "malomraden": areas,
            "problem_areas": [],
            "orientation": orientation,
            "prevention_level": "universal" if orientation != "promotion" else "",
            "age_min": None,
            "age_max": None,
            "target_groups": groups,
            "settings": settings,
            "area": COUNTY,
            "districts": [],
            "start_year": start,
            "end_year": None,
            "funding": "Länsstyrelsens förvaltningsanslag",
            "method": "",
            "evidence": "not_evaluated",
            "status": "ongoing",
        }
        for ref, unit, title, areas, groups, settings, orientation, start in BOARD_ACTIVITIES
    ]
    return actors, activities


def _activity(
    rng: random.Random,
    index: int,
    template: tuple[Any, ...],
    kommun: Area | None,
    local: list[str],
    regional: list[str],
    districts: list[str],
    roles: dict[str, str],
) -> dict[str, Any]:
    title, areas, problems, groups, settings, orientation, level, ages, method, evidence, _w = (
        template
    )
    lead, partners = _runners(rng, title, local, regional, roles)
    start = rng.randrange(2015, 2026)
    status = rng.choices(
        [
            ActivityStatus.ONGOING,
            ActivityStatus.PLANNED,
            ActivityStatus.COMPLETED,
            ActivityStatus.PAUSED,
        ],
        weights=[70, 10, 15, 5],
    )[0]
    place = kommun.name if kommun else "länet"
    return {
        "ref": f"DI{index + 1:03d}",
        "title": f"{title} – {place}",
        "description": f"Påhittad demonstrationsinsats: {title.lower()} i {place}.",
        "actors": sorted(partners),
        "malomraden": areas,
        "problem_areas": problems,
        "orientation": orientation,
        "prevention_level": level if orientation != "promotion" else "",
        "age_min": ages[0] if ages else None,
        "age_max": ages[1] if ages else None,
        "target_groups": groups,
        "settings": settings,
        "area": kommun.code if kommun else COUNTY,
        "districts": sorted(rng.sample(districts, 1)) if districts and rng.random() < 0.6 else [],
        "start_year": start,
        "end_year": start + rng.randrange(1, 4) if status == ActivityStatus.COMPLETED else None,
        "funding": rng.choice(
            [
                "Kommunal budget",
                "Statsbidrag",
                "Regionalt utvecklingsstöd",
                "Föreningsbidrag",
                "Projektmedel",
            ]
        ),
        "method": method,
        "evidence": evidence,
        "status": status,
    }


def _runners(
    rng: random.Random, title: str, local: list[str], regional: list[str], roles: dict[str, str]
) -> tuple[str, set[str]]:
    """The lead actor and the partners of an activity, by :data:`RUNNERS`."""
    lead_roles, partner_roles = RUNNERS[title]
    lead = None
    for role in lead_roles:  # the first role with an actor in the kommun (or the county)
        fitting = [r for r in local if roles[r] == role] or [
            r for r in regional if roles[r] == role
        ]
        if fitting:
            lead = rng.choice(fitting)
            break
    if lead is None:
        lead = local[0] if local else regional[0]  # the social services; the county board
    partners = {lead}
    candidates = [r for r in local + regional if roles[r] in partner_roles and r != lead]
    if candidates and rng.random() < 0.5:
        partners.add(rng.choice(candidates))
    if len(candidates) > 1 and rng.random() < 0.2:
        partners.add(rng.choice(candidates))
    return lead, partners


NETWORK_NAMES = [
    ("Länsnätverket för folkhälsostrateger", [1, 2, 3, 4, 5, 6, 7, 8], "quarterly", 0),
    ("Regionalt nätverk för ANDTS-samordnare", [6], "quarterly", 2),
    ("Brottsförebyggande nätverket i länet", [5, 7], "quarterly", 1),
    ("Nätverk mot mäns våld mot kvinnor", [7, 8], "twice_yearly", 0),
    ("Föräldraskapsstöd i länet", [1], "twice_yearly", 16),
    ("Integration och etablering – regional samverkan", [2, 3, 7], "twice_yearly", 10),
    ("Friluftsliv och natur för alla", [5, 6], "yearly", 18),
    ("Nätverket för jämlik hälsa i vården", [8], "quarterly", 3),
    ("Forskning och praktik i prevention", [1, 2, 6, 7], "twice_yearly", 13),
    ("Unga vuxna utanför arbete och studier", [2, 3, 4], "quarterly", 10),
    ("Trygghetssamordnare i södra länet", [5], "monthly", None),
    ("Trygghetssamordnare i norra länet", [5], "monthly", None),
    ("Elevhälsans samverkansforum", [2, 8], "quarterly", None),
    ("Fritidsgårdsnätverket", [6, 7], "monthly", None),
    ("Äldres hälsa och delaktighet", [7, 8], "twice_yearly", None),
    ("Platssamverkan i centrumområden", [5], "monthly", 9),
    ("Barnets bästa – tidiga insatser", [1, 2], "quarterly", 4),
    ("Psykisk hälsa hos unga", [7, 8], "quarterly", 4),
    ("Civilsamhällets folkhälsoråd", [6, 7], "quarterly", 15),
    ("Spelprevention i länet", [6], "yearly", 2),
]


def _networks(
    rng: random.Random,
    kommuner: list[Area],
    by_kommun: dict[str, list[str]],
    regional: list[str],
    national: list[str],
) -> list[dict[str, Any]]:
    networks = []
    south = {"0126", "0127", "0128", "0136", "0138", "0140", "0181", "0192"}
    for index, (name, areas, frequency, convenor_index) in enumerate(NETWORK_NAMES):
        if convenor_index is None:
            pool = [
                k
                for k in kommuner
                if (k.code in south) == ("södra" in name or "Elevhälsans" in name)
            ]
            kommun = rng.choice(pool)
            # the school's forum by the education administration, the others by social services
            convenor = by_kommun[kommun.code][1 if "Elevhälsans" in name else 0]
        else:
            convenor = regional[convenor_index]
        members = {convenor}
        for kommun in rng.sample(kommuner, rng.randrange(4, 11)):
            members.add(rng.choice(by_kommun[kommun.code]))
        for ref in rng.sample(regional, rng.randrange(1, 4)):
            members.add(ref)
        if rng.random() < 0.3:
            members.add(rng.choice(national))
        networks.append(
            {
                "ref": f"DN{index + 1:02d}",
                "name": name,
                "convenor": convenor,
                "members": sorted(members),
                "purpose": f"Påhittat nätverk: erfarenhetsutbyte och samordning kring {name.lower()}.",
                "meeting_frequency": frequency,
                "malomraden": areas,
                "area": COUNTY,
            }
        )
    return networks


def _relations(
    rng: random.Random,
    kommuner: list[Area],
    by_kommun: dict[str, list[str]],
    regional: list[str],
    national: list[str],
) -> list[dict[str, Any]]:
    relations: set[tuple[str, str, str]] = set()
    for kommun in kommuner:
        refs = by_kommun[kommun.code]
        for _ in range(2):
            a, b = rng.sample(refs, 2)
            relations.add((a, RelationKind.COLLABORATES.value, b))
        if rng.random() < 0.6:
            relations.add((refs[0], RelationKind.COLLABORATES.value, rng.choice(regional)))
        if rng.random() < 0.4:
            relations.add((refs[0], RelationKind.FUNDS.value, refs[-1]))
    for _ in range(25):
        funder = rng.choice(regional[:9] + national[:2])
        kommun = rng.choice(kommuner)
        relations.add((funder, RelationKind.FUNDS.value, rng.choice(by_kommun[kommun.code])))
    return [{"source": s, "kind": k, "target": t} for s, k, t in sorted(relations) if s != t]


#: Methods that name a programme in the prevention registry: (method, registry key, kommuner
#: whose activity names it — those with a demo plan choosing it).
DELIVERS = [
    ("Mentorskap mot våld", "mentors-in-violence-prevention", ["0181", "0127"]),
    ("Ansvarsfull alkoholservering", "stad-responsible-beverage-service", ["0188", "0186"]),
]


def _deliver_registry_programmes(county: Area) -> None:
    """Name the registry intervention on a few demo activities whose method is that
    programme (at most one per kommun listed, three in all)."""
    named = 0
    for method, key, codes in DELIVERS:
        found = Activity.objects.filter(county=county, method=method, is_demo=True).order_by("ref")
        chosen = [a for code in codes if (a := found.filter(area__code=code).first())]
        if not chosen and (first := found.first()) is not None:
            chosen = [first]  # the programme's activity landed in another kommun
        for activity in chosen[: 3 - named]:
            Activity.objects.filter(pk=activity.pk).update(intervention_key=key)
            named += 1


def _add_board_units(county: Area) -> None:
    """Bring a demo map seeded before the county board's units up to date (once): the
    board, its units and their activities, and the three older units placed in it."""
    from jamlik.actors.services import import_sheets

    if Actor.objects.filter(county=county, is_demo=True, ref=BOARD_REF).exists():
        return
    actors, activities = board_rows()
    units = [
        {"ref": a.ref, "name": a.name, "type": ActorType.COUNTY_BOARD_UNIT, "part_of": BOARD_REF}
        | {
            "org_number": a.org_number,
            "level": a.level,
            "area": a.area.code,
            "areas_served": sorted(x.code for x in a.areas_served.all()),
            "contact": a.contact,
            "website": a.website,
        }
        for a in Actor.objects.filter(
            county=county, is_demo=True, source_package=None, name__in=[n for n, *_ in REGIONAL]
        )
        if a.name.startswith(BOARD[0] + ",")
    ]
    sheets = [
        SheetRows("actors", list(enumerate(actors + units, start=1))),
        SheetRows("activities", list(enumerate(activities, start=1))),
    ]
    import_sheets(None, county, sheets, is_demo=True, check_permissions=False)


def _refresh_uppsala_package() -> None:
    """Re-import the invented Uppsala package once if it was imported before it had its
    county board (format 1): the newer package replaces the older, as any county's does."""
    from jamlik.actors.demo_national import COUNTY as UPPSALA
    from jamlik.actors.demo_national import uppsala_package
    from jamlik.actors.models import CountyPackage
    from jamlik.actors.services import import_county_package

    old = CountyPackage.objects.filter(county__code=UPPSALA, is_demo=True)
    units = Actor.objects.filter(
        county__code=UPPSALA, is_demo=True, actor_type=ActorType.COUNTY_BOARD_UNIT
    )
    admin = get_user_model().objects.filter(username="admin").first()
    if admin is not None and old.exists() and not units.exists():
        import_county_package(admin, uppsala_package())


def seed(progress: Callable[[str], None]) -> None:
    from jamlik.actors.services import import_sheets, open_inventory_round, save_activity

    county = Area.objects.get(code=COUNTY, level=AreaLevel.COUNTY)
    if Actor.objects.filter(county=county, is_demo=True).exists():
        progress("actor map already present")
        _add_board_units(county)
        _refresh_uppsala_package()
        return
    kommuner = _kommuner()
    progress("districts")
    districts = _districts(kommuner)
    progress("invented actors, activities and networks")
    rows = build_rows(kommuner, districts)
    sheets = [SheetRows(sheet, list(enumerate(items, start=1))) for sheet, items in rows.items()]
    import_sheets(None, county, sheets, is_demo=True, check_permissions=False)
    _deliver_registry_programmes(county)
    progress("a second invented county package for the national picture")
    from jamlik.actors.demo_national import uppsala_package
    from jamlik.actors.services import import_county_package

    national_admin = get_user_model().objects.filter(username="admin").first()
    if national_admin is not None:
        import_county_package(national_admin, uppsala_package())
    progress("an inventory round with a few changes")
    User = get_user_model()
    admin = User.objects.filter(username="lan01").first()
    editor = User.objects.filter(username="botkyrka").first()
    if admin is None or editor is None or InventoryRound.objects.filter(county=county).exists():
        return
    open_inventory_round(admin, county, "Inventering 2026 (demo)")
    changed = Activity.objects.filter(county=county, area__code="0127").order_by("ref")[:3]
    for activity in changed:
        save_activity(
            editor, {"status": ActivityStatus.COMPLETED, "end_year": 2026}, activity=activity
        )
    lead = Actor.objects.filter(area__code="0127").order_by("ref").first()
    from jamlik.actors.choices import TagDimension

    save_activity(
        editor,
        {
            "ref": "DI900",
            "title": "Fältassistenter i centrum – Botkyrka",
            "description": "Påhittad demonstrationsinsats tillagd under inventeringen.",
            "orientation": "prevention",
            "prevention_level": "selective",
            "age_min": 12,
            "age_max": 20,
            "area": Area.objects.get(code="0127"),
            "start_year": 2026,
            "status": ActivityStatus.ONGOING,
            "evidence": "not_evaluated",
            "is_demo": True,
        },
        actors=[lead] if lead else [],
        tags={
            TagDimension.TARGET_AREA: ["5", "7"],
            TagDimension.PROBLEM_AREA: ["crime"],
            TagDimension.TARGET_GROUP: ["young_people"],
            TagDimension.SETTING: ["neighbourhood"],
        },
    )

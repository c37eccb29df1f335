"""Jämlik's default survey instrument on municipal prerequisites (no Django).

Written for Jämlik, in its own words; it is *not* Karolinska Institutet's questionnaire.
Every item is keyed to one of the county board's seven prerequisites (``forutsattningar``
framework keys) and to the dimensions it informs. ``summary`` gives the phrase used in the
county's "x av y kommuner …" sentences and the options that count; for multiple choice,
``option_summary`` gives one phrase per option.
"""

from __future__ import annotations

from typing import Any

VERSION = "2019.1"
TITLE_SV = "Jämliks enkät om kommunala förutsättningar"
TITLE_EN = "Jämlik survey on municipal prerequisites"

EXTENT = [
    ("1", "Inte alls", "Not at all"),
    ("2", "I liten utsträckning", "To a small extent"),
    ("3", "I viss utsträckning", "To some extent"),
    ("4", "I hög utsträckning", "To a great extent"),
]


def _opt(key: str, sv: str, en: str, points: float = 1.0) -> dict[str, Any]:
    return {"key": key, "sv": sv, "en": en, "points": points}


YES_NO = [_opt("yes", "Ja", "Yes", 1.0), _opt("no", "Nej", "No", 0.0)]
YES_PARTLY_NO = [
    _opt("yes", "Ja", "Yes", 1.0),
    _opt("partly", "Delvis", "Partly", 0.5),
    _opt("no", "Nej", "No", 0.0),
]

PRIORITY_AREAS = [
    ("safety", "Trygghet", "Safety", "prioriterar trygghet", "prioritise safety"),
    (
        "andt",
        "ANDT-förebyggande",
        "ANDT prevention",
        "prioriterar ANDT-förebyggande arbete",
        "prioritise ANDT prevention",
    ),
    (
        "crime",
        "Brottsförebyggande",
        "Crime prevention",
        "prioriterar brottsförebyggande arbete",
        "prioritise crime prevention",
    ),
    (
        "growing_up",
        "Goda uppväxtvillkor",
        "Good conditions for growing up",
        "prioriterar goda uppväxtvillkor",
        "prioritise good conditions for growing up",
    ),
    (
        "mental_health",
        "Psykisk hälsa",
        "Mental health",
        "prioriterar psykisk hälsa",
        "prioritise mental health",
    ),
    (
        "violence",
        "Våld i nära relationer",
        "Domestic violence",
        "prioriterar arbete mot våld i nära relationer",
        "prioritise work against domestic violence",
    ),
    (
        "parenting",
        "Föräldraskapsstöd",
        "Parenting support",
        "prioriterar föräldraskapsstöd",
        "prioritise parenting support",
    ),
    (
        "physical_activity",
        "Fysisk aktivitet",
        "Physical activity",
        "prioriterar fysisk aktivitet",
        "prioritise physical activity",
    ),
    (
        "integration",
        "Integration",
        "Integration",
        "prioriterar integration",
        "prioritise integration",
    ),
    (
        "equity",
        "Jämlik hälsa",
        "Equitable health",
        "prioriterar jämlik hälsa",
        "prioritise equitable health",
    ),
]

TARGET_AREAS = [
    ("early_life", "Det tidiga livets villkor", "Conditions in early life"),
    ("education", "Kunskaper, kompetenser och utbildning", "Knowledge, skills and education"),
    ("work", "Arbete, arbetsförhållanden och arbetsmiljö", "Work and working conditions"),
    ("income", "Inkomster och försörjningsmöjligheter", "Income and livelihood"),
    ("housing", "Boende och närmiljö", "Housing and neighbourhood"),
    ("lifestyle", "Levnadsvanor", "Living habits"),
    ("participation", "Kontroll, inflytande och delaktighet", "Control, influence, participation"),
    (
        "health_care",
        "En jämlik och hälsofrämjande hälso- och sjukvård",
        "Equitable, health-promoting health care",
    ),
]

DATA_SOURCES = [
    ("youth_survey", "Skolenkät eller ungdomsenkät", "School or youth survey"),
    ("pupil_health", "Elevhälsans data", "Pupil health data"),
    ("kolada", "Kolada eller annan öppen statistik", "Kolada or other open statistics"),
    ("police", "Polisens lokala lägesbild", "Local police situation report"),
    ("citizen_survey", "Egen medborgarundersökning", "Own residents' survey"),
    ("social_services", "Socialtjänstens uppföljning", "Social services follow-up"),
]

PARTNERS = [
    ("region", "Regionen (hälso- och sjukvård)", "The region (health care)"),
    ("police", "Polisen", "The police"),
    ("civil_society", "Civilsamhället", "Civil society"),
    ("business", "Näringslivet", "Business"),
    ("housing", "Bostadsbolag", "Housing companies"),
]

ITEMS: list[dict[str, Any]] = [
    # 1 Motivated decision-makers
    {
        "key": "political_priority",
        "kind": "scale",
        "prerequisite": "motivated_decision_makers",
        "dimensions": ["organisation_leadership_resources"],
        "weight": 2,
        "text_sv": "I vilken utsträckning driver kommunens politiska ledning det främjande och "
        "förebyggande arbetet?",
        "text_en": "To what extent does the municipality's political leadership drive "
        "promotive and preventive work?",
        "scale": EXTENT,
    },
    {
        "key": "leaders_trained",
        "kind": "single_choice",
        "prerequisite": "motivated_decision_makers",
        "dimensions": ["organisation_leadership_resources"],
        "weight": 1,
        "text_sv": "Har politiker eller chefer fått utbildning om främjande och förebyggande "
        "arbete under de senaste två åren?",
        "text_en": "Have politicians or managers been trained in promotive and preventive "
        "work in the last two years?",
        "options": YES_NO,
        "summary": {
            "options": ["yes"],
            "sv": "har utbildat politiker eller chefer i främjande och förebyggande arbete",
            "en": "have trained politicians or managers in promotion and prevention",
        },
    },
    {
        "key": "priority_areas",
        "kind": "multiple_choice",
        "prerequisite": "motivated_decision_makers",
        "dimensions": ["several_subject_areas"],
        "weight": 1,
        "full_at": 3,
        "text_sv": "Vilka områden har kommunledningen prioriterat i det främjande och "
        "förebyggande arbetet det senaste året? Markera alla som stämmer.",
        "text_en": "Which areas has the municipal leadership prioritised in promotive and "
        "preventive work in the past year? Tick all that apply.",
        "options": [_opt(k, sv, en) for k, sv, en, _s, _e in PRIORITY_AREAS],
        "option_summary": {k: {"sv": s, "en": e} for k, _sv, _en, s, e in PRIORITY_AREAS},
    },
    # 2 Long-term priority in goals, budget and follow-up
    {
        "key": "public_health_goals",
        "kind": "single_choice",
        "prerequisite": "long_term_priority",
        "dimensions": ["strategies_goals_holistic"],
        "weight": 2,
        "text_sv": "Har kommunfullmäktige antagit ett eller flera mål för folkhälsan?",
        "text_en": "Has the municipal council adopted one or more public-health goals?",
        "options": YES_NO,
        "summary": {
            "options": ["yes"],
            "sv": "har antagit ett eller flera folkhälsomål",
            "en": "have adopted one or more public-health goals",
        },
    },
    {
        "key": "in_budget",
        "kind": "single_choice",
        "prerequisite": "long_term_priority",
        "dimensions": ["strategies_goals_holistic"],
        "weight": 2,
        "text_sv": "Finns folkhälsoarbetet med i kommunens mål och budget?",
        "text_en": "Is public-health work part of the municipality's goals and budget "
        "(mål och budget)?",
        "options": YES_PARTLY_NO,
        "summary": {
            "options": ["yes", "partly"],
            "sv": "har med folkhälsoarbetet i mål och budget",
            "en": "include public-health work in their goals and budget",
        },
    },
    {
        "key": "earmarked_budget",
        "kind": "single_choice",
        "prerequisite": "long_term_priority",
        "dimensions": ["organisation_leadership_resources"],
        "weight": 1,
        "text_sv": "Finns det öronmärkta pengar för främjande och förebyggande arbete i budgeten?",
        "text_en": "Is there money earmarked for promotive and preventive work in the budget?",
        "options": YES_NO,
        "summary": {
            "options": ["yes"],
            "sv": "har öronmärkt budget för arbetet",
            "en": "have an earmarked budget for the work",
        },
    },
    {
        "key": "target_areas_used",
        "kind": "multiple_choice",
        "prerequisite": "long_term_priority",
        "dimensions": ["strategies_goals_holistic", "several_subject_areas"],
        "weight": 1,
        "full_at": 4,
        "text_sv": "Vilka av folkhälsopolitikens åtta målområden används i kommunens styrning?",
        "text_en": "Which of the eight target areas of public-health policy are used in the "
        "municipality's steering?",
        "options": [_opt(k, sv, en) for k, sv, en in TARGET_AREAS],
    },
    {
        "key": "equity_goal",
        "kind": "single_choice",
        "prerequisite": "long_term_priority",
        "dimensions": ["equity_in_health"],
        "weight": 1,
        "text_sv": "Är minskade skillnader i hälsa mellan grupper ett uttalat mål för kommunen?",
        "text_en": "Is reducing health gaps between groups an explicit goal of the municipality?",
        "options": YES_NO,
        "summary": {
            "options": ["yes"],
            "sv": "har jämlik hälsa som ett uttalat mål",
            "en": "have equitable health as an explicit goal",
        },
    },
    # 3 Shared ownership and cross-sector structures
    {
        "key": "steering_group",
        "kind": "single_choice",
        "prerequisite": "shared_ownership",
        "dimensions": ["cross_sector_collaboration"],
        "weight": 2,
        "text_sv": "Finns det en förvaltningsövergripande styr- eller samverkansgrupp för arbetet?",
        "text_en": "Is there a cross-department steering or collaboration group for the work?",
        "options": [
            _opt(
                "managers",
                "Ja, med chefer från flera förvaltningar",
                "Yes, with managers from several departments",
                1.0,
            ),
            _opt("officials", "Ja, men bara med handläggare", "Yes, but officials only", 0.5),
            _opt("no", "Nej", "No", 0.0),
        ],
        "summary": {
            "options": ["managers", "officials"],
            "sv": "har en förvaltningsövergripande samverkansgrupp",
            "en": "have a cross-department collaboration group",
        },
    },
    {
        "key": "external_partners",
        "kind": "multiple_choice",
        "prerequisite": "shared_ownership",
        "dimensions": ["cross_sector_collaboration"],
        "weight": 1,
        "full_at": 3,
        "text_sv": "Med vilka externa parter samverkar kommunen regelbundet i arbetet?",
        "text_en": "Which outside partners does the municipality work with regularly?",
        "options": [_opt(k, sv, en) for k, sv, en in PARTNERS],
    },
    # 4 Integration into ordinary operations
    {
        "key": "in_operations",
        "kind": "scale",
        "prerequisite": "ordinary_operations",
        "dimensions": ["conditions_growing_up"],
        "weight": 2,
        "text_sv": "I vilken utsträckning är arbetet en del av vardagen i skola, socialtjänst "
        "och fritid, snarare än tidsbegränsade projekt?",
        "text_en": "To what extent is the work part of everyday practice in schools, social "
        "services and leisure rather than time-limited projects?",
        "scale": EXTENT,
    },
    {
        "key": "youth_strategy",
        "kind": "single_choice",
        "prerequisite": "ordinary_operations",
        "dimensions": ["conditions_growing_up"],
        "weight": 1,
        "text_sv": "Har kommunen en samlad strategi för barns och ungas uppväxtvillkor?",
        "text_en": "Does the municipality have a joint strategy for children's and young "
        "people's conditions?",
        "options": YES_NO,
        "summary": {
            "options": ["yes"],
            "sv": "har en samlad strategi för barns och ungas uppväxtvillkor",
            "en": "have a joint strategy for children's conditions",
        },
    },
    # 5 Coordinator or team with competence and mandate
    {
        "key": "coordinator",
        "kind": "single_choice",
        "prerequisite": "coordinator_team",
        "dimensions": ["organisation_leadership_resources"],
        "weight": 2,
        "text_sv": "Finns det tjänstepersoner som har i uppdrag att samordna folkhälsoarbetet?",
        "text_en": "Are there officials whose job includes coordinating public-health work?",
        "options": [
            _opt(
                "dedicated",
                "Ja, en eller flera med samordning som huvuduppgift",
                "Yes, one or more with coordination as their main task",
                1.0,
            ),
            _opt("part", "Ja, som en del av en annan tjänst", "Yes, as part of another post", 0.6),
            _opt("no", "Nej", "No", 0.0),
        ],
        "summary": {
            "options": ["dedicated", "part"],
            "sv": "har tjänstepersoner som samordnar folkhälsoarbetet",
            "en": "have officials coordinating public-health work",
        },
    },
    {
        "key": "coordinator_time",
        "kind": "number",
        "prerequisite": "coordinator_team",
        "dimensions": ["organisation_leadership_resources"],
        "weight": 1,
        "full_at": 100,
        "unit_sv": "procent av en heltid",
        "unit_en": "per cent of a full-time post",
        "text_sv": "Hur mycket arbetstid har samordningen sammanlagt, i procent av en heltid?",
        "text_en": "How much working time does coordination have in total, as a percentage "
        "of one full-time post?",
    },
    {
        "key": "coordinator_mandate",
        "kind": "scale",
        "prerequisite": "coordinator_team",
        "dimensions": ["organisation_leadership_resources"],
        "weight": 1,
        "text_sv": "I vilken utsträckning har samordnaren mandat att samla förvaltningarna "
        "och följa upp arbetet?",
        "text_en": "To what extent does the coordinator have a mandate to bring departments "
        "together and follow up the work?",
        "scale": EXTENT,
    },
    {
        "key": "coordination_description",
        "kind": "text",
        "prerequisite": "coordinator_team",
        "dimensions": [],
        "weight": 0,
        "text_sv": "Beskriv kort hur samordningen är organiserad (titel, placering, uppdrag).",
        "text_en": "Briefly describe how coordination is organised (title, placement, remit).",
    },
    # 6 Strategic use of local data
    {
        "key": "local_data_use",
        "kind": "scale",
        "prerequisite": "local_data",
        "dimensions": ["mapping_follow_up"],
        "weight": 2,
        "text_sv": "I vilken utsträckning används lokala data om hälsa, risk- och "
        "skyddsfaktorer för att prioritera insatser?",
        "text_en": "To what extent are local data on health, risk and protective factors used "
        "to prioritise interventions?",
        "scale": EXTENT,
    },
    {
        "key": "data_sources",
        "kind": "multiple_choice",
        "prerequisite": "local_data",
        "dimensions": ["mapping_follow_up"],
        "weight": 1,
        "full_at": 3,
        "text_sv": "Vilka lokala datakällor används regelbundet?",
        "text_en": "Which local data sources are used regularly?",
        "options": [_opt(k, sv, en) for k, sv, en in DATA_SOURCES],
    },
    {
        "key": "follow_up",
        "kind": "single_choice",
        "prerequisite": "local_data",
        "dimensions": ["mapping_follow_up"],
        "weight": 1,
        "text_sv": "Följs målen för arbetet upp systematiskt, minst en gång om året?",
        "text_en": "Are the goals of the work followed up systematically, at least yearly?",
        "options": YES_PARTLY_NO,
        "summary": {
            "options": ["yes"],
            "sv": "följer upp målen systematiskt",
            "en": "follow up their goals systematically",
        },
    },
    # 7 Target-group analysis and citizen influence
    {
        "key": "target_group_analysis",
        "kind": "scale",
        "prerequisite": "target_groups_citizens",
        "dimensions": ["equity_in_health"],
        "weight": 2,
        "text_sv": "I vilken utsträckning analyserar kommunen vilka grupper som behöver "
        "insatserna mest innan de planeras?",
        "text_en": "To what extent does the municipality analyse which groups need the "
        "interventions most before planning them?",
        "scale": EXTENT,
    },
    {
        "key": "citizen_dialogue",
        "kind": "single_choice",
        "prerequisite": "target_groups_citizens",
        "dimensions": ["equity_in_health"],
        "weight": 1,
        "text_sv": "Får invånare, till exempel unga, påverka arbetet genom dialog eller "
        "medskapande?",
        "text_en": "Can residents, young people for example, influence the work through "
        "dialogue or co-creation?",
        "options": [
            _opt("regularly", "Ja, regelbundet", "Yes, regularly", 1.0),
            _opt("sometimes", "Ibland", "Sometimes", 0.5),
            _opt("never", "Nej", "No", 0.0),
        ],
        "summary": {
            "options": ["regularly"],
            "sv": "låter invånare påverka arbetet regelbundet",
            "en": "let residents influence the work regularly",
        },
    },
]

DEFAULT_CAPS = {
    "motivated_decision_makers": 1,
    "long_term_priority": 1,
    "shared_ownership": 1,
    "ordinary_operations": 1,
    "coordinator_team": 1,
    "local_data": 1,
    "target_groups_citizens": 1,
}
"""Equal caps: each prerequisite can give at most 100/7 of the 100 index points."""

"""Demo toolbox: about fifteen invented materials over the eight steps, kinds and factors.

The publishers are real Swedish public bodies, but the materials are invented and
marked "(demo)": no deep link is made up. A link is either the publisher's home page or
left empty. Idempotent: the demo items are deleted and created again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jamlik.geo.models import Area
from jamlik.support import toolbox
from jamlik.support.models import ToolboxItem, ToolKind

DEMO_COUNTY = "01"

FHM = ("Folkhälsomyndigheten", "https://www.folkhalsomyndigheten.se/")
SOS = ("Socialstyrelsen", "https://www.socialstyrelsen.se/")
SKR = ("Sveriges Kommuner och Regioner (SKR)", "https://skr.se/")
BRA = ("Brottsförebyggande rådet (Brå)", "https://bra.se/")
CAN = ("Centralförbundet för alkohol- och narkotikaupplysning (CAN)", "https://www.can.se/")
LST = ("Länsstyrelsen i Stockholms län", "https://www.lansstyrelsen.se/")

# title, kind, (publisher, home page), description, målområden, steps, factors, county item?
ITEMS: list[tuple[Any, ...]] = [
    (
        "Checklista för behovsanalys (demo)",
        ToolKind.CHECKLIST,
        FHM,
        "Frågor att gå igenom när kommunen kartlägger läget: vilka data, vilka grupper, "
        "vilka risk- och skyddsfaktorer.",
        ["lifestyle", "participation"],
        ["needs_assessment"],
        ["availability_substances", "permissive_norms", "family_management"],
        False,
    ),
    (
        "Guide till lokala drogvaneundersökningar (demo)",
        ToolKind.DOCUMENT,
        CAN,
        "Hur en skolundersökning om alkohol, narkotika, tobak och spel planeras och tolkas.",
        ["lifestyle"],
        ["needs_assessment", "evaluation"],
        ["availability_substances", "early_initiation", "favourable_attitudes"],
        False,
    ),
    (
        "Metod för lokal lägesbild av brott och trygghet (demo)",
        ToolKind.METHOD,
        BRA,
        "Arbetsgång för en lägesbild tillsammans med polisen och andra aktörer.",
        ["housing", "participation"],
        ["needs_assessment", "resource_assessment"],
        ["neighbourhood_disorganisation", "gang_involvement", "friends_problem_behaviour"],
        False,
    ),
    (
        "Mall för resurs- och aktörskartläggning (demo)",
        ToolKind.CHECKLIST,
        LST,
        "Vem gör redan vad i kommunen? En mall som passar länets aktörskarta.",
        ["participation"],
        ["resource_assessment"],
        ["community_prosocial"],
        True,
    ),
    (
        "Film: så formulerar ni mål för utvecklingsarbetet (demo)",
        ToolKind.FILM,
        SKR,
        "Kort film om mål, delmål och indikatorer i en lokal plan.",
        ["participation"],
        ["programme_formulation"],
        [],
        False,
    ),
    (
        "Vägledning om att välja insatser efter risk- och skyddsfaktorer (demo)",
        ToolKind.DOCUMENT,
        SOS,
        "Hur kommunen väljer insatser som verkar på de faktorer den har prioriterat.",
        ["education", "early_life"],
        ["programme_formulation", "intervention_design"],
        ["family_management", "family_conflict", "academic_failure", "school_connectedness"],
        False,
    ),
    (
        "Föräldraskapsstöd i kommunen: metodöversikt (demo)",
        ToolKind.METHOD,
        FHM,
        "Översikt av program för föräldraskapsstöd och vad som behövs för att införa dem.",
        ["early_life"],
        ["intervention_design", "delivery"],
        ["family_management", "family_conflict", "family_attachment"],
        False,
    ),
    (
        "Skolans trygghetsarbete: checklista (demo)",
        ToolKind.CHECKLIST,
        SKR,
        "Punkter för skolans arbete mot kränkningar och för ett gott skolklimat.",
        ["education"],
        ["intervention_design", "delivery"],
        ["bullying_victimisation", "school_connectedness", "low_school_commitment"],
        False,
    ),
    (
        "Utbildning för styrgrupper i det förebyggande arbetet (demo)",
        ToolKind.TRAINING,
        LST,
        "Halvdagsutbildning för förvaltningsledning och politiker om kvalitetsmodellen.",
        ["participation"],
        ["mobilisation"],
        [],
        True,
    ),
    (
        "Kommunikationsplan för förankring (demo)",
        ToolKind.DOCUMENT,
        LST,
        "Mall för hur planen förankras hos nämnder, skolor, föreningar och invånare.",
        ["participation"],
        ["mobilisation"],
        ["community_prosocial", "prosocial_involvement"],
        True,
    ),
    (
        "Tillsyn av alkoholservering: kontrollkort (demo)",
        ToolKind.CHECKLIST,
        LST,
        "Kontrollpunkter vid tillsyn på serveringsställen.",
        ["lifestyle"],
        ["delivery"],
        ["availability_substances", "permissive_norms"],
        True,
    ),
    (
        "Programtrohet i praktiken (demo)",
        ToolKind.METHOD,
        SOS,
        "Hur insatsen genomförs som det är tänkt, och hur avvikelser följs upp.",
        [],
        ["delivery", "evaluation"],
        [],
        False,
    ),
    (
        "Webbsida: statistik om folkhälsa per kommun (demo)",
        ToolKind.WEBSITE,
        FHM,
        "Var kommunen hittar statistik för uppföljningen.",
        ["lifestyle", "income"],
        ["evaluation"],
        [],
        False,
    ),
    (
        "Uppföljningsmall för insatser (demo)",
        ToolKind.DOCUMENT,
        ("Länsstyrelsen i Stockholms län", ""),
        "Mall för att följa upp räckvidd, genomförande och resultat av varje insats.",
        [],
        ["evaluation", "improvement"],
        ["early_antisocial_behaviour"],
        True,
    ),
    (
        "Spridning av goda exempel mellan kommuner (demo)",
        ToolKind.TRAINING,
        SKR,
        "Nätverksträff där kommunerna visar vad som fungerat och varför.",
        ["participation"],
        ["improvement"],
        ["prosocial_peers", "prosocial_involvement"],
        False,
    ),
    (
        "Material utan steg: ordlista för förebyggande arbete (demo)",
        ToolKind.DOCUMENT,
        CAN,
        "Begrepp i det förebyggande arbetet. Utan steg: finns i verktygslådan men erbjuds "
        "inte på något steg.",
        [],
        [],
        [],
        False,
    ),
]


def _values(row: tuple[Any, ...]) -> dict[str, Any]:
    title, kind, (publisher, url), description, areas, steps, factors, _own = row
    return {
        "title": title,
        "kind": str(kind),
        "url": url,
        "publisher": publisher,
        "description": description,
        "language": "sv",
        "target_areas": areas,
        "quality_steps": steps,
        "factors": factors,
        "is_demo": True,
    }


def seed(progress: Callable[[str], None]) -> None:
    """Replace the demo toolbox items (shared ones and Stockholms län's own)."""
    progress("demo toolbox")
    ToolboxItem.objects.filter(is_demo=True).delete()
    county = Area.objects.get(code=DEMO_COUNTY, level="county")
    for row in ITEMS:
        toolbox.save_item(county if row[-1] else None, _values(row))

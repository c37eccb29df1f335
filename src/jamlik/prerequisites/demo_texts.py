"""Invented Swedish building blocks for the demo's mål-och-budget texts and interview quotes.

All of it was written for Jämlik's demonstration and describes no real kommun. ``{k}`` is
replaced by the kommun's name.
"""

from __future__ import annotations

INTRO = [
    "Mål och budget {year} för {k} kommun. Detta dokument är påhittat för demonstration.\n\n"
    "Kommunfullmäktige fastställer här kommunens inriktning, ekonomiska ramar och mål för "
    "nämnderna under den kommande perioden.",
    "{k} kommun – mål och budget {year} (påhittat demonstrationsunderlag).\n\n"
    "Budgeten beskriver hur kommunens resurser fördelas mellan nämnderna och vilka mål som "
    "styr verksamheterna.",
]

ECONOMY = [
    "Det ekonomiska läget är ansträngt. Skatteintäkterna växer långsammare än kostnaderna och "
    "nämnderna behöver effektivisera. Investeringar i skolor och äldreboenden prioriteras.",
    "Kommunens resultat ska uppgå till minst två procent av skatter och bidrag. Nämnderna får "
    "en uppräkning av ramarna för löner och priser men inga nya satsningar utöver dem som "
    "anges nedan.",
]

# Paragraphs that mention a theme in a neutral, non-goal way.
HEALTH_PLAIN = [
    "Elevhälsan förstärks med en skolsköterska och en kurator. Äldreomsorgen arbetar vidare "
    "med hälsa och välbefinnande bland de äldre.",
    "Hälso- och sjukvården i kommunens regi omfattar hemsjukvård och rehabilitering. "
    "Den psykiska ohälsan bland unga vuxna ökar enligt regionens underlag.",
]

PUBLIC_HEALTH_GOAL = [
    "Kommunen ska verka för en god och jämlik folkhälsa. Målet är att skillnader i hälsa "
    "mellan kommunens olika delar ska minska fram till år {next}.",
    "Ett av fullmäktiges mål är att folkhälsan ska förbättras i alla grupper. Nämnderna ska "
    "redovisa hur deras folkhälsoarbete bidrar till målet.",
]

PUBLIC_HEALTH_CUT = [
    "Anslaget för folkhälsoinsatser minskas och verksamheten inordnas i kultur- och "
    "fritidsnämnden.",
]

SUSTAINABILITY = [
    "Kommunen arbetar med Agenda 2030 och de globala målen. Social hållbarhet och ekologisk "
    "hållbarhet ska genomsyra planeringen av nya bostadsområden.",
    "Hållbarhetsprogrammet följs upp årligen. Arbetet med en hållbar stadsutveckling fortsätter.",
]

EQUITY = [
    "Alla barn ska ha en likvärdig skola oavsett bakgrund. Kommunen prioriterar insatser i "
    "de områden där ojämlikheten i livsvillkor är störst.",
    "Jämställdhet och jämlikhet ska beaktas i alla beslut.",
]

PREVENTION = [
    "Det förebyggande arbetet riktat till barn och unga ska utvecklas. Tidiga insatser i "
    "förskola och skola prioriteras, liksom hälsofrämjande fritidsaktiviteter.",
    "Kommunen fortsätter det brottsförebyggande och ANDT-förebyggande arbetet tillsammans "
    "med polisen och civilsamhället.",
]

PREVENTION_DEEPENED = [
    "Under perioden har kommunen, i samarbete med Länsstyrelsen, byggt upp en gemensam "
    "styrgrupp för främjande och förebyggande arbete med chefer från alla förvaltningar. "
    "Lokala data från skolenkäten används för att prioritera insatserna.",
    "En samordnare för det förebyggande arbetet har anställts med tydligt mandat. "
    "Uppföljningen av målen för barns och ungas uppväxtvillkor sker två gånger per år.",
]

SAFETY = [
    "Tryggheten i centrum och i bostadsområdena ska öka. Kommunen satsar på trygghetsvärdar, "
    "bättre belysning och samverkan mot brottslighet.",
    "Otryggheten i vissa områden är hög enligt trygghetsmätningen. Trygghetsarbetet samordnas "
    "av kommunstyrelsens förvaltning.",
]

CLOSING = [
    "Budgeten följs upp i delårsrapporten och i årsredovisningen.",
    "Nämnderna återrapporterar måluppfyllelsen till kommunstyrelsen i samband med bokslutet.",
]

# (main theme, sub-theme or None) → quotes
QUOTES: dict[str, list[str]] = {
    "coordinator": [
        "Jag heter utvecklingsstrateg, men i praktiken är jag den som håller ihop allt det "
        "förebyggande. Det står ingenstans att det är mitt uppdrag.",
        "Vi har en folkhälsosamordnare på halvtid, och hon sitter långt från ledningen.",
        "Sedan förra året har samordnaren ett uppdrag direkt från kommundirektören, och det "
        "märks när vi kallar till möten.",
    ],
    "collaboration": [
        "Varje förvaltning gör sitt. Socialtjänsten och skolan träffas bara när det brinner.",
        "Styrgruppen med alla förvaltningschefer har gjort att vi äntligen pratar om samma barn.",
        "Polisen och fritid har ett bra samarbete, men det hänger på två personer.",
    ],
    "politics": [
        "Politikerna säger att det är viktigt, men när budgeten läggs är det annat som går först.",
        "Efter utbildningen för kommunstyrelsen frågar politikerna själva efter uppföljningen.",
        "Trygghet är det som efterfrågas. Folkhälsa som ord används knappt.",
    ],
    "budget": [
        "Det finns inga öronmärkta pengar, allt ska rymmas inom ramen.",
        "Vi fick en egen post i budgeten för det förebyggande arbetet, första gången på länge.",
    ],
    "operations": [
        "Mycket av det som är folkhälsoarbete kallas inte så, det görs i skolan varje dag.",
        "Projekten tar slut när pengarna tar slut, och då försvinner kunskapen också.",
    ],
    "data": [
        "Vi har massor av siffror men ingen som har tid att titta på dem.",
        "Nu går vi igenom skolenkäten tillsammans varje höst och väljer insatser utifrån den.",
    ],
    "participation": [
        "Vi frågar sällan de unga själva. Det blir vi vuxna som bestämmer vad de behöver.",
        "Ungdomsrådet var med och tog fram prioriteringarna för fritidsgårdarna.",
    ],
}
